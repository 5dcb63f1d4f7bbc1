"""The reply: every chosen position's clause text in both languages and both formats,
protocol by register, French typography, header and footer, determinism."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from conftest import BRIEF, docx_paragraphs, docx_text, docx_xml, norm, pdf_body, pdf_pages, pdf_text

from drafting import build, load_case, render_files
from drafting.documents.compose import values
from drafting.inputs.library import fill, paragraphs
from drafting.tree.typography import french


def expected_paragraphs(case, key, lang):
    clause = case.library[key]
    position = case.brief.positions[key]
    text = clause.text(position, "reply", lang)
    return paragraphs(fill(text, values(case, lang)))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_position_appears_in_docx_and_pdf(reply_files, make_case, lang):
    case = make_case()
    docx_all = norm(docx_text(reply_files[f"reply.{lang}.docx"]))
    suscription = set(case.protocol.suscription(case.person("castex"), case.person("johnson"), lang))
    pdf_all = pdf_body(reply_files[f"reply.{lang}.pdf"], drop=suscription)
    assert case.brief.positions, "the default brief chooses positions"
    for key in case.brief.positions:
        for para in expected_paragraphs(case, key, lang):
            want = norm(french(para) if lang == "fr" else para)
            assert want in docx_all, (key, lang, "docx")
            assert want in pdf_all, (key, lang, "pdf")


def test_reply_styles_and_structure(reply_files):
    paras = [p for p in docx_paragraphs(reply_files["reply.fr.docx"]) if p.text.strip()]
    styles = [p.style.name for p in paras]
    assert styles[0] == "Draft Letterhead" and paras[0].text == "RÉPUBLIQUE FRANÇAISE"
    assert paras[1].text == "Le Premier ministre"
    assert paras[2].style.name == "Draft Date Line"
    assert paras[2].text == "Paris, le 1er\u00a0décembre 2021"  # day and month unbreakable
    sal = next(p for p in paras if p.style.name == "Draft Salutation")
    assert sal.text == "Monsieur le Premier ministre,"
    close = next(p for p in paras if p.style.name == "Draft Close")
    assert close.text == ("Je vous prie d\u2019agréer, Monsieur le Premier ministre, "
                          "l\u2019expression de ma très haute considération.")
    body = [p for p in paras if p.style.name == "Draft Body"]
    # condolences first, then the reference line, then on whose behalf he answers
    assert "naufrage" in body[0].text
    assert body[1].text.startswith("Par lettre du 25\u00a0novembre 2021")
    assert "Président de la République" in body[2].text and "en son nom" in body[2].text
    assert paras[-1].text.startswith("Copie\u00a0: M. Charles Michel, président du Conseil européen")
    assert next(p for p in paras if p.style.name == "Draft Signature").text == "Jean Castex"


def test_header_footer_marking_draft_and_page_field(reply_files):
    import docx
    d = docx.Document(io.BytesIO(reply_files["reply.fr.docx"]))
    sec = d.sections[0]
    header = "\n".join(p.text for p in sec.header.paragraphs)
    footer_xml = sec.footer._element.xml
    assert "Diffusion Restreinte" in header
    assert "PROJET - version de travail du 1er décembre 2021" in header  # never released
    assert "Diffusion Restreinte" in "".join(p.text for p in sec.footer.paragraphs)
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
    # the suscription stands at the foot of the first page
    first = "\n".join(p.text for p in sec.first_page_footer.paragraphs)
    assert "Monsieur Boris Johnson" in first and "10 Downing Street" in first
    assert sec.different_first_page_header_footer
    pdf = pdf_text(reply_files["reply.fr.pdf"])
    assert pdf.count("Diffusion Restreinte") >= 2 * 2  # top and bottom of each page
    assert "1/" in pdf and "PROJET - version de travail du 1er décembre 2021" in pdf


def test_english_is_a_courtesy_translation(reply_files):
    text = docx_text(reply_files["reply.en.docx"])
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[0] == "Courtesy translation - the French text is authoritative"
    assert lines[1] == "Translation of the French original, version 4 of 1\u00a0December 2021"
    assert "Dear Prime Minister," in lines  # "Monsieur le Premier ministre," in English
    assert "Please accept, Prime Minister, the assurance of my highest consideration." in lines
    assert "(signed) Jean Castex" in lines
    assert "Paris, 1\u00a0December 2021" in lines
    pdf = norm(pdf_text(reply_files["reply.en.pdf"]))
    assert "(signed) Jean Castex" in pdf and "Courtesy translation" in pdf
    # the address block renders the French one ("Monsieur Boris Johnson"), not UK usage
    import docx
    foot = [p.text for p in docx.Document(io.BytesIO(reply_files["reply.en.docx"]))
            .sections[0].first_page_footer.paragraphs]
    assert "His Excellency Mr Boris Johnson" in foot and not any("Rt Hon" in t for t in foot)


def test_same_text_in_docx_and_pdf(reply_files, make_case):
    for lang in ("fr", "en"):
        case = make_case()
        tree_text = build(case, "reply", lang).document.text()
        susc = set(case.protocol.suscription(case.person("castex"), case.person("johnson"), lang))
        pdf_full = pdf_body(reply_files[f"reply.{lang}.pdf"])
        pdf_flow = pdf_body(reply_files[f"reply.{lang}.pdf"], drop=susc)
        import docx
        d = docx.Document(io.BytesIO(reply_files[f"reply.{lang}.docx"]))
        foot = " ".join(p.text for p in d.sections[0].first_page_footer.paragraphs)
        docx_all = norm(docx_text(reply_files[f"reply.{lang}.docx"]) + " " + foot)
        for line in tree_text.splitlines():
            if line.strip():
                assert norm(line) in docx_all
                assert norm(line) in (pdf_full if norm(line) in {norm(x) for x in susc} else pdf_flow), line


def test_changing_one_position_changes_that_paragraph_only(make_case):
    base = make_case()
    changed = make_case(overrides=["joint-patrols=accept-with-conditions"])
    for lang in ("fr", "en"):
        a = [p for p in build(base, "reply", lang).document.body.iter("p")]
        b = [p for p in build(changed, "reply", lang).document.body.iter("p")]
        ta = [("".join(p.itertext()), p.get("data-clause")) for p in a]
        tb = [("".join(p.itertext()), p.get("data-clause")) for p in b]
        differing = {x[1] for x in set(ta) ^ set(tb)}
        assert differing == {"joint-patrols"}, differing
        assert len([t for t in tb if t[1] == "joint-patrols"]) >= 1


def test_two_briefs_two_registers(make_case, case_folder):
    pres = make_case(brief=case_folder / "brief-president.yaml")
    fr = build(pres, "reply", "fr").document
    texts = [("".join(p.itertext()), p.get("class")) for p in fr.body.iter("p", "h1", "h2")]
    assert ("Cher Boris,", "salutation") in texts
    assert any(c == "close" and "cher Boris" in t for t, c in texts)
    assert ("Le Président de la République", "office") in texts
    assert not any(p.get("data-clause") == "on-behalf" for p in fr.body.iter("p"))
    assert ("Emmanuel Macron", "signature") in texts
    en = build(pres, "reply", "en").document
    assert any(t == "Dear Boris," for t, in [( "".join(p.itertext()),) for p in en.body.iter("p")])


def test_french_typography_in_docx_xml(project):
    brief = project / BRIEF
    brief.write_text(brief.read_text(encoding="utf-8") + """paragraphs:
  - after: principles
    fr: >-
      Faut-il le rappeler ? Nos pays sont « voisins » depuis 20000 ans : 10:30 reste.
    en: >-
      Need we recall it? Our countries have been "neighbours" for 20,000 years: 10:30 stays.
