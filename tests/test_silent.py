"""Nothing disappears silently, and every problem is told at once (issue 12).

`draft check` finds, as errors located path:line, what a document would drop or print
unfinished: stub markers, anchors that name nothing, positions without text for a
document, agenda clauses without their lines, a French text changed since its English
was written, French and English with different paragraph counts, released files
changed by hand. It reports every problem of a file at once, sorted by file and line,
and in JSON too."""
from __future__ import annotations

import json

import pytest
from conftest import BRIEF, CASE, docx_text, edit, line_of, run_cli


@pytest.fixture
def project(project):
    """The private copy, its library's English recorded as rendering the French as it
    is (draft clause rehash --all), whether or not the checkout's library records it:
    the tests below see only the problems they make."""
    from drafting.validate.translation import rehash
    rehash(project, every=True)
    return project


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


# -- stub markers ----------------------------------------------------------------------------

PARAGRAPH = """paragraphs:
  - key: thanks
    after: joint-patrols
    fr: "[TO BE DRAFTED: remerciements pour les propositions]"
    en: "[TO BE DRAFTED: thanks for the proposals]"
"""


def _docx_text(case_dir):
    from drafting import load_case, render_files
    files = render_files(load_case(case_dir), "reply", ("fr",), ("docx",))
    return docx_text(files["reply.fr.docx"])


def test_stubs_a_reply_prints_are_errors_where_they_are_written(project, capsys):
    """Today's check: 0 problems for a reply showing markers from the case's people file
    and the brief's paragraphs. Each is an error at its own line."""
    brief = project / BRIEF
    edit(brief, "notes:\n", PARAGRAPH + "notes:\n")
    people = project / CASE / "people.yaml"
    people.write_text(
        "michel:\n  gender: m\n  country: eu\n  name: {fr: Charles Michel, en: Charles Michel}\n"
        "  courtesy: {fr: M., en: Mr}\n"
        "  office: {fr: '[TO BE DRAFTED: fonction]', en: '[TO BE DRAFTED: office]'}\n"
        "  with_article: {fr: le président du Conseil européen, en: the President of the "
        "European Council}\n  rank: head-of-institution\n", encoding="utf-8")
    printed = _docx_text(project)
    assert printed.count("[TO BE DRAFTED") == 2, printed  # the paragraph and the copy line
    code, lines, _ = check(project, capsys, "--strict")
    assert code == 1
    stubs = [line for line in lines if "still to draft" in line]
    assert stubs == [
        f"{BRIEF}:{line_of(brief, 'remerciements pour')}: brief paragraphs[1] (fr, en): still "
        "to draft: [TO BE DRAFTED: remerciements pour les propositions], printed in reply.en, "
        "reply.fr - write the text (and have it cleared) before the documents go out",
        f"{CASE}/people.yaml:{line_of(people, 'office:')}: person 'michel' office (fr, en): "
        "still to draft: [TO BE DRAFTED: fonction], printed in reply.en, reply.fr - write the "
        "text (and have it cleared) before the documents go out",
    ]


def test_a_placeholder_still_to_draft_is_found_in_the_text_that_uses_it(project, capsys):
    """A case without meeting.yaml: {meeting_date} prints [TO BE DRAFTED: meeting date];
    the check names the clause text that uses it."""
    (project / CASE / "meeting.yaml").unlink()
    brief = project / BRIEF
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text[:text.index("meeting:\n")] + text[text.index("# Who clears"):],
                     encoding="utf-8")
    code, lines, _ = check(project, capsys)
    assert code == 1
    clause = project / "clauses" / "calais-meeting.yaml"
    hits = [line for line in lines if "{meeting_date}" in line and "still to draft" in line]
    assert hits and all(line.startswith("clauses/calais-meeting.yaml:") for line in hits)
    line = int(hits[0].split(":")[1])
    text = clause.read_text(encoding="utf-8").split("\n")
    assert text[line - 1].strip().startswith("fr:")  # the text (a folded block) that uses it
    assert "{meeting_date}" in " ".join(text[line - 1:line + 8]).split(" en: ")[0]
    assert "give the case its meeting.yaml" in hits[0]


# -- anchors ----------------------------------------------------------------------------------

