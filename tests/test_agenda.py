"""The Calais meeting's agendas, read back from DOCX and PDF."""
from __future__ import annotations

import pytest
from conftest import docx_header_text, generate, norm, pdf_pages, pdf_words, styled_paragraphs

from drafting import api
from drafting.errors import InputError
from drafting.inputs.meeting import meeting_of, protocol_key

DEFAULT_ORDER = ["fr", "be", "de", "nl", "eu", "europol", "frontex"]


@pytest.fixture(scope="module")
def default(tmp_path_factory, make_case):
    c = make_case()
    out = tmp_path_factory.mktemp("agenda")
    files = generate(c, "agenda", out)
    files.update(generate(c, "annotated-agenda", out))
    return c, files


def _names(c):
    data = c.meeting["delegations"]
    return {lang: {str(d["name"][lang]): str(k) for k, d in data.items()} for lang in ("fr", "en")}


def _delegation_order(c, path, lang):
    names = _names(c)[lang]
    return [names[text] for style, text in styled_paragraphs(path)
            if style == "Draft Subheading" and text in names]


def test_items_numbered_with_times_in_both_languages(default):
    c, files = default
    expected = {"fr": ["1. 14 h – Ouverture", "2. 14 h 15 – Situation", "3. 14 h 45 – Surveillance",
                       "6. 16 h 45 – Questions diverses", "7. 17 h – Conclusions"],
                "en": ["1. 14.00 – Opening", "2. 14.15 – Situation", "3. 14.45 – Surveillance",
                       "6. 16.45 – Any other business", "7. 17.00 – Conclusions"]}
    for lang, starts in expected.items():
        items = [t for s, t in styled_paragraphs(files[f"agenda.{lang}.docx"]) if s == "Draft Item"]
        assert len(items) == 7
        assert [t.split(" ", 1)[0] for t in items] == [f"{n}." for n in range(1, 8)]
        for start in starts:
            assert any(t.startswith(start) for t in items), (start, items)
        text = pdf_words(files[f"agenda.{lang}.pdf"])
        for start in starts:
            assert start in text
    assert "14 h 15" in norm(pdf_words(files["agenda.fr.pdf"]))
    # The annotated agenda numbers its items the same way.
    heads = [t for s, t in styled_paragraphs(files["annotated-agenda.fr.docx"])
             if s == "Draft Heading" and t[:1].isdigit()]
    assert [t.split(" ", 1)[0] for t in heads] == [f"{n}." for n in range(1, 8)]


def test_circulation_agenda_head(default):
    c, files = default
    fr = styled_paragraphs(files["agenda.fr.docx"])
    texts = [t for _, t in fr]
    assert "Ordre du jour" in texts
    assert "Date : dimanche 28 novembre 2021" in texts
    assert "Lieu : Hôtel de ville de Calais" in texts
    assert "Présidence : M. Gérald Darmanin, ministre de l'Intérieur" in texts
    en = [t for _, t in styled_paragraphs(files["agenda.en.docx"])]
    assert "Chair: Mr Gérald Darmanin, Minister of the Interior" in en
    assert "Venue: Calais Town Hall" in en
    # For delegations: no internal field; its marking (the brief's for the agenda) top
    # and bottom of every page, like every other document of the case.
    for lang in ("fr", "en"):
        whole = pdf_words(files[f"agenda.{lang}.pdf"])
        assert "Objectif" not in whole and "Objective" not in whole
        pages = pdf_pages(files[f"agenda.{lang}.pdf"])
        assert pages and all(p.count("Diffusion Restreinte") == 2 for p in pages)
        assert "Diffusion Restreinte" in docx_header_text(files[f"agenda.{lang}.docx"])


def test_delegations_in_protocol_order_in_both_languages(default):
    c, files = default
    fr = _delegation_order(c, files["agenda.fr.docx"], "fr")
    en = _delegation_order(c, files["agenda.en.docx"], "en")
    assert fr == en == DEFAULT_ORDER  # France first; Belgique/België, Deutschland, Nederland
    assert "uk" not in fr
    text = pdf_words(files["agenda.fr.pdf"])
    positions = [text.index(n) for n in ("Belgique", "Allemagne", "Pays-Bas", "Commission européenne",
                                         "Europol", "Frontex")]
    assert positions == sorted(positions)
    assert "Royaume-Uni" not in text.split("Points de l'ordre du jour")[0]
    assert "Patel" not in text


