"""Every document of a case in one run, on both cores.

Trees and DOCX files are cheap and made in the parent. PDF rendering is what costs:
the parent forks workers, which import WeasyPrint and parse the stylesheet and fonts
once each, then render the PDFs in parallel while the parent writes the DOCX files.
"""
from __future__ import annotations

import multiprocessing
import os

from .api import build, write_docx_bytes, write_pdf_bytes

__all__ = ["pack_jobs", "render_pack"]

_CASE = None  # the case the forked workers inherit


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


_BUILTS = None  # the trees the forked workers of start_pdfs() inherit


def _warm(templates):
    from pathlib import Path
    from .writers import pdf as _pdf
    _pdf._shared(Path(templates))


def _pdf_of(i):
    return i, write_pdf_bytes(_CASE, _BUILTS[i])


def start_pdfs(case, builts, workers=None):
    """Start rendering the PDFs of built trees and return `wait(tick=None)`, which
    returns them in order. With several PDFs and cores, forked workers inherit the
    trees, import WeasyPrint and parse the stylesheet once each, and render (longest
    first) while the caller goes on, e.g. with the DOCX files."""
    global _CASE, _BUILTS
    tick = lambda name: None  # noqa: E731
    workers = workers or min(len(builts), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        def wait(tick=tick):
            out = []
            for b in builts:
                out.append(write_pdf_bytes(case, b))
                tick(f"{b.stem}.pdf")
            return out
        return wait
    # Each worker imports WeasyPrint and parses the stylesheet itself, on its own core,
    # while the parent goes on with the DOCX files: importing it in the parent before
    # forking would keep one core idle for the half second the import takes.
    _CASE, _BUILTS = case, builts
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_warm,
                                                         initargs=(str(case.templates),))
    finally:
        _CASE = _BUILTS = None  # the workers have their copy
    order = sorted(range(len(builts)), key=lambda i: -len(builts[i].document.text()))
    results = pool.imap_unordered(_pdf_of, order)

    def wait(tick=tick):
        out = [None] * len(builts)
        try:
            for i, data in results:
                out[i] = data
                tick(f"{builts[i].stem}.pdf")
            pool.close()
        finally:
            pool.terminate()
            pool.join()
        return out
    return wait


def pdf_bytes(case, builts) -> list:
    """The PDFs of built trees, on every core when there are several."""
    return start_pdfs(case, builts)()


def render_pack(case, jobs, formats=("docx", "pdf"), workers=None, progress=None) -> dict:
    """{file name: bytes} for every job; PDFs rendered by forked workers."""
    files = {}
    tick = progress or (lambda name: None)
    builts = [build(case, kind, lang, **opts) for kind, lang, opts in jobs]
    from .api import preflight
    preflight(case, builts)  # an error stops the run before anything is written
    # the PDFs start first (forked workers, longest first); the DOCX files are made
    # meanwhile in the parent, so both cores stay busy from the start
    wait = start_pdfs(case, builts, workers) if "pdf" in formats else None
    if "docx" in formats:
        for built in builts:
            files[f"{built.stem}.docx"] = write_docx_bytes(case, built)
            tick(f"{built.stem}.docx")
    if wait is not None:
        for built, data in zip(builts, wait(tick)):
            files[f"{built.stem}.pdf"] = data
    return files
