"""Workspaces: `draft init`, finding the workspace from the current folder or --root, and
the embedded case (read-only, output in ./output) when there is none."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import docx_text, edit, run_cli

from drafting.inputs.case import DEFAULT_CASE
from drafting.inputs.workspace import embedded, find_workspace, is_workspace, locate, templates_for

EXAMPLE = ("letter.yaml", "letter.txt", "brief.yaml", "meeting.yaml")
DOCX_FR = ["--lang", "fr", "--format", "docx"]


def draft(*args, capsys):
    """`draft ARGS` in-process: (exit status, stdout, stderr)."""
    return run_cli(args, capsys)


def snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if "__pycache__" not in p.parts}


@pytest.fixture
def nowhere(tmp_path, monkeypatch):
    """The current folder is an empty folder outside any workspace."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    assert find_workspace(folder) is None, "a folder above the test's tmp_path is a workspace"
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def made(tmp_path, capsys):
    """A workspace made by `draft init` (not the shared one of conftest)."""
    folder = tmp_path / "team" / "ws"
    code, out, err = draft("init", folder, capsys=capsys)
    assert code == 0, err
    return folder


def test_init_makes_a_workspace(tmp_path, capsys):
    folder = tmp_path / "new" / "ws"  # parents made too
    code, out, err = draft("init", folder, capsys=capsys)
    assert code == 0, err
    assert is_workspace(folder)
    case = folder / "letters" / DEFAULT_CASE
    for name in EXAMPLE:
        assert (case / name).read_bytes() == (embedded() / "letters" / DEFAULT_CASE / name).read_bytes()
    # the team's history in a checkout's example case is not part of the example
    assert not (case / "released").exists() and not (case / "signoffs.yaml").exists()
    shipped = sorted(str(p.relative_to(embedded() / "clauses"))
                     for p in (embedded() / "clauses").rglob("*.yaml"))
    copied = sorted(str(p.relative_to(folder / "clauses")) for p in (folder / "clauses").rglob("*.yaml"))
    assert copied == shipped and "agreements/readmission.yaml" in copied
    assert not (folder / "templates").exists()  # the shipped templates are used
    assert templates_for(folder) == embedded() / "templates"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for words in ("letters/", "clauses/", "templates/", "draft reply", "draft pack", "draft check"):
        assert words in readme
    assert "output/" in (folder / ".gitignore").read_text(encoding="utf-8").split()
    assert not [p for p in folder.rglob("*") if p.name.endswith(".draft-tmp")]
    assert f"cd {folder} && draft reply" in out


def test_init_with_templates_copies_them_and_they_are_used(tmp_path, capsys):
    folder = tmp_path / "ws"
    assert draft("init", folder, "--templates", capsys=capsys)[0] == 0
    assert (folder / "templates" / "reference.docx").is_file()
    assert (folder / "templates" / "fonts" / "SourceSansPro-Regular.ttf").is_file()
    assert templates_for(folder) == folder / "templates"


def test_init_refuses_a_workspace(made, capsys):
    before = snapshot(made)
    code, out, err = draft("init", made, capsys=capsys)
    assert code == 2
    assert err.strip() == (f"{made}: already a draft workspace - use it as it is "
                           f"(cd {made}), or choose a new folder for 'draft init'")
    assert snapshot(made) == before


def test_init_in_a_folder_in_use_keeps_its_files(tmp_path, capsys):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("our project\n", encoding="utf-8")
    (folder / ".gitignore").write_text("*.pyc", encoding="utf-8")
    assert draft("init", folder, capsys=capsys)[0] == 0
    assert (folder / "README.md").read_text(encoding="utf-8") == "our project\n"
    assert (folder / ".gitignore").read_text(encoding="utf-8").split() == [
        "*.pyc", "#", "generated", "documents:", "draft", "makes", "them", "again", "output/"]
    assert is_workspace(folder)


def test_pack_inside_a_workspace(made, monkeypatch, capsys):
    monkeypatch.chdir(made / "letters" / DEFAULT_CASE)  # found from a folder below
    code, out, err = draft("pack", "--format", "docx", capsys=capsys)
    assert code == 0, err
    assert out.strip().splitlines()[-1] == f"12 files in {made.resolve() / 'output'}"
    assert (made / "output" / "reply.fr.docx").is_file()
    assert (made / "output" / "agreement-readmission.en.docx").is_file()


