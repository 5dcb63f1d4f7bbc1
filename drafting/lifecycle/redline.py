"""Redlines: `draft compare A B` shows what changed between two versions of a document.

- The DOCX carries native Word tracked changes (w:ins / w:del, author "draft", dated from
  the brief) that a reviewer accepts or rejects in Word or LibreOffice. It is made by the
  Docxodus engine (python-redlines 2.x with python-redlines-docxodus), which compares the
  two DOCX files word by word and marks only the paragraphs whose text changed; its zip is
  then normalised (fixed timestamps) like every DOCX the tool writes. The engine is an
  optional extra (`pip install 'draft[redline]'`): without it, a redline DOCX is refused
  with one line saying so (exit 3), and `--format pdf` still works. Where the engine is
  installed but cannot run (its binary fails on this machine), the DOCX is written by the
  tool's own writer from the diff tree below (the same w:ins / w:del runs), and a note
  says so.
- The PDF is rendered from a diff of the two document trees: blocks are paired by their
  provenance (data-clause, data-field, data-para) or their style, and each changed
  paragraph is diffed word by word (difflib) into spans `ins` (underlined, blue) and
  `del` (struck through, red), print.css rules.
"""
from __future__ import annotations

import copy
import datetime as dt
import difflib
import re
from dataclasses import dataclass

from drafting.errors import EnvironmentProblem, InputError

__all__ = ["compare", "parse_spec", "diff_documents", "Side"]

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


@dataclass
class Side:
    label: str          # v1, current
    document: object    # document.Document
    docx: bytes | None
    date: dt.date


def parse_spec(spec: str):
    """'reply.fr@v2' -> ('reply.fr', 2); 'reply.fr' -> ('reply.fr', None)."""
    stem, sep, ver = str(spec).partition("@")
    if not sep:
        return stem, None
    m = re.fullmatch(r"v?(\d+)", ver)
    if not m:
        raise InputError(f"'{spec}' names no version", hint="write STEM@vN, e.g. reply.fr@v1")
    return stem, int(m.group(1))


def _read(path):
    from drafting.store.read import read_bytes
    return read_bytes(path, what="released DOCX")


def _released_side(rec, docx=True) -> Side:
    """A released version (its record, verified by find_release); its DOCX when `docx`."""
    from pathlib import Path

    from drafting.lifecycle.release import load_released_document
    docx_path = Path(rec["folder"]) / f"{rec['stem']}.docx"
    return Side(f"v{rec['version']}", load_released_document(rec),
                _read(docx_path) if docx and docx_path.exists() else None,
                dt.date.fromisoformat(rec["date"]))


def _current_side(case, stem, base_record=None, docx=True) -> Side:
    """The current draft, built with the options of `base_record`; its DOCX when `docx`."""
    from drafting import writers as _writers
    from drafting.documents.registry import parse_stem
    from drafting.lifecycle.release import current_build
    kind, lang, opts = parse_stem(stem)
    if base_record:
        opts = dict(base_record.get("build", {}).get("opts") or opts)
    built = current_build(case, kind, lang, **opts)
    return Side("current", built.document,
                _writers.docx_bytes(case, built, case.brief.audience) if docx else None,
                case.brief.date)


