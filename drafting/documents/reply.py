"""The reply letter (French original) and its English courtesy translation."""
from __future__ import annotations

from drafting.documents.compose import clause_block, draft_line, values
from drafting.errors import InputError
from drafting.inputs.dates import long_date
from drafting.select import SHARED, select

__all__ = ["context", "reply_context", "reply_keys", "SHARED"]

def reply_keys(case) -> list:
    """The clause keys the reply reads, in order (the selection's)."""
    return [c.key for c in select(case).reply]


def reply_context(case, lang, final=False, audience="internal") -> dict:
    brief, letter, protocol = case.brief, case.letter, case.protocol
    vals = values(case, lang)
    signatory = case.person(brief.signatory)
    addressee = case.person(brief.addressee)
    forms = protocol.forms(signatory, addressee, brief.register, lang)
    blocks = []
    for choice in select(case, audience).reply:
        key, position = choice.key, choice.position
        block = clause_block(case, choice, "reply", lang, vals)
        if block is None:
            clause = case.library.clause(key)
            raise InputError(f"clause '{key}' has no reply text for '{position}' in {lang}",
                             path=clause.path, line=clause.positions[position].line,
                             hint=f"add reply: {{{lang}: ...}} under positions.{position}")
        blocks.append(block)
        for extra in brief.paragraphs:
            if str(extra.get("after") or "") == key:
                blocks.append(_case_specific(extra, lang, vals, protocol, brief.overridden))
    for extra in brief.paragraphs:
        after = str(extra.get("after") or "")
        if after == "start":
            blocks.insert(0, _case_specific(extra, lang, vals, protocol, brief.overridden))
        elif not after:  # before the closing clause, or last
            at = len(blocks) - 1 if blocks and blocks[-1]["key"] == "closing" else len(blocks)
            blocks.insert(at, _case_specific(extra, lang, vals, protocol, brief.overridden))
    date_text = long_date(brief.date, lang)
    labels = lambda name: protocol.label(lang, name)  # noqa: E731
    if final:
        dateline = labels("date_for_signature").format(place=brief.place)
    else:
        dateline = labels("date_line").format(place=brief.place, date=date_text)
    copies = []
    for who in brief.copies:
        person = case.person(who)
        copies.append(f"{person.courtesy_name(lang)}, {person.get('office', lang)}")
    principal = case.person(brief.principal or letter.addressee)
    title = {"fr": f"Réponse à la lettre de {vals['sender']} du {vals['incoming_date']}",
             "en": f"Reply to the letter from {vals['sender']} of {vals['incoming_date']}"}[lang]
    return {
        "lang": lang, "title": title, "final": final, "audience": audience,
        "internal": audience == "internal",
        "country": labels("country"),
        "office": signatory.get("signature_title", lang) or signatory.get("office", lang),
        "translation_heading": labels("translation_heading") if lang != "fr" else "",
        "translation_of": (labels("translation_of").format(
            version=brief.version, date=long_date(brief.date, lang)) if lang != "fr" else ""),
        "dateline": dateline,
        "salutation": forms["salutation"],
        "blocks": blocks,
        "close": forms["close"],
        "signature": forms["signature"][0],
        "signature_lines": forms["signature"][1:],
        "signed": labels("signed"),
        "suscription": forms["suscription"],
        "copy_label": labels("copy"), "copies": copies,
        "marking": brief.marking,
        "draft": "" if final else draft_line(case, lang),
        "author": signatory.get("signature_title", lang) or "",
        "subject": title,
        "created": brief.date.isoformat(),
        "not_from_library": labels("not_from_library"),
        "principal": principal.name(lang),
    }


def _case_specific(item, lang, vals, protocol, overridden=None):
    return {"key": str(item.get("key") or "case-specific"), "position": "", "field": "brief",
            "version": "", "owner": "", "cleared": "", "overridden": False, "internal": False,
            "paras": _brief_paras(item, lang, vals, overridden), "note": str(item.get("note") or ""),
            "case_specific": True}


def _brief_paras(item, lang, vals, overridden):
    """A case-specific paragraph's text, with an absorbed reviewer's edit if any."""
    from drafting.documents.compose import apply_override, override_of
    key = str(item.get("key") or "case-specific")
    return apply_override(item[lang], override_of(overridden, key, "", "brief", lang), vals)


context = reply_context
