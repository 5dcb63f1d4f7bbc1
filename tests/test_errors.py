"""Bad input: `path:line: problem - hint`, exit status 2, no traceback, nothing written."""
from __future__ import annotations

import pytest
from conftest import BRIEF, line_of, run_cli


def _run(project, capsys, *args):
    out = project / "output"
    code, stdout, stderr = run_cli(["--root", str(project), *args, "--out", str(out)], capsys)
    return code, stderr, out


def test_unknown_position_in_brief(project, capsys):
    brief = project / BRIEF
    brief.write_text(brief.read_text().replace("joint-patrols: decline", "joint-patrols: declin"))
    code, err, out = _run(project, capsys, "reply")
    line = line_of(brief, "joint-patrols: declin")
    assert code == 2
    assert f"{brief}:{line}: unknown position 'declin' for 'joint-patrols' - did you mean 'decline'?" in err
    assert "Traceback" not in err and not out.exists()


def test_unknown_proposal_in_brief(project, capsys):
    brief = project / BRIEF
    brief.write_text(brief.read_text().replace("  sensors-radar: welcome", "  sensor-radar: welcome"))
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and not out.exists()
    assert (f"{brief}:{line_of(brief, 'sensor-radar: welcome')}: unknown proposal 'sensor-radar'"
            " - did you mean 'sensors-radar'?") in err


def test_unknown_position_on_command_line(project, capsys):
    code, err, out = _run(project, capsys, "reply", "--position", "joint-patrols=acept")
    assert code == 2 and not out.exists()
    assert err.startswith("--position: unknown position 'acept' for 'joint-patrols' - did you mean 'accept'?")
    code, err, out = _run(project, capsys, "reply", "--position", "nonsense")
    assert code == 2 and "is not KEY=POSITION" in err


def test_malformed_yaml(project, capsys):
    clause = project / "clauses" / "joint-patrols.yaml"
    text = clause.read_text().replace("owner: Ministère", "owner: [Ministère")
    clause.write_text(text)
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and not out.exists() and "Traceback" not in err
    assert err.startswith(f"{clause}:") and "YAML syntax error" in err


def test_french_colon_in_plain_value(project, capsys):
    clause = project / "clauses" / "joint-patrols.yaml"
    text = clause.read_text().replace("  owner: Ministère", "  owner: Ministère")
    text = text.replace("owner: Ministère de l'Intérieur - DGPN / DGGN",
                        "owner: Ministère de l'Intérieur : DGPN")
    clause.write_text(text)
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and f"{clause}:{line_of(clause, 'owner:')}:" in err
    assert "block scalar" in err


def test_clause_missing_a_language(project, capsys):
    clause = project / "clauses" / "joint-patrols.yaml"
    lines = clause.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "reply:")
    en = next(i for i in range(start, len(lines)) if lines[i].strip() == "en: >-")
    end = en + 1
    while lines[end].startswith("          "):
        end += 1
    del lines[en:end]
    clause.write_text("".join(lines))
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and not out.exists()
    assert f"{clause}:" in err and "missing the en text" in err


def test_template_error_names_template_and_line(project, capsys):
    tpl = project / "templates" / "reply.html.j2"
    lines = tpl.read_text().splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if "dateline" in line)
    lines[n] = lines[n].replace("{{ dateline }}", "{{ dateline_typo }}")
    tpl.write_text("".join(lines))
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and not out.exists()
    assert f"{tpl}:{n + 1}: template error: 'dateline_typo' is undefined" in err


def test_template_syntax_error(project, capsys):
    tpl = project / "templates" / "reply.html.j2"
    tpl.write_text(tpl.read_text().replace("{% endfor %}", "{% endfo %}", 1))
    code, err, out = _run(project, capsys, "reply")
    assert code == 2 and str(tpl) in err and "template syntax error" in err


def test_debug_shows_traceback(project, capsys):
    from drafting.errors import DraftError
    with pytest.raises(DraftError):
        run_cli(["--debug", "--root", str(project), "reply", "--position", "x=y"], capsys)


def test_nothing_overwritten_on_error(project, capsys):
    out = project / "output"
    code, _, _ = run_cli(["--root", str(project), "reply", "--format", "docx", "--out", str(out)], capsys)
    assert code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    code, err, _ = _run(project, capsys, "reply", "--format", "docx", "--position", "joint-patrols=nope")
    assert code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
