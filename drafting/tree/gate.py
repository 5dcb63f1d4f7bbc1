"""One gate for what goes out: from (audience, draft or fair copy), what an output may carry.

Every output passes here once, after its template rendered and before a writer sees
it (documents/build.py); the writers ask the same table what they may add (the DOCX's
Word comments). No template and no writer decides by itself.

                      internal   interministerial   external   fair copy (any audience)
  Word comments         yes           yes              no              no
  provenance            yes           yes              no              no
  reviewer notes        yes           no               no              no
  internal fields       yes           no               no        internal audience only
  draft line            yes           yes              yes             no
  marking               yes           yes              yes             yes

- Word comments: the DOCX comment on each clause's first paragraph (clause, position,
  version, owner, clearance date) and on each case-specific paragraph.
- provenance: the data-* attributes saying where a paragraph came from (and the hidden
  bookmarks `draft absorb` reads back), and the "not from the library" flag on a
  case-specific paragraph (the PDF's coloured bar, the DOCX's comment).
- reviewer notes: the brief's `notes:` (data-note, shown as comments) and the tool's
  notes to the reader of a draft (a paragraph of class "note" that is not clause text,
  e.g. an agreement's reservation on a declined article).
- internal fields: blocks marked data-internal (objectives, lines to take, expected
  positions): the content of an internal document, which no wider audience reads.
- draft line: "PROJET - version 2 du 3 décembre 2021", on every page of every draft,
  whoever reads it: a draft with brackets must never pass for agreed text.
- marking: the protection mention of the document, top and bottom of every page.

The fair copy (the text for signature) is the text the signatory signs and nothing
else: `signed_text` is that text, the same whatever the audience, and clearances and
releases hash it (lifecycle/signoff.py, lifecycle/release.py).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from drafting.errors import InputError, did_you_mean
from drafting.inputs.brief import AUDIENCES

__all__ = ["Carry", "AUDIENCES", "carries", "carry_of", "apply_gate", "check_audience",
           "set_meta", "is_reviewer_note", "signed_text", "signed_hash", "PROVENANCE"]

PROVENANCE = ("data-clause", "data-field", "data-position", "data-version", "data-owner",
              "data-cleared", "data-para", "data-case-specific", "data-article", "data-link",
              "data-label")


@dataclass(frozen=True)
class Carry:
    """What one output may carry."""

    audience: str
    final: bool
    comments: bool
    provenance: bool
    notes: bool
    internal: bool
    draft_line: bool
    marking: bool

    @property
    def copy(self) -> str:
        return "final" if self.final else "draft"


def check_audience(audience):
    if audience not in AUDIENCES:
        raise InputError(f"unknown audience '{audience}'",
                         path=getattr(audience, "path", None), line=getattr(audience, "line", None),
                         hint=did_you_mean(audience, AUDIENCES, "audiences: " + ", ".join(AUDIENCES)))
    return audience


def carries(audience, final=False) -> Carry:
    """The one table: what an output for `audience`, draft or fair copy, may carry."""
    check_audience(audience)
    internal = audience == "internal"
    wide = audience == "external"
    if final:  # the text for signature: nothing about the text, only the text
        return Carry(str(audience), True, comments=False, provenance=False, notes=False,
                     internal=internal, draft_line=False, marking=True)
    return Carry(str(audience), False, comments=not wide, provenance=not wide, notes=internal,
                 internal=internal, draft_line=True, marking=True)


def carry_of(document) -> Carry:
    """What a built document may carry, from what the gate wrote in its metadata
    (audience, copy); a document the gate never saw is treated as an external fair
    copy: it may carry nothing but its text and marking."""
    meta = document.meta
    audience = meta.get("audience") if meta.get("audience") in AUDIENCES else "external"
    copy = meta.get("copy")
    return carries(audience, final=copy != "draft")


def is_reviewer_note(el) -> bool:
    """A note to the reader of a draft, not text of the document: a paragraph of class
    "note" that no clause provides (an agreement's reservation), or one marked data-review."""
    return bool(el.get("data-review")) or (el.get("class") == "note" and not el.get("data-clause"))


def _drop(el):
    """Remove an element, keeping its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def set_meta(document, name, value) -> None:
    """Set one metadata value, in the dict the writers read and in the tree's <meta>
    (what a release saves and a redline reads back)."""
    value = str(value or "")
    document.meta[name] = value
    head = document.root.find("head")
    for m in document.root.iter("meta"):
        if m.get("name") == name:
            m.set("content", value)
            return
    if head is not None:
        from lxml import etree
        etree.SubElement(head, "meta", name=name, content=value)


def apply_gate(document, audience, final=False, draft_line="", marking=None):
    """Strip from the tree what (audience, final) may not carry, and set the running
    heads and feet: the draft line (when a draft) and the marking (`None`: leave the
    marking the document has)."""
    carry = carries(audience, final)
    body = document.body
    for el in list(body.iter()):
        if not isinstance(el.tag, str):
            continue
        if (not carry.internal and (el.get("data-internal") or el.get("class") == "note")) \
                or (not carry.notes and is_reviewer_note(el)):
            _drop(el)
            continue
        if not carry.notes:
            el.attrib.pop("data-note", None)
        if not carry.provenance:
            for name in PROVENANCE:
                el.attrib.pop(name, None)
            if el.get("class") == "case-specific":  # the "not from the library" flag
                el.set("class", "body")
    set_meta(document, "audience", carry.audience)
    set_meta(document, "copy", carry.copy)
    set_meta(document, "draft", draft_line if carry.draft_line else "")
    if marking is not None:
        set_meta(document, "marking", marking if carry.marking else "")
    return document


# -- the text the signatory signs ------------------------------------------------------------

def signed_text(document) -> str:
    """What a document says, one line per block, as a fair copy would print it: its
    language, title, marking and every block's tag, class and text in reading order;
    without reviewer notes, provenance, comments or the draft line, and with a
    case-specific paragraph read as any other. The same text whatever the audience a
    draft was built for (but for blocks only an internal audience reads), so a clearance
    of it holds for the fair copy of every audience."""
    from drafting.tree.document import blocks

    lines = [f"lang\t{document.lang}", f"title\t{document.title}",
             f"marking\t{document.meta.get('marking', '')}"]
    for el in blocks(document.body):
        if any(is_reviewer_note(a) for a in (el, *el.iterancestors())):
            continue
        cls = el.get("class", "")
        cls = "body" if cls == "case-specific" else cls
        text = "".join(el.itertext()).replace("\n", " ")
        lines.append(f"{el.tag}.{cls}\t{text}")
    return "\n".join(lines) + "\n"


def signed_hash(document) -> str:
    return hashlib.sha256(signed_text(document).encode("utf-8")).hexdigest()
