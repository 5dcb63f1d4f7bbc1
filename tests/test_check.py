"""`draft check`: every problem at once, each as path:line: problem - hint, on small
broken copies of the project (the `project` fixture)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CASE, CHECKOUT, edit, line_of, run_cli


def check(project, capsys, *args):
    code, out, err = run_cli(["--root", str(project), "check", *args], capsys)
    return code, out.splitlines(), err


def problems(lines):
    return lines[:-1]


# -- the clean case ---------------------------------------------------------------------

def test_default_case_is_clean(workspace, capsys):
    code, out, err = run_cli(["--root", str(workspace), "check"], capsys)
    assert code == 0, out
    assert out.splitlines()[-1].startswith("0 errors")


def test_check_is_in_help_and_readme(capsys):
    code, out, _ = run_cli(["check", "--help"], capsys)
    assert code == 0 and "--strict" in out and "--json" in out and "Example" in out
    assert "`draft check`" in (CHECKOUT / "README.md").read_text(encoding="utf-8")


# -- three problems, three lines ------------------------------------------------------------

def _three_problems(project):
    clause = project / "clauses" / "joint-patrols.yaml"
    edit(clause, "en_renders: 3", "en_renders: 2")
    brief = project / CASE / "brief.yaml"
    edit(brief, "  sensors-radar: welcome\n", "  sensors-radar: welcom\n")
    edit(brief, "  intelligence-cell: welcome\n", "")
    return clause, brief


def test_three_problems_are_reported_together(project, capsys):
    clause, brief = _three_problems(project)
    letter = project / CASE / "letter.yaml"
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [  # sorted by file and line
        f"clauses/joint-patrols.yaml:{line_of(clause, 'en_renders:')}: en renders fr v2, fr is v3"
        " - bring the English texts up to French v3, then set en_renders: 3",
        f"{CASE}/brief.yaml:{line_of(brief, 'sensors-radar: welcom')}: unknown position "
        "'welcom' for 'sensors-radar' - did you mean 'welcome'? positions: welcome, "
        "accept-with-conditions, accept",
        f"{CASE}/letter.yaml:{line_of(letter, 'key: intelligence-cell')}: proposal "
        "'intelligence-cell' has no position in the brief - add 'intelligence-cell: POSITION' "
        "under positions or a reason under no_answer",
    ]
    assert lines[-1] == "3 errors, 0 warnings"


def test_json_lists_the_same_problems(project, capsys):
    _three_problems(project)
    code, lines, _ = check(project, capsys, "--json")
    assert code == 1
    data = json.loads("\n".join(lines))
    assert data["schema_version"] == 1 and (data["errors"], data["warnings"]) == (3, 0)
    rows = data["problems"]
    assert [(d["path"], d["severity"], d["code"]) for d in rows] == [
        ("clauses/joint-patrols.yaml", "error", "stale-english"),
        (f"{CASE}/brief.yaml", "error", "unknown-position"),
        (f"{CASE}/letter.yaml", "error", "no-position")]
    assert all(isinstance(d["line"], int) and d["problem"] and d["hint"] for d in rows)


def test_position_override_is_checked(project, capsys):
    code, lines, _ = check(project, capsys, "--position", "joint-patrols=acept")
    assert code == 1
    assert problems(lines) == ["--position: unknown position 'acept' for 'joint-patrols' - did "
                               "you mean 'accept'? positions: decline, accept-with-conditions, "
                               "accept"]


# -- warnings and --strict --------------------------------------------------------------

def _changed_since_cleared(project):
    clause = project / "clauses" / "closing.yaml"
    edit(clause, "version: 2\nen_renders: 2\n", "version: 3\nen_renders: 3\n")
    return clause


def test_changed_since_cleared_is_a_warning(project, capsys):
    clause = _changed_since_cleared(project)
    cleared = line_of(clause, "version: 2", line_of(clause, "cleared:"))
    code, lines, _ = check(project, capsys)
    assert code == 0
    assert problems(lines) == [
        f"warning: clauses/closing.yaml:{cleared}: clause 'closing' v3 changed since cleared "
        "(v2 on 2021-11-30) - have the owner clear v3, then update 'cleared:'"]
    assert lines[-1] == "0 errors, 1 warning"


def test_strict_makes_warnings_errors(project, capsys):
    _changed_since_cleared(project)
    code, lines, _ = check(project, capsys, "--strict")
    assert code == 1
    assert problems(lines)[0].startswith("clauses/closing.yaml:")
    assert lines[-1] == "1 error, 0 warnings"


def test_text_still_to_draft_is_an_error_where_a_document_prints_it(project, capsys):
    """A position the brief does not take: no document prints its stub (not reported);
    the position taken: the matrix prints it (an error, see tests/test_silent.py)."""
    clause = project / "clauses" / "sensors-radar.yaml"
    brief = project / CASE / "brief.yaml"
    edit(clause, "      en: Technology and British funding welcome, under French operational "
         "control.", "      en: '[TO BE DRAFTED: ground sensors]'")
    edit(brief, "  sensors-radar: welcome\n", "  sensors-radar: accept\n")
    edit(clause, "  accept:\n", "  accept:\n    no_text: [declaration]\n")
    code, lines, _ = check(project, capsys)
    assert code == 0
    line = line_of(clause, "[TO BE DRAFTED")
    assert problems(lines) == []
    edit(brief, "  sensors-radar: accept\n", "  sensors-radar: welcome\n")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"clauses/sensors-radar.yaml:{line}: clause 'sensors-radar' positions.welcome.line "
        "(en): still to draft: [TO BE DRAFTED: ground sensors], printed in "
        "annotated-agenda.en, matrix.en - write the text (and have it cleared) before the "
        "documents go out"]


def test_broken_clause_file_is_one_problem(project, capsys):
    clause = project / "clauses" / "sensors-radar.yaml"
    edit(clause, "      en: Technology and British funding welcome, under French operational "
         "control.", "     en: misaligned")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert len(problems(lines)) == 1
    assert problems(lines)[0].startswith("clauses/sensors-radar.yaml:")
    assert "YAML syntax error" in problems(lines)[0]


# -- parity and metadata ------------------------------------------------------------------

def test_parity_and_metadata(project, capsys):
    clause = project / "clauses" / "closing.yaml"
    edit(clause, "owner: Ministère de l'Europe et des Affaires étrangères - DUE\n", "")
    edit(clause, "en_renders: 2\n", "")
    edit(clause, "cleared:\n  version: 2\n  date: 2021-11-30\n", "")
    ref = project / "clauses" / "reference.yaml"
    edit(ref, "In your letter of {incoming_date}, which", "In your letter of {reply_date}, which")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [  # sorted by file and line
        "clauses/closing.yaml:6: clause 'closing' has no 'owner' - add 'owner:' (see "
        "clauses/README.md)",
        "clauses/closing.yaml:6: clause 'closing' has no cleared version and date - add "
        "'cleared: {version: N, date: YYYY-MM-DD}' once the owner has cleared the text",
        f"clauses/closing.yaml:{line_of(clause, 'version: 2')}: clause 'closing' does not "
        "record which French version its English renders - add 'en_renders: 2' once the "
        "English texts render French version 2",
        f"clauses/reference.yaml:{line_of(ref, 'fr: >-', line_of(ref, '  standard:'))}: "
        "positions.standard.reply: French and English use different placeholders "
        "({incoming_date}, {principal} / {principal}, {reply_date}) - both texts must carry "
        "the same placeholders",
    ]


def test_missing_english_text(project, capsys):
    clause = project / "clauses" / "closing.yaml"
    text = clause.read_text(encoding="utf-8")
    en_at = text.index("      en: Readiness to pursue close cooperation")
    clause.write_text(text[:en_at] + text[text.index("\n", en_at) + 1:], encoding="utf-8")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"clauses/closing.yaml:{line_of(clause, 'fr: Disposition à poursuivre')}: "
        "positions.standard.line: missing the en text - add 'en:' beside the other language"]


# -- templates -------------------------------------------------------------------------------

def test_template_error_names_template_and_line(project, capsys):
    tpl = project / "templates" / "declaration.html.j2"
    edit(tpl, "{{ place_date }}", "{{ place_dat }}")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"templates/declaration.html.j2:{line_of(tpl, 'place_dat')}: template error: "
        "'place_dat' is undefined - use only the variables the tool provides (see "
        "templates/README.md)"]


# -- coverage --------------------------------------------------------------------------------

def test_no_answer_with_a_reason_is_coverage(project, capsys):
    brief = project / CASE / "brief.yaml"
    edit(brief, "  domestic-measures: counter\n", "")
    edit(brief, "  - domestic-measures\n", "")
    brief.write_text(brief.read_text(encoding="utf-8") + "no_answer:\n  domestic-measures: "
                     "answered by the Home Office\n  domestic-measure: typo\n", encoding="utf-8")
    meeting = project / CASE / "meeting.yaml"
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"{CASE}/brief.yaml:{line_of(brief, 'domestic-measure: typo')}: no_answer names "
        "unknown proposal 'domestic-measure' - did you mean 'domestic-measures'?",
        f"{CASE}/meeting.yaml:{line_of(meeting, 'domestic-measures')}: agenda item 5 carries "
        "'domestic-measures', which the brief leaves unanswered - give it a position (the "
        "annotated agenda needs one) or take it off the item"]


def test_positioned_proposal_missing_from_order(project, capsys):
    brief = project / CASE / "brief.yaml"
    edit(brief, "  - intelligence-cell\n", "")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"{CASE}/brief.yaml:{line_of(brief, 'intelligence-cell: welcome')}: proposal "
        "'intelligence-cell' has a position but is not in the brief's order - the reply would "
        "not answer it - add 'intelligence-cell' to order:"]


# -- consistency -----------------------------------------------------------------------------

def test_answered_proposal_missing_from_the_annotated_agenda(project, capsys):
    meeting = project / CASE / "meeting.yaml"
    edit(meeting, "sensors-radar, maritime-patrols, joint-patrols]",
         "sensors-radar, maritime-patrols]")
    brief = project / CASE / "brief.yaml"
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"{CASE}/brief.yaml:{line_of(brief, 'joint-patrols: decline')}: proposal "
        "'joint-patrols' is answered in the reply (decline) but not carried by the "
        "annotated-agenda (fr, en) - put it on an item of meeting.yaml"]


def test_document_carrying_another_position_is_an_error(project):
    from drafting import api, load_case
    from drafting.validate.check import check_built

    case = load_case(project)
    builts = [api.build(case, kind, "fr") for kind in ("reply", "declaration")]
    for el in builts[1].document.root.iter("p"):
        if el.get("data-clause") == "sensors-radar":
            el.set("data-position", "accept")
    found = [str(p) for p in check_built(case, builts)]
    line = line_of(project / CASE / "brief.yaml", "sensors-radar: welcome")
    assert found == [f"{CASE}/brief.yaml:{line}: declaration.fr carries 'sensors-radar' as "
                     "'accept', the brief's position is 'welcome' - every document must read "
                     "the brief's position"]


# -- audiences -------------------------------------------------------------------------------

def test_internal_note_reaching_an_external_output(project, capsys):
    brief = project / CASE / "brief.yaml"
    edit(brief, "    Ligne arrêtée en réunion interministérielle du 30 novembre ; ne pas rouvrir.",
         "    Des insignes communs n'ont donc pas lieu d'être.")
    code, lines, _ = check(project, capsys)
    assert code == 1
    assert problems(lines) == [
        f"{CASE}/brief.yaml:{line_of(brief, 'joint-patrols: >-')}: internal text (brief "
        "notes.joint-patrols) reaches reply.fr built for the external audience - internal "
        "fields must stay out of outputs for a wider audience"]


def test_internal_only_kind_must_refuse_a_wider_audience(project, monkeypatch):
    import dataclasses

    from drafting.documents import registry
    from drafting.validate.check import check_case

    monkeypatch.setitem(registry.KINDS, "agenda",
                        dataclasses.replace(registry.KINDS["agenda"], internal_only=True))
    found = [str(p) for p in check_case(project)]
    assert found == [
        "templates/agenda.html.j2: agenda.fr builds for the external audience, but it is "
        "internal only - refuse any audience but internal in its context",
        "templates/agenda.html.j2: agenda.en builds for the external audience, but it is "
        "internal only - refuse any audience but internal in its context"]


def test_clean_library_api_returns_no_problem(project):
    from drafting.validate.check import check_case
    assert check_case(project) == []


@pytest.mark.parametrize("kind", ["reply", "declaration"])
def test_check_built_passes_the_default_documents(project, kind):
    from drafting import api, load_case
    from drafting.validate.check import check_built

    case = load_case(project)
    assert check_built(case, [api.build(case, kind, lang) for lang in ("fr", "en")],
                       audience="external") == []


# -- the other commands check what they render before writing -------------------------------

def test_reply_refuses_a_stale_translation_and_writes_nothing(project, tmp_path, capsys):
    clause = project / "clauses" / "joint-patrols.yaml"
    edit(clause, "en_renders: 3", "en_renders: 2")
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(project), "reply", "--out", str(out)], capsys)
    assert code == 2
    assert err.strip() == (f"clauses/joint-patrols.yaml:{line_of(clause, 'en_renders:')}: en "
                           "renders fr v2, fr is v3 - bring the English texts up to French v3, "
                           "then set en_renders: 3")
    assert not out.exists() or not any(out.iterdir())
    # the French original alone does not depend on the English rendering
    code, stdout, err = run_cli(["--root", str(project), "reply", "--lang", "fr", "--format",
                                 "docx", "--out", str(out)], capsys)
    assert code == 0, err
    assert stdout.strip().endswith("reply.fr.docx")


def test_pack_checks_before_writing(project, capsys):
    """draft pack runs the checks its documents need, and writes nothing on an error."""
    clause = project / "clauses" / "sensors-radar.yaml"
    text = clause.read_text(encoding="utf-8")
    import re
    version = int(re.search(r"^version: (\d+)", text, re.M).group(1))
    clause.write_text(text.replace(f"version: {version}\n", f"version: {version + 1}\n", 1),
                      encoding="utf-8")
    out = project / "out"
    code, stdout, err = run_cli(["--root", str(project), "pack", "--format", "docx",
                                 "--out", str(out)], capsys)
    assert code == 2, err
    assert f"en renders fr v{version}, fr is v{version + 1}" in err
    assert not out.exists() or not [p for p in out.iterdir() if not p.name.startswith(".")]


def test_leak_search_sees_through_typography():
    """An internal text is found whatever French typography did to it (narrow spaces,
    thousands, curly apostrophes, guillemets), and only as whole words."""
    from types import SimpleNamespace

    from drafting.validate.leaks import find_leaks as _leaks
    from drafting.validate.leaks import norm as _norm
    from drafting.validate.problems import Found as _Found

    secret = "Nous pouvons céder sur 1000 agents si l'accord est signé"
    doc = SimpleNamespace(text=lambda: "Texte.\n« Nous pouvons céder sur 1\u202f000 agents "
                          "si l\u2019accord est signé\u202f». Fin.", meta={}, title=None)
    built = SimpleNamespace(document=doc, stem="reply.fr")
    secrets = [(_norm(secret), "brief notes.x", "brief.yaml", 3)]
    found = _Found(Path("."))
    _leaks(found, built, secrets, "external")
    assert [p.problem for p in found] == [
        "internal text (brief notes.x) reaches reply.fr built for the external audience"]
    found = _Found(Path("."))
    partial = [(_norm("ous pouvons céder sur 1000 agents"), "w", "b.yaml", 1)]
    _leaks(found, built, partial, "external")
    assert list(found) == []


def test_two_processes_find_what_one_finds(project, monkeypatch):
    """The documents and the leak scan shared between two processes give the problems,
    in the order, that one process gives."""
    from drafting.validate.check import check_case
    from drafting.writers import forked

    edit(project / CASE / "brief.yaml",
         "    Ligne arrêtée en réunion interministérielle du 30 novembre ; ne pas rouvrir.",
         "    Des insignes communs n'ont donc pas lieu d'être.")
    two = [str(p) for p in check_case(project)]
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    one = [str(p) for p in check_case(project)]
    assert two == one and any("reaches reply.fr" in p for p in one)


def test_a_document_travels_as_its_markup(make_case):
    import pickle

    from drafting import api
    case = make_case()
    built = api.build(case, "reply", "fr")
    copy = pickle.loads(pickle.dumps(built))
    assert copy.document.html() == built.document.html()
    assert copy.document.meta == built.document.meta and copy.stem == "reply.fr"
    assert copy.document.text() == built.document.text()


@pytest.mark.parametrize("marker", ["[TO BE DRAFTED]", "[À RÉDIGER]"])
def test_check_built_refuses_text_to_draft_for_a_wider_audience(project, marker):
    """Every stub marker draft check knows (validate/stubs.py), the French ones too, stops
    a document built for a wider audience."""
    from drafting import api, load_case
    from drafting.validate.check import check_built

    edit(project / "clauses" / "sensors-radar.yaml",
         "        Nous accueillons également favorablement le déploiement",
         f"        {marker} Nous accueillons également favorablement le déploiement")
    case = load_case(project)
    built = api.build(case, "reply", "fr", audience="external")
    found = [str(p) for p in check_built(case, [built])]
    assert found == [f"{CASE}/brief.yaml: reply.fr for the external audience still has text "
                     f"to draft ({marker}) - draft the clause texts first (draft check lists "
                     "them)"]


def test_a_french_stub_marker_in_a_clause_no_case_uses_is_a_warning(project, capsys):
    """The library's own warning for texts still to draft knows the stub check's markers
    ([À RÉDIGER] ...), not only '[TO BE DRAFTED'."""
    spare = project / "clauses" / "spare-sensors.yaml"
    text = (project / "clauses" / "sensors-radar.yaml").read_text(encoding="utf-8")
    spare.write_text(text.replace("key: sensors-radar", "key: spare-sensors"), encoding="utf-8")
    edit(spare, "      en: Technology and British funding welcome, under French operational "
         "control.", "      en: '[À RÉDIGER] Technology'")
    code, lines, _ = check(project, capsys)
    assert code == 0
    assert lines == [
        f"warning: clauses/spare-sensors.yaml:{line_of(spare, '[À RÉDIGER]')}: clause "
        "'spare-sensors' positions.welcome.line: still to draft (en) - write the text and "
        "have it cleared", "0 errors, 1 warning"]
