"""The code stays as ruff is configured to want it (pyproject.toml): a lint error fails CI."""
from __future__ import annotations

import subprocess
import sys

from conftest import CHECKOUT


def test_ruff_is_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "drafting", "tests",
                           "bench", "tools"], cwd=CHECKOUT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
