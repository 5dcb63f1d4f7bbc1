"""Gaps: a document that says nothing of a proposal because the position chosen has no
text for it, where another position has one.

A document prints, for each answered proposal, the text its position gives for the
document's field; a position without that text leaves the proposal out of the document
without a word (moving `intelligence-cell` from welcome to accept-with-conditions took
the joint declaration from 5 paragraphs to 4). Such a gap is an error, unless the clause
says the position has no such text on purpose: `no_text: [declaration]` under the
position.

- the joint declaration: `declaration` (the proposals it draws on: every answered one);
- the response matrix and the annotated agenda: `line`, the line taken;
- a proposal on an item of the meeting's agenda: its `line` and the clause's
  `agenda.background` (the annotated agenda prints both) whatever the other positions
  hold: an agenda clause without its agenda line;
- the clause of an absent delegation (`if_absent:` in meeting.yaml): its
  `agenda.if_raised`, the annotated agenda's "if raised" line on the absence.
"""
from __future__ import annotations

from drafting.inputs.library import LANGS
from drafting.inputs.sources import Map
from drafting.select import choices

__all__ = ["check_gaps", "NO_TEXT"]

NO_TEXT = "no_text"
# field -> the documents that print it
FIELDS = {"declaration": ("declaration",), "line": ("matrix", "annotated agenda")}


def _has(clause, position, dotted) -> bool:
    return any(clause.text(position, dotted, lang) for lang in LANGS)


def _common(clause, dotted) -> bool:
    return any(clause.common(dotted, lang) for lang in LANGS)


def _silent(clause, position, dotted) -> bool:
    node = clause.positions.get(position)
    said = node.get(NO_TEXT) if isinstance(node, dict) else None
    return dotted in [str(x) for x in (said or [])] if isinstance(said, list) else \
        str(said or "") == dotted


def _position_line(clause, position):
    """The line of `position:` in the clause file."""
    raw = clause.data.get("positions")
    if isinstance(raw, Map) and position in raw:
        return raw.key_line(position)
    return getattr(clause.positions.get(position), "line", None) or clause.data.line


def _agenda_items(case):
    """{proposal key: (item number, line)} for the proposals the agenda's items carry."""
    out = {}
    meeting = case.meeting
    if not isinstance(meeting, Map):
        return out
    for n, item in enumerate(meeting.get("items") or [], 1):
        if isinstance(item, Map):
            for key in item.get("proposals") or []:
                out.setdefault(str(key), (n, getattr(key, "line", None)))
    return out


def check_gaps(found, case):
    chosen = choices(case)
    on_agenda = _agenda_items(case)
    has_meeting = case.meeting is not None
    for key, choice in chosen.items():
        if choice.proposal is None or not choice.answered or key not in case.library:
            continue
        clause = case.library[key]
        position = str(choice.position)
        if position not in clause.positions:
            continue
        for dotted, documents in FIELDS.items():
            if dotted == "declaration" and not has_meeting:
                continue
            if _has(clause, position, dotted) or _silent(clause, position, dotted):
                continue
            others = [p for p in clause.positions if p != position and _has(clause, p, dotted)]
            agenda = dotted == "line" and key in on_agenda
            if not others and not agenda:
                continue  # no position has such text: the document never carried it
            docs = [d for d in documents if d != "annotated agenda" or key in on_agenda]
            what = " and the ".join(docs)
            where = (f", on agenda item {on_agenda[key][0]}" if agenda else "")
            had = (f"; {', '.join(others)} {'has' if len(others) == 1 else 'have'} one"
                   if others else "")
            found.add(f"the {what} say{'s' if len(docs) == 1 else ''} nothing of '{key}'"
                      f"{where}: its position '{position}' has no {dotted} text{had}",
                      clause.path, _position_line(clause, position),
                      hint=f"write {dotted}: {{fr: ..., en: ...}} under positions.{position}, "
                      f"or say the position has none on purpose: {NO_TEXT}: [{dotted}]",
                      code="position-without-text")
        if key in on_agenda and not _common(clause, "agenda.background"):
            n, line = on_agenda[key]
            found.add(f"clause '{key}' is on agenda item {n} but has no agenda.background "
                      "text: the annotated agenda gives no background for it", clause.path,
                      clause.data.key_line("agenda") if "agenda" in clause.data else
                      clause.data.line, hint="write agenda: {background: {fr: ..., en: ...}}",
                      code="agenda-line")
    _absences(found, case, chosen)


def _absences(found, case, chosen):
    """The clause an absent delegation names (`if_absent:`) has its if_raised line."""
    meeting = case.meeting
    if not isinstance(meeting, Map):
        return
    spec = case.brief.data.get("meeting") or {}
    invite, withdraw = spec.get("invite"), spec.get("withdraw") or []
    for key, d in (meeting.get("delegations") or {}).items():
        if not isinstance(d, Map) or not d.get("if_absent") or d.get("kind") == "host":
            continue
        absent = str(key) in [str(k) for k in withdraw] or (
            invite is not None and str(key) not in [str(k) for k in invite])
        target = str(d["if_absent"])
        choice = chosen.get(target)
        if not absent or choice is None or target not in case.library or not choice.position:
            continue
        clause = case.library[target]
        position = str(choice.position)
        if position in clause.positions and not _has(clause, position, "agenda.if_raised") \
                and not _silent(clause, position, "agenda.if_raised"):
            found.add(f"delegation '{key}' is absent and names clause '{target}' "
                      f"(if_absent), whose position '{position}' has no agenda.if_raised "
                      "text: the annotated agenda says nothing of the absence", clause.path,
                      _position_line(clause, position),
                      hint=f"write agenda: {{if_raised: {{fr: ..., en: ...}}}} under "
                      f"positions.{position}", code="agenda-line")
