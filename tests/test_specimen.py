"""Specimen: every class and element the templates emit has its look in both outputs, a
style of templates/reference.docx for Word and a rule of templates/print.css for the PDF,
so that no paragraph of any document falls back to Word's Normal style or to the
browser's bare defaults.

What the templates emit is collected twice: by rendering every document kind of the
default case (each variant the registry names, the agreement's parallel and MOU
variants, both languages, for the internal audience, which keeps everything), and by
reading the `class="..."` attributes of the templates themselves (branches the default
case does not take). The Word style an element gets is read from a one-paragraph DOCX
made by the real writer, so the check follows drafting/writers/docx.py (and
drafting/tree/document.py STYLES, HEADINGS) as they change.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARK = "SPECIMEN"

# How each element of a document tree reaches Word.
# - by a style of reference.docx: a paragraph by its class, a heading and a cell holding
#   text by their element, a span by its class (a character style);
BY_STYLE = {"p", "h1", "h2", "h3", "th", "td", "span"}
# - drawn by the writer itself, with no style (in the PDF: print.css or the browser's
#   defaults, which draw these the same way);
BY_WRITER = {
    "strong": "a bold run",
    "em": "an italic run",
    "br": "a line break",
    "sup": "a superscript run (an ordinal's suffix, '1er': tree/typography.py)",
    "table": "a Word table: borders, column widths from data-widths",
    "div": "nothing of its own: its paragraphs carry their styles",
    "a": "a cross-reference: a REF field to its target's bookmark, in the running text's runs",
}
# - structure, with no look of its own.
STRUCTURE = {"html", "head", "title", "meta", "body", "thead", "tbody", "tr", "colgroup", "col"}
# The classes of the elements the writer draws: what Word makes of each. A new one must
# say here how Word shows it (or become a paragraph class with a style).
DRAWN_CLASSES = {
    ("table", "plain"): "a table without borders (writers/docx.py: class plain)",
    ("table", "matrix"): "the matrix's column widths, from data-widths",
    ("table", "columns"): "two cells side by side, each paragraph in its own style",
    ("div", "suscription"): "the first page's footer, in Draft Suscription",
    ("div", "page-break"): "a page break",
    ("a", "ref"): "a REF field (writers/docx.py ref_field), the text's own look",
    ("div", "keep"): "no counterpart: Word keeps only a heading with the next paragraph "
                     "(Draft Subheading), where the PDF keeps the whole block on one page",
}
# Elements print.css must style as such (the house style is not the browser's default).
CSS_ELEMENTS = {"p", "h1", "h2", "h3", "th", "td", "table"}


# -- what the templates emit ---------------------------------------------------------------

def every_document(case) -> list:
    """Every document kind of the case built: each variant the registry names, and the
    parallel and MOU forms of the kinds that take them, in each language, internal."""
    from drafting import build
    from drafting.documents.registry import KINDS

    builts = []
    for name, kind in KINDS.items():
        variants = [dict(v) for v in kind.variants(case)]
        if kind.accepts("parallel"):
            variants += [dict(v, parallel=True) for v in kind.variants(case)]
        if kind.accepts("register"):
            variants += [dict(v, register="mou") for v in kind.variants(case)]
        for opts in variants:
            builts += [build(case, name, lang, audience="internal", **opts) for lang in kind.languages]
    return builts


def rendered(builts):
    """{(element, class): {document stems}} over the built documents."""
    found = defaultdict(set)
    for built in builts:
        for el in built.document.root.iter():
            if isinstance(el.tag, str):
                found[(el.tag, el.get("class", ""))].add(built.stem)
    return found


OPENING = re.compile(r'<([a-z][a-z0-9]*)\b((?:[^>"]|"[^"]*")*)>')
CLASS = re.compile(r'\bclass="([^"]*)"')
EXPRESSION = re.compile(r"\{\{(.*?)\}\}")


def written(templates: Path):
    """{(element, class): {template names}} from the templates' text: every element, with
    every class its class attribute can take (the literals in it, a macro parameter's
    default; the values a caller passes come in by rendering)."""
    found = defaultdict(set)
    for path in sorted(templates.glob("*.html.j2")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        for tag, attrs in OPENING.findall(text):
            value = CLASS.search(attrs)
            if value is None:
                found[(tag, "")].add(path.name)
                continue
            classes = EXPRESSION.sub(" ", value.group(1)).split()
            for expr in EXPRESSION.findall(value.group(1)):
                classes += [a or b for a, b in re.findall(r"'([\w-]+)'|\"([\w-]+)\"", expr)]
                bare = re.sub(r"'[^']*'|\"[^\"]*\"", " ", expr)
                for name in re.findall(r"[A-Za-z_][\w.]*", bare):
                    if "." not in name and name not in ("if", "else", "and", "or", "not"):
                        classes += re.findall(rf"\b{name}=['\"]([\w-]+)['\"]", text)
            for cls in classes:
                found[(tag, cls)].add(path.name)
    return found


# -- Word ------------------------------------------------------------------------------------

def reference_styles(reference: Path) -> dict:
    """{style id: (style name, style type)} of the reference document."""
    import docx
    return {s.style_id: (s.name, s.type) for s in docx.Document(str(reference)).styles}


def word_style(tag: str, cls: str, reference: Path, styles: dict):
    """(style name, style type) the DOCX writer gives the element, or None when it gives
    none (Word's Normal, the writer's fallback for a style reference.docx lacks)."""
    from lxml import etree

    from drafting.tree.document import Document
    from drafting.writers.docx import write_docx

    attr = f' class="{cls}"' if cls else ""
    if tag == "span":
        body = f'<p class="body">x <span{attr}>{MARK}</span></p>'
    elif tag in ("th", "td"):
        body = f"<table><tr><{tag}{attr}>{MARK}</{tag}></tr></table>"
    else:
        body = f"<{tag}{attr}>{MARK}</{tag}>"
    root = etree.fromstring(f'<html lang="en"><head><title>specimen</title></head>'
                            f'<body>{body}</body></html>')
    try:
        data = write_docx(Document(root=root, name="specimen", lang="en", title="specimen"),
                          reference, comments=False)
    except KeyError:  # a paragraph class the writer knows no style name for
        return None
    xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    run = next(r for r in xml.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")) == MARK)
    if tag == "span":
        ref = run.find(f"{W}rPr/{W}rStyle")
    else:
        p = next(a for a in run.iterancestors() if a.tag == W + "p")
        ref = p.find(f"{W}pPr/{W}pStyle")
    if ref is None:
        return None
    style = styles.get(ref.get(W + "val"))
    if style is None or style[0] == "Normal":
        return None
    return style


# -- print.css ---------------------------------------------------------------------------------

def css_compounds(css: Path) -> set:
    """{(element or '*', classes)} of every compound selector of print.css's rules that
    selects by element and class alone (no pseudo-class), at any place in a selector."""
    import tinycss2

    out = set()
    rules = tinycss2.parse_stylesheet(css.read_text(encoding="utf-8"), skip_comments=True,
                                      skip_whitespace=True)
    for rule in rules:
        if rule.type != "qualified-rule":  # @page, @font-face
            continue
        for selector in tinycss2.serialize(rule.prelude).split(","):
            for compound in re.split(r"\s*[>+~]\s*|\s+", selector.strip()):
                m = re.fullmatch(r"([a-z][a-z0-9]*|\*)?((?:\.[\w-]+)*)", compound)
                if m:
                    out.add((m.group(1) or "*", frozenset(m.group(2).split(".")[1:])))
    return out


def css_rule_for(tag: str, cls: str, compounds: set) -> bool:
    if cls:
        return any(cls in classes and t in (tag, "*") for t, classes in compounds)
    return (tag, frozenset()) in compounds


# -- the check ---------------------------------------------------------------------------------

def problems(emitted: dict, reference: Path, css: Path) -> list:
    """What lacks a Word style or a print.css rule, one line each ([] when all is styled)."""
    styles = reference_styles(reference)
    compounds = css_compounds(css)
    out = []
    for (tag, cls), where in sorted(emitted.items()):
        what = f"<{tag}{f' class={cls!r}' if cls else ''}> (in {', '.join(sorted(where))})"
        if tag in STRUCTURE:
            continue
        if tag in BY_STYLE:
            if cls and tag not in ("p", "span", "h1", "h2", "h3"):
                out.append(f"{what}: Word ignores a class on <{tag}>; only p, span and heading "
                           "classes choose a style")
            style = word_style(tag, cls, reference, styles)
            wanted = "CHARACTER" if tag == "span" else "PARAGRAPH"
            if style is None:
                out.append(f"{what}: no {wanted.lower()} style in reference.docx for it")
            elif style[1].name != wanted:
                out.append(f"{what}: Word style {style[0]!r} is a {style[1].name.lower()} style, "
                           f"not a {wanted.lower()} style")
        elif tag in BY_WRITER:
            if cls and (tag, cls) not in DRAWN_CLASSES:
                out.append(f"{what}: Word has no style for it - say in DRAWN_CLASSES how the "
                           "DOCX writer shows it")
        else:
            out.append(f"{what}: an element neither Word nor print.css is known to draw")
            continue
        if (cls or tag in CSS_ELEMENTS) and not css_rule_for(tag, cls, compounds):
            out.append(f"{what}: no rule in print.css")
    return out


@pytest.fixture(scope="module")
def documents(make_case):
    case = make_case()
    return case, every_document(case)


@pytest.fixture(scope="module")
def emitted(documents):
    case, builts = documents
    found = rendered(builts)
    for key, where in written(case.templates).items():
        found[key] |= where
    return case, found


def test_both_ways_of_collecting_see_the_templates(documents, emitted):
    """The collection is not empty-handed: the letter's, the agreement's and the matrix's
    classes are there, and what the templates' text promises beyond the default case
    (a case-specific paragraph) is too."""
    _, builts = documents
    assert {b.stem for b in builts} >= {"reply.fr", "annotated-agenda.en", "matrix.en",
                                        "agreement-readmission.parallel",
                                        "agreement-operational-cooperation.mou.en"}
    case, found = emitted
    for key in [("p", "salutation"), ("h2", "article-heading"), ("span", "bracket"),
                ("table", "matrix"), ("table", "columns"), ("div", "suscription"),
                ("p", "case-specific"), ("p", "body"), ("p", "field"), ("h1", ""), ("td", "")]:
        assert key in found, key
    assert ("p", "case-specific") not in rendered(builts)  # only the templates' text shows it


def test_every_class_and_element_has_a_word_style_and_a_css_rule(emitted):
    case, found = emitted
    assert problems(found, case.templates / "reference.docx", case.templates / "print.css") == []


# Documents the writer cannot write (none since the DOCX core properties are cut to
# python-docx's 255 characters: the French MOU of the operational-cooperation
# arrangement has a longer title).
KNOWN_CRASHES = {}


def test_every_paragraph_written_has_a_style_of_its_own(documents):
    """What the writer makes of whole documents: every paragraph with text, in the body,
    the running heads and feet (marking, draft line) and the first page's suscription,
    is in a style of reference.docx other than Normal."""
    from lxml import etree

    from drafting.writers.docx import write_docx

    case, builts = documents
    reference = case.templates / "reference.docx"
    styles = reference_styles(reference)
    unstyled, parts, crashed = [], set(), {}
    for built in builts:
        try:
            data = write_docx(built.document, reference, comments=False)
        except ValueError as exc:
            crashed[built.stem] = str(exc).split(",")[0]
            continue
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for part in z.namelist():
                if not re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", part):
                    continue
                for p in etree.fromstring(z.read(part)).iter(W + "p"):
                    text = "".join(t.text or "" for t in p.iter(W + "t")).strip()
                    if not text:
                        continue
                    parts.add(part.split("/")[1].rstrip("0123456789.xml"))
                    ref = p.find(f"{W}pPr/{W}pStyle")
                    style = styles.get(ref.get(W + "val")) if ref is not None else None
                    if style is None or style[0] == "Normal":
                        unstyled.append((built.stem, part, text[:60]))
    assert parts == {"document", "header", "footer"}
    assert unstyled == []
    assert crashed == KNOWN_CRASHES  # when the writer is fixed, empty KNOWN_CRASHES



def test_a_class_without_style_or_rule_is_found(emitted):
    """The check can fail: classes no style and no rule know, an element nothing draws."""
    case, _ = emitted
    made_up = {("p", "specimen-only"): {"made-up.html.j2"},
               ("span", "specimen-mark"): {"made-up.html.j2"},
               ("div", "specimen-box"): {"made-up.html.j2"},
               ("aside", ""): {"made-up.html.j2"},
               ("p", "body"): {"made-up.html.j2"}}  # styled both ways: no problem
    found = problems(made_up, case.templates / "reference.docx", case.templates / "print.css")
    assert found == [
        "<aside> (in made-up.html.j2): an element neither Word nor print.css is known to draw",
        "<div class='specimen-box'> (in made-up.html.j2): Word has no style for it - say in "
        "DRAWN_CLASSES how the DOCX writer shows it",
        "<div class='specimen-box'> (in made-up.html.j2): no rule in print.css",
        "<p class='specimen-only'> (in made-up.html.j2): no paragraph style in reference.docx "
        "for it",
        "<p class='specimen-only'> (in made-up.html.j2): no rule in print.css",
        "<span class='specimen-mark'> (in made-up.html.j2): no character style in "
        "reference.docx for it",
        "<span class='specimen-mark'> (in made-up.html.j2): no rule in print.css",
    ]


def test_a_style_missing_from_reference_docx_or_a_rule_from_print_css_is_found(emitted, tmp_path):
    """A class the vocabulary knows loses its look: its style renamed in reference.docx,
    its rule taken out of print.css."""
    case, found = emitted
    reference = tmp_path / "reference.docx"
    with zipfile.ZipFile(case.templates / "reference.docx") as src, \
            zipfile.ZipFile(reference, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(b'w:val="Draft Salutation"', b'w:val="Draft Salutation Old"')
            dst.writestr(item, data)
    css = tmp_path / "print.css"
    text = (case.templates / "print.css").read_text(encoding="utf-8")
    css.write_text(re.sub(r"(?m)^span\.bracket \{[^}]*\}\n", "", text), encoding="utf-8")
    assert css.read_text(encoding="utf-8") != text

    def where(key):
        return ", ".join(sorted(found[key]))
    assert problems(found, reference, css) == [
        f"<p class='salutation'> (in {where(('p', 'salutation'))}): no paragraph style in "
        "reference.docx for it",
        f"<span class='bracket'> (in {where(('span', 'bracket'))}): no rule in print.css"]


def test_a_class_a_template_adds_is_checked(emitted, project):
    """Read from the templates' text, a class a template gains is checked before any case
    renders it (the vocabulary would refuse it at render time)."""
    case, _ = emitted
    reply = project / "templates" / "reply.html.j2"
    text = reply.read_text(encoding="utf-8")
    assert '<p class="salutation">' in text
    reply.write_text(text.replace('<p class="salutation">',
                                  '<p class="specimen-only">x</p>\n<p class="salutation">', 1),
                     encoding="utf-8")
    found = problems(written(project / "templates"), case.templates / "reference.docx",
                     case.templates / "print.css")
    assert found == [
        "<p class='specimen-only'> (in reply.html.j2): no paragraph style in reference.docx "
        "for it",
        "<p class='specimen-only'> (in reply.html.j2): no rule in print.css"]
