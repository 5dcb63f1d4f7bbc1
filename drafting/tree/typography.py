"""French typography, applied to the text of French elements only; idempotent.

U+202F (narrow no-break space) before ; ! ? and inside « »; U+00A0 before : except
between digits and in URLs; U+202F between thousands of numbers of five digits or
more; the typographic apostrophe. Note: Python's `\\s`, split() and strip() treat
U+00A0 and U+202F as white space, so patterns name the spaces they mean.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["french", "NNBSP", "NBSP", "group_thousands"]

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
