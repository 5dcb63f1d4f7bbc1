"""--omit-declined rewrites the text around what it omits (issue 12): no reference to an
omitted article is left in the others ("l'[article omis : third-state-nationals]" was),
definitions used only by omitted articles go and the rest are lettered again, and a note
says what was taken out (a reviewer note for the internal audience, the run's output)."""
from __future__ import annotations

import re

import pytest
from conftest import docx_text, edit, line_of, norm, pdf_body, request_without_its_omitted_text, run_cli

from drafting import build, render_files

KINDS = ("readmission", "operational-cooperation")
DANGLING = re.compile(r"omis\b|omitted (article|paragraph)|\{ref", re.IGNORECASE)


@pytest.fixture(scope="module")
def case(make_case):
    return make_case()


def _body(built):
    """The articles' text, without the reviewer notes."""
    return "\n".join("".join(p.itertext()) for p in built.document.body.iter("p")
                     if p.get("class") != "note")


def _definitions(built):
    """The lettered terms of the definitions article, in order."""
    out, inside = [], False
    for p in built.document.body.iter("p", "h2"):  # an article's label is an h2
        text = norm("".join(p.itertext()))
        if p.get("data-article"):
            inside = p.get("data-article") == "definitions"
            continue
        if inside and re.match(r"\(?[a-z]\) ", text):
            out.append(text)
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("register", ["treaty", "mou"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("copy", ["fr", "uk"])
def test_no_reference_to_an_omitted_article_is_left(case, kind, register, lang, copy):
    built = build(case, "agreement", lang, agreement_kind=kind, register=register, copy=copy,
                  omit_declined=True)
    assert not DANGLING.search(_body(built)), DANGLING.search(_body(built))


def test_references_are_reworded_and_renumbered(case):
    full = norm(build(case, "agreement", "fr", agreement_kind="readmission").document.text())
    short = norm(build(case, "agreement", "fr", agreement_kind="readmission",
                       omit_declined=True).document.text())
    assert ("sur le fondement de l'article 3 ou de l'article 4 est subordonné" in
            full.replace("\u2019", "'"))
    assert ("sur le fondement de l'article 3 est subordonné à la présentation d'une demande"
            in short.replace("\u2019", "'"))
    # the implementing protocol no longer lists the proof for third-State nationals
    assert "énumérés à l'article 6 et à l'article 7" in full.replace("\u2019", "'")
    assert "énumérés à l'article 5 ;" in short.replace("\u2019", "'").replace("\u202f", " ")
    # no transit left in the costs: the transit articles went
    costs = short[short.index("Frais"):short.index("Protection des données")]
    assert "transit" not in costs


def test_definitions_used_only_by_omitted_articles_go(case):
    full = _definitions(build(case, "agreement", "en", agreement_kind="readmission"))
    short = _definitions(build(case, "agreement", "en", agreement_kind="readmission",
                               omit_declined=True))
    assert len(full) == 9 and len(short) == 6
    for term in ('"third-State national"', '"stateless person"', '"transit" means'):
        assert any(term in t for t in full) and not any(term in t for t in short)
    # lettered again, each ending with ';' but the last with '.'
    assert [t[:3] for t in short] == ["(a)", "(b)", "(c)", "(d)", "(e)", "(f)"]
    assert all(t.endswith(";") for t in short[:-1]) and short[-1].endswith(".")
    # the requesting Party no longer submits transit requests
    assert any(t.startswith('(d) "requesting Party" means the Party submitting a readmission '
                            'request;') for t in short)
    fr = _definitions(build(case, "agreement", "fr", agreement_kind="readmission",
                            omit_declined=True))
    assert [t[:2] for t in fr] == ["a)", "b)", "c)", "d)", "e)", "f)"]
    assert all(t.endswith(";") for t in fr[:-1]) and fr[-1].endswith(".")


def test_frontex_goes_with_the_airborne_article(make_case):
    declined = make_case(overrides=["airborne-surveillance=decline"])
    welcome = make_case(overrides=["airborne-surveillance=counter"])
    for register in ("treaty", "mou"):
        short = _definitions(build(declined, "agreement", "en", register=register,
                                   agreement_kind="operational-cooperation", omit_declined=True))
        kept = _definitions(build(welcome, "agreement", "en", register=register,
                                  agreement_kind="operational-cooperation", omit_declined=True))
        assert not any('"Frontex"' in t for t in short) and short[-1].endswith(".")
        assert any('"Frontex"' in t for t in kept)


def test_a_reviewer_note_lists_what_was_taken_out(case, tmp_path):
    files = render_files(case, "agreement", ("fr",), ("docx", "pdf"), agreement_kind="readmission",
                         omit_declined=True)
    text = norm(docx_text(files["agreement-readmission.fr.docx"]))
    note = next(line for line in text.split("Article premier")[:1])
    assert "Projet établi sans les propositions déclinées." in note
    assert "Articles omis : « Réadmission des ressortissants d'États tiers et des apatrides »" in \
        note.replace("\u2019", "'")
    assert "Définitions retirées (plus employées) : « ressortissant d'un État tiers », " \
           "« apatride », « transit »." in note.replace("\u2019", "'")
    assert "Texte reformulé sans les articles omis : article 4, article 7, article 8, " \
           "article 11." in note
    assert "Projet établi sans les propositions déclinées" in pdf_body(
        files["agreement-readmission.fr.pdf"])
    # nothing omitted, no note
    plain = render_files(case, "agreement", ("fr",), ("docx",), agreement_kind="readmission")
    assert "Projet établi sans" not in docx_text(plain["agreement-readmission.fr.docx"])
    # a wider audience: no reviewer note in the document
    external = build(case, "agreement", "fr", agreement_kind="readmission", omit_declined=True,
                     audience="external")
    assert "Projet établi sans" not in external.document.text()


def test_the_run_lists_what_was_taken_out(workspace, tmp_path, capsys):
    code, out, err = run_cli(["agreement", "readmission", "--omit-declined", "--audience",
                              "external", "--lang", "en", "--format", "docx", "--out",
                              str(tmp_path)], capsys)
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert notes[0].startswith("note: Articles omitted: \u201cReadmission of third-State "
                               "nationals and stateless persons\u201d (bilateral-readmission: "
                               "decline)")
    assert notes[1] == ('note: Definitions removed (no longer used): "third-State national", '
                        '"stateless person", "transit".')
    code, out, err = run_cli(["agreement", "readmission", "--lang", "en", "--format", "docx",
                              "--out", str(tmp_path / "all")], capsys)
    assert code == 0 and "note:" not in err


def test_check_finds_a_reference_with_no_text_without_it(project, capsys):
    """A library paragraph that refers to an article --omit-declined can take out, with no
    text for when it is gone, and a mistyped condition: both errors at their lines."""
    path = project / "clauses" / "agreements" / "readmission.yaml"
    request_without_its_omitted_text(path)
    edit(path, "    requires: [third-state-nationals]", "    requires: [third-state-national]")
    from drafting.validate.translation import rehash
    rehash(project, ["agreements/readmission"])
    code, out, _ = run_cli(["--root", str(project), "check"], capsys)
    assert code == 1
    rel = "clauses/agreements/readmission.yaml"
    lines = out.splitlines()[:-1]
    assert f"{rel}:{line_of(path, 'requires: [third-state-national]')}: agreement " \
           "'readmission': requires: 'third-state-national' is no article of the agreement - " \
           "did you mean 'third-state-nationals'?" in "\n".join(lines)
    para = line_of(path, "fr: >-", line_of(path, "  - id: readmission-request"))
    assert f"{rel}:{para}: agreement 'readmission': article 'readmission-request' (treaty, " \
           "agreed, paragraph 1) refers to 'third-state-nationals', which --omit-declined can " \
           "leave out, and says nothing of what it becomes without it - mark it 'with: " \
           "third-state-nationals' and write the text without it beside it ('without: " \
           "third-state-nationals'), or give the article 'requires: [third-state-nationals]'" \
           in lines


def test_a_brief_listing_its_agreements_omits_nothing_by_default(project, capsys):
    """`agreements: [readmission]` (the list form) names the kinds only: the agreement is
    drafted whole (it stopped with an internal error: the list has no omit_declined)."""
    brief = project / "letters" / "2021-11-25-uk-pm" / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    start = text.index("agreements:\n")
    end = text.index("\n", text.index("kinds:", start)) + 1
    brief.write_text(text[:start] + "agreements: [readmission]\n" + text[end:], encoding="utf-8")
    code, _, err = run_cli(["--root", str(project), "agreement", "readmission", "--lang", "en",
                            "--format", "docx", "--out", str(project / "out")], capsys)
    assert code == 0, err
    assert "Readmission of third-State nationals" in docx_text(
        project / "out" / "agreement-readmission.en.docx")
