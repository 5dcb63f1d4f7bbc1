"""The library API: load a case, build its documents, check them, render their files.

The CLI only parses options and calls these; a test or another program can too. This is
the one place where the stages meet: documents are built (documents/), checked before
anything is written (validate/), and written as DOCX and PDF (writers/).
"""
from __future__ import annotations

from drafting.documents.build import Built, build, stem_of
from drafting.documents.registry import KINDS, kind_of, pack_jobs
from drafting.errors import Problems
from drafting.inputs.case import Case, load_case
from drafting.inputs.library import LANGS
from drafting.writers import docx_bytes, pdf_bytes
from drafting.writers.memory import give_back

__all__ = ["build", "Built", "stem_of", "load_case", "render_files", "render_pack", "Files",
           "pack_jobs", "preflight", "write_docx_bytes", "write_pdf_bytes",
           "KINDS", "LANGS", "FORMATS"]

FORMATS = ("docx", "pdf")
write_docx_bytes = docx_bytes
write_pdf_bytes = pdf_bytes


def preflight(case: Case, builts, audience=None):
    """The checks these documents need before anything is written (validate/): an
    error stops the run, so nothing is written."""
    from drafting.validate.built import check_built
    errors = [p for p in check_built(case, builts, audience) if p.severity == "error"]
    if errors:
        raise Problems(errors)


class Files(dict):
    """{file name: bytes}, and the notes the run has for its reader (`notes`: e.g. a fair
    copy made without a clearance chain, and why)."""

    notes: tuple = ()


def render_files(case: Case, kind: str, langs=LANGS, formats=FORMATS, **opts) -> Files:
    """{file name: bytes} for one document kind in the languages and formats asked.
    A fair copy (`final=True`) is refused until the brief's clearance chain cleared the
    text it prints (lifecycle/signoff.require_cleared), whoever calls."""
    kind_of(kind)
    files = Files()
    audience = opts.get("audience")
    if opts.get("parallel"):
        langs = langs[:1]
    if opts.get("final"):
        from drafting.lifecycle.signoff import require_cleared
        files.notes = tuple(require_cleared(case, kind, langs, **opts))
    builts = [build(case, kind, lang, **opts) for lang in langs]
    preflight(case, builts, audience)
    wait = None
    if "pdf" in formats:  # several PDFs: on every core, the DOCX files meanwhile
        from drafting.writers.pdfs import start_pdfs
        wait = start_pdfs(case, builts)
    docx = {b.stem: docx_bytes(case, b, audience) for b in builts} if "docx" in formats else {}
    pdfs = dict(zip((b.stem for b in builts), wait())) if wait else {}
    for built in builts:
        if "docx" in formats:
            files[f"{built.stem}.docx"] = docx[built.stem]
        if "pdf" in formats:
            files[f"{built.stem}.pdf"] = pdfs[built.stem]
    return files


def render_pack(case: Case, jobs=None, formats=FORMATS, workers=None, progress=None) -> dict:
    """{file name: bytes} for every document of the case (registry.pack_jobs). Trees and
    DOCX files are cheap and made here; the PDFs go to the PDF process first
    (writers/pdfs.py), so both cores are busy from the start."""
    from drafting.writers.pdfs import start_pdfs
    jobs = pack_jobs(case) if jobs is None else jobs
    files = {}
    tick = progress or (lambda name: None)
    builts = [build(case, kind, lang, **opts) for kind, lang, opts in jobs]
    preflight(case, builts)  # an error stops the run before anything is written
    wait = start_pdfs(case, builts, workers) if "pdf" in formats else None
    if "docx" in formats:
        for built in builts:
            files[f"{built.stem}.docx"] = docx_bytes(case, built)
            tick(f"{built.stem}.docx")
        give_back()  # the parent waits for the PDFs at its smallest
    if wait is not None:
        for built, data in zip(builts, wait(tick)):
            files[f"{built.stem}.pdf"] = data
    return files
