"""The editorial check (drafting/validate/editorial.py): `draft check` finds what a reviewer
finds reading each document as one text, as warnings at the file and line of the clause
text that causes them (errors with --strict). Each test puts a fault of the reply the
issue listed back into a private copy of the library and expects the check to name it."""
from __future__ import annotations

import pytest
from conftest import CASE, edit, line_of, run_cli

from drafting.validate.check import check_case


def editorial(root):
    """The editorial warnings of the default case of `root`, as text."""
    return [str(p) for p in check_case(root) if str(p.code or "").startswith("editorial")]


def test_the_default_case_reads_as_one_letter(workspace):
    """The shipped library and both briefs pass: nothing repeated, no calque, no date
    against the facts (the check runs the president's brief too)."""
    assert editorial(workspace) == []
    president = workspace / CASE / "brief-president.yaml"
    found = [str(p) for p in check_case(workspace, brief=str(president))
             if str(p.code or "").startswith("editorial")]
    assert found == []


def test_finds_the_sovereignty_argument_made_three_times(project):
    """The repetition the check was built for: 'ne se négocie pas' (principles), 'Il en va
    de notre souveraineté' (joint patrols), 'il s'agit d'une question de souveraineté'
    (maritime patrols), and the joint-patrols answer refusing the maritime one's ground."""
    joint = project / "clauses" / "joint-patrols.yaml"
    maritime = project / "clauses" / "maritime-patrols.yaml"
    edit(joint, "        britanniques patrouillent sur son sol. La surveillance de la côte",
         "        britanniques patrouillent sur son sol ou dans ses eaux. Il en va de notre\n"
         "        souveraineté. La surveillance de la côte")
    edit(maritime, "        Quant aux patrouilles maritimes conjointes ou réciproques, la France ne peut\n"
                   "        davantage y donner suite : dans ses eaux territoriales, l'action",
         "        Quant aux patrouilles maritimes conjointes ou réciproques, la France ne peut\n"
         "        accepter que des navires britanniques patrouillent dans ses eaux territoriales :\n"
         "        il s'agit d'une question de souveraineté. Dans ses eaux, l'action")
    found = editorial(project)
    principles = project / "clauses" / "principles.yaml"
    first = f"clauses/principles.yaml:{line_of(principles, 'premier est la souveraineté')}"
    want_joint = (f"clauses/joint-patrols.yaml:{line_of(joint, 'souveraineté. La surveillance')}: "
                  f"reply.fr: the argument 'sovereignty' is made again (“souveraineté”), first at "
                  f"{first}")
    want_maritime = (f"clauses/maritime-patrols.yaml:{line_of(maritime, 'question de souveraineté')}"
                     f": reply.fr: the argument 'sovereignty' is made again (“souveraineté”), "
                     f"first at {first}")
    assert any(p.startswith(want_joint) for p in found), found
    assert any(p.startswith(want_maritime) for p in found), found
    # the same words in the two patrol answers: "la France ne peut accepter que des"
    phrase = [p for p in found if "the same phrase" in p]
    assert len(phrase) == 1, found
    assert phrase[0].startswith(
        f"clauses/maritime-patrols.yaml:{line_of(maritime, 'Quant aux patrouilles maritimes')}: "
        "reply.fr: the same phrase in two paragraphs (“la France ne peut accepter que des")
    assert f"first at clauses/joint-patrols.yaml:{line_of(joint, 'clair : la France')}" in phrase[0]


def test_finds_the_proposals_examined_twice(project):
    on_behalf = project / "clauses" / "on-behalf.yaml"
    edit(on_behalf, "        Gouvernement.\n",
         "        Gouvernement, après un examen attentif de chacune de vos propositions.\n")
    found = editorial(project)
    principles = project / "clauses" / "principles.yaml"
    assert any(p.startswith(f"clauses/principles.yaml:{line_of(principles, 'Chacune de vos')}: "
                            "reply.fr: the argument 'proposals-examined' is made again")
               for p in found), found


