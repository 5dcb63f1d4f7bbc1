"""The draft joint declaration of the Calais meeting.

Title, preamble and closing come from clauses/declaration.yaml; one numbered
paragraph per proposal whose chosen position carries a `declaration` text, in the
order of the meeting's items and then of the letter; then the signatory delegations
in EU protocol order: the ministers present sign (delegations of the kinds meeting.yaml
lists under `sign`, by default the host, the Member States and third countries);
institutions and agencies attend as observers, named in the text, not as signatories.
The papers bear meeting.yaml's `documents_date` and come from the chair's office.
"""
from __future__ import annotations

from drafting.documents.agenda import author_of, member_line, papers_date
from drafting.documents.compose import clause_block, fixed, values
from drafting.errors import InputError, did_you_mean
from drafting.inputs.meeting import meeting_of
from drafting.select import select

__all__ = ["context", "declaration_context", "declaration_choices", "signing_kinds", "SHARED_KEY"]

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


def signing_kinds(meeting) -> tuple:
    """The delegation kinds whose members sign the declaration (meeting.yaml `sign`)."""
    from drafting.inputs.meeting import KINDS
    raw = meeting.data.get("sign")
    if raw is None:
        return ("host", "member", "third")
    for kind in raw:
        if kind not in KINDS:
            raise InputError(f"unknown delegation kind '{kind}' in sign", path=meeting.path,
                             line=getattr(kind, "line", None),
                             hint=did_you_mean(kind, KINDS, "kinds: " + ", ".join(KINDS), also=True))
    return tuple(str(k) for k in raw)


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
    signing = signing_kinds(meeting)
    for d in meeting.invited:
        if not d.members or d.kind not in signing:
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
        "audience": audience,
        "translation_heading": "",
        "author": author_of(case, meeting, lang),
        "subject": title_text,
        "created": papers_date(case, meeting).isoformat(),
    }


context = declaration_context
