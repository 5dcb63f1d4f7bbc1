"""The one tree both writers read: a fixed vocabulary of elements and classes.

A template renders XHTML; it is parsed once (lxml keeps line numbers), checked
against the vocabulary below, and given French typography on the text of French
elements. Each block class maps to one Word style (templates/reference.docx) and
one CSS rule (templates/print.css); anything else is an error, so the DOCX and the
PDF can never disagree about what a construct is.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from drafting.errors import InputError
from drafting.tree.typography import superscripts, typeset

__all__ = ["Document", "parse", "STYLES", "INLINE", "LINK_CLASSES", "text_of"]

# block class -> Word paragraph style name (ids are looked up once per reference doc)
STYLES = {
    "letterhead": "Draft Letterhead", "office": "Draft Office", "dateline": "Draft Date Line",
    "body": "Draft Body", "salutation": "Draft Salutation", "close": "Draft Close",
    "signature": "Draft Signature", "copies": "Draft Copies", "suscription": "Draft Suscription",
    "title": "Draft Title", "subtitle": "Draft Subtitle", "heading": "Draft Heading",
    "subheading": "Draft Subheading", "translation": "Draft Translation Note",
    "item": "Draft Item", "field": "Draft Field", "note": "Draft Note",
    "case-specific": "Draft Body", "center": "Draft Centered", "recital": "Draft Recital",
    "article": "Draft Article", "article-heading": "Draft Article Heading",
    "testimonium": "Draft Body", "small": "Draft Small", "cell": "Draft Cell",
    "cell-head": "Draft Cell Head", "signature-block": "Draft Signature Block",
}
HEADINGS = {"h1": "title", "h2": "heading", "h3": "subheading"}
INLINE = {"span", "em", "strong", "br", "sup", "a"}  # sup: ordinal suffixes (typography)
# a: a cross-reference to an element of the same document (href="#id"): a REF field to
# that paragraph's bookmark in the DOCX, a link in the PDF
LINK_CLASSES = {"ref"}
SPAN_CLASSES = {"bracket", "placeholder", "todo", "nobreak", "", "ins", "del"}  # ins/del: redlines
TABLE = {"table", "thead", "tbody", "tr", "th", "td", "colgroup", "col"}
DIVS = {"page-break", "suscription", "block", "columns", "internal", "keep"}
META = {"marking", "draft", "translation", "author", "subject", "description", "keywords",
        "dcterms.created", "dcterms.modified", "generator", "orientation", "audience",
        "kind", "case", "brief-version", "signature-date", "copy"}


@dataclass
class Document:
    """A parsed document: the tree, its language and its metadata."""

    root: etree._Element
    name: str
    lang: str
    title: str
    meta: dict = field(default_factory=dict)

    @property
    def body(self):
        return self.root.find("body")

    def __reduce__(self):
        """Pickled as its markup (a tree cannot be): how documents cross between
        processes (the check's forked half, the PDF process)."""
        return (_restore, (etree.tostring(self.root, encoding="utf-8"), self.name, self.lang,
                           self.title, self.meta))

    def html(self) -> bytes:
        return etree.tostring(self.root, method="html", encoding="utf-8")

    def text(self) -> str:
        """All block texts in reading order (what both writers must carry)."""
        return "\n".join(text_of(el) for el in blocks(self.body))


def text_of(el) -> str:
    return "".join(el.itertext()) if el.tag != "br" else "\n"


def blocks(body):
    for el in body.iter("p", "h1", "h2", "h3", "th", "td"):
        if el.tag in ("th", "td") and el.find("p") is not None:
            continue
        yield el


def _check(el, name):
    tag = el.tag
    cls = el.get("class", "")
    if not isinstance(tag, str):  # comments, processing instructions
        raise InputError("comments and processing instructions are not allowed in a document",
                         path=name, line=el.sourceline, hint="remove them from the template")
    if tag == "p":
        if cls not in STYLES:
            raise InputError(f"paragraph class '{cls}' is not in the vocabulary", path=name,
                             line=el.sourceline, hint="use one of: " + ", ".join(sorted(STYLES)))
    elif tag in HEADINGS:  # h1-h3: a class gives the heading that paragraph class's look
        if cls and cls not in STYLES:
            raise InputError(f"heading class '{cls}' is not in the vocabulary", path=name,
                             line=el.sourceline, hint="use one of: " + ", ".join(sorted(STYLES)))
    elif tag in TABLE or tag in ("body", "head", "html", "title"):
        pass
    elif tag == "meta":
        if el.get("name") not in META:
            raise InputError(f"meta '{el.get('name')}' is not in the vocabulary", path=name,
                             line=el.sourceline, hint="use one of: " + ", ".join(sorted(META)))
    elif tag == "a":
        if cls not in LINK_CLASSES or not (el.get("href") or "").startswith("#"):
            raise InputError(f"link <a class='{cls}' href='{el.get('href')}'> is not in the "
                             "vocabulary", path=name, line=el.sourceline,
                             hint="a cross-reference: <a class=\"ref\" href=\"#id\">")
    elif tag == "span":
        if cls not in SPAN_CLASSES:
            raise InputError(f"span class '{cls}' is not in the vocabulary", path=name,
                             line=el.sourceline, hint="use one of: " + ", ".join(sorted(SPAN_CLASSES)))
    elif tag in INLINE:
        pass
    elif tag == "div":
        if cls not in DIVS:
            raise InputError(f"div class '{cls}' is not in the vocabulary", path=name,
                             line=el.sourceline, hint="use one of: " + ", ".join(sorted(DIVS)))
    else:
        raise InputError(f"element <{tag}> is not in the vocabulary", path=name,
                         line=el.sourceline,
                         hint="use p, h1-h3, span, em, strong, br, table, div (see document.py)")


def _typeset(el, lang):
    lang = el.get("lang", lang)
    if el.text:
        el.text = typeset(el.text, lang)
    for child in el:
        _typeset(child, lang)
        if child.tail:
            child.tail = typeset(child.tail, lang)


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False,
                          huge_tree=False, load_dtd=False)


def _restore(markup: bytes, name, lang, title, meta) -> Document:
    return Document(root=etree.fromstring(markup, _PARSER), name=name, lang=lang, title=title,
                    meta=meta)


def parse(markup: str, name: str) -> Document:
    """Parse rendered XHTML once, check its vocabulary, apply French typography."""
    try:
        root = etree.fromstring(markup.encode("utf-8"), _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"the template produced malformed markup: {exc.msg}", path=name,
                         line=exc.lineno, hint="close every element the template opens") from None
    for el in root.iter():
        _check(el, name)
    lang = root.get("lang", "fr")
    _typeset(root.find("body"), lang)
    superscripts(root.find("body"), lang)
    meta = {m.get("name"): m.get("content", "") for m in root.iter("meta")}
    title_el = root.find("head/title")
    title = title_el.text if title_el is not None and title_el.text else ""
    return Document(root=root, name=name, lang=lang, title=title, meta=meta)
