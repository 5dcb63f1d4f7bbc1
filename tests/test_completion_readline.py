"""Shell completion as a bash user meets it (issue 15, item 5): TAB in an interactive
bash, through readline, with bash's own word splitting (COMP_WORDBREAKS has `=` and
`@`). `--position jo<TAB>` leaves `joint-patrols=` with no space after it, ready for the
position; `draft compare reply.fr@<TAB>` completes the released versions."""
from __future__ import annotations

import os
import select
import shutil
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32",
                                reason="needs bash and a pseudo-terminal")


def _line_after_tab(cwd: Path, typed: str) -> str:
    """The command line as readline leaves it after `typed`, TAB and an X (which shows
    whether the completion ended with a space), in an interactive bash with draft's
    completion turned on as the README says."""
    import pty
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"],
           "PS1": "$ ", "TERM": "dumb", "INPUTRC": "/dev/null"}
    pid, fd = pty.fork()
    if pid == 0:  # the child: an interactive bash in the workspace
        os.chdir(cwd)
        os.execvpe("bash", ["bash", "--norc", "--noprofile", "-i"], env)

    def until(marker: bytes, timeout=60.0) -> bytes:
        out, end = b"", time.time() + timeout
        while marker not in out and time.time() < end:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    out += os.read(fd, 65536)
                except OSError:
                    break
        return out

    try:
        os.write(fd, b'eval "$(_DRAFT_COMPLETE=bash_source draft)"; echo REA""DY\n')
        until(b"READY\r\n$ ")  # the prompt: readline reads the keys from here
        # TAB, then (readline takes keys in order, the completion done) the line as it
        # stands: to its start, made an echo, run
        os.write(fd, typed.encode() + b"\tX\x01echo LINE:\n")
        out = until(b"\r\n$ ").decode(errors="replace")
        os.write(fd, b"exit\n")
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    lines = [x for x in out.replace("\r", "").split("\n") if x.startswith("LINE:")]
    assert lines, out
    return lines[-1][len("LINE:"):]


def test_a_key_completes_with_its_equals_sign_and_no_space(workspace):
    line = _line_after_tab(workspace, "draft reply --position joint-patr")
    assert line.endswith(" joint-patrols=X"), repr(line)  # no space: the position follows
    line = _line_after_tab(workspace, "draft reply --position joint-patrols=accept-w")
    assert line.endswith(" joint-patrols=accept-with-conditions X"), repr(line)


def test_released_versions_complete_after_the_at_sign(project, capsys):
    for position in ("decline", "accept"):
        code, _, err = run_cli(["--root", str(project), "release", "reply", "--lang", "fr",
                                "--format", "docx", "--position",
                                f"joint-patrols={position}"], capsys)
        assert code == 0, err
    line = _line_after_tab(project, "draft compare reply.fr@")
    assert line.endswith(" reply.fr@vX"), repr(line)  # v1 and v2 share it
    line = _line_after_tab(project, "draft compare reply.fr@v1 reply.fr@v2 --si")
    assert line.endswith(" reply.fr@v1 reply.fr@v2 --since X"), repr(line)
    line = _line_after_tab(project, "draft compare reply.fr --since v1 reply.fr@v2")
    assert line.endswith(" reply.fr@v2 X"), repr(line)
