"""The Calais meeting's papers say who acts and when: they bear a date before the meeting
they prepare (meeting.yaml `documents_date`, not the reply's date), come from the chair's
office, and the joint declaration is signed by the ministers present only."""
from __future__ import annotations

import datetime as dt

import pytest
from conftest import CASE, docx_header_text, edit, generate, norm

from drafting import api, load_case
from drafting.errors import InputError
from drafting.inputs.meeting import meeting_of

PAPERS = ("agenda", "annotated-agenda", "declaration")


@pytest.mark.parametrize("kind", PAPERS)
def test_papers_are_dated_before_the_meeting(make_case, kind):
    case = make_case()
    meeting = meeting_of(case)
    assert case.brief.date > meeting.date()  # the reply comes after the meeting
    for lang in ("fr", "en"):
        doc = api.build(case, kind, lang).document
        created = dt.date.fromisoformat(doc.meta["dcterms.created"])
        assert created <= meeting.date(), (kind, lang, created)
        draft = norm(doc.meta["draft"])
        assert ("27 novembre 2021" if lang == "fr" else "27 November 2021") in draft, draft
        assert "décembre" not in draft and "December" not in draft


def test_the_printed_header_carries_the_papers_date(make_case, tmp_path):
    files = generate(make_case(), "agenda", tmp_path, formats=("docx",))
    header = docx_header_text(files["agenda.fr.docx"])
    assert "27 novembre 2021" in header and "1er décembre" not in header


@pytest.mark.parametrize("kind", PAPERS)
def test_papers_come_from_the_chair(make_case, kind):
    case = make_case()
    chair = case.person(meeting_of(case).data["chair"])
    assert chair.key != case.brief.signatory  # the Prime Minister signs the reply only
    fr = api.build(case, kind, "fr").document.meta["author"]
    en = api.build(case, kind, "en").document.meta["author"]
    assert fr == "Le ministre de l'Intérieur" and en == "The Minister of the Interior"


def _signatories(case, lang="fr"):
    doc = api.build(case, "declaration", lang).document
    return [norm("".join(p.itertext())) for p in doc.body.iter("p")
            if p.get("class") == "signature-block"]


def test_observers_sign_when_the_meeting_says_so(project):
    meeting = project / CASE / "meeting.yaml"
    edit(meeting, "sign: [host, member, third]", "sign: [host, member, third, agency]")
    lines = _signatories(load_case(project))
    assert lines[-2:] == ["Pour Europol : Mme Catherine De Bolle, directrice exécutive d'Europol",
                          "Pour Frontex : M. Fabrice Leggeri, directeur exécutif de Frontex"]


def test_unknown_signing_kind_names_its_line(project):
    meeting = project / CASE / "meeting.yaml"
    edit(meeting, "sign: [host, member, third]", "sign: [host, membre]")
    with pytest.raises(InputError) as exc:
        _signatories(load_case(project))
    problem = exc.value.problems[0]
    assert "unknown delegation kind 'membre'" in problem.problem and "member" in problem.hint
    assert "sign:" in meeting.read_text(encoding="utf-8").splitlines()[problem.line - 1]