def test_uk_present_when_the_brief_invites_it(tmp_path, make_case, brief_with_meeting):
    brief = brief_with_meeting("meeting:\n  invite: [frontex, uk, nl, be, fr, de, eu, europol]\n")
    c = make_case(brief=brief)
    files = generate(c, "agenda", tmp_path / "out", formats=("docx",))
    fr = _delegation_order(c, files["agenda.fr.docx"], "fr")
    en = _delegation_order(c, files["agenda.en.docx"], "en")
    assert fr == en == ["fr", "be", "de", "nl", "uk", "eu", "europol", "frontex"]
    assert "Mme Priti Patel, secrétaire d'État à l'Intérieur du Royaume-Uni" in [
        t for _, t in styled_paragraphs(files["agenda.fr.docx"])]
    # With the UK there, the annotated agenda has no "if raised: the UK's absence" section.
    ann = api.build(c, "annotated-agenda", "en")
    assert "the UK's absence" not in ann.document.text()


def test_withdraw_wins_and_host_is_always_there(make_case, brief_with_meeting):
    brief = brief_with_meeting("meeting:\n  invite: [be, uk]\n  withdraw: [uk]\n")
    m = meeting_of(make_case(brief=brief))
    assert [d.key for d in m.invited] == ["fr", "be"]


def test_unknown_delegation_is_located_with_a_hint(make_case, brief_with_meeting):
    brief = brief_with_meeting("meeting:\n  invite: [fr, be, europl]\n")
    with pytest.raises(InputError) as err:
        meeting_of(make_case(brief=brief))
    msg = str(err.value.problems[0])
    assert f"{brief}:" in msg and "europl" in msg and "did you mean 'europol'" in msg
    assert err.value.problems[0].line is not None


def test_protocol_key_strips_accents():
    assert protocol_key("Österreich") < protocol_key("Polska")
    assert protocol_key("België") == protocol_key("belgie")
    assert sorted(["Nederland", "Deutschland", "Belgique/België", "Éire"], key=protocol_key) == [
        "Belgique/België", "Deutschland", "Éire", "Nederland"]


def _proposal_sections(paragraphs, titles):
    """{proposal title: [texts of its paragraphs]} from the annotated agenda's DOCX."""
    out, current = {}, None
    for style, text in paragraphs:
        if style == "Draft Subheading":
            current = text if text in titles else None
            if current:
                out[current] = []
        elif style == "Draft Heading":
            current = None
        elif current:
            out[current].append(text)
    return out


@pytest.mark.parametrize("lang,labels", [
    ("fr", ("Contexte :", "Position retenue :", "Objectif :", "Lignes à tenir :", "Si soulevé :",
            "Position attendue des délégations")),
    ("en", ("Background:", "Position taken:", "Objective:", "Lines to take:", "If raised:",
            "Expected position of delegations")),
])
def test_annotated_agenda_fields_for_each_proposal(default, lang, labels):
    c, files = default
    m = meeting_of(c)
    keys = m.proposal_order()
    titles = {norm(str(c.library.clause(k).title[lang])): k for k in keys}  # as styled_paragraphs reads
    sections = _proposal_sections(styled_paragraphs(files[f"annotated-agenda.{lang}.docx"]), titles)
    assert set(sections) == set(titles)
    names = {d.key: str(d.name[lang]) for d in m.delegations}
    for title, texts in sections.items():
        key = titles[title]
        for label in labels:
            assert any(t.startswith(label) for t in texts), (key, label)
        clause = c.library.clause(key)
        lines = norm(clause.text(c.brief.positions[key], "agenda.lines", lang))
        assert any(lines[:30] in t for t in texts)
        # Expected positions: invited delegations only, in protocol order.
        expected = clause.data["agenda"]["expected"]
        shown = [k for k in [d.key for d in m.invited] if k in expected]
        got = [k for k, n in names.items() for t in texts if t.startswith(n + " :") or
               t.startswith(n + ":")]
        got = sorted(set(got), key=lambda k: next(i for i, t in enumerate(texts)
                                                  if t.startswith(names[k])))
        assert got == shown, (key, got, shown)
    pdf = pdf_words(files[f"annotated-agenda.{lang}.pdf"])
    for label in labels:
        assert label in pdf


