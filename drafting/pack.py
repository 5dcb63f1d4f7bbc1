"""Every document of a case in one run, on both cores.

Trees and DOCX files are cheap and made in the parent. PDF rendering is what costs:
the parent imports WeasyPrint (and parses the stylesheet and fonts once), then forks
workers that inherit all of it and render the PDFs in parallel.
"""
from __future__ import annotations

import multiprocessing
import os

from .api import build, render_files, stem_of, write_docx_bytes, write_pdf_bytes

__all__ = ["pack_jobs", "render_pack"]

_CASE = None  # the case the forked workers inherit


def pack_jobs(case, langs=("fr", "en")):
    """(kind, lang, opts) for every document of the case."""
    from .agreement import agreement_kinds
    jobs = [("reply", lang, {}) for lang in langs]
    if case.meeting is not None:
        for kind in ("agenda", "annotated-agenda", "declaration"):
            jobs += [(kind, lang, {}) for lang in langs]
    for akind in agreement_kinds(case.root):
        jobs += [("agreement", lang, {"agreement_kind": akind}) for lang in langs]
    return jobs


def _pdf_job(job):
    kind, lang, opts = job
    built = build(_CASE, kind, lang, **opts)
    return f"{built.stem}.pdf", write_pdf_bytes(_CASE, built)


def render_pack(case, jobs, formats=("docx", "pdf"), workers=None, progress=None) -> dict:
    """{file name: bytes} for every job; PDFs rendered by forked workers."""
    global _CASE
    files = {}
    tick = progress or (lambda name: None)
    if "docx" in formats:
        for kind, lang, opts in jobs:
            built = build(case, kind, lang, **opts)
            files[f"{built.stem}.docx"] = write_docx_bytes(case, built)
            tick(f"{built.stem}.docx")
    if "pdf" in formats:
        from .writers import pdf as _pdf  # import before forking: workers inherit it
        from pathlib import Path
        _pdf._shared(case.templates)
        _CASE = case
        workers = workers or min(len(jobs), os.cpu_count() or 1)
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(workers) as pool:
                for name, data in pool.imap(_pdf_job, jobs):
                    files[name] = data
                    tick(name)
        else:
            for job in jobs:
                name, data = _pdf_job(job)
                files[name] = data
                tick(name)
        _CASE = None
    return files
