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

__all__ = ["can_fork", "Child", "start"]


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def _stop(signum, frame):
    sys.exit(1)  # unwinds, so the target's own clean-up (finally, with) runs


def _run(send, target, args):
    signal.signal(signal.SIGTERM, _stop)
    try:
        target(send, *args)
    except BaseException as exc:  # the parent raises it, as if it had happened there
        try:
            send.send((None, exc))
        except Exception:
            try:
                send.send((None, RuntimeError(f"{type(exc).__name__}: {exc}")))
            except Exception:
                pass
    finally:
        send.close()
        os._exit(0)  # nothing else of the parent's (atexit handlers, buffers) runs here


class Child:
    """A forked process running target(send, *args), which sends (key, value) pairs.

    `recv()` gives the next pair and raises what the child raised; `conn` can be
    waited on with multiprocessing.connection.wait; `finish()` ends the process and
    runs at exit too, so a caller that fails first leaves nothing running (nor waits
    for it in multiprocessing's own exit handler)."""

    def __init__(self, target, *args):
        ctx = multiprocessing.get_context("fork")
        self.conn, send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_run, args=(send, target, args))
        self.process.start()
        send.close()
        self._done = False
        atexit.register(self.finish)

    def recv(self):
        try:
            key, value = self.conn.recv()
        except EOFError:
            raise RuntimeError("the forked process stopped without a result") from None
        if key is None:
            raise value
        return key, value

    def finish(self):
        if self._done:
            return
        self._done = True
        atexit.unregister(self.finish)
        self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()


def _call(send, func, args):
    send.send(("result", func(*args)))


def start(func, *args):
    """Run func(*args) in a forked process; return wait(), which returns its result.
    Without fork (or with one core), func runs at once, in line."""
    if not can_fork():
        result = func(*args)
        return lambda: result
    child = Child(_call, func, args)

    def wait():
        try:
            return child.recv()[1]
        finally:
            child.finish()
    return wait
