"""Agreement skeletons: numbering, final clauses, brackets by position, alternat,
registers, parallel texts and cross-references that follow dropped articles."""
from __future__ import annotations

import re

import pytest
from conftest import norm, pdf_body

from drafting import build, render_files

FINALS = {"fr": ["Règlement des différends", "Entrée en vigueur"],
          "en": ["Settlement of disputes", "Entry into force"]}


def texts(built):
    """(text, class, element) of each paragraph, an article's heading (h2, h3) included."""
    return [("".join(p.itertext()), p.get("class"), p) for p in built.document.body.iter()
            if p.tag in ("p", "h1", "h2", "h3")]


@pytest.fixture(scope="module")
def case(make_case):
    return make_case()


@pytest.mark.parametrize("kind", ["readmission", "operational-cooperation"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_articles_numbered_with_headings_and_final_clauses(case, kind, lang):
    built = build(case, "agreement", lang, agreement_kind=kind)
    labels = [t for t, c, p in texts(built) if c == "article-heading" and p.get("data-article")]
    first = "Article premier" if lang == "fr" else "Article 1"
    assert labels[0] == first
    assert labels[1:] == [f"Article {n}" for n in range(2, len(labels) + 1)]
    body = norm(built.document.text())
    for heading in FINALS[lang]:
        assert heading in body
    agreed = {"fr": "Sont convenus de ce qui suit :", "en": "Have agreed as follows:"}[lang]
    assert agreed in body
    done = {"fr": "en double exemplaire, en langues française et anglaise, les deux textes faisant également foi",
            "en": "in duplicate, in the English and French languages, both texts being equally authentic"}[lang]
    assert done in body
    assert ("En foi de quoi" if lang == "fr" else "In witness whereof") in body


def test_positions_drive_brackets(case, make_case):
    declined = build(case, "agreement", "en", agreement_kind="readmission")
    tied = [p for t, c, p in texts(declined) if p.get("data-clause") == "bilateral-readmission"]
    assert tied, "articles tied to the proposal"
    spans = [s.text for s in declined.document.body.iter("span") if s.get("class") == "bracket"]
    assert spans and all(s.startswith("[UK: ") for s in spans)
    cond = build(make_case(overrides=["bilateral-readmission=accept-with-conditions"]),
                 "agreement", "en", agreement_kind="readmission")
    spans = [s.text for s in cond.document.body.iter("span") if s.get("class") == "bracket"]
    assert any(s.startswith("[FR: ") for s in spans) and any(s.startswith("[UK: ") for s in spans)
    # an accepted proposal gives clean text
    clean = build(make_case(overrides=["sensors-radar=accept"]), "agreement", "en",
                  agreement_kind="operational-cooperation")
    art = [p for t, c, p in texts(clean) if p.get("data-clause") == "sensors-radar"]
    assert art and art[0].get("data-position") == "accept"


def test_declined_reservation_is_a_reviewer_note_and_can_be_omitted(case):
    files = render_files(case, "agreement", ("fr",), ("docx",), agreement_kind="readmission")
    import io
    import zipfile
    comments = zipfile.ZipFile(io.BytesIO(files["agreement-readmission.fr.docx"])).read("word/comments.xml").decode()
    assert "Réserve française" in comments
    full = build(case, "agreement", "en", agreement_kind="readmission")
    short = build(case, "agreement", "en", agreement_kind="readmission", omit_declined=True)
    n_full = len([1 for t, c, p in texts(full) if p.get("data-article")])
    n_short = len([1 for t, c, p in texts(short) if p.get("data-article")])
    # the 4 articles tied to the declined proposal, and the proof for third-State
    # nationals, which requires one of them (tests/test_omit.py)
    assert n_short == n_full - 5


def test_cross_references_follow_the_numbering(case):
    full = norm(build(case, "agreement", "en", agreement_kind="readmission").document.text())
    short = norm(build(case, "agreement", "en", agreement_kind="readmission", omit_declined=True).document.text())
    # the implementing protocol is Article 16 in full, Article 11 once the 5 articles before
    # it drop (the 4 tied to the declined proposal and the proof that requires one of them)
    assert "implementing protocol referred to in Article 16" in full
    assert "implementing protocol referred to in Article 11" in short
    assert re.search(r"Article \d+\(\d\)", full)
    assert "{ref" not in full and "{ref" not in short


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_alternat_by_copy(case, lang):
    fr_first = {"fr": "Le Gouvernement de la République française et le Gouvernement du Royaume-Uni",
                "en": "The Government of the French Republic and the Government of the United Kingdom"}[lang]
    uk_first = {"fr": "Le Gouvernement du Royaume-Uni de Grande-Bretagne et d'Irlande du Nord et le "
                      "Gouvernement de la République française",
                "en": "The Government of the United Kingdom of Great Britain and Northern Ireland and "
                      "the Government of the French Republic"}[lang]
    fr_copy = norm(build(case, "agreement", lang, agreement_kind="readmission", copy="fr").document.text())
    uk_copy = norm(build(case, "agreement", lang, agreement_kind="readmission", copy="uk").document.text())
    assert fr_first in fr_copy and uk_first not in fr_copy
    assert uk_first in uk_copy
    uk_built = build(case, "agreement", lang, agreement_kind="readmission", copy="uk")
    sigs_uk = [t for t, c, p in texts(uk_built) if c == "signature-block"]
    assert "Royaume-Uni" in sigs_uk[0] or "United Kingdom" in sigs_uk[0]


@pytest.mark.parametrize("kind", ["readmission", "operational-cooperation"])
def test_mou_register_has_no_treaty_words(case, kind):
    built = build(case, "agreement", "en", agreement_kind=kind, register="mou")
    # the whole document (titles, headings, tables included): a "shall" may stand only in
    # a reviewer note (a reservation may quote the treaty's words), never in the text
    notes = {norm(t) for t, c, p in texts(built) if c == "note"}
    shall = [line for line in built.document.text().splitlines()
             if re.search(r"\bshall\b", line, re.I)]
    assert all(norm(line) in notes for line in shall), shall
    body = "\n".join(t for t, c, p in texts(built) if c != "note")
    assert not re.search(r"\bshall\b", body, re.I)
    assert not re.search(r"\bArticle\b", body)
    assert "Paragraph 1" in body and "Participants" in body
    assert "equally valid" in body and "Signed at" in body
    assert "In witness whereof" not in body


def test_parallel_pairs_the_same_articles(case, parallel_agreements):
    built = build(case, "agreement", "fr", agreement_kind="readmission", parallel=True)
    rows = [tr for tr in built.document.body.iter("tr")]
    pairs = 0
    for tr in rows:
        cells = tr.findall("td")
        heads = [c.find("h2[@data-article]") for c in cells]
        if all(h is not None for h in heads):
            assert heads[0].get("data-article") == heads[1].get("data-article")
            assert cells[0].get("lang") == "fr" and cells[1].get("lang") == "en"
            pairs += 1
    assert pairs >= 16
    files = parallel_agreements["readmission"]
    assert set(files) == {"agreement-readmission.parallel.pdf", "agreement-readmission.parallel.docx"}
    pdf = pdf_body(files["agreement-readmission.parallel.pdf"])
    assert "Article premier" in pdf and "Article 1" in pdf
