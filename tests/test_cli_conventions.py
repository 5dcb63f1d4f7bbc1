"""The command-line conventions a user expects (issue 15, item 5): --version, shell
completion of the workspace's names, exit codes as the README's table says, Ctrl-C,
check --json's documented codes, --quiet/--verbose, a CSV a French spreadsheet opens."""
from __future__ import annotations

import csv
import errno
import io
import re
from pathlib import Path

import pytest
from conftest import CHECKOUT, edit, fingerprint, run_cli

README = (CHECKOUT / "README.md").read_text(encoding="utf-8")


# -- --version ------------------------------------------------------------------------------

def test_version(capsys):
    from drafting import __version__
    for flag in ("--version", "-V"):
        code, out, _ = run_cli([flag], capsys)
        assert code == 0 and out.strip() == f"draft {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


# -- completion ------------------------------------------------------------------------------

def _complete(root, args, incomplete=""):
    from click.shell_completion import BashComplete

    from drafting.cli import main
    comp = BashComplete(main, {}, "draft", "_DRAFT_COMPLETE")
    return [c.value for c in comp.get_completions(["--root", str(root), *args], incomplete)]


def _positions(root, key):
    """The positions of clause KEY, read from its file (not through the code under test)."""
    from ruamel.yaml import YAML
    data = YAML(typ="safe").load((Path(root) / "clauses" / f"{key}.yaml").read_text(encoding="utf-8"))
    return list(data["positions"])


def test_completion_scripts_for_bash_zsh_fish():
    from click.shell_completion import get_completion_class

    from drafting.cli import main
    for shell in ("bash", "zsh", "fish"):
        source = get_completion_class(shell)(main, {}, "draft", "_DRAFT_COMPLETE").source()
        assert "_DRAFT_COMPLETE" in source and f"{shell}_complete" in source
        assert f"_DRAFT_COMPLETE={shell}_source draft" in README  # documented


def test_bash_completes_a_position_after_its_equals_sign(workspace):
    """In bash itself: bash splits `joint-patrols=acc` at the `=`; the completion still
    offers the positions, as the part of the word after the `=`."""
    import os
    import subprocess
    import sys
    script = """eval "$(_DRAFT_COMPLETE=bash_source draft)"
t() { COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _draft_completion draft
      printf '%s|' "${COMPREPLY[@]}"; echo; }
t draft reply --position joint-patrols = acc
t draft reply --position joint-patrols =
t draft agreement ''
"""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    done = subprocess.run(["bash", "-c", script], cwd=workspace, env=env, capture_output=True,
                          text=True, timeout=60)
    lines = done.stdout.splitlines()
    positions = _positions(workspace, "joint-patrols")
    assert lines[0].split("|")[:-1] == [p for p in positions if p.startswith("acc")], done.stderr
    assert lines[1].split("|")[:-1] == positions
    assert lines[2].split("|")[:-1] == _complete(workspace, ["agreement"])


def test_completes_case_names(workspace):
    cases = sorted(p.parent.name for p in (workspace / "letters").glob("*/letter.yaml"))
    assert len(cases) >= 2
    for args in (["reply", "--case"], ["check", "--case"], ["versions", "--case"],
                 ["set", "position", "--case"], ["proposals", "--case"]):
        assert _complete(workspace, args) == cases, args
    assert _complete(workspace, ["reply", "--case"], cases[1][:12]) == \
        [c for c in cases if c.startswith(cases[1][:12])]


def test_completes_document_and_agreement_kinds(workspace):
    from drafting.documents.registry import names
    assert _complete(workspace, ["document"]) == list(names())
    assert "annotated-agenda" in _complete(workspace, ["document"], "ann")
    kinds = sorted(p.stem for p in (workspace / "clauses" / "agreements").glob("*.yaml")
                   if p.stem != "common")
    assert kinds and _complete(workspace, ["agreement"]) == kinds
    release_kinds = _complete(workspace, ["release"])
    assert "reply" in release_kinds and "agreement" not in release_kinds
    assert [f"agreement-{k}" for k in kinds] == [k for k in release_kinds if k.startswith("agreement")]
    assert _complete(workspace, ["signoff"], "agreement-r") == ["agreement-readmission"]


def test_completes_positions_for_a_key(workspace):
    from drafting.inputs.letter import load_letter
    keys = [p.key for p in load_letter(workspace / "letters" / "2021-11-25-uk-pm").proposals]
    assert _complete(workspace, ["reply", "--position"]) == [f"{k}=" for k in keys]
    assert _complete(workspace, ["reply", "--position"], "joint") == ["joint-patrols="]
    expected = _positions(workspace, "joint-patrols")
    assert len(expected) >= 3
    assert _complete(workspace, ["reply", "--position"], "joint-patrols=") == \
        [f"joint-patrols={p}" for p in expected]
    assert _complete(workspace, ["check", "--position"], "joint-patrols=accept-w") == \
        ["joint-patrols=accept-with-conditions"]
    # draft set position KEY POSITION
    assert _complete(workspace, ["set", "position"], "joint") == ["joint-patrols"]
    assert _complete(workspace, ["set", "position", "joint-patrols"]) == expected
    assert _complete(workspace, ["set", "position", "no-such-proposal"]) == []