""", encoding="utf-8")
    case = load_case(project)
    files = render_files(case, "reply", formats=("docx",))
    xml = docx_xml(files["reply.fr.docx"])
    assert "rappeler\u202f?" in xml
    assert "«\u202fvoisins\u202f»" in xml
    assert "20\u202f000" in xml and "ans\u00a0:" in xml and "10:30" in xml
    # the English text gets none of it: no narrow no-break space anywhere in its body
    # (the letter, up to the copies line)
    en = docx_xml(files["reply.en.docx"])
    letter = en.split("<w:body>")[1]
    assert "Copy:" in letter
    letter = letter.split("Copy:")[0]
    assert "recall it?" in letter and "20,000 years: 10:30" in letter
    assert "\u202f" not in letter
    assert "it?" in en and "it\u202f?" not in en
    # case-specific paragraphs are flagged as not from the library (a reviewer comment)
    comments = docx_xml(files["reply.fr.docx"], "word/comments.xml")
    assert "hors bibliothèque" in comments


def test_docx_only_never_imports_weasyprint(tmp_path, workspace):
    code = ("import sys; from drafting.cli import run\n"
            "try:\n run(['reply','--format','docx','--out',sys.argv[1]])\n"
            "except SystemExit as e:\n assert not e.code, e.code\n"
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n")
    res = subprocess.run([sys.executable, "-c", code, str(tmp_path)], cwd=workspace,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    written = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert written == ["reply.en.docx", "reply.fr.docx"]  # beside draft's hidden manifest and lock


def test_byte_identical_reruns(make_case):
    a = render_files(make_case(), "reply")
    b = render_files(make_case(), "reply")
    for name in a:
        assert a[name] == b[name], name


def test_pdf_uses_only_shipped_fonts_covering_every_character(reply_files, make_case):
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader
    names = set()
    for name in ("reply.fr.pdf", "reply.en.pdf"):
        reader = PdfReader(io.BytesIO(reply_files[name]))
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert names and all(n.startswith("Source-Sans-Pro") for n in names), names
    case = make_case()
    chars = set()
    for lang in ("fr", "en"):
        chars |= set(build(case, "reply", lang).document.text())
    chars.discard("\n")
    for style in ("Regular", "It", "Bold"):
        cmap = TTFont(case.templates / "fonts" / f"SourceSansPro-{style}.ttf").getBestCmap()
        missing = {c for c in chars if ord(c) not in cmap}
        assert not missing, (style, missing)
    assert "\u202f" in chars


def test_proposal_quotes_are_the_letters_words(make_case):
    case = make_case()
    text = norm(case.letter.text)
    assert len(case.letter.proposals) >= 9
    for p in case.letter.proposals:
        assert norm(p.quote) in text, p.key


def test_suscription_stands_on_the_first_page_only(reply_files):
    """The addressee block is at the foot of page 1 of the PDF, whatever the text's length."""
    for lang, name in (("fr", "Monsieur Boris Johnson"), ("en", "Mr Boris Johnson")):
        pages = pdf_pages(reply_files[f"reply.{lang}.pdf"])
        assert name in pages[0] and "10 Downing Street" in pages[0], lang
        assert not any("10 Downing Street" in p for p in pages[1:]), lang