def _with_paragraph(project, anchor):
    brief = project / BRIEF
    para = ("paragraphs:\n  - key: thanks\n" + (f"    {anchor}\n" if anchor else "") +
            "    fr: Je vous remercie de ces propositions.\n"
            "    en: I thank you for these proposals.\n")
    edit(brief, "notes:\n", para + "notes:\n")
    return brief


def test_an_anchor_naming_nothing_keeps_the_paragraph_and_is_an_error(project, capsys):
    """`after: joint-patrol` (a typo) dropped the paragraph without a word."""
    brief = _with_paragraph(project, "after: joint-patrol")
    printed = _docx_text(project)
    assert "Je vous remercie de ces propositions." in printed
    paras = [p for p in printed.split("\n") if p.strip()]
    at = paras.index("Je vous remercie de ces propositions.")  # before the closing clause
    assert paras[at + 1].startswith("Le Gouvernement français demeure pleinement déterminé")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert lines == [
        f"{BRIEF}:{line_of(brief, 'after: joint-patrol')}: paragraph 'thanks': after: "
        "'joint-patrol' names nothing in the reply - the paragraph goes before the closing "
        "clause instead - did you mean 'joint-patrols'? anchors: after: start, before: end, "
        + ", ".join(_reply_keys(project))]


def _reply_keys(project):
    from drafting import load_case
    from drafting.documents.reply import reply_keys
    return reply_keys(load_case(project))


def test_anchors_place_the_paragraph(project):
    from drafting import load_case
    from drafting.documents.reply import arrange

    keys = _reply_keys(project)
    for anchor, where in [("after: joint-patrols", keys.index("joint-patrols") + 1),
                          ("before: joint-patrols", keys.index("joint-patrols")),
                          ("after: start", 0), ("before: end", len(keys)),
                          ("", keys.index("closing"))]:
        brief = _with_paragraph(project, anchor)
        case = load_case(project)
        order, dangling = arrange(keys, case.brief.paragraphs)
        assert dangling == []
        assert [x if isinstance(x, str) else "thanks" for x in order] == \
            keys[:where] + ["thanks"] + keys[where:], anchor
        brief.write_text(brief.read_text(encoding="utf-8").split("paragraphs:\n")[0] + "notes:" +
                         brief.read_text(encoding="utf-8").split("notes:", 1)[1], encoding="utf-8")


# -- positions without text for a document ----------------------------------------------------

def _declaration_paragraphs(case):
    from drafting import build
    body = build(case, "declaration", "fr").document.body
    return [p for p in body.iter("p") if p.get("data-field") == "declaration"
            and p.get("data-para") in (None, "1")]


def test_a_position_without_declaration_text_is_an_error(project, capsys):
    """intelligence-cell moved to accept-with-conditions (no declaration text under that
    position) took the joint declaration from 5 paragraphs to 4 without a word."""
    from drafting import load_case
    before = _declaration_paragraphs(load_case(project))
    after = _declaration_paragraphs(load_case(project, overrides=[
        "intelligence-cell=accept-with-conditions"]))
    assert len(after) == len(before) - 1
    clause = project / "clauses" / "intelligence-cell.yaml"
    code, lines, _ = check(project, capsys, "--position",
                           "intelligence-cell=accept-with-conditions")
    assert code == 1
    assert lines == [
        f"clauses/intelligence-cell.yaml:{line_of(clause, '  accept-with-conditions:')}: the "
        "declaration says nothing of 'intelligence-cell': its position 'accept-with-conditions' "
        "has no declaration text; welcome has one - write declaration: {fr: ..., en: ...} under "
        "positions.accept-with-conditions, or say the position has none on purpose: no_text: "
        "[declaration]"]
    # said on purpose: no problem
    edit(clause, "  accept-with-conditions:\n", "  accept-with-conditions:\n"
         "    no_text: [declaration]\n")
    code, lines, _ = check(project, capsys, "--position",
                           "intelligence-cell=accept-with-conditions")
    assert (code, lines) == (0, [])


