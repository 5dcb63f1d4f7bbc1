"""Audiences and markings: who may read an output, and what it is marked.

What an output may carry for its audience, draft or fair copy, is decided by one
table, tree/gate.py. The marking of an output is the most restrictive marking of what
it draws on (the brief's marking for this document, see documents/compose.marking_for,
and each clause's), each originator's in its own words (protocol.yaml `markings`),
never translated.
"""
from __future__ import annotations

__all__ = ["marking_of"]


def marking_of(case, document, extra=(), base=None):
    """The most restrictive marking per originator of what the document draws on:
    `base` (the brief's marking for this document; default: the brief's `marking`),
    the markings of the clauses it prints and `extra`."""
    table = case.protocol.data.get("markings") or {}
    found = {}

    def consider(marking):
        marking = str(marking or "").strip()
        if not marking:
            return
        for side, ladder in table.items():
            ladder = [str(x) for x in ladder]
            if marking in ladder:
                if ladder.index(marking) > ladder.index(found.get(side, ladder[0])):
                    found[side] = marking
                return
        found.setdefault(marking, marking)  # unknown scheme: keep it as written

    consider(case.brief.marking if base is None else base)
    for key in sorted({el.get("data-clause") for el in document.body.iter() if el.get("data-clause")}):
        clause = case.library.get(key)
        if clause is not None:
            consider(clause.data.get("marking"))
    for m in extra:
        consider(m)
    order = list(table)
    return " / ".join(found[s] for s in sorted(found, key=lambda s: order.index(s) if s in order else 99))
