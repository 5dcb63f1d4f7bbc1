"""Every failure explained (issue 17, item 3): a PDF process that dies or is refused by
the system gives exit 3 with the reason and a path, never a silent exit 1 or an internal
error; a child stopped while a finaliser runs ends at once, without "Exception ignored".
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import time

import pytest
from conftest import run_cli

from drafting.errors import EnvironmentProblem
from drafting.writers import forked

pytestmark = pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two cores")


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))  # ulimit -f 20


@pytest.mark.parametrize("args", [["reply", "--lang", "fr", "--format", "pdf"],
                                  ["reply", "--format", "pdf"]], ids=["one PDF", "PDF process"])
def test_a_file_size_limit_is_exit_3_naming_the_path(args, workspace, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "drafting", "--root", str(workspace), *args,
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          preexec_fn=_limit_file_size, timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert "File too large" in proc.stderr and str(tmp_path) in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert not any(out.glob("*.pdf"))


def _dead(send, feed, *args):
    os._exit(1)


def test_a_dead_pdf_process_is_exit_3_not_a_broken_pipe(workspace, tmp_path, monkeypatch, capsys):
    from drafting.writers import pdfs
    monkeypatch.setattr(pdfs, "_pdf_process",
                        lambda templates, workers: forked.Child(_dead, fed=True))
    monkeypatch.setattr(pdfs, "prepare_pdfs", lambda *a, **k: None)
    code, out, err = run_cli(["--root", str(workspace), "reply", "--format", "pdf",
                              "--out", str(tmp_path / "out")], capsys)
    assert code == 3, err
    assert "PDF process" in err and "exit status 1" in err, err
    assert "Traceback" not in err


def _slow_finaliser(send):
    class Slow:
        def __del__(self):
            send.send(("in", "finaliser"))
            time.sleep(20)

    x = Slow()
    del x


def test_a_child_stopped_inside_a_finaliser_ends_at_once():
    child = forked.Child(_slow_finaliser)
    assert child.recv() == ("in", "finaliser")
    started = time.monotonic()
    child.finish()
    assert time.monotonic() - started < 2, "the child waited for SIGKILL"
    assert child.process.exitcode == 1  # its own exit, not SIGKILL


def test_a_child_that_stops_without_a_result_is_an_environment_problem():
    child = forked.Child(lambda send: os._exit(9))
    with pytest.raises(EnvironmentProblem) as info:
        child.recv()
    child.finish()
    assert "stopped without a result (exit status 9)" in str(info.value)