def test_a_clause_on_the_agenda_without_its_line(project, capsys):
    """calais-meeting is on agenda item 5; its position without a `line` left the
    annotated agenda (and the matrix) without the line taken."""
    clause = project / "clauses" / "calais-meeting.yaml"
    text = clause.read_text(encoding="utf-8")
    at = text.index("  counter:\n")
    start = text.index("    line:\n", at)
    end = text.index("    reply:", start)
    clause.write_text(text[:start] + text[end:], encoding="utf-8")
    from drafting.validate.translation import rehash
    rehash(project, ["calais-meeting"])  # the French and the English both lost the line
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert lines == [
        f"clauses/calais-meeting.yaml:{line_of(clause, '  counter:')}: the matrix and the "
        "annotated agenda say nothing of 'calais-meeting', on agenda item 5: its position "
        "'counter' has no line text; welcome, decline have one - write line: {fr: ..., en: ...} "
        "under positions.counter, or say the position has none on purpose: no_text: [line]"]


# -- the English renders the French as it is ---------------------------------------------------

def test_french_changed_since_the_english_was_written(project, capsys):
    """en_renders equals version, so the version numbers see nothing: the hash of the
    French does."""
    code, out, _ = run_cli(["--root", str(project), "clause", "rehash", "--all"], capsys)
    assert code == 0 and "clauses/joint-patrols.yaml: unchanged" in out
    assert check(project, capsys)[:2] == (0, [])
    clause = project / "clauses" / "joint-patrols.yaml"
    # the English alone, the comments, the layout: the French's hash stays
    edit(clause, "      en: No British forces on French soil; French forces reinforced instead.",
         "      # reworded\n      en: >-\n        No British forces on French soil;\n"
         "        French forces reinforced instead.")
    assert check(project, capsys)[:2] == (0, [])
    edit(clause, "Pas de forces britanniques sur le sol français",
         "Aucune force britannique sur le sol français")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(
        f"clauses/joint-patrols.yaml:{line_of(clause, 'en_renders_sha:')}: clause "
        "'joint-patrols': the French has changed since the English was written (en_renders_sha ")
    assert lines[0].endswith("then: draft clause rehash joint-patrols")
    code, out, _ = run_cli(["--root", str(project), "clause", "rehash", "joint-patrols"], capsys)
    assert code == 0 and out.startswith("clauses/joint-patrols.yaml: en_renders_sha ")
    assert check(project, capsys)[:2] == (0, [])


def test_a_library_without_hashes_is_warned_once_per_file(project, capsys):
    clause = project / "clauses" / "closing.yaml"
    text = clause.read_text(encoding="utf-8")
    assert "\nen_renders_sha: " in text
    clause.write_text("\n".join(line for line in text.split("\n")
                                if not line.startswith("en_renders_sha:")), encoding="utf-8")
    code, lines, _ = check(project, capsys)
    assert code == 0
    assert [line for line in lines if "closing" in line] == [
        f"warning: clauses/closing.yaml:{line_of(clause, 'en_renders:')}: clause 'closing' does "
        "not record a hash of the French its English renders (en_renders_sha) - once the "
        "English renders the French as it is: draft clause rehash closing"]


def test_french_and_english_with_different_paragraph_counts(project, capsys):
    clause = project / "clauses" / "joint-patrols.yaml"
    edit(clause, "        ont été renforcés ; le concours financier",
         "        ont été renforcés.\n\n        Le concours financier")
    code, lines, _ = check(project, capsys)
    assert code == 1
    reply = line_of(clause, "fr: >-", line_of(clause, "    reply:", line_of(clause, "  decline:")))
    assert f"clauses/joint-patrols.yaml:{reply}: clause 'joint-patrols' positions.decline.reply: " \
           "the French has 2 paragraphs, the English 1 - the English renders the French " \
           "paragraph for paragraph (a blank line in a folded text starts a paragraph)" in lines


def test_unknown_clause_to_rehash(project, capsys):
    code, _, err = run_cli(["--root", str(project), "clause", "rehash", "joint-patrol"], capsys)
    assert code == 2
    assert "no clause or agreement file 'joint-patrol' - did you mean 'joint-patrols'?" in err


# -- released files ------------------------------------------------------------------------------

