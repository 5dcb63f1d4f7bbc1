"""Typography of the text of a document, by language; idempotent.

French: U+202F (narrow no-break space) before ; ! ? and inside « »; U+00A0 before :
except between digits and in URLs; U+202F between thousands of numbers of five digits
or more; the typographic apostrophe; U+00A0 between the day and the month of a date
("28 novembre", "1er décembre"), which never split across two lines; and, on the tree,
the ordinal suffix of "1er", "1re", "2e" set as a superscript (<sup>), which both writers
carry (DOCX: a superscript run).
English: U+00A0 between the day and the month of a date ("1 December").
Note: Python's `\\s`, split() and strip() treat U+00A0 and U+202F as white space, so
patterns name the spaces they mean.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from drafting.inputs.dates import month_names

__all__ = ["french", "english", "typeset", "superscripts", "NNBSP", "NBSP", "group_thousands"]

NNBSP, NBSP = "\u202f", "\u00a0"
_SP = "[ \u00a0\u202f\t]"  # the spaces a drafter may have typed
_URL = re.compile(r"\b(?:https?|ftp|mailto|file):[^ \u00a0\u202f\t]+|www\.[^ \u00a0\u202f\t]+")
_BEFORE_HIGH = re.compile(_SP + r"*([;!?])")
_OPEN = re.compile("«" + _SP + "*")
_CLOSE = re.compile(_SP + "*»")
_COLON = re.compile(r"(?<!\d)" + _SP + r"*:|(?<=\d)" + _SP + r"+:|(?<=\d):(?!\d)")
_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d{5,})(?![\d])")
# What any rule below acts on: a text without one of these is left as it is.
_TRIGGER = re.compile(r"[';!?«»:\d]")
_DIGIT = re.compile(r"\d")  # English: only a date's day and month
# A date's day and month: one unbreakable group ("28 novembre", "1er décembre", "1 December").
@cache
def _day_month(lang):
    months = "|".join(map(re.escape, month_names(lang)))
    return re.compile(r"(?<![\w.,])(\d{1,2}|1er)[ \t\u202f]+(" + months + r")\b")
# French ordinals whose suffix is set as a superscript: 1er, 1re, 1ers, 1res, 2e, 21es ...
_ORDINAL = re.compile(r"(?<![\w.,])(1)(ers?|res?)(?![\w])|(?<![\w.,])([2-9]|[1-9]\d+)(es?)(?![\w])")


def group_thousands(digits: str) -> str:
    digits = re.sub("[ \u00a0\u202f]", "", digits)
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return NNBSP.join(out)


def _plain(text: str) -> str:
    text = text.replace("'", "\u2019")
    text = _BEFORE_HIGH.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN.sub("«" + NNBSP, text)
    text = _CLOSE.sub(NNBSP + "»", text)
    text = _COLON.sub(NBSP + ":", text)
    text = _THOUSANDS.sub(lambda m: group_thousands(m.group(1)), text)
    text = _day_month("fr").sub(lambda m: m.group(1) + NBSP + m.group(2), text)
    return text


@lru_cache(maxsize=8192)
def french(text: str) -> str:
    """Apply French typography to one text node, leaving URLs alone. Cached: labels,
    white space and clause paragraphs recur across the documents of a run."""
    if not text or not _TRIGGER.search(text):
        return text
    out, pos = [], 0
    for m in _URL.finditer(text):
        out.append(_plain(text[pos:m.start()]))
        out.append(m.group())
        pos = m.end()
    out.append(_plain(text[pos:]))
    return "".join(out)


def english(text: str) -> str:
    """English typography of one text node: the day and month of a date kept together."""
    if not text or not _DIGIT.search(text):
        return text
    return _day_month("en").sub(lambda m: m.group(1) + NBSP + m.group(2), text)


def typeset(text: str, lang: str) -> str:
    """The typography of `lang` applied to one text node (other languages: unchanged)."""
    if lang == "fr":
        return french(text)
    if lang == "en":
        return english(text)
    return text


def _split_ordinals(text):
    """[(plain, suffix), ...] for a text with French ordinals; None when it has none."""
    if not text or not _ORDINAL.search(text):
        return None
    out, pos = [], 0
    for m in _ORDINAL.finditer(text):
        number, suffix = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        out.append((text[pos:m.start()] + number, suffix))
        pos = m.end()
    out.append((text[pos:], None))
    return out


def superscripts(el, lang="fr", sup_tag="sup"):
    """Set the suffix of French ordinals ("1er", "2e") as a superscript element in the
    text of French elements below `el` (lxml), in place; idempotent (a suffix already in
    a <sup> is left alone)."""
    lang = el.get("lang", lang)
    if lang != "fr" or el.tag == sup_tag:
        return
    for child in list(el):
        superscripts(child, lang, sup_tag)
    pieces = _split_ordinals(el.text)
    if pieces:
        el.text = pieces[0][0]
        _insert(el, 0, pieces, sup_tag)
    for child in list(el):
        pieces = _split_ordinals(child.tail)
        if pieces:
            child.tail = pieces[0][0]
            _insert(el, el.index(child) + 1, pieces, sup_tag)


def _insert(parent, index, pieces, sup_tag):
    """Insert <sup>suffix</sup> elements for pieces[i][1], with the following plain text
    as their tails, at `index` of `parent`."""
    from lxml import etree
    for i, (_plain, suffix) in enumerate(pieces[:-1]):
        sup = etree.Element(sup_tag)
        sup.text = suffix
        sup.tail = pieces[i + 1][0]
        parent.insert(index + i, sup)