def test_annotated_agenda_is_internal_and_marked(default):
    c, files = default
    built = api.build(c, "annotated-agenda", "fr")
    assert built.document.meta["audience"] == "internal"
    assert built.document.meta["marking"] == c.brief.marking == "Diffusion Restreinte"
    assert "Diffusion Restreinte" in docx_header_text(files["annotated-agenda.fr.docx"])
    assert "Diffusion Restreinte" in pdf_words(files["annotated-agenda.en.pdf"])
    with pytest.raises(InputError, match="the annotated agenda is internal - "):
        api.build(c, "annotated-agenda", "fr", audience="external")
    with pytest.raises(InputError, match="the annotated agenda is internal - "):
        api.render_files(c, "annotated-agenda", audience="interministerial")
    # The circulation agenda is fine for any audience.
    assert api.build(c, "agenda", "fr", audience="external").document.meta["audience"] == "external"


def test_annotated_agenda_answers_the_uks_absence(default):
    c, files = default
    fr = styled_paragraphs(files["annotated-agenda.fr.docx"])
    i = [t for _, t in fr].index("Si soulevé : absence du Royaume-Uni")
    if_raised = norm(c.library.clause("calais-meeting").text("counter", "agenda.if_raised", "fr"))
    assert fr[i + 1][1][:40] == if_raised[:40]
    assert "If raised: the UK's absence" in pdf_words(files["annotated-agenda.en.pdf"])


def test_paragraphs_carry_clause_provenance(default):
    c, _ = default
    doc = api.build(c, "annotated-agenda", "en").document
    fields = {(p.get("data-clause"), p.get("data-field")) for p in doc.body.iter("p")
              if p.get("data-clause")}
    assert ("joint-patrols", "agenda.lines") in fields
    assert ("joint-patrols", "agenda.expected.be") in fields
    assert ("calais-meeting", "agenda.if_raised") in fields


def test_changing_one_position_changes_the_lines_only_there(make_case):
    before = api.build(make_case(), "annotated-agenda", "en").document
    after = api.build(make_case(overrides=["airborne-surveillance=counter"]), "annotated-agenda",
                      "en").document

    def paras(doc, key):
        return [(p.get("data-field"), norm("".join(p.itertext()))) for p in doc.body.iter("p")
                if p.get("data-clause") == key]

    new_lines = norm(make_case().library.clause("airborne-surveillance").text(
        "counter", "agenda.lines", "en"))
    b, a = paras(before, "airborne-surveillance"), paras(after, "airborne-surveillance")
    assert dict(a)["agenda.lines"] == "Lines to take: " + new_lines
    assert dict(b)["agenda.lines"] != dict(a)["agenda.lines"]
    nxt = str(make_case().library.clause("sensors-radar").title["en"])
    section = norm(after.text().split("Reciprocal airborne surveillance")[1].split(nxt)[0])
    assert "Position taken: counter-proposal" in section and "referral" not in section
    others = lambda doc: [norm("".join(p.itertext())) for p in doc.body.iter("p")  # noqa: E731
                          if p.get("data-clause") not in ("airborne-surveillance", None)]
    assert others(before) == others(after)


def test_cli_writes_both_agendas(workspace, tmp_path):
    from click.testing import CliRunner

    from drafting.cli import main
    r = CliRunner().invoke(main, ["--root", str(workspace), "agenda", "--format", "docx",
                                  "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "agenda.en.docx", "agenda.fr.docx", "annotated-agenda.en.docx", "annotated-agenda.fr.docx"]
    r = CliRunner().invoke(main, ["--root", str(workspace), "agenda", "--which", "circulation",
                                  "--lang", "fr", "--format", "docx", "--out", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert [p.name for p in (tmp_path / "c").iterdir() if not p.name.startswith(".")] == ["agenda.fr.docx"]
