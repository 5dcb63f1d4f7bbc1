"""Documents: every kind of the registry builds (StrictUndefined templates) in every
language in use and every variant, the reply's fair copy too, and every kind again for
the widest audience (the leak scan; an internal-only kind must refuse that audience).

The jobs are shared between two processes: this one takes them from the front of the
list, a forked one from the back, until they meet.
"""
from __future__ import annotations

import functools

from drafting.documents.build import build
from drafting.documents.registry import kind_of
from drafting.errors import DraftError
from drafting.validate.leaks import find_leaks, internal_texts
from drafting.validate.problems import Found

__all__ = ["needs_meeting", "document_jobs", "run_jobs"]


def _variants(case, kind):
    """The option sets a kind is built with (the registry's: one per agreement kind)."""
    return kind_of(kind).variants(case)  # [] for the agreements a brief does not ask for


def needs_meeting(kind):
    return kind_of(kind).needs_meeting


def _build(found, case, kind, lang, blocked=(), **opts):
    try:
        return build(case, kind, lang, **opts)
    except DraftError as exc:
        for p in exc.problems:
            if not any(f"'{key}'" in p.problem for key in blocked):
                found.add(p)
    except Exception as exc:  # a bug in a kind is still reported, never a traceback
        found.add(f"{kind}.{lang} does not build: {type(exc).__name__}: {exc}",
                  case.templates / f"{kind}.html.j2", None,
                  hint="run the document's own command with --debug")
    return None


def document_jobs(case, kinds, langs):
    """What the check builds: every kind in every language, the reply's fair copy, and
    every kind again for the widest audience (the leak scan)."""
    from drafting.inputs.brief import AUDIENCES

    wider = [a for a in AUDIENCES if a != "internal"]
    widest = wider[-1] if wider else "external"
    variants = [(kind, opts) for kind in kinds for opts in _variants(case, kind)]
    jobs = [("doc", kind, lang, opts) for kind, opts in variants for lang in langs]
    if "reply" in kinds:  # the fair copy takes another path through the template
        jobs += [("final", "reply", lang, {"final": True}) for lang in langs]
    jobs += [("wider", kind, lang, dict(opts, audience=widest))
             for kind, opts in variants for lang in langs]
    return jobs


def _run_job(case, job, blocked, secrets):
    """(problems, built) of one job; the built tree only for the documents the
    consistency and lifecycle checks read."""
    what, kind, lang, opts = job
    found = Found(case.root)
    if what == "wider" and kind_of(kind).internal_only:
        try:
            built = build(case, kind, lang, **opts)
        except Exception:  # refused, as it must be (or reported by the internal build)
            return list(found), None
        found.add(f"{built.stem} builds for the {opts['audience']} audience, but it is "
                  "internal only", case.templates / f"{kind}.html.j2", None,
                  hint="refuse any audience but internal in its context")
    else:
        built = _build(found, case, kind, lang, blocked=blocked, **opts)
    if what == "wider":
        if built is not None:
            find_leaks(found, built, secrets(), opts["audience"])
        return list(found), None
    return list(found), built if what == "doc" else None


def run_jobs(case, jobs, blocked):
    """Every job's (problems, built), in job order, on both cores: this process takes
    jobs from the front, a forked one from the back, until they meet, so the work is
    shared whatever the documents' sizes. Trees the other process built come back as
    markup (Document pickles that way)."""
    from drafting.writers.forked import Child, can_fork

    secrets = functools.cache(lambda: internal_texts(case))  # computed where needed, once
    if not can_fork() or len(jobs) < 2:
        return [_run_job(case, job, blocked, secrets) for job in jobs]
    import multiprocessing
    ends = multiprocessing.get_context("fork").Array("i", [0, len(jobs) - 1])
    child = Child(_take_from_back, case, jobs, blocked, ends)
    results, theirs = [None] * len(jobs), None
    try:
        for i in _take(ends, front=True):
            results[i] = _run_job(case, jobs[i], blocked, secrets)
        theirs = child.recv()[1]
    finally:
        child.finish(wait=5 if theirs is not None else 0)
    for i, result in theirs.items():
        results[i] = result
    return results


def _take_from_back(send, case, jobs, blocked, ends):
    secrets = functools.cache(lambda: internal_texts(case))
    send.send(("done", {i: _run_job(case, jobs[i], blocked, secrets)
                        for i in _take(ends, front=False)}))


def _take(ends, front):
    """The next job index from the front or the back of the shared [first, last]
    pair, until the two ends meet."""
    while True:
        with ends.get_lock():
            if ends[0] > ends[1]:
                return
            end = 0 if front else 1
            i = ends[end]
            ends[end] = i + 1 if front else i - 1
        yield i
