"""An agreement's structure is the same in Word and in the PDF (issue 15): its title is H1,
each article's label ("Article 5") H2 and its heading H3, in the PDF/UA's tags and
outline as in Word's outline levels, from the same tree; the parallel text too."""
from __future__ import annotations

import io
import re

import docx
import pytest
from conftest import norm, run_cli
from pypdf import PdfReader
from test_reply_structure import _outline, _struct

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def agreement(workspace, tmp_path_factory):
    """{name: bytes}: the readmission treaty (fr, en) with a PDF/UA-1, and its parallel text."""
    out = tmp_path_factory.mktemp("agreement") / "out"
    for extra in ([], ["--parallel"]):
        code, _, err = run_cli(["--root", str(workspace), "agreement", "readmission",
                                "--pdf", "pdf/ua-1", "--out", str(out), *extra])
        assert code == 0, err
    return {p.name: p.read_bytes() for p in out.iterdir()}


def _word_levels(data):
    """(outline level, text) of the paragraphs Word's navigation pane lists."""
    document = docx.Document(io.BytesIO(data))
    styles = {s.style_id: s for s in document.styles}
    out = []
    for p in document.element.body.iter(f"{W}p"):
        lvl = p.find(f"{W}pPr/{W}outlineLvl")
        if lvl is None:  # the style's own level (Draft Title: level 1)
            sid = p.find(f"{W}pPr/{W}pStyle")
            style = styles.get(sid.get(f"{W}val")) if sid is not None else None
            lvl = style.element.find(f"{W}pPr/{W}outlineLvl") if style is not None else None
        if lvl is not None and int(lvl.get(f"{W}val")) < 9:
            out.append((int(lvl.get(f"{W}val")), norm("".join(t.text or "" for t in p.iter(f"{W}t")))))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_tags_articles_as_word_outlines_them(agreement, lang):
    reader = PdfReader(io.BytesIO(agreement[f"agreement-readmission.{lang}.pdf"]))
    tags = [t for t in _struct(reader.trailer["/Root"]["/StructTreeRoot"], [])
            if t in ("H1", "H2", "H3", "H4", "H5", "H6")]
    assert tags[0] == "H1" and tags.count("H1") == 1, tags
    assert tags.count("H2") >= 10 and "H3" in tags, tags
    for prev, cur in zip(tags, tags[1:]):  # no level skipped going down
        assert int(cur[1]) <= int(prev[1]) + 1, tags
    word = _word_levels(agreement[f"agreement-readmission.{lang}.docx"])
    # the same headings at the same levels: Word's level 0 is the PDF's H1
    assert [f"H{level + 1}" for level, _ in word] == tags
    pdf = _outline(reader.outline)
    assert [level for level, _ in word] == [level for level, _ in pdf]
    numbered = 0
    for (_, in_word), (_, in_pdf) in zip(word, pdf):
        if in_word:
            assert in_word == in_pdf
        else:  # "Article 5" is Word numbering ("Article %1"): the paragraph holds no text
            assert re.fullmatch(r"Article \d+", in_pdf), in_pdf
            numbered += 1
    assert numbered >= 10


def test_the_parallel_text_tags_each_side_s_articles(agreement):
    data = agreement["agreement-readmission.parallel.pdf"]
    tags = _struct(PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"], [])
    word = _word_levels(agreement["agreement-readmission.parallel.docx"])
    articles = [text for level, text in word if level == 1]
    assert tags.count("H2") == len(articles) >= 20  # both texts' articles, side by side
