"""Render the document tree to PDF with WeasyPrint and templates/print.css.

Imported only when a PDF is made (WeasyPrint takes most of a run's start-up). One
font configuration and one parsed stylesheet serve every document of a process.
The fetcher reads files from the templates folder only: no network, no file
elsewhere, nothing embedded through an attachment link.
"""
from __future__ import annotations

import gc
import mimetypes
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from drafting.errors import InputError
from drafting.tree.document import Document
from drafting.writers.native import quick_find_library

with quick_find_library():
    import weasyprint
    from weasyprint.text.ffi import ffi as _ffi
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

__all__ = ["write_pdf", "SafeFetcher"]

_SHARED: dict = {}


def _sized_arrays(ffi):
    """WeasyPrint subsets each font of each PDF with HarfBuzz, handing it arrays made by
    `ffi.new(f'hb_codepoint_t[{n}]', values)`: cffi parses every new type string with
    pycparser (4 ms), and n is new for nearly every font of every document (25 ms a
    PDF). Such an array is made as `hb_codepoint_t[]` of n items, parsed once: the same
    zeroed n items, filled with the same values. tests/test_pdf_tree.py pins the call."""
    new = ffi.new

    def sized_new(cdecl, init=None):
        if isinstance(cdecl, str) and cdecl.startswith("hb_codepoint_t[") and cdecl.endswith("]"):
            size = cdecl[len("hb_codepoint_t["):-1]
            if size.isdigit():
                array = new("hb_codepoint_t[]", int(size))
                if init is not None:
                    array[0:len(init)] = init
                return array
        return new(cdecl, init)
    ffi.new = sized_new


_sized_arrays(_ffi)

# A document of this many pages is followed by a garbage collection before it is painted.
COLLECT_PAGES = 20


