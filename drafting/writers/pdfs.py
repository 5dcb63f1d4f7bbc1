"""The PDF process: PDFs rendered on every core while the caller goes on.

WeasyPrint takes half a second to import and most of a run's time to lay out. One
forked process imports it and parses the stylesheet once - started as early as the
command knows it will write several PDFs, so the import overlaps loading the case and
building the trees. It is then sent the built documents (as markup), renders the
shortest itself when there are more documents than workers (fonts loaded, caches
warm), and forks the processes that render the rest, which share what it loaded:
long documents each in a process of their own that gives its memory back when it
ends, the others in workers that live for the run. Longest first, and never more
text laid out at once than RENDER_BUDGET.
"""
from __future__ import annotations

import gc
import os
import pickle

from drafting.errors import EnvironmentProblem
from drafting.writers import forked
from drafting.writers.forked import Child, explained
from drafting.writers.memory import give_back

__all__ = ["prepare_pdfs", "start_pdfs", "discard_prepared", "admit"]

# Characters of text laid out at once across the workers. WeasyPrint holds a
# document's whole layout until its PDF is written, about 0.45 MB per 1,000
# characters: two 80-page documents side by side would double the peak, so a large
# one waits while smaller ones go ahead. A document of the default case is 2-20,000.
RENDER_BUDGET = 300_000

# A document this long is rendered in a process of its own, which gives its memory
# back when it ends (forking one costs about 60 ms, nothing beside such a layout);
# shorter ones go to workers that live for the whole run.
OWN_PROCESS = 50_000

# A render that is not the longest left runs at this lower priority (os.nice) when the
# run has a document long enough for a process of its own: the longest documents are
# the run's critical path (two of them render one after the other, RENDER_BUDGET), and
# the others, with room to spare on the other core, no longer take their CPU.
BESIDE = 10

_READY: dict = {}  # templates folder -> a PDF process started early, not yet sent work

# in the PDF process and its children: what they render, each document pickled (its
# markup): a child reads back only its own tree, so the PDF process does not hold every
# tree (15 MB at 200 proposals) under its children, and no time goes to reading them all
# before the first child starts
_WORK: list = []
_TEMPLATES = None


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


def _write_pdf(built) -> bytes:
    from drafting.writers.pdf import write_pdf
    return write_pdf(built.document, _TEMPLATES)


def _render(send, i, beside=False):
    """Render document i; `beside`: at the lower priority of a render beside a longer one."""
    if beside:
        _lower()
    built = pickle.loads(_WORK[i])
    send.send((i, explained(built.stem, lambda: _write_pdf(built))))


def _work(send, tasks, beside=False):
    """A worker that lives for the run: render each document index it is given
    (`beside`: all at the lower priority of renders beside a longer one)."""
    if beside:
        _lower()
    for i in iter(tasks.recv, None):
        _render(send, i)
        give_back()


def _lower():
    try:
        os.nice(BESIDE)
    except OSError:
        pass


def _serve(send, work, workers, templates):
    """The PDF process (see the module's docstring); what the system refuses it (a temp
    font file past 'ulimit -f', a full TMPDIR) comes back explained."""
    explained("the PDFs", lambda: _serve_all(send, work, workers, templates), suffix="")


