"""The draft joint declaration of the Calais meeting, read back from DOCX and PDF."""
from __future__ import annotations

import re

import pytest
from conftest import generate, norm, pdf_words, styled_paragraphs

from drafting import api
from drafting.inputs.meeting import meeting_of
from drafting.tree.typography import french

NUMBERED = re.compile(r"^(\d+)\. (.*)$")


@pytest.fixture(scope="module")
def default(tmp_path_factory, make_case):
    c = make_case()
    return c, generate(c, "declaration", tmp_path_factory.mktemp("declaration"))


def _clause_text(c, key, position, field, lang):
    text = str(c.library.clause(key).text(position, field, lang))
    text = text.replace("{meeting_place}", "Calais")
    return norm(french(text) if lang == "fr" else text)


def _numbered(path):
    out = []
    for style, text in styled_paragraphs(path):
        m = NUMBERED.match(text)
        if m and style == "Draft Article":
            out.append((int(m.group(1)), m.group(2)))
    return out


def _expected_keys(c):
    order = meeting_of(c).proposal_order()
    keys = [k for k in order if k in c.brief.positions]
    keys += [k for k in c.letter.keys if k in c.brief.positions and k not in keys]
    return [k for k in keys if c.library.clause(k).text(c.brief.positions[k], "declaration", "fr")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_one_paragraph_per_position_with_a_declaration_text(default, lang):
    c, files = default
    numbered = _numbered(files[f"declaration.{lang}.docx"])
    keys = _expected_keys(c)
    assert keys == ["airborne-surveillance", "sensors-radar", "intelligence-cell",
                    "eu-returns-agreement", "calais-meeting"]  # meeting-item order
    assert [n for n, _ in numbered] == list(range(1, len(keys) + 1))
    for (_, text), key in zip(numbered, keys):
        assert text == _clause_text(c, key, c.brief.positions[key], "declaration", lang)
    # Declined proposals (and positions without a declaration text) give no paragraph.
    whole = " ".join(t for _, t in styled_paragraphs(files[f"declaration.{lang}.docx"]))
    for key in ("joint-patrols", "maritime-patrols", "bilateral-readmission"):
        assert c.brief.positions[key] == "decline"
        for pos in c.library.clause(key).positions:
            other = c.library.clause(key).text(pos, "declaration", lang)
            if other:
                assert _clause_text(c, key, pos, "declaration", lang)[:40] not in whole
    pdf = pdf_words(files[f"declaration.{lang}.pdf"])
    for _, text in numbered:
        assert text[:50] in pdf


def test_title_preamble_closing_and_signatories(default):
    c, files = default
    fr = styled_paragraphs(files["declaration.fr.docx"])
    styles = [s for s, _ in fr]
    texts = [t for _, t in fr]
    assert styles[0] == "Draft Title"
    assert texts[0] == _clause_text(c, "declaration", "standard", "title", "fr")
    assert "Calais, le 28 novembre 2021" in texts
    closing = _clause_text(c, "declaration", "standard", "closing", "fr")
    assert closing in texts
    signatures = [t for s, t in fr if s == "Draft Signature Block"]
    assert signatures[0] == "Pour la France : M. Gérald Darmanin, ministre de l'Intérieur"
    # the ministers present sign; the Commission, Europol and Frontex are observers,
    # named in the text (the preamble), not signatories
    assert [t.split(" :")[0] for t in signatures] == [
        "Pour la France", "Pour la Belgique", "Pour l'Allemagne", "Pour les Pays-Bas"]
    preamble = _clause_text(c, "declaration", "standard", "preamble", "fr")
    assert "Europol" in preamble and "Frontex" in preamble and "commissaire" in preamble
    assert not any(w in t for t in signatures for w in ("Europol", "Frontex", "Commission"))
    assert texts.index(closing) < texts.index(signatures[0])
    en = [t for s, t in styled_paragraphs(files["declaration.en.docx"]) if s == "Draft Signature Block"]
    assert en[0] == "For France: Mr Gérald Darmanin, Minister of the Interior"
    assert [t.split(":")[0] for t in en] == [
        "For France", "For Belgium", "For Germany", "For the Netherlands"]
    assert not any("Royaume-Uni" in t for t in signatures)
    assert "For the United Kingdom" not in pdf_words(files["declaration.en.pdf"])
    assert "Pour la France : M. Gérald Darmanin" in pdf_words(files["declaration.fr.pdf"])


def test_uk_signs_when_invited(make_case, brief_with_meeting):
    brief = brief_with_meeting("meeting:\n  withdraw: []\n")
    doc = api.build(make_case(brief=brief), "declaration", "en").document
    lines = [norm("".join(p.itertext())) for p in doc.body.iter("p")
             if p.get("class") == "signature-block"]
    assert lines[4] == ("For the United Kingdom: Ms Priti Patel, Secretary of State for the "
                        "Home Department")


def test_changing_one_position_changes_the_declaration_only_there(tmp_path, make_case):
    c0, c1 = make_case(), make_case(overrides=["airborne-surveillance=counter"])
    before = _numbered(generate(c0, "declaration", tmp_path / "a", ("fr",), ("docx",))["declaration.fr.docx"])
    after = _numbered(generate(c1, "declaration", tmp_path / "b", ("fr",), ("docx",))["declaration.fr.docx"])
    gone = _clause_text(c0, "airborne-surveillance", "refer-to-eu", "declaration", "fr")
    assert gone in [t for _, t in before] and gone not in [t for _, t in after]
    # The others stay, renumbered from 1.
    assert [t for _, t in after] == [t for _, t in before if t != gone]
    assert [n for n, _ in after] == list(range(1, len(after) + 1))
    # A position with a declaration text brings its paragraph in.
    c2 = make_case(overrides=["calais-meeting=welcome"])
    doc = api.build(c2, "declaration", "en").document
    text = norm(doc.text())
    assert _clause_text(c2, "calais-meeting", "welcome", "declaration", "en") in text
    assert _clause_text(c2, "calais-meeting", "counter", "declaration", "en") not in text


def test_declaration_paragraphs_carry_provenance(default):
    c, _ = default
    doc = api.build(c, "declaration", "fr").document
    got = [(p.get("data-clause"), p.get("data-field"), p.get("data-position"))
           for p in doc.body.iter("p") if p.get("data-field") == "declaration"]
    assert got[0] == ("airborne-surveillance", "declaration", "refer-to-eu")