def test_completes_the_positions_of_a_cases_own_clause(project, capsys):
    code, _, err = run_cli(["--root", str(project), "clause", "new", "ferry-links",
                            "--positions", "accept,decline"], capsys)
    assert code == 0, err
    assert (project / "letters" / "2021-11-25-uk-pm" / "clauses" / "ferry-links.yaml").is_file()
    assert _complete(project, ["set", "position", "ferry-links"]) == ["accept", "decline"]
    assert _complete(project, ["reply", "--position"], "ferry-links=d") == ["ferry-links=decline"]


def test_completes_released_versions(project, capsys):
    assert _complete(project, ["compare"]) == []  # nothing released yet
    code, _, err = run_cli(["--root", str(project), "release", "reply", "--lang", "fr",
                            "--format", "docx"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["--root", str(project), "set", "position", "joint-patrols", "accept"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["--root", str(project), "release", "reply", "--lang", "fr",
                            "--format", "docx"], capsys)
    assert code == 0, err
    released = sorted(p.relative_to(project / "letters" / "2021-11-25-uk-pm" / "released")
                      for p in (project / "letters" / "2021-11-25-uk-pm" / "released").glob("*/v*"))
    specs = [f"{p.parent}@{p.name}" for p in released]
    assert specs == ["reply.fr@v1", "reply.fr@v2"]
    assert _complete(project, ["compare"], "reply.fr@") == specs
    assert _complete(project, ["compare", "reply.fr@v1"], "reply") == ["reply.fr", *specs]
    assert _complete(project, ["compare", "reply.fr", "--since"]) == ["v1", "v2"]


def test_completion_never_fails(tmp_path):
    """Outside any workspace (and with a --root that is not one) TAB offers nothing."""
    assert _complete(tmp_path / "nowhere", ["reply", "--case"]) == []
    assert _complete(tmp_path / "nowhere", ["reply", "--position"], "joint-patrols=") == []


# -- exit codes -------------------------------------------------------------------------------

def _exit_table():
    """The README's one table of exit codes: {code: meaning}."""
    section = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `?(\d+)`? \| (.+?) \|$", section, re.M)
    return {int(code): meaning for code, meaning in rows}


def test_readme_has_one_exit_code_table():
    assert README.count("## Exit codes") == 1
    table = _exit_table()
    assert sorted(table) == [0, 1, 2, 3, 130]
    assert "check" in table[1] and "input" in table[2] and "interrupt" in table[130].lower()


def test_exit_codes_are_the_readmes(project, tmp_path, monkeypatch, capsys):
    table = _exit_table()
    code, _, _ = run_cli(["--root", str(project), "clauses"], capsys)
    assert code == 0 and 0 in table
    # 3: the machine refused (a full disk while the files are put in place)
    from drafting.store import output

    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(output.os, "replace", full)
        code, _, err = run_cli(["--root", str(project), "matrix", "--format", "csv", "--out",
                                str(tmp_path / "out")], capsys)
    assert code == 3 and "no space left" in err, err
    # 1: check found problems (an unknown position in the brief)
    edit(project / "letters" / "2021-11-25-uk-pm" / "brief.yaml",
         "joint-patrols: decline", "joint-patrols: accept-with-nothing")
    code, out, _ = run_cli(["--root", str(project), "check"], capsys)
    assert code == 1 and "accept-with-nothing" in out
    code, out, _ = run_cli(["--root", str(project), "check", "--json"], capsys)
    assert code == 1 and '"schema_version": 1' in out
    # 2: bad input, on the command line or in a file
    code, _, err = run_cli(["--root", str(project), "reply", "--lang", "fre"], capsys)
    assert code == 2 and "unknown language 'fre'" in err
    code, _, err = run_cli(["--root", str(project), "reply", "--format", "docx"], capsys)
    assert code == 2 and "accept-with-nothing" in err


# -- Ctrl-C ---------------------------------------------------------------------------------

def _interrupt(*_args, **_kw):
    raise KeyboardInterrupt


def test_ctrl_c_in_a_writer_exits_130_and_writes_nothing(workspace, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(workspace), "reply", "--lang", "fr", "--format", "docx",
                            "--out", str(out)], capsys)
    assert code == 0, err
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = fingerprint(out)
    from drafting import api
    monkeypatch.setattr(api, "docx_bytes", _interrupt)
    code, stdout, err = run_cli(["--root", str(workspace), "reply", "--position",
                                 "joint-patrols=accept", "--lang", "fr", "--format", "docx",
                                 "--out", str(out)], capsys)
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    assert stdout == ""
    assert fingerprint(out) == before and "reply.fr.docx" in before
    assert not list(out.glob(".draft-*tmp*")) and not (out / ".draft-journal.json").exists()


def test_ctrl_c_during_the_renames_finishes_them_first(workspace, tmp_path, monkeypatch, capsys):
    """A real SIGINT while the files are renamed into place: the renames finish (they take
    milliseconds), then the run stops with 130; the folder holds the whole new set, as an
    uninterrupted run leaves it, never a mix of old and new."""
    import os
    import signal
    out, ref = tmp_path / "out", tmp_path / "ref"
    args = ["--root", str(workspace), "matrix", "--format", "csv"]
    assert run_cli([*args, "--out", str(out)], capsys)[0] == 0
    old = fingerprint(out)
    assert run_cli([*args, "--csv-sep", "tab", "--out", str(ref)], capsys)[0] == 0
    from drafting.store import output
    real, calls = output.os.replace, []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, between two renames
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    code, stdout, err = run_cli([*args, "--csv-sep", "tab", "--out", str(out)], capsys)
    monkeypatch.setattr(output.os, "replace", real)
    assert code == 130 and len(calls) >= 3 and "interrupted" in err and stdout == ""
    assert fingerprint(out) == fingerprint(ref) != old
    assert not (out / output.JOURNAL).exists()
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in ref.iterdir())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- check --json ---------------------------------------------------------------------------

