"""Property-based tests over clause, brief and letter text (issue 6, item 3).

Any Unicode text a drafter can put in a YAML file either comes out exactly as written
in the document tree and the DOCX (English: no French typography), or is refused with
the error contract (`path:line:col: problem - hint`). For the PDF, a limited alphabet,
compared after normalising spaces. A long unbroken word wraps inside the margins.
Examples are few (the PDF costs): this is a net for surprises, not a fuzzer.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import docx_paragraphs, norm, pdf_text
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from drafting import build, write_docx_bytes, write_pdf_bytes
from drafting.errors import InputError
from drafting.inputs.library import PLACEHOLDER_RE
from drafting.inputs.sources import VALUE_BAD, XML_BAD, load_yaml
from drafting.tree.document import text_of

CONTRACT = re.compile(r"^\S+\.yaml:\d+:\d+: .+ - .+$")
FEW = settings(max_examples=20, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow])
FEWER = settings(max_examples=8, deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow])

# Any character, surrogates and controls included, but not the line break that makes a
# new paragraph (a separate property) nor the brace that opens a {placeholder}.
ANY = st.one_of(
    st.characters(exclude_characters="\n{"),
    st.characters(categories=["Cc"], exclude_characters="\n"),
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, categories=["Cs"]),
    st.sampled_from("<>&\"']]>\u00a0\u202f\u2019\u2028\u0085\ufeff\ufffe\r\t"),
)
# What the PDF test types: Latin text with the punctuation of both languages.
PDF_ALPHABET = st.sampled_from(list(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    " .,;:!?()-/%&<>\"'éèêàâçôûùœÉÀÇ«»€–"))


def yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar, escaping what a file cannot hold raw."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch in '\\"':
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F or (0xA0 <= o < 0xD800 and o not in (0x2028, 0x2029)) or (
                0xE000 <= o <= 0xFFFD and o != 0xFEFF) or o > 0xFFFF:
            out.append(ch)
        elif o <= 0xFF:
            out.append(f"\\x{o:02x}")
        else:
            out.append(f"\\u{o:04x}")
    return '"' + "".join(out) + '"'


def read_value(text: str):
    """Write `text` into a YAML file and read it back as the tool does."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "text.yaml"
        path.write_text(f"key: value\nen: {yaml_quoted(text)}\n", encoding="utf-8")
        return load_yaml(path)["en"]


def refused(text: str) -> InputError | None:
    try:
        read_value(text)
    except InputError as exc:
        return exc
    return None


@pytest.fixture(scope="module")
def case(make_case):
    return make_case()


def _put(case, text):
    """Put `text` as the English reply text of the condolences clause; return an undo."""
    node = case.library["condolences"].positions["standard"]["reply"]
    old = node["en"]
    node["en"] = text

    def undo():
        node["en"] = old
    return undo


def _condolences(built):
    return [text_of(p) for p in built.document.body.iter("p") if p.get("data-clause") == "condolences"]


@FEW
@given(text=st.text(ANY, min_size=1, max_size=40))
@example("a\rb").via("a carriage return escape")
@example("a\r\nb").via("CRLF")
@example("\u2028\x85\t\ufeff\u00a0\u202f  x  ").via("odd spaces and separators")
@example("<b>&amp;]]></b>").via("markup")
def test_clause_text_round_trips_or_is_refused(case, text):
    assume(not PLACEHOLDER_RE.search(text))
    error = refused(text)
    if error is not None:
        # refused only for what a document cannot hold, and said the contract's way
        assert VALUE_BAD.search(text), (text, str(error))
        assert CONTRACT.match(str(error)), str(error)
        return
    expected = text.strip(" ")
    assume(expected)
    undo = _put(case, read_value(text))
    try:
        built = build(case, "reply", "en")
        assert _condolences(built) == [expected]
        data = write_docx_bytes(case, built)
    finally:
        undo()
    assert expected in [p.text for p in docx_paragraphs(data)]


