"""Nothing disappears silently, and every problem is told at once (issue 12).

`draft check` finds, as errors located path:line, what a document would drop or print
unfinished: stub markers, anchors that name nothing, positions without text for a
document, agenda clauses without their lines, a French text changed since its English
was written, French and English with different paragraph counts, released files
changed by hand. It reports every problem of a file at once, sorted by file and line,
and in JSON too."""
from __future__ import annotations

import json

from conftest import CASE, edit, line_of, run_cli

BRIEF = f"{CASE}/brief.yaml"


def check(project, capsys, *args):
    code, out, err = run_cli(["--root", str(project), "check", *args], capsys)
    lines = out.splitlines()
    return code, lines[:-1] if not args or "--json" not in args else lines, err


# -- all problems at once ----------------------------------------------------------------

def test_a_bad_register_hides_no_other_problem(project, capsys):
    """A bad `register:` stopped the check: the three other errors were not reported."""
    brief = project / BRIEF
    edit(brief, "register: formal", "register: formel")
    edit(brief, "  sensors-radar: welcome\n", "  sensors-radar: welcom\n")
    edit(brief, "  intelligence-cell: welcome\n", "")
    edit(brief, "  calais-meeting: counter\n", "  calais-meeting: counter\n  calais-meting: accept\n")
    letter = project / CASE / "letter.yaml"
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert [line.split(" - ")[0] for line in lines] == [
        f"{BRIEF}:{line_of(brief, 'register: formel')}: unknown register 'formel'",
        f"{BRIEF}:{line_of(brief, 'calais-meting')}: unknown proposal 'calais-meting'",
        f"{BRIEF}:{line_of(brief, 'sensors-radar: welcom')}: unknown position 'welcom' for "
        "'sensors-radar'",
        f"{CASE}/letter.yaml:{line_of(letter, 'key: intelligence-cell')}: proposal "
        "'intelligence-cell' has no position in the brief",
    ]


def test_every_bad_value_of_a_file_is_reported(project, capsys):
    """The brief's version, date, language and a paragraph; the letter's date and a
    proposal's paragraph number: each bad value told, none hiding another."""
    brief = project / BRIEF
    edit(brief, "version: 4", "version: four")
    edit(brief, "date: 2021-12-01", "date: 2021-13-01")
    edit(brief, "languages: [fr, en]", "languages: [fr, eng]")
    letter = project / CASE / "letter.yaml"
    edit(letter, "date: 2021-11-25", "date: 25/11/2021")
    text = letter.read_text(encoding="utf-8")
    first = text.index("paragraph:", text.index("key: maritime-patrols"))
    end = text.index("\n", first)
    letter.write_text(text[:first] + "paragraph: nine" + text[end:], encoding="utf-8")
    code, lines, _ = check(project, capsys)
    assert code == 1
    wanted = [
        (BRIEF, "version: four", "'four' is not a whole number"),
        (BRIEF, "date: 2021-13-01", "'2021-13-01' is not a date"),
        (BRIEF, "eng]", "unknown language 'eng'"),
        (f"{CASE}/letter.yaml", "date: 25/11/2021", "'25/11/2021' is not a date"),
        (f"{CASE}/letter.yaml", "paragraph: nine", "'nine' is not a whole number"),
    ]
    for path, text, problem in wanted:
        where = f"{path}:{line_of(project / path, text)}: {problem}"
        assert any(line.startswith(where) for line in lines), (where, lines)


def test_every_problem_of_the_meeting_at_once(project, capsys):
    meeting = project / CASE / "meeting.yaml"
    edit(meeting, "kind: agency", "kind: agenci")
    edit(meeting, "purpose: decision", "purpose: decide")
    brief = project / BRIEF
    edit(brief, "invite: [fr, be, de, nl, eu, europol, frontex]",
         "invite: [fr, be, de, nl, eu, europl, frontex]")
    code, lines, _ = check(project, capsys)
    assert code == 1
    for path, text, problem in [
            (meeting, "kind: agenci", "has unknown kind 'agenci'"),
            (meeting, "purpose: decide", "unknown purpose 'decide'"),
            (brief, "europl", "unknown delegation 'europl' in meeting.invite")]:
        rel = path.relative_to(project).as_posix()
        assert any(line.startswith(f"{rel}:{line_of(path, text)}: ") and problem in line
                   for line in lines), (problem, lines)


def test_problems_are_sorted_by_file_and_line_in_json_too(project, capsys):
    brief = project / BRIEF
    edit(brief, "register: formal", "register: formel")
    edit(brief, "  sensors-radar: welcome\n", "  sensors-radar: welcom\n")
    edit(project / "clauses" / "joint-patrols.yaml", "en_renders: 3", "en_renders: 2")
    code, out, _ = run_cli(["--root", str(project), "check", "--json"], capsys)
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1
    rows = data["problems"]
    assert data["errors"] == len(rows) >= 3
    keys = [(r["path"], r["line"]) for r in rows]
    assert keys == sorted(keys)
    assert all(r["path"] and isinstance(r["line"], int) for r in rows)
    codes = {r["code"] for r in rows}
    assert {"unknown-register", "unknown-position", "stale-english"} <= codes
    assert "other" not in codes