def test_every_problem_code_is_documented():
    from drafting.validate import editorial, problems
    codes = {code for code, _ in problems.CODES} | set(editorial.CODES.values()) | {"other"}
    for path in (CHECKOUT / "drafting").rglob("*.py"):
        codes |= set(re.findall(r'\bcode="([a-z-]+)"', path.read_text(encoding="utf-8")))
    section = README.split("### Problem codes", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert codes - documented == set(), "codes missing from the README's table"
    assert documented - codes == set(), "the README documents codes draft never gives"


# -- --quiet / --verbose ----------------------------------------------------------------------

def test_quiet_and_verbose(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    base = ["--root", str(workspace)]
    job = ["matrix", "--format", "csv", "--out", str(out)]
    code, stdout, err = run_cli([*base, "--quiet", *job], capsys)
    assert code == 0 and stdout == "" and err == ""
    assert sorted(p.name for p in out.glob("*.csv")) == ["matrix.en.csv", "matrix.fr.csv"]
    code, stdout, _ = run_cli([*base, *job], capsys)
    assert code == 0 and stdout.split() == [str(out / "matrix.fr.csv"), str(out / "matrix.en.csv")]
    code, stdout, _ = run_cli([*base, "--verbose", *job, "--lang", "fr", "--csv-sep", ","], capsys)
    assert code == 0 and stdout.startswith("wrote ") and "bytes)" in stdout
    code, stdout, _ = run_cli([*base, "-v", *job, "--lang", "fr", "--csv-sep", ","], capsys)
    assert code == 0 and stdout.startswith("unchanged ")
    code, _, err = run_cli([*base, "-q", "-v", *job], capsys)
    assert code == 2 and "--quiet and --verbose" in err


# -- the CSV in a French-locale spreadsheet -----------------------------------------------------

def test_matrix_csv_for_a_french_spreadsheet(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(workspace), "matrix", "--format", "csv", "--out",
                            str(out)], capsys)
    assert code == 0, err
    for lang, sep in (("fr", ";"), ("en", ",")):
        data = (out / f"matrix.{lang}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8 accents
        text = data.decode("utf-8-sig")
        assert csv.Sniffer().sniff(text.split("\r\n", 1)[0], delimiters=";,").delimiter == sep
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))
        assert len({len(r) for r in rows}) == 1 and len(rows[0]) >= 10
    fr = list(csv.reader(io.StringIO((out / "matrix.fr.csv").read_text(encoding="utf-8-sig")),
                         delimiter=";"))
    assert fr[0][0] == "Clé" and any("é" in cell for row in fr[1:] for cell in row)
    for choice, sep in ((",", ","), ("tab", "\t"), (";", ";")):
        code, _, err = run_cli(["--root", str(workspace), "matrix", "--format", "csv", "--lang",
                                "fr", "--csv-sep", choice, "--out", str(out)], capsys)
        assert code == 0, err
        again = list(csv.reader(io.StringIO((out / "matrix.fr.csv").read_text(encoding="utf-8-sig")),
                                delimiter=sep))
        assert again == fr


@pytest.mark.parametrize("incomplete", ["--csv"])
def test_csv_sep_is_an_option_of_matrix(workspace, incomplete):
    assert "--csv-sep" in _complete(workspace, ["matrix"], incomplete)
