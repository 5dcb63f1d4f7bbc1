"""Every document of a case in one run, on both cores.

Trees and DOCX files are cheap and made in the parent; PDF rendering is what costs,
and is done by the PDF process (pdfs.py) while the parent writes the DOCX files.
"""
from __future__ import annotations

from .api import build, write_docx_bytes
from .memory import give_back
from .pdfs import start_pdfs

__all__ = ["pack_jobs", "render_pack"]


def pack_jobs(case, langs=("fr", "en")):
    """(kind, lang, opts) for every document of the case."""
    from .agreement import agreement_kinds
    internal = case.brief.audience == "internal"
    jobs = [("reply", lang, {}) for lang in langs]
    if case.meeting is not None:
        # the annotated agenda is for our minister only: left out of a wider pack
        kinds = ("agenda", "annotated-agenda", "declaration") if internal else \
            ("agenda", "declaration")
        for kind in kinds:
            jobs += [(kind, lang, {}) for lang in langs]
    for akind in agreement_kinds(case.root):
        jobs += [("agreement", lang, {"agreement_kind": akind}) for lang in langs]
    return jobs


def render_pack(case, jobs, formats=("docx", "pdf"), workers=None, progress=None) -> dict:
    """{file name: bytes} for every job; the PDFs made by the PDF process (pdfs.py)."""
    files = {}
    tick = progress or (lambda name: None)
    builts = [build(case, kind, lang, **opts) for kind, lang, opts in jobs]
    from .api import preflight
    preflight(case, builts)  # an error stops the run before anything is written
    # the PDFs are sent off first; the DOCX files are made meanwhile in the parent, so
    # both cores stay busy from the start
    wait = start_pdfs(case, builts, workers) if "pdf" in formats else None
    if "docx" in formats:
        for built in builts:
            files[f"{built.stem}.docx"] = write_docx_bytes(case, built)
            tick(f"{built.stem}.docx")
        give_back()  # the parent waits for the PDFs at its smallest
    if wait is not None:
        for built, data in zip(builts, wait(tick)):
            files[f"{built.stem}.pdf"] = data
    return files
