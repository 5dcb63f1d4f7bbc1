"""Every command has help text with an example and is documented in the README
(after sqlite-utils' tests/test_docs.py); the README opens with the two commands."""
from __future__ import annotations

import pytest
from conftest import CHECKOUT

from drafting.cli import main

README = (CHECKOUT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_and_example(name):
    cmd = main.commands[name]
    assert cmd.help and len(cmd.help) > 20, name
    assert cmd.epilog and "draft " in cmd.epilog, f"{name}: no example in its help"


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name):
    assert f"`draft {name}" in README, f"draft {name} is not documented in README.md"


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("draft reply") and "pip install" in block[0]
    assert "pytest" in block[1] and "pip install" in block[1]
    ci = (CHECKOUT / ".ci" / "run").read_text()
    assert block[1] in ci
