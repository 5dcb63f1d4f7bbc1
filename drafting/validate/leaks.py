"""Audiences: no internal-only text reaches a document built for a wider audience.

Internal-only texts are a clause's `internal`, `ladder`, `agenda.if_raised` and
`agenda.expected`, an agreement article's `reservation` and the brief's `notes`. Each is
searched for, as normalised words (French typography cannot hide it), in the text, title
and metadata of every document built for the interministerial or external audience.
"""
from __future__ import annotations

import re

from drafting.errors import DraftError
from drafting.inputs.library import LANGS
from drafting.inputs.sources import Map, load_yaml
from drafting.select import choices
from drafting.validate.library import leaves, text_pairs

__all__ = ["MIN_LEAK", "norm", "internal_texts", "find_leaks"]

# Internal texts shorter than this (normalised) are not searched for: a ladder rung
# ("opening") or a two-word note would match ordinary words of any document.
MIN_LEAK = 20

_WORD = re.compile(r"\w+")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009](?=\d)")


def norm(text) -> str:
    """The words of a text, casefolded, one space apart: quotes, apostrophes,
    punctuation and the spaces French typography adds ("1 000", "texte :") cannot hide
    a match."""
    text = str(text).casefold().replace("\u00ad", "")
    return " ".join(_WORD.findall(_DIGIT_GAP.sub("", text)))


def internal_texts(case):
    """(normalised text, description, path, line) of every internal-only text in use."""
    from drafting.documents.compose import values
    from drafting.inputs.library import fill, paragraphs

    out = []
    vals = {}
    for lang in LANGS:
        try:
            vals[lang] = values(case, lang)
        except DraftError:
            vals[lang] = {}

    def add(text, what, path, lang=None):
        if text is None:
            return
        try:
            filled = fill(text, vals.get(lang, {})) if lang else str(text)
        except DraftError:
            filled = str(text)
        for para in paragraphs(filled):
            for piece in re.split(r"\{[a-z_:0-9-]+\}", para):
                n = norm(piece)
                if len(n) >= MIN_LEAK:
                    out.append((n, what, path, getattr(text, "line", None)))

    def pairs(node, what, path):
        for dotted, pair in text_pairs(node, what):
            for lang in LANGS:
                add(pair.get(lang), dotted, path, lang)

    chosen = choices(case)
    for key, clause in case.library.items():
        if key not in chosen:  # a clause the selection does not draw on cannot leak
            continue
        data = clause.data
        pairs((data.get("agenda") or {}).get("expected"), f"{key} agenda.expected", clause.path)
        for pos, node in clause.positions.items():
            if not isinstance(node, dict):
                continue
            pairs(node.get("internal"), f"{key} positions.{pos}.internal", clause.path)
            pairs((node.get("agenda") or {}).get("if_raised"),
                  f"{key} positions.{pos}.agenda.if_raised", clause.path)
            if node.get("ladder"):
                add(node["ladder"], f"{key} positions.{pos}.ladder", clause.path)
    for key, note in case.brief.notes.items():
        for _dotted, text in leaves(note):
            add(text, f"brief notes.{key}", case.brief.path)
    agreements = case.root / "clauses" / "agreements"
    for path in sorted(agreements.glob("*.yaml")) if agreements.is_dir() else ():
        try:
            data = load_yaml(path)
        except DraftError:
            continue
        for art in data.get("articles") or []:
            if isinstance(art, Map) and art.get("reservation"):
                pairs(art["reservation"], f"{path.stem} article {art.get('id')} reservation",
                      str(path))
    return out


def find_leaks(found, built, secrets, audience):
    """Report each internal text (from internal_texts) found in a document built for
    a wider audience: its text, title and metadata are searched. A text is looked for
    only where its first three words occur, so thousands of texts cost one pass."""
    doc = built.document
    text = f" {norm(doc.text() + ' ' + ' '.join(doc.meta.values()) + ' ' + (doc.title or ''))} "
    words = text.split()
    starts = set(zip(words, words[1:], words[2:]))
    for n, what, path, line in secrets:
        first = tuple(n.split(" ", 3)[:3])
        if (len(first) < 3 or first in starts) and f" {n} " in text:
            found.add(f"internal text ({what}) reaches {built.stem} built for the "
                      f"{audience} audience", path, line,
                      hint="internal fields must stay out of outputs for a wider audience")
