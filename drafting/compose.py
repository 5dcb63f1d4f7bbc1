"""What every document shares: placeholder values, draft marks, markings, and the
paragraphs a clause gives under a position (with their provenance, for reviewer
notes and for absorbing a reviewer's edits)."""
from __future__ import annotations

from .dates import long_date, weekday_date
from .library import fill, paragraphs

__all__ = ["values", "clause_block", "draft_line", "MARKINGS"]

# A marking stays in its originator's words: never translated into the other side's.
MARKINGS = ("", "Diffusion Restreinte", "OFFICIAL-SENSITIVE")


def values(case, lang, extra=None) -> dict:
    """The fixed list of placeholder values, for one language."""
    letter, brief = case.letter, case.brief
    sender = case.person(letter.sender)
    addressee = case.person(brief.addressee)
    principal_key = brief.principal or letter.addressee
    principal = case.person(principal_key)
    vals = {
        "incoming_date": long_date(letter.date, lang),
        "sender": sender.courtesy_name(lang),
        "sender_office": sender.get("office_short", lang) or sender.get("office", lang),
        "principal": principal.with_article(lang),
        "address": addressee.get("address", lang) or addressee.name(lang),
        "reply_date": long_date(brief.date, lang),
    }
    if case.meeting:
        vals["meeting_place"] = str(case.meeting.get("place", {}).get(lang, ""))
        from .sources import as_date
        vals["meeting_date"] = weekday_date(as_date(case.meeting["date"]), lang)
    else:  # a case with no meeting.yaml yet: visibly still to draft, found by draft check
        vals["meeting_place"] = "[TO BE DRAFTED: meeting place]"
        vals["meeting_date"] = "[TO BE DRAFTED: meeting date]"
    if extra:
        vals.update(extra)
    return vals


def draft_line(case, lang) -> str:
    """'PROJET - version 4 du 1er décembre 2021' / 'DRAFT - version 4 of 1 December 2021'."""
    p = case.protocol
    return (f"{p.label(lang, 'draft')} - {p.label(lang, 'version')} {case.brief.version} "
            f"{p.label(lang, 'of')} {long_date(case.brief.date, lang)}")


def clause_block(case, key, position, field, lang, vals, internal=False):
    """One clause's paragraphs under a position, with where they came from."""
    clause = case.library.clause(key)
    text = clause.text(position, field, lang)
    if text is None:
        return None
    override = (case.brief.overridden.get(key) or {}).get(field) if case.brief.overridden else None
    if isinstance(override, dict) and override.get(lang):
        text = override[lang]
    note = case.brief.notes.get(key)
    return {
        "key": key, "position": position, "field": field, "version": clause.version,
        "owner": clause.owner, "cleared": str(clause.cleared_date or ""),
        "paras": paragraphs(fill(text, vals)), "note": str(note) if note else "",
        "overridden": bool(isinstance(override, dict) and override.get(lang)),
        "internal": internal, "case_specific": False,
    }