class SafeFetcher(URLFetcher):
    """Serve files below the allowed folders; refuse everything else."""

    def __init__(self, allowed):
        super().__init__(allowed_protocols={"file"})
        self.allowed = [Path(a).resolve() for a in allowed]

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise FatalURLFetchingError(f"fetching {url} is not allowed")
        path = Path(weasyprint.urls.request.url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if not any(path.is_relative_to(a) for a in self.allowed) or not path.is_file():
            raise FatalURLFetchingError(f"reading {path} is not allowed")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _shared(templates: Path):
    key = str(templates)
    if key not in _SHARED:
        fonts = FontConfiguration()
        fetcher = SafeFetcher([templates])
        css = weasyprint.CSS(filename=str(templates / "print.css"), font_config=fonts,
                             url_fetcher=fetcher)
        _SHARED[key] = (fonts, fetcher, css)
    return _SHARED[key]


def write_pdf(document: Document, templates: Path, variant=None) -> bytes:
    """The PDF of a document: tagged (headings H1-H3, the language, the title); with
    `variant` (default: the run's `--pdf`, writers/variant.pdf_variant()) PDF/A-2u or
    PDF/UA-1, which add XMP metadata (and PDF/A an output intent)."""
    from drafting.writers.variant import pdf_variant
    variant = variant or pdf_variant()
    fonts, fetcher, css = _shared(templates)
    meta = document.meta
    running = ["@page {"]
    running.append(f"@top-center {{ content: {_css_string(meta.get('marking', ''))} }}")
    running.append(f"@bottom-center {{ content: {_css_string(meta.get('marking', ''))} }}")
    top_right = meta.get("draft", "")
    running.append(f"@top-right {{ content: {_css_string(top_right)} }}")
    if meta.get("orientation") == "landscape":
        running.append("size: A4 landscape;")
    running.append("}")
    page_css = weasyprint.CSS(string="\n".join(running), font_config=fonts, url_fetcher=fetcher)
    html = _html(document, str(templates) + "/", fetcher)
    options = dict(stylesheets=[css, page_css], pdf_tags=True, uncompressed_pdf=False,
                   **({"pdf_variant": variant} if variant else {}))
    try:
        rendered = html.render(font_config=fonts, **options)  # what html.write_pdf does
        del html
        if len(rendered.pages) >= COLLECT_PAGES:
            # laying out leaves cycles behind (13 MB for 80 pages): freed before the
            # PDF is painted, the process peaks at the layout instead of above it
            gc.collect()
        return rendered.write_pdf(**options)
    except FatalURLFetchingError as exc:
        raise InputError(f"the document reaches outside the templates folder: {exc}",
                         path=document.name, hint="documents may use only files in templates/") from None


# -- the tree WeasyPrint lays out -------------------------------------------------------
#
# WeasyPrint reads HTML: the tree would be serialised, then parsed again by tinyhtml5
# (pure Python: 0.8 s of the 6 s of an 80-page annotated agenda). The tree is handed
# over instead, as the parser would build it from that markup. For the tree's
# vocabulary (tree/document.py) the HTML5 tree-building rules only drop the whitespace
# before <head>, move what follows </body> to the end of the body and open a <tbody>
# for rows right inside a <table>. A tree with anything else the parser would rebuild
# (a block inside a paragraph, text where a table allows none, a character it
# rewrites, an attribute the serialiser escapes) goes the long way, through the
# markup: the same PDF either way (tests/test_pdf_tree.py compares the two).

_BLOCKS = frozenset({"p", "h1", "h2", "h3", "div", "table"})
_PHRASING = frozenset({"span", "em", "strong", "sup", "a", "br"})
_FLOW = _BLOCKS | _PHRASING
_CHILDREN = {
    "head": frozenset({"title", "meta"}), "title": frozenset(), "meta": frozenset(),
    "body": _FLOW, "div": _FLOW, "td": _FLOW, "th": _FLOW,
    "p": _PHRASING, "h1": _PHRASING, "h2": _PHRASING, "h3": _PHRASING,
    "span": _PHRASING, "em": _PHRASING, "strong": _PHRASING, "sup": _PHRASING,
    "a": _PHRASING - {"a"}, "br": frozenset(),
    "table": frozenset({"colgroup", "thead", "tbody"}), "colgroup": frozenset({"col"}),
    "col": frozenset(), "thead": frozenset({"tr"}), "tbody": frozenset({"tr"}),
    "tr": frozenset({"th", "td"}),
}
_VOID = frozenset({"br", "col", "meta"})
_NO_TEXT = frozenset({"table", "colgroup", "thead", "tbody", "tr"})  # whitespace only
_URI = frozenset({"href", "src", "action"})  # escaped by libxml2's HTML serialiser
_ATTRIBUTE = re.compile(r"[a-z][a-z0-9-]*\Z")
_BOOLEAN = frozenset({"checked", "compact", "declare", "defer", "disabled", "ismap", "multiple",
                      "nohref", "noresize", "noshade", "nowrap", "readonly", "selected"})
_SAFE_URI = re.compile(r"[A-Za-z0-9._~#/:-]*\Z")
_REWRITTEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_SPACE = re.compile(r"[ \t\n\x0c]*\Z")


class _Rebuilt(Exception):
    """The HTML parser would not give back this tree."""


def _text(value, space_only=False):
    if value is not None and (_REWRITTEN.search(value) or (space_only and not _SPACE.match(value))):
        raise _Rebuilt
    return value


def _attributes(el) -> dict:
    """`el`'s attributes, as the parser gives them back from the serialised markup."""
    attrib = {}
    for name, value in el.attrib.items():
        if (not _ATTRIBUTE.match(name) or name in _BOOLEAN or "&{" in value
                or (name in _URI or (name == "name" and el.tag == "a")) and not _SAFE_URI.match(value)):
            raise _Rebuilt
        attrib[name] = _text(value)
    return attrib


def _copy(el, parent, inside_link=False):
    tag = el.tag
    if not isinstance(tag, str) or tag not in _CHILDREN:
        raise _Rebuilt
    new = ET.SubElement(parent, tag, _attributes(el))
    new.text = _text(el.text, tag in _NO_TEXT)
    if tag in _VOID and (el.text or len(el)):
        raise _Rebuilt
    allowed = _CHILDREN[tag]
    rows = None  # a <tr> right inside <table>: the parser opens a <tbody> for it and those after
    for child in el:
        if tag == "table" and child.tag == "tr":
            if rows is None:
                rows = ET.SubElement(new, "tbody")
            _copy(child, rows).tail = _text(child.tail, True)
            continue
        rows = None
        if child.tag not in allowed or (child.tag == "a" and inside_link):
            raise _Rebuilt
        _copy(child, new, inside_link or tag == "a").tail = _text(child.tail, tag in _NO_TEXT)
    return new


def html_tree(root):
    """The ElementTree tinyhtml5 would parse from `root`'s HTML markup, or None when it
    would rebuild something (then the markup is parsed)."""
    children = list(root)
    if (root.tag != "html" or [c.tag for c in children] != ["head", "body"]
            or not _SPACE.match(root.text or "") or not _SPACE.match(children[0].tail or "")
            or not _SPACE.match(children[1].tail or "")):
        return None
    try:
        html = ET.Element("html", _attributes(root))
        head = _copy(children[0], html)
        head.tail = children[0].tail
        body = _copy(children[1], html)
    except _Rebuilt:
        return None
    after = children[1].tail  # after </body>: appended to the body's end
    if after:
        last = body[-1] if len(body) else None
        if last is None:
            body.text = (body.text or "") + after
        else:
            last.tail = (last.tail or "") + after
    return html


def _html(document: Document, base_url: str, fetcher):
    """weasyprint.HTML of the document's tree; what HTML(string=markup) would make."""
    tree = html_tree(document.root)
    if tree is None:
        return weasyprint.HTML(string=document.html().decode("utf-8"), base_url=base_url,
                               url_fetcher=fetcher)
    import cssselect2
    html = weasyprint.HTML.__new__(weasyprint.HTML)
    # what HTML.__init__ sets after parsing (the tree has no <base>: the base URL stays)
    html.base_url = base_url
    html.url_fetcher = fetcher
    html.media_type = "print"
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
    html.etree_element = html.wrapper_element.etree_element
    return html
