"""The draft joint declaration of the Calais meeting.

Title, preamble and closing come from clauses/declaration.yaml; one numbered
paragraph per proposal whose chosen position carries a `declaration` text, in the
order of the meeting's items and then of the letter; then the signatory delegations
in EU protocol order.
"""
from __future__ import annotations

from drafting.documents.agenda import member_line
from drafting.documents.compose import clause_block, draft_line, fixed, values
from drafting.errors import InputError
from drafting.inputs.meeting import meeting_of
from drafting.select import select

__all__ = ["context", "declaration_context", "declaration_choices", "SHARED_KEY"]

SHARED_KEY = "declaration"


def declaration_choices(case, meeting, audience=None) -> list:
    """The answered proposals, in meeting-item order, then the letter's order."""
    return select(case, audience).answered([*meeting.proposal_order(), *case.letter.keys])


def _shared(case, field, lang, vals):
    block = clause_block(case, fixed(SHARED_KEY), field, lang, vals)
    if block is None:
        clause = case.library.clause(SHARED_KEY)
        raise InputError(f"clause '{SHARED_KEY}' has no {field} text in {lang}", path=clause.path,
                         hint=f"add {field}: {{{lang}: ...}} under positions.standard")
    return block


def declaration_context(case, lang, final=False, audience="internal") -> dict:
    meeting = meeting_of(case)
    labels = lambda name: case.protocol.label(lang, name)  # noqa: E731
    vals = values(case, lang)
    paragraphs = []
    for choice in declaration_choices(case, meeting, audience):
        block = clause_block(case, choice, "declaration", lang, vals)
        if block is not None:
            paragraphs.append({"number": f"{len(paragraphs) + 1}.", "block": block})
    signatories = []
    join = labels("members_join")
    for d in meeting.invited:
        if not d.members:
            continue
        who = d.label("signing", lang, str(d.name.get(lang, d.key)))
        signatories.append(labels("signatory_line").format(
            delegation=who, members=join.join(member_line(p, lang) for p in d.members)))
    title = _shared(case, "title", lang, vals)
    title_text = " ".join(title["paras"])
    return {
        "lang": lang, "title": title_text, "title_block": title,
        "place_date": labels("date_line").format(place=meeting.place(lang),
                                                date=meeting.long_date(lang)),
        "preamble": _shared(case, "preamble", lang, vals),
        "paragraphs": paragraphs,
        "closing": _shared(case, "closing", lang, vals),
        "signatories": signatories,
        "marking": case.brief.marking, "audience": audience,
        "draft": "" if final else draft_line(case, lang),
        "translation_heading": "",
        "author": str(case.person(case.brief.signatory).get("office", lang) or ""),
        "subject": title_text,
        "created": case.brief.date.isoformat(),
    }


context = declaration_context