@FEW
@given(lines=st.lists(st.text(st.characters(exclude_characters="\n{\r", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
                              min_size=1, max_size=15), min_size=2, max_size=3))
def test_clause_line_breaks_make_paragraphs(case, lines):
    """A newline in a clause starts a new paragraph; nothing else moves."""
    text = "\n".join(lines)
    assume(not PLACEHOLDER_RE.search(text) and not XML_BAD.search(text))
    expected = [line.strip(" ") for line in lines if line.strip(" ")]
    assume(expected)
    undo = _put(case, read_value(text))
    try:
        built = build(case, "reply", "en")
    finally:
        undo()
    assert _condolences(built) == expected


@FEW
@given(text=st.text(ANY, min_size=1, max_size=40))
def test_brief_paragraph_round_trips_or_is_refused(case, text):
    """A case-specific paragraph of the brief: the same promise."""
    assume(not PLACEHOLDER_RE.search(text))
    if refused(text) is not None:
        return
    expected = text.strip(" ")
    assume(expected)
    from drafting.inputs.sources import Map
    para = Map(fr=read_value("Paragraphe propre."), en=read_value(text))
    case.brief.paragraphs.append(para)
    try:
        built = build(case, "reply", "en")
        data = write_docx_bytes(case, built)
    finally:
        case.brief.paragraphs.remove(para)
    found = [text_of(p) for p in built.document.body.iter("p") if p.get("data-case-specific")]
    assert found == [expected]
    assert expected in [p.text for p in docx_paragraphs(data)]


@FEW
@given(text=st.text(ANY, min_size=1, max_size=40))
def test_letter_quote_round_trips_or_is_refused(case, text):
    """A proposal's quote from the letter reaches the response matrix as written."""
    assume(not PLACEHOLDER_RE.search(text))
    build(case, "matrix", "en")  # the default case's matrix builds, whatever the example
    if refused(text) is not None:
        return
    expected = text.strip(" ")
    assume(expected)
    proposal = case.letter.proposals[0]
    old = proposal.quote
    proposal.quote = str(read_value(text))
    try:
        built = build(case, "matrix", "en")
    finally:
        proposal.quote = old
    cells = [text_of(el) for el in built.document.body.iter("td", "p")]
    assert any(expected == c.strip(" ") or expected in c for c in cells), (expected, cells[:12])


def test_refusals_name_line_and_column():
    """Every character a document cannot hold is refused at its line and column: the
    column of its escape (`en: "abc\\x1b..."`: the backslash is column 9)."""
    for ch in "\x00\x01\x08\x0b\x0c\r\x0e\x1b\x1f\ufffe\uffff\ud800\udfff":
        error = refused(f"abc{ch}def")
        assert error is not None, repr(ch)
        assert re.match(r"^\S+text\.yaml:2:9: character U\+[0-9A-F]{4} cannot appear", str(error)), \
            (repr(ch), str(error))


# --- the PDF ------------------------------------------------------------------------------

@FEWER
@given(text=st.text(PDF_ALPHABET, min_size=1, max_size=40))
def test_clause_text_reaches_the_pdf(case, text):
    expected = norm(text)
    assume(expected and re.search(r"[A-Za-z0-9]", expected))
    undo = _put(case, read_value(text))
    try:
        built = build(case, "reply", "en")
        pdf = write_pdf_bytes(case, built)
    finally:
        undo()
    got = re.sub(r"(\S)- (\S)", r"\1-\2", norm(pdf_text(pdf)))
    assert expected in got, (expected, got[:600])


@pytest.mark.parametrize("kind, lang", [("reply", "en"), ("reply", "fr")])
def test_long_unbroken_word_wraps_inside_the_margins(case, kind, lang):
    """A 200-character word (a URL, a reference number) breaks across lines instead of
    running off the page: every line box stays inside the page's content area, and the
    PDF carries the whole word."""
    import weasyprint

    from drafting.writers import pdf as pdf_writer

    word = "".join("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[i % 36] for i in range(200))
    node = case.library["condolences"].positions["standard"]["reply"]
    old = node[lang]
    node[lang] = read_value(f"Reference {word} end.")
    try:
        built = build(case, kind, lang)
        pdf = write_pdf_bytes(case, built)
        fonts, fetcher, css = pdf_writer._shared(case.templates)
        doc = weasyprint.HTML(string=built.document.html().decode(), base_url=str(case.templates) + "/",
                              url_fetcher=fetcher).render(stylesheets=[css], font_config=fonts)
    finally:
        node[lang] = old
    lines = 0
    for page in doc.pages:
        box = page._page_box
        right = box.content_box_x() + box.width + 0.5
        left = box.content_box_x() - 0.5
        for line in _line_boxes(box):
            text = "".join(t.text for t in _text_boxes(line))
            if any(c in text for c in word[:36]):
                lines += 1
            assert left <= line.position_x and line.position_x + line.width <= right, text
            for t in _text_boxes(line):
                assert t.position_x + t.width <= right, (t.text, t.position_x + t.width, right)
    assert lines >= 2  # the word was broken
    assert word in re.sub(r"\s+", "", pdf_text(pdf))


def _line_boxes(box):
    from weasyprint.formatting_structure import boxes
    if isinstance(box, boxes.LineBox):
        yield box
        return
    for child in getattr(box, "children", ()):
        yield from _line_boxes(child)


def _text_boxes(box):
    from weasyprint.formatting_structure import boxes
    if isinstance(box, boxes.TextBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child)
