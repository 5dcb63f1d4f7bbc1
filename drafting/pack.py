"""Every document of a case in one run, on both cores.

Trees and DOCX files are cheap and made in the parent. PDF rendering is what costs:
the parent forks one PDF process, which imports WeasyPrint and parses the stylesheet
once, then forks a process per document (sharing what it loaded), two at a time,
while the parent writes the DOCX files.
"""
from __future__ import annotations

import gc
import os

from .api import build, write_docx_bytes, write_pdf_bytes
from .forked import Child, can_fork
from .memory import give_back

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


# A document this long is rendered in a process of its own, which gives its memory
# back when it ends (forking one costs about 60 ms, nothing beside such a layout);
# shorter ones go to workers that live for the whole run.
OWN_PROCESS = 50_000


def _render(send, i):
    send.send((i, write_pdf_bytes(_CASE, _BUILTS[i])))


def _work(send, tasks):
    """A worker that lives for the run: render each document index it is given."""
    for i in iter(tasks.recv, None):
        _render(send, i)
        give_back()


class _Worker:
    def __init__(self):
        import multiprocessing
        self.tasks, tasks_out = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.child = Child(_work, self.tasks)
        self.tasks_out = tasks_out
        self.conn = self.child.conn


def _serve(send, sizes, workers, templates):
    """The PDF process: import WeasyPrint and parse the stylesheet once, render the
    shortest document (fonts loaded, caches warm), then fork the processes that render
    the rest, sharing what was loaded; pass each PDF on to the parent. Longest first,
    within RENDER_BUDGET; long documents in a process of their own (OWN_PROCESS)."""
    from multiprocessing.connection import wait
    from pathlib import Path

    from .writers import pdf as _pdf
    _pdf._shared(Path(templates))
    pending = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    _render(send, pending.pop())
    gc.freeze()  # the collector would write to every inherited object: pages stay shared
    idle, pool, running = [], [], {}  # running: connection -> (document, one-shot child)
    try:
        while pending or running:
            for i in admit(pending, [i for i, _ in running.values()], sizes, workers):
                pending.remove(i)
                if sizes[i] >= OWN_PROCESS:
                    child = Child(_render, i)
                    running[child.conn] = (i, child)
                    continue
                if not idle:
                    idle.append(_Worker())
                    pool.append(idle[-1])
                worker = idle.pop()
                worker.tasks_out.send(i)
                running[worker.conn] = (i, worker)
            for conn in wait(list(running)):
                i, who = running.pop(conn)
                child = who.child if isinstance(who, _Worker) else who
                try:
                    send.send(child.recv())
                finally:
                    if isinstance(who, _Worker):
                        idle.append(who)
                    else:
                        child.finish()
        for worker in pool:
            worker.tasks_out.send(None)
    finally:
        for _, who in running.values():
            (who.child if isinstance(who, _Worker) else who).finish()
        for worker in pool:
            worker.child.finish()


def start_pdfs(case, builts, workers=None):
    """Start rendering the PDFs of built trees and return `wait(tick=None)`, which
    returns them in order.

    With several PDFs and cores, one forked process imports WeasyPrint and parses the
    stylesheet (half a second) while the caller goes on, e.g. with the DOCX files, on
    the other core; it then forks a process per document, which shares what it loaded
    (paid once, in time and in memory), longest first."""
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
        server = Child(_serve, sizes, workers, str(case.templates))
    finally:
        _CASE = _BUILTS = None  # the PDF process has its copy

    def wait(tick=tick):
        out = [None] * len(builts)
        try:
            for _ in builts:
                i, data = server.recv()
                out[i] = data
                tick(f"{builts[i].stem}.pdf")
        finally:
            server.finish()
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
        give_back()  # the parent waits for the PDFs at its smallest
    if wait is not None:
        for built, data in zip(builts, wait(tick)):
            files[f"{built.stem}.pdf"] = data
    return files
