"""Work in a forked process: arguments are inherited, not pickled; the child's result
and exceptions come back; a caller that stops early leaves no process behind."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest
from lxml import etree

from drafting.errors import InputError
from drafting.writers import forked

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two cores")


def _count(send, tree):
    send.send(("count", sum(1 for _ in tree.iter())))


def _fail(send, path):
    raise InputError("bad thing", path=path, line=3, hint="fix it")


def test_arguments_are_inherited_not_pickled():
    tree = etree.fromstring("<a><b/><c/></a>")  # an lxml tree cannot be pickled
    child = forked.Child(_count, tree)
    assert child.recv() == ("count", 3)
    child.finish(wait=5)
    assert child.process.exitcode == 0


def test_the_childs_exception_is_raised_in_the_parent():
    child = forked.Child(_fail, "brief.yaml")
    with pytest.raises(InputError) as info:
        child.recv()
    child.finish()
    assert str(info.value) == "brief.yaml:3: bad thing - fix it"


def test_a_caller_that_stops_early_leaves_nothing_running(tmp_path):
    pid_file = tmp_path / "child.pid"
    script = textwrap.dedent(f"""
        import os, sys, time
        from drafting.writers import forked
        def slow(send, path):
            with open(path + ".tmp", "w") as fh:  # whole, before the caller sees it
                fh.write(str(os.getpid()))
            os.replace(path + ".tmp", path)
            time.sleep(60)
        forked.Child(slow, {str(pid_file)!r})
        while not os.path.exists({str(pid_file)!r}):
            time.sleep(0.01)
        sys.exit(2)
    """)
    t = time.monotonic()
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=30)
    assert res.returncode == 2 and time.monotonic() - t < 20, res.stderr
    child = int(pid_file.read_text())
    for _ in range(100):
        if not os.path.exists(f"/proc/{child}") or "Z" in _state(child):
            break
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{child}") or "Z" in _state(child)


def _state(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def _grandparent(send, pid_file):
    grandchild = forked.Child(_sleeper, pid_file)  # noqa: F841 - kept alive by this frame
    send.send(("started", None))
    time.sleep(60)


def _sleeper(send, pid_file):
    with open(pid_file, "w") as fh:
        fh.write(str(os.getpid()))
    time.sleep(60)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
def test_a_child_dies_with_its_parent(tmp_path):
    """A worker whose parent is killed outright does not wait for ever."""
    import signal
    pid_file = tmp_path / "grandchild.pid"
    child = forked.Child(_grandparent, str(pid_file))
    child.recv()
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.02)
    grandchild = int(pid_file.read_text())
    os.kill(child.process.pid, signal.SIGKILL)
    child.finish()
    for _ in range(100):
        if "Z" in _state(grandchild):
            break
        time.sleep(0.05)
    assert "Z" in _state(grandchild)


def test_finish_does_not_wait_for_ever_on_a_child_that_ignores_sigterm():
    t = time.monotonic()
    child = forked.Child(_stubborn)
    child.recv()
    child.finish()
    assert not child.process.is_alive() and time.monotonic() - t < 15


def _stubborn(send):
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    send.send(("ready", None))
    time.sleep(60)