def _serve_all(send, work, workers, templates):
    global _WORK, _TEMPLATES
    from multiprocessing.connection import wait
    from pathlib import Path

    from drafting.writers import pdf as _pdf
    _TEMPLATES = Path(templates)
    _pdf._shared(_TEMPLATES)
    sizes, _WORK = work.recv()
    if not _WORK:
        return
    workers = min(workers, len(_WORK))
    pending = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    if len(pending) > workers:  # warm up on the shortest, which every later child inherits
        _render(send, pending.pop())
    gc.freeze()  # the collector would write to every inherited object: pages stay shared
    idle, pool, running = [], [], {}  # running: connection -> (document, worker or child)
    long_run = max(sizes) >= OWN_PROCESS  # the workers' documents are never the longest
    try:
        while pending or running:
            for i in admit(pending, [i for i, _ in running.values()], sizes, workers):
                pending.remove(i)
                if sizes[i] >= OWN_PROCESS:
                    longest = max(sizes[j] for j in [*pending, *(j for j, _ in running.values())]
                                  ) if pending or running else 0
                    who = Child(_render, i, sizes[i] < longest)
                else:
                    if not idle:
                        pool.append(Child(_work, long_run, fed=True))
                        idle.append(pool[-1])
                    who = idle.pop()
                    try:
                        who.feed.send(i)
                    except OSError:  # the worker died: what it raised, or why it stopped
                        who.recv()
                        raise
                running[who.conn] = (i, who)
            for conn in wait(list(running)):
                i, who = running.pop(conn)
                send.send(who.recv())
                if who in pool:
                    idle.append(who)
                else:
                    who.finish(wait=5)  # it ends once it has sent its PDF
            if idle and all(sizes[i] >= OWN_PROCESS for i in pending):
                for worker in idle:  # nothing left it would take: its memory goes now
                    worker.feed.send(None)
                    worker.finish(wait=5)
                    pool.remove(worker)
                idle.clear()
        for worker in pool:
            worker.feed.send(None)
        for worker in pool:
            worker.finish(wait=5)
    finally:
        for who in [*(w for _, w in running.values()), *pool]:
            who.finish()


def _pdf_process(templates, workers):
    return Child(_serve, workers, str(templates), fed=True)  # fed the documents later


def prepare_pdfs(templates, workers=None) -> None:
    """Start the PDF process now, for the next start_pdfs() with these templates: it
    loads WeasyPrint while the caller loads the case and builds the documents. Unused,
    it ends with the run."""
    workers = workers or os.cpu_count() or 1
    if workers >= 2 and forked.can_fork() and str(templates) not in _READY:
        _READY[str(templates)] = _pdf_process(templates, workers)


def discard_prepared() -> None:
    """End the PDF processes prepared but not used (the run stopped before its PDFs)."""
    while _READY:
        _READY.popitem()[1].finish()


def start_pdfs(case, builts, workers=None):
    """Start rendering the PDFs of built trees and return `wait(tick=None)`, which
    returns them in order: in the PDF process (prepared, or started now) when there
    are several PDFs and cores, else one after the other when waited for."""
    from drafting.writers import pdf_bytes as write_pdf_bytes

    tick = lambda name: None  # noqa: E731
    workers = workers or min(len(builts), os.cpu_count() or 1)
    ready = _READY.pop(str(case.templates), None)
    if workers < 2 or len(builts) < 2 or not forked.can_fork():
        if ready is not None:
            ready.finish()

        def wait(tick=tick):
            out = []
            for b in builts:
                out.append(write_pdf_bytes(case, b))
                tick(f"{b.stem}.pdf")
            return out
        return wait
    server = ready or _pdf_process(case.templates, workers)
    try:
        server.feed.send(([len(b.document.text()) for b in builts],
                          [pickle.dumps(b, pickle.HIGHEST_PROTOCOL) for b in builts]))
    except OSError:  # it died before it was given the documents (BrokenPipeError)
        try:
            server.recv()  # what it raised, if it said so; else why it stopped
        finally:
            server.finish()
        raise EnvironmentProblem("the PDF process stopped before it was given the documents",
                                 path=forked._tmp(), hint="check free memory and the disk "
                                 "holding this folder (TMPDIR)") from None

    def wait(tick=tick):
        out, got = [None] * len(builts), 0
        try:
            for _ in builts:
                i, data = server.recv()
                out[i] = data
                got += 1
                tick(f"{builts[i].stem}.pdf")
        finally:  # all sent: it is ending its workers and itself; else stop it now
            server.finish(wait=5 if got == len(builts) else 0)
        return out
    return wait