def test_three_paragraphs_opening_alike(project):
    clauses = project / "clauses"
    edit(clauses / "calais-meeting.yaml", "        Le ministre de l'Intérieur a réuni à Calais,",
         "        S'agissant de la réunion, le ministre de l'Intérieur a réuni à Calais,")
    edit(clauses / "joint-patrols.yaml", "        Vous proposez des patrouilles conjointes",
         "        S'agissant des patrouilles, vous proposez des patrouilles conjointes")
    edit(clauses / "maritime-patrols.yaml",
         "        Quant aux patrouilles maritimes conjointes ou réciproques, la France ne peut\n"
         "        davantage",
         "        S'agissant des patrouilles maritimes conjointes ou réciproques, la France ne\n"
         "        peut davantage")
    found = editorial(project)
    line = line_of(clauses / "maritime-patrols.yaml", "S'agissant des patrouilles maritimes")
    opening = [p for p in found if "in a row open with" in p]
    assert opening and opening[0].startswith(
        f"clauses/maritime-patrols.yaml:{line}: reply.fr: 3 paragraphs in a row open with "
        "“S’agissant de”"), found


def test_english_words_in_french_and_calques(project):
    clauses = project / "clauses"
    domestic = clauses / "domestic-measures.yaml"
    edit(domestic, "        Nous prenons note des mesures annoncées au titre de votre « nouveau plan pour\n"
                   "        l'immigration » (New Plan for Immigration) et",
         "        Nous prenons note des mesures annoncées au titre de votre « New Plan for\n"
         "        Immigration » et")
    sensors = clauses / "sensors-radar.yaml"
    edit(sensors, "radars et d'autres technologies de détection, ainsi",
         "radars et d'autres moyens plus avancés, ainsi")
    edit(sensors, "reached on 20 July between", "reached on 20 July last between")
    found = editorial(project)
    assert (f"clauses/domestic-measures.yaml:{line_of(domestic, '« New Plan for')}: reply.fr: "
            "English words in a French text: “new”, “for”") in "\n".join(found), found
    assert any(p.startswith(f"clauses/sensors-radar.yaml:{line_of(sensors, 'moyens plus avancés')}"
                            ": reply.fr: calque “moyens plus avancé") for p in found), found
    assert any(p.startswith(f"clauses/sensors-radar.yaml:{line_of(sensors, '20 July last')}: "
                            "reply.en: calque “20 July last”") for p in found), found
    # the original in brackets after its French rendering is where it belongs
    assert not any("domestic-measures" in p and "annotated-agenda" in p for p in found), found


def test_text_still_to_draft_is_the_stub_check_s_not_the_editor_s(project):
    """A stub ("[TO BE DRAFTED: reference to the letter of ...]", every ingested case has
    some) is reported once, as text to draft: its English words in a French letter and its
    straight apostrophe in an English one are not editorial warnings too; the paragraph's
    own words still are."""
    domestic = project / "clauses" / "domestic-measures.yaml"
    edit(domestic, "        Nous prenons note des mesures annoncées",
         "        [TO BE DRAFTED: the Home Office's answer for the record] Nous prenons note"
         " des mesures annoncées")
    found = editorial(project)
    assert not any("domestic-measures" in p and ("“the”" in p or "“for”" in p) for p in found), found
    edit(domestic, "Nous prenons note des mesures", "Nous prenons note of the mesures")
    found = editorial(project)
    assert any("domestic-measures" in p and "English words in a French text: “of”, “the”" in p
               for p in found), found


def test_straight_quotes_in_english(project):
    calais = project / "clauses" / "calais-meeting.yaml"
    edit(calais, "A leaders’ summit does not seem", "A leaders' summit does not seem")
    found = editorial(project)
    line = line_of(calais, "leaders' summit")
    assert any(p.startswith(f"clauses/calais-meeting.yaml:{line}: "
                            "reply.en: straight quote or apostrophe in English")
               and "use typographic quotes" in p for p in found), found