def test_commands_use_the_workspace_not_the_embedded_case(made, monkeypatch, capsys):
    """An edit to the workspace's library reaches the reply: its clauses are read."""
    marker = "pleinement et joyeusement déterminé"
    edit(made / "clauses" / "closing.yaml", "pleinement déterminé", marker)
    monkeypatch.chdir(made)
    code, out, err = draft("reply", *DOCX_FR, capsys=capsys)
    assert code == 0, err
    body = docx_text(made / "output" / "reply.fr.docx")
    assert marker in body
    from drafting import load_case
    case = load_case()  # the library API finds the same workspace
    assert case.root == made.resolve() and not case.read_only


def test_root_that_is_not_a_workspace(tmp_path, capsys):
    plain = tmp_path / "plain"
    plain.mkdir()
    for args in (["reply", *DOCX_FR], ["clauses"], ["check"], ["release", "reply"]):
        code, out, err = draft("--root", plain, *args, capsys=capsys)
        assert code == 2, (args, err)
        assert err.strip() == (f"{plain}: not a draft workspace (no letters/ or clauses/) - "
                               f"run 'draft init {plain}' or pass --root")
        assert "Traceback" not in err and out == ""
    assert list(plain.iterdir()) == []
    missing = tmp_path / "missing"
    code, _, err = draft("--root", missing, "reply", capsys=capsys)
    assert code == 2 and err.startswith(f"{missing}: not a draft workspace")
    assert not missing.exists()


def test_root_names_a_workspace_from_anywhere(made, nowhere, capsys):
    code, out, err = draft("--root", made, "reply", *DOCX_FR, capsys=capsys)
    assert code == 0, err
    assert out.split() == [str(made / "output" / "reply.fr.docx")]
    assert not (nowhere / "output").exists()


def test_no_workspace_uses_the_embedded_case_and_writes_here(nowhere, capsys):
    data = embedded()
    before = snapshot(data / "letters") | snapshot(data / "clauses")
    code, out, err = draft("reply", *DOCX_FR, capsys=capsys)
    assert code == 0, err
    assert out.split() == [str(nowhere / "output" / "reply.fr.docx")]
    body = docx_text(nowhere / "output" / "reply.fr.docx")
    assert "Premier ministre" in body
    code, out, err = draft("clauses", capsys=capsys)
    assert code == 0, err
    keys = [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]
    assert "joint-patrols" in keys and len(keys) >= 10
    code, out, err = draft("proposals", capsys=capsys)
    assert code == 0 and "joint-patrols" in out, err
    assert (snapshot(data / "letters") | snapshot(data / "clauses")) == before
    where = locate()
    assert where.embedded and where.root == data and where.output == nowhere / "output"
    from drafting import load_case
    case = load_case()
    assert case.read_only and case.root == data and case.templates == data / "templates"


@pytest.mark.parametrize("command", [
    ["release", "reply"],
    ["signoff", "reply", "--by", "desk", "--name", "Test"],
    ["absorb", "reply.fr.docx"],
    ["ingest", "letter.txt"],
])
def test_writing_commands_refuse_without_a_workspace(nowhere, command, capsys):
    (nowhere / "letter.txt").write_text("Monsieur le Président,\n", encoding="utf-8")
    (nowhere / "reply.fr.docx").write_bytes(b"")
    data = embedded()
    before = snapshot(data / "letters") | snapshot(data / "clauses")
    code, out, err = draft(*command, capsys=capsys)
    assert code == 2, err
    name = command[0]
    assert err.strip() == (f"{name}: no draft workspace in {nowhere} or above, and the built-in "
                           f"example case is read-only - run 'draft init DIR', then 'cd DIR' and "
                           f"'draft {name}' there (or pass --root DIR)")
    assert "Traceback" not in err
    assert (snapshot(data / "letters") | snapshot(data / "clauses")) == before
    assert sorted(os.listdir(nowhere)) == ["letter.txt", "reply.fr.docx"]


def test_a_workspace_needs_letters_and_clauses(tmp_path):
    (tmp_path / "letters").mkdir()
    assert not is_workspace(tmp_path)
    (tmp_path / "clauses").mkdir()
    assert is_workspace(tmp_path)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_workspace(deep) == tmp_path.resolve()
    assert locate(start=deep).root == tmp_path.resolve()
