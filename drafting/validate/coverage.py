"""Coverage: the brief file itself answers the letter. Every proposal has a position or
a reason under `no_answer`; no position names an unknown proposal or position; no agenda
item carries a proposal the brief leaves unanswered; a positioned proposal is in the
brief's `order` when the brief gives one.

These checks read the brief as written (they validate it); what the documents say is
read from the selection (drafting.select) by the other checks.
"""
from __future__ import annotations

from pathlib import Path

from drafting.inputs.sources import Map

__all__ = ["check_coverage", "blocked_keys"]


def check_coverage(found, letter, brief, library, overrides, meeting=None):
    from drafting.inputs.case import _positions_problems

    chosen = dict(brief.positions)
    chosen.update(overrides)
    for proposal in letter.proposals:
        key = proposal.key
        if key not in chosen and key not in brief.no_answer:
            found.add(f"proposal '{key}' has no position in the brief", letter.path,
                      proposal.line, hint=f"add '{key}: POSITION' under positions or a reason "
                      "under no_answer")
    for p in _positions_problems(letter, brief, library, overrides):
        key = p.problem.split("'")[1] if "'" in p.problem else ""
        if "has no clause in the library" in p.problem and \
                (Path(library.folder) / f"{key}.yaml").exists():
            continue  # the clause file is there but broken: reported already
        found.add(p)
    raw_no_answer = brief.data.get("no_answer")
    for key, reason in brief.no_answer.items():
        line = raw_no_answer.key_line(key) if isinstance(raw_no_answer, Map) else None
        if key not in letter.keys:
            from drafting.errors import did_you_mean
            found.add(f"no_answer names unknown proposal '{key}'", brief.path, line,
                      hint=did_you_mean(key, letter.keys, "proposals: " + ", ".join(letter.keys)))
        elif not str(reason or "").strip():
            found.add(f"no_answer for '{key}' gives no reason", brief.path, line,
                      hint="say why the reply leaves it unanswered")
        elif key in chosen:
            found.add(f"proposal '{key}' has both a position and a no_answer reason",
                      brief.path, line, hint="the reply will not answer it; remove one of "
                      "the two", severity="warning")
    if meeting is not None:
        for n, item in enumerate(meeting.get("items") or [], 1):
            for key in (item.get("proposals") or []) if isinstance(item, Map) else []:
                if key in brief.no_answer and key not in chosen:
                    found.add(f"agenda item {n} carries '{key}', which the brief leaves "
                              "unanswered", getattr(key, "path", None), getattr(key, "line", None),
                              hint="give it a position (the annotated agenda needs one) or "
                              "take it off the item")
    if brief.order:
        order = {str(k) for k in brief.order}
        raw_positions = brief.data.get("positions")
        for key in letter.keys:
            if key in chosen and key not in order and key not in brief.no_answer:
                pos = chosen[key]
                line = getattr(pos, "line", None) or (
                    raw_positions.key_line(key) if isinstance(raw_positions, Map) else None)
                found.add(f"proposal '{key}' has a position but is not in the brief's order - "
                          "the reply would not answer it", getattr(pos, "path", None) or
                          brief.path, line, hint=f"add '{key}' to order:")


def blocked_keys(case_or_brief, letter, library, over):
    """Proposals whose position is missing or invalid (reported by the coverage check):
    a document's failure over one of them is the same problem, not a new one."""
    if case_or_brief is None or letter is None:
        return set()
    brief = getattr(case_or_brief, "brief", case_or_brief)
    chosen = dict(brief.positions)
    chosen.update(over)
    blocked = set()
    for key in letter.keys:
        pos = chosen.get(key)
        if key in brief.no_answer:
            if pos is None:  # the annotated agenda's complaint is the coverage check's
                blocked.add(key)
            continue
        if pos is None or key not in library or pos not in library[key].positions:
            blocked.add(key)
    return blocked