def compare(case, a_spec, b_spec=None, since=None, formats=("docx", "pdf")):
    """{file name: bytes} of the redline between two versions; and notes."""
    from drafting.lifecycle.release import find_release
    stem, va = parse_spec(a_spec)
    if since is not None:
        va = parse_spec(f"{stem}@{since}")[1]
    if va is None:
        raise InputError(f"'{a_spec}' names no released version",
                         hint="write reply.fr@v1 reply.fr@v2, or reply.fr --since v1")
    docx = "docx" in formats
    engine = _engine() if docx else None  # before any work: it may be missing
    vb = None
    if b_spec:
        stem_b, vb = parse_spec(b_spec)
        if stem_b != stem:
            raise InputError(f"'{a_spec}' and '{b_spec}' are different documents",
                             hint="compare two versions of one document")
    rec_a = find_release(case.folder, stem, va)  # its files verified once
    a = _released_side(rec_a, docx)
    b = (_released_side(find_release(case.folder, stem, vb), docx) if vb is not None
         else _current_side(case, stem, rec_a, docx))
    when = dt.datetime(b.date.year, b.date.month, b.date.day, 9, 0, 0)
    name = f"{stem}.{a.label}-{b.label}.redline"
    tree = diff_documents(a.document, b.document, f"{stem}: {a.label} \u2192 {b.label}")
    files, notes = {}, []
    if "docx" in formats:
        data, note = _engine_docx(engine, a.docx, b.docx, when)
        if data is None:
            from drafting.writers.docx import write_docx
            data = write_docx(tree, case.templates / "reference.docx", comments=False, when=when)
            notes.append(f"{name}.docx: written by draft's own diff ({note})")
        files[f"{name}.docx"] = data
    if "pdf" in formats:
        from drafting.writers.pdf import write_pdf
        files[f"{name}.pdf"] = write_pdf(tree, case.templates)
    return files, notes


REDLINE_EXTRA = "pip install 'draft[redline]'"


def _engine():
    """The Docxodus engine, ready to run; EnvironmentProblem (exit 3) when python-redlines
    or its binary package is not installed (an optional extra)."""
    try:
        from python_redlines.engines import DocxodusEngine
        return DocxodusEngine()  # EngineNotInstalledError (an ImportError): no binary package
    except ImportError:
        raise EnvironmentProblem(
            "the redline engine (python-redlines) is not installed",
            hint=f"{REDLINE_EXTRA} to make redline DOCX files, or --format pdf") from None


