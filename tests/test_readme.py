"""The README's command blocks run as written, in a temporary workspace: a drafter who
copies them gets what they say, and the checkout is never touched."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CHECKOUT

README = (CHECKOUT / "README.md").read_text(encoding="utf-8")
# the first block installs the tool and runs the tests (.ci/run runs it): not run here
BLOCKS = re.findall(r"```(sh|python)\n(.*?)```", README, re.S)[1:]


def _env():
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _bash(script, cwd):
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=_env(),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def readme_workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme") / "ws"
    done = subprocess.run([sys.executable, "-m", "drafting", "init", str(folder)], env=_env(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


def test_the_readme_has_the_blocks_this_test_runs():
    kinds = [k for k, _ in BLOCKS]
    assert kinds.count("sh") >= 3 and kinds.count("python") >= 1
    assert all("draft " in body for k, body in BLOCKS if k == "sh")


def test_every_sh_block_runs_in_a_workspace(readme_workspace, tmp_path):
    for kind, body in BLOCKS:
        if kind != "sh":
            continue
        # a block that makes a workspace runs in an empty folder; the others in one
        cwd = tmp_path if "draft init" in body else readme_workspace
        done = _bash(body, cwd)
        assert done.returncode == 0, f"README block failed:\n{body}\n{done.stderr}"
    out = readme_workspace / "output"
    for name in ("reply.fr.docx", "reply.fr.pdf", "reply.fr.v1-v2.redline.docx",
                 "agreement-readmission.uk-copy.mou.fr.docx"):
        assert (out / name).stat().st_size > 1000, name
    released = readme_workspace / "letters" / "2021-11-25-uk-pm" / "released" / "reply.fr"
    assert sorted(p.name for p in released.iterdir()) == ["v1", "v2"]
    made = tmp_path / "calais-2022"
    assert (made / "output" / "reply.fr.pdf").exists()
    assert (made / ".gitignore").read_text().count("output/") == 1


def test_the_python_block_runs(readme_workspace):
    code = next(body for kind, body in BLOCKS if kind == "python")
    code += "\nassert files and all(isinstance(v, bytes) and v for v in files.values()), files\n"
    code += "print(sorted(files))\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=readme_workspace, env=_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "reply.fr.docx" in done.stdout
