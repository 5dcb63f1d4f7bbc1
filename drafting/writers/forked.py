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

from drafting.errors import EnvironmentProblem

__all__ = ["can_fork", "Child", "explained"]


def _tmp():
    """The folder of temporary files (TMPDIR): where WeasyPrint writes its font files."""
    from tempfile import gettempdir  # reads a setting, writes nothing
    return gettempdir()


def explained(stem, make, suffix=".pdf"):
    """make(), its OSError (a full disk, a file size limit, a broken pipe) turned into an
    EnvironmentProblem (exit 3) that names the PDF and the path the system refused."""
    try:
        return make()
    except OSError as exc:
        path = exc.filename or _tmp()
        raise EnvironmentProblem(f"cannot make {stem}{suffix}: {exc.strerror or exc}", path=path,
                                 hint="check the free space and limits ('ulimit -f') of the "
                                 "disk holding this folder (TMPDIR)") from None


def can_fork() -> bool:
    """Two cores and a fork that is safe: never on Windows (no fork) nor on macOS, where
    a forked child of a process that loaded system frameworks (as WeasyPrint's libraries
    do) may crash, which is why Python starts processes there by spawn. Without it,
    every caller does its work in this one process, with the same result (pdfs.py,
    validate/check.py; tests/test_machinery.py compares the bytes)."""
    return ((os.cpu_count() or 1) >= 2 and sys.platform != "darwin"
            and "fork" in multiprocessing.get_all_start_methods())


def _stop(signum, frame):
    """SIGTERM in a child: end now. Never raise here: the signal may arrive while a
    finaliser runs (WeasyPrint's FontConfiguration.__del__ removing its temp folder), where
    a SystemExit is printed as "Exception ignored" and swallowed, and the child would go on
    until SIGKILL. Its own children end with it (PR_SET_PDEATHSIG); the parent, which sent
    the signal, has what it needs or reports that the process stopped."""
    os._exit(1)


def _die_with_parent(parent):
    """Linux: this process is killed if its parent ends, however it ends (a worker
    waiting for work would otherwise wait for ever)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _run(send, target, args, parent):
    signal.signal(signal.SIGTERM, _stop)
    _die_with_parent(parent)
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
        try:
            send.close()
        finally:  # even if a signal interrupts the line above
            os._exit(0)  # nothing else of the parent's (atexit handlers, buffers) runs here


# Room in the pipe a child's results come back through (Linux allows 1 MB unprivileged;
# the default is 64 KB). The PDF process forwards each PDF to its caller as it comes:
# with 64 KB it waited on a caller still making DOCX files before it could start the
# next document (0.75 s at 200 proposals, 4.5 s before the DOCX writer was made linear).
PIPE_ROOM = 1 << 20


def _roomy(conn):
    try:
        import fcntl
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_ROOM)
    except (ImportError, AttributeError, OSError):  # not Linux, or a lower limit: as it was
        pass


class Child:
    """A forked process running target(send, *args), which sends (key, value) pairs
    (with `fed=True`, target(send, feed, *args), reading what the caller sends on
    `.feed`).

    `recv()` gives the next pair and raises what the child raised; `conn` can be
    waited on with multiprocessing.connection.wait; `finish()` ends the process and
    runs at exit too, so a caller that fails first leaves nothing running (nor waits
    for it in multiprocessing's own exit handler)."""

    def __init__(self, target, *args, fed=False):
        ctx = multiprocessing.get_context("fork")
        self.conn, send = ctx.Pipe(duplex=False)
        _roomy(send)
        self.feed = None  # fed=True: target(send, feed_end, *args); the caller sends on .feed
        if fed:
            reader, self.feed = ctx.Pipe(duplex=False)
            args = (reader, *args)
        self.process = ctx.Process(target=_run, args=(send, target, args, os.getpid()))
        self.process.start()
        send.close()
        if fed:
            reader.close()
        self._done = False
        atexit.register(self.finish)

    def recv(self):
        try:
            key, value = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(1)
            code = self.process.exitcode
            how = (f"killed by signal {-code}" if code is not None and code < 0 else
                   f"exit status {code}" if code is not None else "still running")
            raise EnvironmentProblem(
                f"the PDF process stopped without a result ({how})", path=_tmp(),
                hint="the machine stopped it: check free memory, the disk holding this "
                "folder (TMPDIR) and limits such as 'ulimit -f'") from None
        if key is None:
            raise value
        return key, value

    def finish(self, wait=0.0):
        """End the process: give it `wait` seconds to end on its own (it has sent what
        it had to), then SIGTERM, then SIGKILL - never an endless wait."""
        if self._done:
            return
        self._done = True
        atexit.unregister(self.finish)
        self.conn.close()
        self.process.join(wait)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