def _engine_docx(engine, a_docx, b_docx, when):
    """The Docxodus redline of two DOCX files, or (None, why) when it cannot run."""
    if not a_docx or not b_docx:
        return None, "a version has no DOCX"
    try:
        data, _out, _err = engine.run_redline("draft", a_docx, b_docx,
                                              date_time=when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    except Exception as exc:  # OSError, the engine's binary failing on this machine
        return None, f"the Docxodus engine could not run: {str(exc).splitlines()[0][:120]}"
    from drafting.writers.docx import normalise_zip
    return normalise_zip(data, when), None


# -- the tree diff --------------------------------------------------------------------------

def _sig(el):
    return (el.tag, el.get("class", ""), el.get("data-clause") or "",
            el.get("data-field") or "", el.get("data-para") or "")


def _text(el):
    return "".join(el.itertext())


def _span(cls, text):
    from lxml import etree
    s = etree.Element("span")
    s.set("class", cls)
    s.text = text
    return s


def _fill(el, pieces):
    """Replace an element's content by text and (class, text) spans."""
    for child in list(el):
        el.remove(child)
    el.text = None
    last = None
    for piece in pieces:
        if isinstance(piece, str):
            if last is None:
                el.text = (el.text or "") + piece
            else:
                last.tail = (last.tail or "") + piece
        else:
            last = _span(*piece)
            el.append(last)


def word_diff(old: str, new: str) -> list:
    """Text pieces and ('del'|'ins', text) spans, word by word. Short common stretches
    between two changes (a space, a short word) are folded into the changes, so a
    rewritten sentence reads as one deletion and one insertion, as in Word."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segs = []  # [equal_text] or [deleted, inserted]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segs.append(["".join(a[i1:i2])])
        else:
            segs.append(["".join(a[i1:i2]), "".join(b[j1:j2])])
    merged = []
    for i, seg in enumerate(segs):
        between = 0 < i < len(segs) - 1 and len(seg) == 1 and len(segs[i - 1]) == 2 \
            and len(segs[i + 1]) == 2 and len(re.findall(r"\w+", seg[0])) <= 1 and len(seg[0]) <= 4
        if between:
            seg = [seg[0], seg[0]]
        if len(seg) == 2 and merged and len(merged[-1]) == 2:
            merged[-1] = [merged[-1][0] + seg[0], merged[-1][1] + seg[1]]
        else:
            merged.append(list(seg))
    out = []
    for seg in merged:
        if len(seg) == 1:
            out.append(seg[0])
        else:
            if seg[0]:
                out.append(("del", seg[0]))
            if seg[1]:
                out.append(("ins", seg[1]))
    return out


def _mark_changed(a_el, b_el):
    """b_el's content becomes the word diff from a_el (a bold label kept as it is)."""
    label = None
    first = b_el[0] if len(b_el) else None
    if (first is not None and first.tag == "strong" and not (b_el.text or "").strip()
            and len(a_el) and a_el[0].tag == "strong" and _text(a_el[0]) == _text(first)):
        label = copy.deepcopy(first)
        label.tail = None
    skip = len(_text(label)) if label is not None else 0
    pieces = word_diff(_text(a_el)[skip:], _text(b_el)[skip:])
    _fill(b_el, pieces)
    if label is not None:
        label.tail = b_el.text
        b_el.text = None
        b_el.insert(0, label)


def _mark_whole(el, cls):
    _fill(el, [(cls, _text(el))])


def diff_documents(old, new, heading=""):
    """A copy of `new` showing, word by word, what changed since `old`."""
    from drafting.tree.document import Document, blocks

    root = copy.deepcopy(new.root)
    body = root.find("body")
    a_blocks = list(blocks(old.body))
    b_blocks = list(blocks(body))
    ka = [(_sig(el), _text(el)) for el in a_blocks]
    kb = [(_sig(el), _text(el)) for el in b_blocks]
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        olds = list(range(i1, i2))
        for j in range(j1, j2):
            match = next((i for i in olds if ka[i][0] == kb[j][0]), None)
            if match is None and op == "replace" and olds and \
                    a_blocks[olds[0]].get("data-clause") == b_blocks[j].get("data-clause") and \
                    (a_blocks[olds[0]].tag, a_blocks[olds[0]].get("class")) == \
                    (b_blocks[j].tag, b_blocks[j].get("class")) and not b_blocks[j].get("data-clause"):
                match = olds[0]
            if match is None:
                _mark_whole(b_blocks[j], "ins")
                continue
            # blocks of `old` before the match were removed
            for i in olds[:olds.index(match)]:
                _insert_deleted(a_blocks[i], b_blocks[j], before=True)
            olds = olds[olds.index(match) + 1:]
            _mark_changed(a_blocks[match], b_blocks[j])
        anchor = b_blocks[j2 - 1] if j2 > j1 else (b_blocks[j1] if j1 < len(b_blocks) else
                                                   (b_blocks[-1] if b_blocks else None))
        before = not (j2 > j1) and j1 < len(b_blocks)
        for i in (olds if before else reversed(olds)):
            _insert_deleted(a_blocks[i], anchor, before=before)
    meta = dict(new.meta)
    if heading:
        meta["draft"] = heading
        for m in root.iter("meta"):
            if m.get("name") == "draft":
                m.set("content", heading)
    return Document(root=root, name=new.name, lang=new.lang, title=new.title, meta=meta)


def _insert_deleted(a_el, anchor, before):
    """A removed block, struck through, beside `anchor` (inside it for table cells)."""
    if anchor is None:
        return
    if anchor.tag in ("td", "th") or a_el.tag in ("td", "th"):
        anchor.append(_span("del", " " + _text(a_el)))
        return
    gone = copy.deepcopy(a_el)
    for attr in ("data-link", "data-note"):
        gone.attrib.pop(attr, None)
    _mark_whole(gone, "del")
    gone.tail = None
    (anchor.addprevious if before else anchor.addnext)(gone)