def test_facts_against_dates(project):
    """Papers dated after the meeting they prepare; a future tense about a date that is
    not after the document's date (the reply of 1 December saying the aircraft 'will
    fly from 1 December')."""
    meeting = project / CASE / "meeting.yaml"
    line = line_of(meeting, "date: 2021-11-28")
    edit(meeting, "documents_date: 2021-11-27\n", "")
    airborne = project / "clauses" / "airborne-surveillance.yaml"
    edit(airborne, "un avion de Frontex a commencé le 1er décembre\n"
                   "        à survoler le littoral de jour comme de nuit,",
         "un avion de Frontex survolera le littoral\n"
         "        de jour comme de nuit à compter du 1er décembre,")
    found = editorial(project)
    for doc in ("agenda.fr", "annotated-agenda.en", "declaration.fr"):
        assert f"{CASE}/meeting.yaml:{line}: {doc}: dated 2021-12-01, after the meeting it " \
               "prepares (2021-11-28)" in "\n".join(found), found
    future = [p for p in found if "the future" in p and "reply.fr" in p]
    assert future and future[0].startswith(
        f"clauses/airborne-surveillance.yaml:{line_of(airborne, 'à compter du 1er décembre,')}: "
        "reply.fr: the future (“survolera”) about 1er décembre, which is not after the "
        "document's date (2021-12-01)"), found
    # papers misdated 1 December say, too, what would happen on 1 December
    assert any(p.startswith("clauses/airborne-surveillance.yaml:") and "declaration.fr: the "
               "future (“survolera”) about 1er décembre 2021" in p for p in found), found


def test_strict_makes_editorial_warnings_errors(project, capsys):
    calais = project / "clauses" / "calais-meeting.yaml"
    edit(calais, "A leaders’ summit does not seem", "A leaders' summit does not seem")
    code, out, _ = run_cli(["--root", str(project), "check"], capsys)
    assert code == 0 and "warning: clauses/calais-meeting.yaml:" in out
    code, out, _ = run_cli(["--root", str(project), "check", "--strict"], capsys)
    assert code == 1 and "\nclauses/calais-meeting.yaml:" in "\n" + out


def test_the_lists_are_data(project):
    """A team adds a calque to its workspace's list: the check finds it."""
    calques = project / "clauses" / "editorial" / "calques.yaml"
    edit(calques, "fr:\n", "fr:\n  - find: 'pleinement déterminé'\n    instead: 'résolu'\n")
    closing = project / "clauses" / "closing.yaml"
    found = editorial(project)
    assert any(p.startswith(f"clauses/closing.yaml:{line_of(closing, 'pleinement déterminé')}: "
                            "reply.fr: calque “pleinement déterminé” - write: résolu")
               for p in found), found


def test_a_bad_pattern_names_its_line(project, capsys):
    calques = project / "clauses" / "editorial" / "calques.yaml"
    edit(calques, "fr:\n", "fr:\n  - find: 'moyens (plus'\n    instead: 'x'\n")
    code, out, err = run_cli(["--root", str(project), "check"], capsys)
    assert code != 0 and "Traceback" not in out + err
    assert f"clauses/editorial/calques.yaml:{line_of(calques, 'moyens (plus')}:" in out + err


@pytest.mark.parametrize("rule", ["prose_kinds", "ngram"])
def test_rules_file_is_read(project, rule):
    """prose_kinds and ngram come from rules.yaml: a longer n-gram lets a shorter
    repetition through; the reply left out of prose_kinds is not checked for it."""
    maritime = project / "clauses" / "maritime-patrols.yaml"
    edit(maritime, "        Quant aux patrouilles maritimes conjointes ou réciproques, la France ne peut\n"
                   "        davantage y donner suite",
         "        Quant aux patrouilles maritimes conjointes ou réciproques, la France ne peut\n"
         "        accepter que des navires britanniques patrouillent")
    assert any("the same phrase" in p for p in editorial(project))
    rules = project / "clauses" / "editorial" / "rules.yaml"
    if rule == "ngram":
        edit(rules, "ngram: 6", "ngram: 12")
    else:
        edit(rules, "prose_kinds: [reply, declaration]", "prose_kinds: [declaration]")
    assert not any("the same phrase" in p for p in editorial(project))


def test_facts_against_dates_in_english(project):
    """The English text is read for dates too ('1 December', capitalised)."""
    airborne = project / "clauses" / "airborne-surveillance.yaml"
    edit(airborne, "a Frontex aircraft began flying over the\n        coast day and night on 1 December,",
         "a Frontex aircraft will fly over the\n        coast day and night from 1 December,")
    found = editorial(project)
    assert any("reply.en: the future" in p and "1 December" in p for p in found), found
