"""Word structure: headings carry outline levels (the navigation pane), and the tree's
numbers (agenda items, articles, an article's paragraphs) are Word numbering that shows
the same numbers as the PDF and renumbers when a reviewer inserts an item (issue 15)."""
from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import norm, pdf_text, styled_paragraphs, word_numbers
from docx.oxml.ns import qn

HEADING_LEVELS = {"Draft Title": 0, "Draft Heading": 1, "Draft Subheading": 2}


@pytest.fixture(scope="module")
def files(pack_files, parallel_agreements):
    return {**pack_files, **parallel_agreements["readmission"]}


def _docs(files):
    return sorted(n for n in files if n.endswith(".docx"))


def _shown(data):
    """[(the number Word shows, the paragraph's own text)] in document order."""
    d = docx.Document(io.BytesIO(data))
    numbers = word_numbers(d)
    out = []
    for p, number in numbers.items():
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        out.append((number, text))
    return out


def test_word_numbers_are_the_pdf_numbers(files):
    """Every Word-numbered paragraph reads, number first, as the PDF prints it, in the
    same order; the kinds that number things have Word numbering at all."""
    numbered = {}
    for name in _docs(files):
        shown = _shown(files[name])
        numbered[name] = len(shown)
        pdf = norm(pdf_text(files[name.replace(".docx", ".pdf")]))
        at = 0
        for number, text in shown:
            words = norm(number + text).split(" ")[:4]
            # the PDF may break a line (or hyphenate) anywhere after the first words
            pattern = r"\s?".join(re.escape(w) for w in " ".join(words))
            m = re.compile(pattern).search(pdf, at)
            assert m, (name, number, text[:60], pdf[at:at + 200])
            # two texts side by side: the PDF's text runs column by column, page by page
            at = m.end() if ".parallel." not in name else 0
    for stem, least in (("agenda.fr", 7), ("agenda.en", 7), ("annotated-agenda.fr", 7),
                        ("agreement-readmission.fr", 20), ("agreement-readmission.en", 20),
                        ("agreement-readmission.parallel", 40)):
        assert numbered[stem + ".docx"] >= least, (stem, numbered[stem + ".docx"])


def test_numbers_restart_where_the_document_restarts(files):
    """An article's paragraphs count from 1 in each article; articles and items run on."""
    shown = _shown(files["agreement-readmission.fr.docx"])
    articles = [int(re.search(r"\d+", n).group()) for n, _ in shown if n.startswith("Article")]
    assert articles == list(range(articles[0], articles[0] + len(articles)))
    paragraphs = [n for n, _ in shown if not n.startswith("Article")]
    assert paragraphs.count("1. ") >= 5 and "1. " == paragraphs[0]
    items = [n for n, _ in _shown(files["agenda.fr.docx"])]
    assert items == [f"{i}. " for i in range(1, len(items) + 1)]


def test_inserting_an_item_renumbers_the_rest(files):
    """A reviewer's new item (a copy of item 2 inserted after it, as Word's Enter makes
    one) takes number 3 and the items after it move up by one."""
    d = docx.Document(io.BytesIO(files["agenda.en.docx"]))
    before = list(word_numbers(d).items())
    second = before[1][0]
    new = copy.deepcopy(second)
    second.addnext(new)
    after = word_numbers(d)
    assert after[new] == "3. "
    assert [after[p] for p, _ in before] == ["1. ", "2. "] + [f"{i}. " for i in range(4, len(before) + 2)]
    assert len(d.part.numbering_part.element.findall(qn("w:num"))) == 1  # one list


def test_headings_carry_outline_levels(files):
    """The heading styles carry Word outline levels (navigation pane, LibreOffice's
    navigator), every document has headings, and an agreement's article labels are
    level 1 entries under the title, their headings level 2."""
    for name in _docs(files):
        d = docx.Document(io.BytesIO(files[name]))
        styles = {s.name: s for s in d.styles if s.type == 1}
        for style, level in HEADING_LEVELS.items():
            lvl = styles[style].element.find(qn("w:pPr") + "/" + qn("w:outlineLvl"))
            assert lvl is not None and lvl.get(qn("w:val")) == str(level), (name, style)
        used = {s for s, _ in styled_paragraphs(files[name])}
        if not name.startswith(("reply", "agreement-readmission.parallel",
                                "agreement-operational-cooperation.parallel")):
            assert used & set(HEADING_LEVELS), (name, used)
    d = docx.Document(io.BytesIO(files["agreement-readmission.en.docx"]))
    numbers = word_numbers(d)
    labels = [p for p in d.paragraphs if numbers.get(p._p, "").startswith("Article")
              or p.text.startswith("Article")]
    assert len(labels) >= 10
    for p in labels:
        assert p._p.find(qn("w:pPr") + "/" + qn("w:outlineLvl")).get(qn("w:val")) == "1"


FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"


def test_the_docx_is_word_2013_and_embeds_the_shipped_fonts(files):
    """compatibilityMode 15 (no compatibility mode in Word 2013+), w:embedTrueTypeFonts,
    and the four faces of Source Sans Pro as obfuscated parts that de-obfuscate (ECMA-376
    17.8.1, key: the w:fontKey GUID's bytes from its end) to the shipped TrueType files."""
    from lxml import etree
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    faces = {"embedRegular": "SourceSansPro-Regular.ttf", "embedBold": "SourceSansPro-Bold.ttf",
             "embedItalic": "SourceSansPro-It.ttf", "embedBoldItalic": "SourceSansPro-BoldIt.ttf"}
    for name in _docs(files):
        z = zipfile.ZipFile(io.BytesIO(files[name]))
        settings = etree.fromstring(z.read("word/settings.xml"))
        mode = [c.get(w + "val") for c in settings.iter(w + "compatSetting")
                if c.get(w + "name") == "compatibilityMode"]
        assert mode == ["15"], name
        assert settings.find(w + "embedTrueTypeFonts") is not None
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {rel.get("Id"): "word/" + rel.get("Target") for rel in rels}
        font = [f for f in etree.fromstring(z.read("word/fontTable.xml")).iter(w + "font")
                if f.get(w + "name") == "Source Sans Pro"]
        assert len(font) == 1, name
        for tag, ttf in faces.items():
            e = font[0].find(w + tag)
            key = bytes.fromhex(e.get(w + "fontKey").strip("{}").replace("-", ""))[::-1]
            data = z.read(targets[e.get(r + "id")])
            plain = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32])) + data[32:]
            assert plain == (FONTS / ttf).read_bytes(), (name, tag)
        types = z.read("[Content_Types].xml").decode()
        assert types.count("application/vnd.openxmlformats-officedocument.obfuscatedFont") >= 1
        styles = z.read("word/styles.xml").decode()
        assert "Arial" not in styles and 'w:ascii="Source Sans Pro"' in styles