def test_a_released_file_changed_by_hand(project, capsys):
    code, _, err = run_cli(["--root", str(project), "release", "reply", "--lang", "fr",
                            "--format", "docx"], capsys)
    assert code == 0, err
    assert check(project, capsys)[0] == 0
    v1 = project / CASE / "released" / "reply.fr" / "v1"
    docx_file = v1 / "reply.fr.docx"
    docx_file.chmod(0o644)
    docx_file.write_bytes(docx_file.read_bytes() + b"\0")
    code, lines, _ = check(project, capsys)
    assert code == 1
    record = f"{CASE}/released/reply.fr/v1/release.json"
    assert [line.split(" (sha256")[0] for line in lines] == [
        f"{record}:{line_of(v1 / 'release.json', 'reply.fr.docx')}: reply.fr.docx of the "
        "released reply.fr v1 no longer matches its release record"]
    docx_file.unlink()
    code, lines, _ = check(project, capsys)
    assert code == 1 and lines[0].endswith("reply.fr.docx of the released reply.fr v1 is gone - "
                                          "restore it from version control; released files "
                                          "are never regenerated")


def test_a_broken_release_record_is_said_once_and_hides_nothing(project, capsys):
    """A release.json that does not parse is one error at its line (it was two, one
    without a line), and the lifecycle warnings of the same check are all still there
    (a broken record made check_lifecycle stop at the first release it read)."""
    code, _, err = run_cli(["--root", str(project), "release", "reply", "--lang", "fr",
                            "--format", "docx"], capsys)
    assert code == 0, err
    edit(project / BRIEF, "positions:\n", "overrides:\n  joint-patrols:\n    decline:\n"
         "      reply:\n        fr: Texte du cas.\n        en: Text of the case.\n"
         "positions:\n")
    code, out, _ = run_cli(["--root", str(project), "check", "--json"], capsys)
    before = {r["code"] for r in json.loads(out)["problems"]}
    assert "override" in before, before  # a lifecycle warning: the clause is overridden
    record = project / CASE / "released" / "reply.fr" / "v1" / "release.json"
    record.chmod(0o644)
    record.write_text("{broken", encoding="utf-8")
    code, out, _ = run_cli(["--root", str(project), "check", "--json"], capsys)
    assert code == 1
    rows = json.loads(out)["problems"]
    about = [r for r in rows if r["path"].endswith("release.json")]
    assert [(r["code"], r["line"]) for r in about] == [("release-record", 1)], about
    assert before <= {r["code"] for r in rows}


def test_a_device_named_like_a_clause_is_said_for_what_it_is(project, capsys):
    """A clause file that is a device (here a link to /dev/null) is refused as one, not
    skipped and then reported as missing ('add clauses/sensors-radar.yaml')."""
    clause = project / "clauses" / "sensors-radar.yaml"
    clause.unlink()
    clause.symlink_to("/dev/null")
    code, out, err = run_cli(["--root", str(project), "check"], capsys)
    said = out + err
    assert code in (1, 2) and "sensors-radar.yaml: is a device, not a regular file" in said, said
    assert "add clauses/sensors-radar.yaml" not in said, said


def test_every_problem_of_a_broken_case_is_located(project, capsys):
    """Many problems at once, of every kind this issue adds and some older ones: each
    has its file and line, and they come sorted."""
    brief = project / BRIEF
    edit(brief, "notes:\n", PARAGRAPH.replace("after: joint-patrols", "after: joint-patrol")
         + "notes:\n")
    edit(brief, "register: formal", "register: formel")
    clause = project / "clauses" / "intelligence-cell.yaml"
    text = clause.read_text(encoding="utf-8")
    at = text.index("    declaration:\n")
    en = text.index("      en: >-\n", at)
    end = text.index("    internal:\n", en)
    clause.write_text(text[:en] + text[end:], encoding="utf-8")
    code, out, _ = run_cli(["--root", str(project), "check", "--json", "--position",
                            "sensors-radar=accept"], capsys)
    assert code == 1
    rows = json.loads(out)["problems"]
    codes = {r["code"] for r in rows}
    assert {"stub", "anchor", "unknown-register", "missing-text", "language-mismatch",
            "position-without-text"} <= codes, codes
    unlocated = [r for r in rows if not r["path"] or not isinstance(r["line"], int)]
    assert unlocated == []
    keys = [(r["path"], r["line"]) for r in rows]
    assert keys == sorted(keys)
