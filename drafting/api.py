"""The library API: load a case, build a document's tree, write DOCX and PDF.

The CLI only parses options and calls these; a test or another program can too.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .case import Case
from .document import Document, parse
from .errors import InputError, closest
from .render import render_template

__all__ = ["build", "write_docx_bytes", "write_pdf_bytes", "render_files", "Built",
           "KINDS", "LANGS", "FORMATS"]

LANGS = ("fr", "en")
FORMATS = ("docx", "pdf")
KINDS = ("reply", "agenda", "annotated-agenda", "declaration", "agreement", "matrix")


@dataclass
class Built:
    kind: str
    lang: str
    document: Document
    stem: str           # output file name without extension: reply.fr


# The Calais meeting's documents: kind -> (module, context function).
_MEETING_KINDS = {
    "agenda": (".agenda", "agenda_context"),
    "annotated-agenda": (".agenda", "annotated_agenda_context"),
    "declaration": (".declaration", "declaration_context"),
}


def _context(case, kind, lang, **opts):
    if kind == "reply":
        from .reply import reply_context
        return "reply.html.j2", reply_context(case, lang, final=opts.get("final", False),
                                              audience=opts.get("audience", "internal"))
    if kind in _MEETING_KINDS:
        module, func = _MEETING_KINDS[kind]
        from importlib import import_module
        build_context = getattr(import_module(module, __package__), func)
        return f"{kind}.html.j2", build_context(case, lang, final=opts.get("final", False),
                                               audience=opts.get("audience", "internal"))
    if kind == "agreement":
        from .agreement import agreement_context
        args = dict(copy=opts.get("copy", "fr"), register=opts.get("register", "treaty"),
                    omit_declined=opts.get("omit_declined"),
                    audience=opts.get("audience", "internal"))
        akind = opts.get("agreement_kind", "readmission")
        if opts.get("parallel"):
            first, second = ("fr", "en") if args["copy"] == "fr" else ("en", "fr")
            left = agreement_context(case, akind, first, **args)
            right = agreement_context(case, akind, second, **args)
            rows = list(zip(left["articles"], right["articles"]))
            return "agreement-parallel.html.j2", dict(left, left=left, right=right, rows=rows,
                                                      lang="fr", orientation="landscape",
                                                      **_doc_meta(case, "fr", left["title"]))
        ctx = agreement_context(case, akind, lang, **args)
        return "agreement.html.j2", dict(ctx, **_doc_meta(case, lang, ctx["title"]))
    if kind == "matrix":
        from .matrix import matrix_context
        return "matrix.html.j2", matrix_context(case, lang, final=opts.get("final", False),
                                                audience=opts.get("audience", "internal"))
    hint = closest(kind, KINDS)
    raise InputError(f"unknown document kind '{kind}'",
                     hint=f"did you mean '{hint}'?" if hint else "kinds: " + ", ".join(KINDS))


def _doc_meta(case, lang, title):
    """Head fields every document carries (marking, draft line, properties)."""
    from .compose import draft_line
    return {"marking": case.brief.marking, "draft": draft_line(case, lang),
            "translation_heading": "", "author": "", "subject": title,
            "created": case.brief.date.isoformat()}


def stem_of(kind, lang, **opts) -> str:
    """Output file name without extension: reply.fr, agreement-readmission.uk-copy.mou.en."""
    if kind != "agreement":
        return f"{kind}.{lang}"
    parts = [f"agreement-{opts.get('agreement_kind', 'readmission')}"]
    if opts.get("copy", "fr") != "fr":
        parts.append(f"{opts['copy']}-copy")
    if opts.get("register", "treaty") != "treaty":
        parts.append(opts["register"])
    parts.append("parallel" if opts.get("parallel") else lang)
    return ".".join(parts)


def build(case: Case, kind: str, lang: str, **opts) -> Built:
    """Render one document to its checked, typeset tree."""
    if lang not in LANGS:
        hint = closest(lang, LANGS)
        raise InputError(f"unknown language '{lang}'", hint=f"did you mean '{hint}'?" if hint else "fr or en")
    from .audience import apply_audience, check_audience, marking_of
    opts.setdefault("audience", check_audience(case.brief.audience))
    check_audience(opts["audience"])
    memo_key = None
    if case.memo is not None:
        memo_key = (kind, lang, tuple(sorted((k, str(v)) for k, v in opts.items())))
        if memo_key in case.memo:
            return case.memo[memo_key]
    template, ctx = _context(case, kind, lang, **opts)
    markup = render_template(case.templates, template, **ctx)
    document = parse(markup, template)
    if document.meta.get("marking") or kind != "agenda":
        document.meta["marking"] = marking_of(case, document, ctx.get("markings", ()))
    apply_audience(document, opts["audience"])
    built = Built(kind=kind, lang=lang, document=document, stem=stem_of(kind, lang, **opts))
    if memo_key is not None:
        case.memo[memo_key] = built
    return built


def _when(case):
    d = case.brief.date
    return dt.datetime(d.year, d.month, d.day, 9, 0, 0)


def write_docx_bytes(case: Case, built: Built, audience=None) -> bytes:
    from .writers.docx import write_docx
    audience = audience or built.document.meta.get("audience", "internal")
    return write_docx(built.document, case.templates / "reference.docx",
                      comments=audience != "external", when=_when(case))


def write_pdf_bytes(case: Case, built: Built) -> bytes:
    from .writers.pdf import write_pdf
    return write_pdf(built.document, case.templates)


def preflight(case: Case, builts, audience=None):
    """The checks these documents need before anything is written (drafting.check):
    an error stops the run, so nothing is written."""
    from .check import check_built
    from .errors import Problems
    errors = [p for p in check_built(case, builts, audience) if p.severity == "error"]
    if errors:
        raise Problems(errors)


def render_files(case: Case, kind: str, langs=LANGS, formats=FORMATS, **opts) -> dict:
    """{file name: bytes} for one document kind in the languages and formats asked."""
    files = {}
    audience = opts.get("audience")
    if opts.get("parallel"):
        langs = langs[:1]
    builts = [build(case, kind, lang, **opts) for lang in langs]
    preflight(case, builts, audience)
    wait = None
    if "pdf" in formats and len(builts) > 1:  # several PDFs: on every core, DOCX meanwhile
        from .pdfs import start_pdfs
        wait = start_pdfs(case, builts)
    docx = {b.stem: write_docx_bytes(case, b, audience) for b in builts} if "docx" in formats else {}
    pdfs = dict(zip((b.stem for b in builts), wait())) if wait else {}
    for built in builts:
        if "docx" in formats:
            files[f"{built.stem}.docx"] = docx[built.stem]
        if "pdf" in formats:
            files[f"{built.stem}.pdf"] = pdfs.get(built.stem) or write_pdf_bytes(case, built)
    return files
