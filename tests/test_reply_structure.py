"""The reply's structure (issue 15): its letterhead and office are its headings, so that a
screen reader (the PDF/UA's H1 and H2 tags) and Word's navigation pane (outline levels
1 and 2 on the house styles Draft Letterhead and Draft Office) have a way into the
letter, and the letter looks as it did: print.css gives h1.letterhead and h2.office the
computed style the letterhead's paragraphs had, not the h1/h2 of the other documents."""
from __future__ import annotations

import io

import pytest
from conftest import norm, run_cli
from pypdf import PdfReader

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def reply(make_case, workspace, tmp_path_factory):
    """(case, {name: bytes}) of the reply, both languages, DOCX and PDF/UA-1, as
    `draft reply --pdf pdf/ua-1` writes them."""
    out = tmp_path_factory.mktemp("reply") / "out"
    code, _, _ = run_cli(["--root", str(workspace), "reply", "--pdf", "pdf/ua-1", "--out",
                          str(out)])
    assert code == 0
    return make_case(), {p.name: p.read_bytes() for p in out.iterdir()}


def _struct(node, out):
    """The structure types of a PDF's structure tree, in reading order."""
    node = node.get_object()
    if isinstance(node, dict):
        if node.get("/S"):
            out.append(str(node["/S"])[1:])
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(kid, "get_object"):
                _struct(kid, out)
    return out


def _outline(items, depth=0, out=None):
    out = [] if out is None else out
    for item in items:
        if isinstance(item, list):
            _outline(item, depth + 1, out)
        else:
            out.append((depth, norm(item.title)))
    return out


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_tags_the_letterhead_and_office_as_headings(reply, lang):
    case, files = reply
    from drafting import build
    tree = build(case, "reply", lang).document
    country, office = (norm("".join(tree.body.find(tag).itertext())) for tag in ("h1", "h2"))
    reader = PdfReader(io.BytesIO(files[f"reply.{lang}.pdf"]))
    root = reader.trailer["/Root"]
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    tags = _struct(root["/StructTreeRoot"], [])
    headings = [t for t in tags if t in ("H1", "H2", "H3", "H4", "H5", "H6")]
    assert headings == ["H1", "H2"], tags  # one H1, its H2 under it, no level skipped
    # before the first heading, the translation's notes only (the English courtesy one)
    before = tags[1:tags.index("H1")]
    assert ("P" in before) == (lang == "en"), before
    # the headings' text: WeasyPrint makes the PDF's outline from the same h1/h2
    assert _outline(reader.outline) == [(0, country), (1, office)]
    assert country and office and country != office


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_word_shows_the_letterhead_and_office_in_the_navigation_pane(reply, lang):
    from lxml import etree
    _case, files = reply
    import zipfile
    xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(files[f"reply.{lang}.docx"]))
                           .read("word/document.xml"))
    levels = []
    for p in xml.iter(W + "p"):
        level = p.find(f"{W}pPr/{W}outlineLvl")
        if level is not None:
            style = p.find(f"{W}pPr/{W}pStyle").get(W + "val")
            levels.append((style, int(level.get(W + "val")),
                           "".join(t.text or "" for t in p.iter(W + "t"))))
    assert [(s, lv) for s, lv, _ in levels] == [("DraftLetterhead", 0), ("DraftOffice", 1)]
    assert all(text.strip() for _s, _lv, text in levels)


LOOK = ("font_size", "font_weight", "font_style", "letter_spacing", "text_align_all",
        "margin_top", "margin_bottom", "margin_left", "margin_right", "line_height",
        "text_indent", "color")


def test_the_headings_look_as_the_letterhead_did(workspace):
    """WeasyPrint's computed style of <h1 class="letterhead"> and <h2 class="office"> (what
    the reply now emits) is that of <p class="letterhead"> and <p class="office"> (what it
    emitted), after the translation note too: the letter looks the same."""
    import weasyprint

    html = ('<html lang="en"><body data-kind="reply">'
            '<p class="translation">t</p><h1 class="letterhead">A</h1><h2 class="office">B</h2>'
            '<p class="translation">t</p><p class="letterhead">A</p><p class="office">B</p>'
            '<h1 class="letterhead">A</h1><h2 class="office">B</h2>'
            '<p class="letterhead">A</p><p class="office">B</p></body></html>')
    css = weasyprint.CSS(filename=str(workspace / "templates" / "print.css"))
    page = weasyprint.HTML(string=html, base_url=str(workspace / "templates")).render(
        stylesheets=[css]).pages[0]._page_box

    def blocks(box):
        for child in getattr(box, "children", []):
            if getattr(child, "element_tag", None) in ("h1", "h2", "p"):
                yield child
            else:
                yield from blocks(child)

    found = [b for b in blocks(page) if b.element.get("class") != "translation"]
    looks = [{k: b.style[k] for k in LOOK} for b in found]
    assert [b.element_tag for b in found] == ["h1", "h2", "p", "p", "h1", "h2", "p", "p"]
    assert looks[0] == looks[2] and looks[1] == looks[3]  # after the translation note
    assert looks[4] == looks[6] and looks[5] == looks[7]  # at the top of the letter
    assert looks[0] != looks[1]

