"""writers/pdf.py hands WeasyPrint the document's tree instead of its markup to parse:
the tree must be the one tinyhtml5 builds from that markup (then the PDF is the same),
and anything the parser would rebuild must go the long way, through the markup.

It also makes the arrays WeasyPrint hands HarfBuzz's subsetter without a pycparser run
per array length: pinned here (WeasyPrint's call, the same array)."""
from __future__ import annotations

import pytest
import tinyhtml5
from lxml import etree

from drafting import api
from drafting.inputs.case import load_case
from drafting.tree.document import Document
from drafting.writers import pdf


def _nodes(el, out=None, depth=0):
    out = [] if out is None else out
    out.append((depth, el.tag, tuple(el.attrib.items()), el.text, el.tail))
    for child in el:
        _nodes(child, out, depth + 1)
    return out


def _parsed(document):
    return tinyhtml5.parse(document.html().decode("utf-8"), namespace_html_elements=False)


def _documents(workspace):
    case = load_case(workspace)
    jobs = [*api.pack_jobs(case), ("matrix", "fr", {}), ("reply", "en", {"audience": "external"})]
    return [api.build(case, kind, lang, **opts) for kind, lang, opts in jobs]


def test_every_document_hands_over_the_tree_the_parser_builds(workspace):
    builts = _documents(workspace)
    handed = 0
    for built in builts:
        tree = pdf.html_tree(built.document.root)
        if tree is not None:
            handed += 1
            assert _nodes(tree) == _nodes(_parsed(built.document)), built.stem
    # every kind of the pack is handed over, the agreements' rows (<tr> right inside a
    # <table>, to which the parser adds a <tbody>) included
    assert handed == len(builts)
    assert any(t.tag == "tbody" for b in builts if b.kind == "agreement"
               for t in pdf.html_tree(b.document.root).iter())


def _doc(body: str) -> Document:
    markup = (f'<html lang="fr">\n<head>\n<title>T</title>\n</head>\n<body data-kind="reply">\n'
              f'{body}\n</body>\n</html>')
    return Document(root=etree.fromstring(markup.encode("utf-8")), name="t", lang="fr", title="T")


@pytest.mark.parametrize("body", [
    '<p class="body">a <strong>b</strong> c</p>',
    '<table class="plain"><tr><td><p class="cell">x</p></td></tr>\n<tr><td>y</td></tr>\n</table>',
    '<table><thead><tr><th>h</th></tr></thead>\n<tbody><tr><td>d</td></tr></tbody></table>',
    '<div class="keep"><p class="body">x<br/>y</p></div>',
    '',
])
def test_trees_the_parser_keeps_are_handed_over_as_it_builds_them(body):
    doc = _doc(body)
    tree = pdf.html_tree(doc.root)
    assert tree is not None
    assert _nodes(tree) == _nodes(_parsed(doc))


@pytest.mark.parametrize("body", [
    '<p class="body">a <div class="keep">b</div></p>',          # a block in a paragraph
    '<table><tr><td>x</td></tr>stray</table>',                   # text a table moves out
    '<table><tbody><td>x</td></tbody></table>',                  # a cell without a row
    '<p class="body"><a class="ref" href="#x">a<a class="ref" href="#y">b</a></a></p>',
    '<p class="body">carriage&#13;return</p>',                   # a character it rewrites
    '<p class="body"><a class="ref" href="#a b">x</a></p>',      # an href libxml2 escapes
    '<p class="body" dataX="1">x</p>',                           # a name it lowercases
    '<p class="body">x<br>y</br></p>',                           # a void element's content
    '<p class="body">x</p><!-- c -->',
])
def test_trees_the_parser_would_rebuild_go_through_the_markup(body):
    assert pdf.html_tree(_doc(body).root) is None


def test_the_tree_and_the_markup_give_the_same_pdf(workspace, monkeypatch):
    builts = {b.stem: b for b in _documents(workspace)}
    case = load_case(workspace)
    picked = [builts["reply.fr"], next(b for b in builts.values() if b.kind == "agreement")]
    handed = [pdf.write_pdf(b.document, case.templates) for b in picked]
    monkeypatch.setattr(pdf, "html_tree", lambda root: None)
    parsed = [pdf.write_pdf(b.document, case.templates) for b in picked]
    assert handed == parsed


def test_font_subsetting_arrays_are_made_once_parsed():
    """WeasyPrint still makes its subsetting arrays as `hb_codepoint_t[{n}]` (if that
    changes, _sized_arrays no longer applies: revisit it), and the array made is the
    one cffi makes from that type: n items, the values first, zeros after."""
    import inspect

    from weasyprint.pdf import fonts
    from weasyprint.text.ffi import ffi

    assert "ffi.new(f'hb_codepoint_t[{len(" in inspect.getsource(fonts.Font._harfbuzz_subset)
    original = type(ffi).new.__get__(ffi)
    for cdecl, init in [("hb_codepoint_t[5]", [7, 8, 9]), ("hb_codepoint_t[3]", (1, 2, 3)),
                        ("hb_codepoint_t[4]", None), ("hb_codepoint_t[0]", [])]:
        made, expected = ffi.new(cdecl, init), original(cdecl, init)
        assert len(made) == len(expected) and list(made) == list(expected)
        assert ffi.sizeof(made) == ffi.sizeof(expected)
    assert ffi.new("hb_codepoint_t[2]") is not ffi.new("hb_codepoint_t[2]")
