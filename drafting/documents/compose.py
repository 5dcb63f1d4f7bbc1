"""What every document shares: placeholder values, draft marks, and the
paragraphs a clause gives under a position (with their provenance, for reviewer
notes and for absorbing a reviewer's edits)."""
from __future__ import annotations

from drafting.inputs.dates import long_date, weekday_date
from drafting.inputs.library import fill, paragraphs
from drafting.select import Choice

__all__ = ["values", "clause_block", "fixed", "draft_line", "override_of", "apply_override"]


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
        "address": case.protocol.address(addressee, lang),
        "reply_date": long_date(brief.date, lang),
    }
    if case.meeting:
        vals["meeting_place"] = str(case.meeting.get("place", {}).get(lang, ""))
        from drafting.inputs.sources import as_date
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


def clause_block(case, choice, field, lang, vals, internal=False):
    """One clause's paragraphs under the position the selection chose, with where they
    came from; None when the clause has no such text."""
    key, position = choice.key, choice.position
    clause = case.library.clause(key)
    text = clause.text(position, field, lang)
    if text is None:
        return None
    override = override_of(case.brief.overridden, key, position, field, lang)
    return {
        "key": key, "position": position, "field": field, "version": clause.version,
        "owner": clause.owner, "cleared": str(clause.cleared_date or ""),
        "paras": apply_override(text, override, vals), "note": choice.note,
        "overridden": override is not None,
        "internal": internal, "case_specific": False,
    }


def fixed(key, position="standard"):
    """The choice for a document's own frame (a declaration's title, preamble, closing):
    library text that no decision selects."""
    return Choice(key=key, position=position, source="default")


# -- case-specific overrides of library text (brief.yaml `overrides:`) ----------------
#
#   overrides:
#     joint-patrols:              # clause key (or a brief paragraph's key)
#       decline:                  # optional: only under this position
#         reply:                  # field, dotted (agenda.lines)
#           fr: >-                # the whole field text in that language, or
#             ...
#           en:
#             1: >-               # paragraph 1 only (`draft absorb` writes these)
#               ...

def override_of(overridden, key, position, field, lang):
    """The brief's override of one clause field in one language: a text (the whole
    field), a {paragraph number: text} mapping, or None. A position-scoped override
    wins over one for any position."""
    node = overridden.get(key) if overridden else None
    if not isinstance(node, dict):
        return None
    for scope in ([node.get(position)] if position else []) + [node]:
        if not isinstance(scope, dict):
            continue
        target = scope.get(field)
        if target is None and "." in str(field):  # nested spelling: agenda: {lines: ...}
            target = scope
            for part in str(field).split("."):
                target = target.get(part) if isinstance(target, dict) else None
        if isinstance(target, dict) and target.get(lang):
            return target[lang]
    return None


def apply_override(text, override, vals) -> list:
    """The paragraphs of a field after the brief's override (placeholders filled)."""
    from drafting.errors import InputError

    if isinstance(override, str):
        return paragraphs(fill(override, vals))
    paras = paragraphs(fill(text, vals))
    if isinstance(override, dict):
        numbered = []
        for n, value in override.items():
            try:
                i = int(str(n))
            except ValueError:
                i = 0
            if not 1 <= i <= len(paras) + 1 or not isinstance(value, str):
                raise InputError(f"override paragraph '{n}' does not exist (the text has "
                                 f"{len(paras)} paragraph(s))", path=getattr(value, "path", None),
                                 line=getattr(value, "line", None),
                                 hint=f"number the paragraphs 1 to {len(paras)} "
                                 f"({len(paras) + 1} adds one)")
            numbered.append((i, value))
        for i, value in sorted(numbered, key=lambda item: -item[0]):
            paras[i - 1:i] = paragraphs(fill(value, vals))
    return paras
