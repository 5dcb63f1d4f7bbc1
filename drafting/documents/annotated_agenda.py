"""The annotated agenda of the meeting, for our minister (internal): per item its
purpose, background, our objective, lines to take, "if raised" lines and the expected
position of each delegation."""
from __future__ import annotations

from drafting.documents.agenda import head
from drafting.documents.compose import clause_block, library_block, values
from drafting.errors import InputError
from drafting.inputs.library import fill, paragraphs
from drafting.inputs.meeting import meeting_of
from drafting.select import select

__all__ = ["context", "annotated_agenda_context", "common_block"]


def common_block(case, key, dotted, lang, vals, internal=False):
    """A position-independent clause text (e.g. 'agenda.background', 'agenda.expected.be')
    with its provenance, like compose.clause_block; None when the clause has none."""
    clause = case.library.clause(key)
    text = clause.common(dotted, lang)
    if not text:
        return None
    return library_block(key, clause, "", dotted, paragraphs(fill(text, vals)), internal=internal)


def _choice_of(case, key, where, audience):
    choice = select(case, audience).get(key)
    if choice is None or choice.position is None:
        raise InputError(f"proposal '{key}' is on the meeting agenda but has no position in "
                         "the brief", path=case.brief.path,
                         line=getattr(where, "line", None),
                         hint=f"add '{key}: POSITION' under positions")
    return choice


def _required(case, choice, dotted, lang, vals):
    key, position = choice.key, choice.position
    block = clause_block(case, choice, dotted, lang, vals, internal=True)
    if block is None:
        clause = case.library.clause(key)
        pos = clause.positions.get(position)
        raise InputError(f"clause '{key}' has no {dotted} text for '{position}' in {lang}",
                         path=clause.path, line=getattr(pos, "line", None),
                         hint=f"add {dotted}: {{{lang}: ...}} under positions.{position}")
    return block


def _proposal(case, meeting, key, lang, vals, audience):
    labels = lambda name: case.protocol.label(lang, name)  # noqa: E731
    clause = case.library.clause(key)
    choice = _choice_of(case, key, None, audience)
    position = choice.position
    expected = []
    for d in meeting.invited:
        block = common_block(case, key, f"agenda.expected.{d.key}", lang, vals, internal=True)
        if block is not None:
            expected.append({"name": str(d.name.get(lang, d.key)), "block": block})
    return {
        "key": key, "title": str(clause.title.get(lang, key)),
        "position": str(position),
        "position_name": labels("position_names").get(str(position), str(position)),
        "line": clause_block(case, choice, "line", lang, vals, internal=True),
        "background": common_block(case, key, "agenda.background", lang, vals, internal=True),
        "objective": _required(case, choice, "agenda.objective", lang, vals),
        "lines": _required(case, choice, "agenda.lines", lang, vals),
        "if_raised": clause_block(case, choice, "agenda.if_raised", lang, vals,
                                  internal=True),
        "expected": expected,
    }


def annotated_agenda_context(case, lang, final=False, audience="internal") -> dict:
    """The annotated agenda: internal only (objectives, lines, expected positions)."""
    if audience != "internal":
        raise InputError("the annotated agenda is internal - it carries our objectives, lines "
                         "to take and the expected positions of the delegations",
                         hint=f"write it for the internal audience (asked: '{audience}'), or "
                         "write the circulation agenda for delegations")
    meeting = meeting_of(case)
    ctx = head(case, meeting, lang, "annotated_agenda", "internal")
    labels = lambda name: case.protocol.label(lang, name)  # noqa: E731
    vals = values(case, lang)
    ctx["labels"].update({k: labels(k) for k in (
        "purpose", "background", "position", "objective", "lines", "if_raised", "expected")})
    items = []
    for it in meeting.items(lang):
        items.append({
            "number": it.number, "time": it.time, "title": it.title,
            "purpose": labels(f"purpose_{it.purpose}") if it.purpose else "",
            "proposals": [_proposal(case, meeting, key, lang, vals, audience) for key in it.proposals],
        })
    ctx["items"] = items
    absences = []
    for d in meeting.absent:
        clause_key = d.data.get("if_absent")
        if not clause_key:
            continue
        choice = _choice_of(case, str(clause_key), clause_key, audience)
        block = clause_block(case, choice, "agenda.if_raised", lang, vals,
                             internal=True)
        if block is None:
            continue
        topic = d.label("absence", lang, str(d.name.get(lang, d.key)))
        absences.append({"heading": labels("if_raised_heading").format(topic=topic),
                         "block": block})
    ctx["absences"] = absences
    return ctx


context = annotated_agenda_context
