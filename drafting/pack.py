"""Every document of a case in one run, on both cores.

Trees and DOCX files are cheap and made in the parent. PDF rendering is what costs:
the parent forks one PDF process, which imports WeasyPrint and parses the stylesheet
once, then forks workers that share it and render the PDFs in parallel, while the
parent writes the DOCX files.
"""
from __future__ import annotations

import gc
import multiprocessing
import os

from .api import build, write_docx_bytes, write_pdf_bytes
from .forked import can_fork, spawn

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


_BUILTS = None  # the trees the forked PDF processes of start_pdfs() inherit


def _pdf_of(i):
    return i, write_pdf_bytes(_CASE, _BUILTS[i])


# Characters of text laid out at once across the workers. WeasyPrint holds a
# document's whole layout until its PDF is written, about 0.45 MB per 1,000
# characters: two 80-page documents side by side would double the peak, so a large
# one waits while smaller ones go ahead. A document of the default case is 2-20,000.
RENDER_BUDGET = 300_000


def admit(pending, running, sizes, workers, budget=None) -> list:
    """Which pending documents (longest first) start now: while a worker is free and
    the text laid out at once stays within the budget; with nothing running, the
    longest starts whatever its size."""
    budget = RENDER_BUDGET if budget is None else budget
    load = sum(sizes[i] for i in running)
    free = workers - len(running)
    start = []
    for i in pending:
        if free <= 0:
            break
        if (running or start) and load + sizes[i] > budget:
            continue
        start.append(i)
        load += sizes[i]
        free -= 1
    return start


def _serve(send, sizes, workers, templates):
    """The PDF process: import WeasyPrint and parse the stylesheet once, then fork the
    workers, which share those pages, and send each PDF on to the parent. Longest
    first, within RENDER_BUDGET (one document at a time may exceed it)."""
    import queue
    from pathlib import Path

    from .writers import pdf as _pdf
    _pdf._shared(Path(templates))
    gc.freeze()  # the collector would write to every inherited object: pages stay shared
    with multiprocessing.get_context("fork").Pool(workers) as pool:  # terminated on exit
        done = queue.SimpleQueue()
        pending = sorted(range(len(sizes)), key=lambda i: -sizes[i])
        running = set()
        while pending or running:
            for i in admit(pending, running, sizes, workers):
                pending.remove(i)
                running.add(i)
                pool.apply_async(_pdf_of, (i,), callback=done.put, error_callback=done.put)
            result = done.get()
            if isinstance(result, BaseException):
                raise result
            running.discard(result[0])
            send.send(result)


def start_pdfs(case, builts, workers=None):
    """Start rendering the PDFs of built trees and return `wait(tick=None)`, which
    returns them in order.

    With several PDFs and cores, one forked process imports WeasyPrint and parses the
    stylesheet (half a second) while the caller goes on, e.g. with the DOCX files, on
    the other core; it then forks the workers, which share what it loaded (paid once,
    in time and in memory) and render longest first."""
    global _CASE, _BUILTS
    tick = lambda name: None  # noqa: E731
    workers = workers or min(len(builts), os.cpu_count() or 1)
    if workers < 2 or not can_fork():
        def wait(tick=tick):
            out = []
            for b in builts:
                out.append(write_pdf_bytes(case, b))
                tick(f"{b.stem}.pdf")
            return out
        return wait
    sizes = [len(b.document.text()) for b in builts]
    _CASE, _BUILTS = case, builts
    try:
        next_pdf, finish = spawn(_serve, sizes, workers, str(case.templates))
    finally:
        _CASE = _BUILTS = None  # the PDF process has its copy

    def wait(tick=tick):
        out = [None] * len(builts)
        try:
            for _ in builts:
                i, data = next_pdf()
                out[i] = data
                tick(f"{builts[i].stem}.pdf")
        finally:
            finish()
        return out
    return wait


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
