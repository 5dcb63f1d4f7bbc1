"""Work in a forked process while the caller goes on (the second core).

The child inherits its arguments through fork: nothing is pickled on the way in (a
case holds parsed trees and, later, built documents, which cannot be pickled and
would be slow to copy). Results and exceptions come back through a pipe.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys

__all__ = ["can_fork", "spawn", "start"]


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _stop(signum, frame):
    sys.exit(1)  # unwinds: a pool the target opened with `with` terminates its workers


def _child(send, target, args):
    signal.signal(signal.SIGTERM, _stop)
    try:
        target(send, *args)
    except BaseException as exc:  # the parent raises it, as if it had happened there
        try:
            send.send((None, exc))
        except Exception:
            send.send((None, RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
        os._exit(0)  # nothing else of the parent's (atexit handlers, buffers) runs here


def spawn(target, *args):
    """Fork a process running target(send, *args), which sends (key, value) pairs;
    return (receive, finish): receive() gives the next pair and raises what the child
    raised, finish() ends the process."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(send, target, args))
    process.start()
    send.close()
    done = []

    def next_pair():
        try:
            key, value = receive.recv()
        except EOFError:
            raise RuntimeError("the forked process stopped without a result") from None
        if key is None:
            raise value
        return key, value

    def finish():
        if done:
            return
        done.append(True)
        receive.close()
        if process.is_alive():
            process.terminate()
        process.join()
    # a caller that fails before finish() must not leave the child running (or be
    # kept waiting for it at exit); atexit runs this before multiprocessing's own join
    atexit.register(finish)
    return next_pair, finish


def _call(send, func, args):
    send.send(("result", func(*args)))


def start(func, *args):
    """Run func(*args) in a forked process; return wait(), which returns its result.
    Without fork (or with one core), func runs at once, in line."""
    if not can_fork():
        result = func(*args)
        return lambda: result
    next_pair, finish = spawn(_call, func, args)

    def wait():
        try:
            return next_pair()[1]
        finally:
            finish()
    return wait
