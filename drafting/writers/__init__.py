"""The two writers of the one tree: DOCX (python-docx) and PDF (WeasyPrint), and the
PDF process that renders several PDFs on every core (pdfs.py)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

__all__ = ["docx_bytes", "pdf_bytes"]


def _when(case):
    d = case.brief.date
    return dt.datetime(d.year, d.month, d.day, 9, 0, 0)


def docx_bytes(case, built, audience=None) -> bytes:
    """A built document as DOCX, with Word comments only where the gate lets this
    output carry them (tree/gate.py: drafts for internal and interministerial readers;
    never an external draft, never a fair copy). `audience`, when given, can only
    narrow what the document's own audience allows."""
    from drafting.tree.gate import carries, carry_of
    from drafting.writers.docx import write_docx
    carry = carry_of(built.document)
    asked = carry if audience is None else carries(audience, carry.final)
    comments = carry.comments and asked.comments
    # what document it is, for absorb: only where the hidden bookmarks absorb reads are
    # (internal and interministerial drafts), never in an external copy or a fair copy
    provenance = carry.provenance and asked.provenance
    return write_docx(built.document, case.templates / "reference.docx",
                      comments=comments, when=_when(case),
                      custom=identity(case, built, carry) if provenance else None,
                      labels=comment_labels(case, built.lang) if comments else None)


def comment_labels(case, lang) -> dict:
    """The words of a reviewer's comment, from the protocol's labels in `lang`."""
    words = dict(case.protocol.label(lang, "comment"))
    words["not_from_library"] = case.protocol.label(lang, "not_from_library")
    return {k: str(v) for k, v in words.items()}


def identity(case, built, carry=None) -> dict:
    """What document a DOCX is, written into it as custom properties (docProps/custom.xml)
    so that `draft absorb` knows a reviewed file under any name: its document name, kind,
    language, options and case."""
    import json

    from drafting.documents.registry import parse_stem
    from drafting.tree.gate import carry_of
    carry = carry or carry_of(built.document)
    try:
        _kind, _lang, opts = parse_stem(built.stem)
    except Exception:  # noqa: BLE001 - a kind whose stem does not parse: no options
        opts = {}
    opts = {**{k: v for k, v in opts.items() if v not in (None, False)},
            "audience": carry.audience, **({"final": True} if carry.final else {})}
    chosen = {str(k): str(v) for k, v in (getattr(case, "overrides", None) or {}).items()}
    if chosen:  # --position KEY=POSITION: absorb drafts the same text to compare
        opts["positions"] = chosen
    return {"draft.document": built.stem, "draft.kind": built.kind, "draft.lang": built.lang,
            "draft.options": json.dumps(opts, sort_keys=True, ensure_ascii=False),
            "draft.case": Path(case.folder).name, "draft.brief": _brief_name(case)}


def _brief_name(case) -> str:
    """The brief the document was drafted from, as absorb finds it again: its path in the
    case folder (brief.yaml, brief-president.yaml), else its file name only (no folder
    of the drafter's machine goes into the file)."""
    brief = Path(case.brief.path)
    try:
        return brief.resolve().relative_to(Path(case.folder).resolve()).as_posix()
    except (ValueError, OSError):
        return brief.name


def pdf_bytes(case, built) -> bytes:
    from drafting.writers.forked import explained  # what the system refuses, explained (exit 3)
    from drafting.writers.pdf import write_pdf  # WeasyPrint: only where a PDF is made
    return explained(built.stem, lambda: write_pdf(built.document, case.templates))
