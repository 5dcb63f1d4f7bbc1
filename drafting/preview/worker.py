"""The preview's slow work - `draft check` and the PDFs - in a process of its own.

The server is threaded (uvicorn's loop, the threads rendering documents), and draft
check forks to use both cores (validate/documents.run_jobs): a fork taken while another
thread holds a lock (the import lock, say) leaves the child waiting for ever. So the
check and the PDFs run in one worker process started by spawn (single-threaded, where
forking is safe), kept warm between refreshes; the documents' HTML, which must come
within half a second, stays in the server and never waits for the check.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

__all__ = ["Worker", "check", "pdf", "jobs"]


def jobs(case) -> dict:
    """{document name: (kind, lang, options)}: the case's pack, reply first."""
    from drafting.documents.build import stem_of
    from drafting.documents.registry import pack_jobs
    langs = [str(lang) for lang in case.brief.languages]  # never empty (load_brief)
    out = {}
    for kind, lang, opts in pack_jobs(case, langs=langs):
        out[stem_of(kind, lang, **opts)] = (kind, lang, opts)
    return out


def load(root, case):
    from drafting.inputs.case import load_case
    c = load_case(Path(root), case)
    c.read_only = True
    return c


def check(root, case) -> dict:
    """draft check's problems, and every document's paragraphs with their sources
    (anchors.sources) to link the problems to."""
    from drafting.documents.build import build
    from drafting.errors import DraftError
    from drafting.preview.anchors import sources
    from drafting.validate.check import check_case
    problems = check_case(Path(root), case)
    paragraphs, memo = {}, {}
    try:
        c = load(root, case)
        for name, (kind, lang, opts) in jobs(c).items():
            try:
                paragraphs[name] = sources(c, build(c, kind, lang, **opts), memo)
            except DraftError:
                paragraphs[name] = []
    except DraftError:
        pass
    return {"problems": problems, "paragraphs": paragraphs}


def pdf(root, case, name):
    """The PDF of document `name` (bytes), None when the case has no such document."""
    from drafting.api import render_files
    c = load(root, case)
    which = jobs(c).get(name)
    if which is None:
        return None
    kind, lang, opts = which
    return next(iter(render_files(c, kind, langs=(lang,), formats=("pdf",), **opts).values()))


def _warm():
    import drafting.validate.check  # noqa: F401 - the imports, before the first change
    return True


class Worker:
    """One spawned process, started on first use (or by `start`), until `close`."""

    def __init__(self):
        self.pool = None

    def start(self):
        if self.pool is None:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self.pool.submit(_warm)
        return self.pool

    async def run(self, fn, *args):
        import asyncio
        from concurrent.futures.process import BrokenProcessPool
        try:
            return await asyncio.wrap_future(self.start().submit(fn, *args))
        except BrokenProcessPool:  # the worker died (killed, out of memory): a new one, once
            self.close()
            return await asyncio.wrap_future(self.start().submit(fn, *args))

    def close(self, wait=True):
        """Stop the worker (after the work it is doing: a check, a PDF)."""
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=True)
            self.pool = None
