"""The reply letter (French original) and its English courtesy translation."""
from __future__ import annotations

from drafting.documents.compose import apply_override, clause_block, override_of, values
from drafting.errors import InputError
from drafting.inputs.dates import long_date
from drafting.select import select

__all__ = ["context", "reply_context", "reply_keys", "arrange", "anchor_of",
           "para_key", "ANCHORS"]

def reply_keys(case) -> list:
    """The clause keys the reply reads, in order (the selection's)."""
    return [c.key for c in select(case).reply]


def reply_context(case, lang, final=False, audience="internal") -> dict:
    brief, letter, protocol = case.brief, case.letter, case.protocol
    vals = values(case, lang)
    signatory = case.person(brief.signatory)
    addressee = case.person(brief.addressee)
    forms = protocol.forms(signatory, addressee, brief.register, lang)
    by_key = {}
    for choice in select(case, audience).reply:
        key, position = choice.key, choice.position
        block = clause_block(case, choice, "reply", lang, vals)
        if block is None:
            clause = case.library.clause(key)
            raise InputError(f"clause '{key}' has no reply text for '{position}' in {lang}",
                             path=clause.path, line=clause.positions[position].line,
                             hint=f"add reply: {{{lang}: ...}} under positions.{position}")
        by_key[key] = block
    order, _dangling = arrange(list(by_key), brief.paragraphs)
    blocks = [by_key[item] if isinstance(item, str) else
              _case_specific(item, lang, vals, brief.overridden) for item in order]
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
        "author": signatory.get("signature_title", lang) or "",
        "subject": title,
        "created": brief.date.isoformat(),
        "not_from_library": labels("not_from_library"),
        "principal": principal.name(lang),
    }


# Where a case-specific paragraph of the brief goes in the reply: `after: KEY` or
# `before: KEY` (a clause of the reply or another paragraph of the brief), `after: start`
# (first), `after: end` / `before: end` (last); with no anchor, just before the closing
# clause (or last). An anchor that names nothing in the reply does not drop the
# paragraph: it goes where an unanchored one goes, and draft check reports the anchor.
ANCHORS = ("after", "before")
START, END = "start", "end"


def anchor_of(item):
    """(side, target) of a brief paragraph: ('after', 'joint-patrols'), (None, '')."""
    for side in ANCHORS:
        target = str(item.get(side) or "").strip()
        if target:
            return side, target
    return None, ""


def para_key(item) -> str:
    return str(item.get("key") or "case-specific")


def arrange(keys, items):
    """The reply's order: clause keys (str) and the brief's paragraphs (their items),
    each paragraph placed by its anchor, paragraphs anchored to one place in the brief's
    order. Returns (order, dangling): dangling are the paragraphs whose anchor names
    nothing in the reply (or only a loop of paragraphs), placed as unanchored ones."""
    names = set(keys) | {para_key(i) for i in items}
    before, after, first, last, loose, unknown = {}, {}, [], [], [], []
    for item in items:
        side, target = anchor_of(item)
        if not side:
            loose.append(item)
        elif side == "after" and target == START:
            first.append(item)
        elif target == END:
            last.append(item)
        elif target in names and target != para_key(item):
            (after if side == "after" else before).setdefault(target, []).append(item)
        else:
            unknown.append(item)
    seen = set()

    def emit(node, name, out):
        if id(node) in seen:
            return
        seen.add(id(node))
        for item in before.get(name, []):
            emit(item, para_key(item), out)
        out.append(node)
        for item in after.get(name, []):
            emit(item, para_key(item), out)

    head, body, tail, end = [], [], [], []
    for item in first:
        emit(item, para_key(item), head)
    at = None
    for key in keys:
        if key == "closing":
            at = len(body)  # unanchored paragraphs go just before the closing clause
        emit(key, key, body)
    for item in items:
        if any(item is x for x in loose) or any(item is x for x in unknown):
            emit(item, para_key(item), tail)
    for item in last:
        emit(item, para_key(item), end)
    loops = [item for item in items if id(item) not in seen]
    tail += loops
    at = len(body) if at is None else at
    return head + body[:at] + tail + body[at:] + end, unknown + loops


def _case_specific(item, lang, vals, overridden=None):
    """A case-specific paragraph of the brief, with an absorbed reviewer's edit if any."""
    key = para_key(item)
    return {"key": key, "position": "", "field": "brief",
            "version": "", "owner": "", "cleared": "", "overridden": False, "internal": False,
            "paras": apply_override(item[lang], override_of(overridden, key, "", "brief", lang), vals),
            "note": str(item.get("note") or ""), "case_specific": True}


context = reply_context
