"""Walk the document tree onto python-docx, with the styles of templates/reference.docx.

Style ids are looked up by name once per reference document (Word localises ids;
python-docx's by-name look-up is slow) and set directly. The saved zip is rewritten
with fixed timestamps so that the same inputs give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from drafting.tree.document import HEADINGS, STYLES, Document

__all__ = ["write_docx", "REVIEWER"]

REVIEWER = "draft"
_STYLE_IDS: dict = {}
_SPAN_STYLES = {"bracket": "Draft Bracket", "todo": "Draft Todo"}
# The tree's numbers as Word numbering: (which paragraphs, the number at the start of their
# text, Word's level text, what follows the number); an agreement's article heading is
# "Article 5", or "Paragraph 5" / "Paragraphe 5" in the MOU register. The tree stays the
# source: each run of consecutive numbers becomes one list starting at the tree's first
# number, so Word shows the same numbers, and a reviewer who inserts an item sees the rest
# renumber (and the REF fields to them, ref_field).
_NUMBERS = (
    (lambda el: el.get("class") == "article-heading" and el.get("data-article"),
     re.compile(r"(Article|ARTICLE|Paragraphe|Paragraph) (\d+)(?=$| )"), "{0} %1", "nothing"),
    (lambda el: el.get("class") in ("item", "article") or el.tag in ("h2", "h3"),
     re.compile(r"()(\d+)\. "), "%1.", "space"),
)
# Outline levels of headings that are not headings by style (Draft Title, Draft Heading and
# Draft Subheading carry theirs in reference.docx): an agreement's article label (level 1;
# Word shows it by its number, LibreOffice's navigator skips a paragraph of a number
# only) and the article's heading under it (level 2).
_OUTLINE = {"article-heading": 1}
# The words of a reviewer's comment (clauses/protocol.yaml, labels.<lang>.comment and
# not_from_library); a caller without a protocol gets the keys themselves.
COMMENT_WORDS = ("clause", "position", "version", "owner", "cleared", "note", "not_from_library")


def _open(reference):
    """`docx.Document(reference)`, its package read once per process and state of the
    file: the documents of a run each parse the parts' XML, but the zip and its
    relationships are read once, and its 800 KB of fonts never inflated (StoredFont)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.package import Unmarshaller
    from docx.opc.part import PartFactory
    from docx.package import Package
    key = _state(reference)
    reader = _READERS.get(key)
    if reader is None:
        reader = _package_reader(str(reference))
        _READERS.clear()  # one reference at a time (a preview's templates edited)
        _READERS[key] = reader
    package = Package()
    Unmarshaller.unmarshal(reader, package, PartFactory)  # what Package.open does
    part = package.main_document_part
    if part.content_type != CT.WML_DOCUMENT_MAIN:  # as docx.Document says it
        raise ValueError(f"file '{reference}' is not a Word file, content type is '{part.content_type}'")
    return part.document


_READERS: dict = {}


def _state(reference) -> tuple:
    """The key of what is read once from a reference document: its path and the state
    of the file (a preview's templates edited: read again)."""
    st = os.stat(reference)
    return str(reference), st.st_mtime_ns, st.st_size


class StoredFont:
    """A font of the reference document that is never inflated: it stands in the
    package for the font's bytes, and _write_font copies the reference's deflate stream
    into the DOCX with the CRC and size the reference records for it."""

    def __init__(self, crc: int, size: int, stream: bytes):
        self.crc, self.size, self.stream = crc, size, stream


class _ReferenceZip:
    """python-docx's zip reader of a package (docx.opc.phys_pkg), but a font the
    reference holds deflated is a StoredFont: 800 KB not inflated, CRC'd and deflated
    again per process."""

    def __init__(self, path):
        self.zip = zipfile.ZipFile(path)
        self.fonts = _fonts_of(path)

    def blob_for(self, pack_uri):
        known = self.fonts.get(pack_uri.membername)
        if known is None:
            return self.zip.read(pack_uri.membername)
        return StoredFont(*known)

    @property
    def content_types_xml(self):
        return self.zip.read("[Content_Types].xml")

    def rels_xml_for(self, source_uri):
        try:
            return self.zip.read(source_uri.rels_uri.membername)
        except KeyError:
            return None

    def close(self):
        self.zip.close()


def _package_reader(path: str):
    """What docx.opc.pkgreader.PackageReader.from_file(path) gives, read through
    _ReferenceZip; python-docx's own reader when its inner names are not there (another
    version) or the file is no zip (its errors)."""
    from docx.opc.pkgreader import PackageReader
    try:
        from docx.opc.packuri import PACKAGE_URI
        from docx.opc.pkgreader import _ContentTypeMap
        srels_for, load_parts = PackageReader._srels_for, PackageReader._load_serialized_parts
    except (ImportError, AttributeError):  # pragma: no cover - another python-docx
        return PackageReader.from_file(path)
    if not zipfile.is_zipfile(path):
        return PackageReader.from_file(path)  # PackageNotFoundError, as docx.Document says
    phys = _ReferenceZip(path)
    try:
        content_types = _ContentTypeMap.from_xml(phys.content_types_xml)
        pkg_srels = srels_for(phys, PACKAGE_URI)
        return PackageReader(content_types, pkg_srels, load_parts(phys, pkg_srels, content_types))
    finally:
        phys.close()


def _style_ids(doc, reference):
    key = _state(reference)  # as _open reads it again: a style renamed in a preview's reference
    ids = _STYLE_IDS.get(key)
    if ids is None:
        ids = {}
        for st in doc.styles.element.iterchildren(qn("w:style")):
            name = st.find(qn("w:name"))
            if name is not None:
                ids[name.get(qn("w:val"))] = st.get(qn("w:styleId"))
        _STYLE_IDS.clear()  # one reference at a time
        _STYLE_IDS[key] = ids
    return ids


class _Writer:
    def __init__(self, document: Document, reference: Path, comments: bool, when: dt.datetime,
                 labels: dict | None = None):
        self.src = document
        self.labels = labels
        self.doc = _open(reference)
        self.reference = reference
        self.ids = _style_ids(self.doc, reference)
        self.comments = comments
        self.when = when
        self.suscription = []
        self.lang = document.lang
        from drafting.tree.links import assign_links
        assign_links(document.body)  # data-link: the bookmark absorb maps edits back through
        self.targets = _ref_targets(document.body)  # id -> (bookmark, element) of a REF
        self.ids_used = 0  # w:id of bookmarks and tracked changes (deterministic)
        self.lists = []  # [(level text, suffix, start)]: one Word list per run of numbers
        self.last_number = {}  # (level text, language) -> (list index, last number)

    # -- paragraphs and runs -------------------------------------------------
    def style_id(self, name):
        return self.ids.get(name) or self.ids.get("Normal") or "Normal"

    def paragraph(self, container, style_name):
        p = container.add_paragraph()
        pPr = p._p.get_or_add_pPr()
        ps = OxmlElement("w:pStyle")
        ps.set(qn("w:val"), self.style_id(style_name))
        pPr.insert(0, ps)
        return p

    def runs(self, p, el, bold=False, italic=False, char_style=None, skip=0):
        out = []
        if el.text and el.text[skip:]:
            out.append(self.run(p, el.text[skip:], bold, italic, char_style))
        for child in el:
            tag = child.tag
            if tag == "br":
                r = p.add_run()
                r.add_break()
                out.append(r)
            elif tag in ("em", "strong", "span"):
                style = _SPAN_STYLES.get(child.get("class", ""), char_style)
                inner = self.runs(p, child, bold or tag == "strong", italic or tag == "em", style)
                if tag == "span" and child.get("class") in ("ins", "del"):
                    self.track(inner, child.get("class"))
                out += inner
            elif tag == "a":  # a cross-reference: a REF field to its target's bookmark
                out += self.ref_field(p, child, bold, italic, char_style)
            elif tag == "sup":  # an ordinal's suffix ("1er"), set by tree/typography
                inner = self.runs(p, child, bold, italic, char_style)
                for r in inner:
                    r.font.superscript = True
                out += inner
            if child.tail:
                out.append(self.run(p, child.tail, bold, italic, char_style))
        return out

    def run(self, p, text, bold, italic, char_style):
        if "\t" in text or "\n" in text or "\r" in text:
            r = p.add_run(text)  # python-docx makes w:tab / w:br of them
        else:  # the same w:t, without python-docx's character-by-character loop
            r = p.add_run()
            r._r.add_t(text)
        if bold:
            r.bold = True
        if italic:
            r.italic = True
        if char_style:
            rPr = r._r.get_or_add_rPr()
            rs = OxmlElement("w:rStyle")
            rs.set(qn("w:val"), self.style_id(char_style))
            rPr.insert(0, rs)
        return r

    def block_p(self, container, el, style_name):
        p = self.paragraph(container, style_name)
        runs = self.runs(p, el, skip=self.number(p, el))
        if el.get("class") in _OUTLINE:  # an article's label, then its heading below it
            _outline(p, _OUTLINE[el.get("class")] + (0 if el.get("data-article") else 1))
        elif el.tag in HEADINGS and el.get("class"):  # a heading in a paragraph's style (a
            _outline(p, int(el.tag[1]) - 1)  # letter's letterhead): its level all the same
        if el.get("data-keep"):
            p.paragraph_format.keep_with_next = True
        if el.get("data-sign"):  # room to sign above the name (print.css: the same 30 mm)
            p.paragraph_format.space_before = Mm(30)
        if self.comments and runs and (el.get("data-note") or (
                el.get("data-clause") and el.get("data-para") == "1")):
            self.comment(runs, el)
        if el.get("data-link"):
            self.bookmark(p, el.get("data-link"))
        if el.get("id") in self.targets:  # a cross-reference's target
            self.bookmark(p, self.targets[el.get("id")][0])
        return p

    def ref_field(self, p, el, bold, italic, char_style) -> list:
        """A cross-reference (<a class="ref" href="#id">) as a REF field to the bookmark
        of its target paragraph, showing the tree's text as its result: `\\r` gives the
        number Word numbering gives the target ("Article 5", "2" of "2."), no switch the
        target's text ("Article premier"), `\\* Lower` the running text's lower case
        ("l'article 5"). Word (on updating fields) and LibreOffice (on opening) compute
        it again, so an article inserted before the target renumbers the reference too.
        Text, with no field, where no field would give the tree's text."""
        text = el.text or ""
        target = self.targets.get((el.get("href") or "")[1:])
        switches = _ref_switches(target[1], text) if target and not len(el) else None
        if switches is None:
            return self.runs(p, el, bold, italic, char_style)
        return _field(p, f"REF {target[0]}{switches} \\h", text,
                      lambda t: self.run(p, t, bold, italic, char_style))

    def number(self, p, el) -> int:
        """Give `p` Word numbering for the tree's number at the start of `el`'s text;
        the number of characters of that text Word now shows itself (0: none)."""
        m, level_text, suffix = _numbered(el)
        if not m:
            return 0
        n = int(m.group(2))
        level_text = level_text.format(m.group(1))
        key = (level_text, _lang_of(el, self.lang))
        last = self.last_number.get(key)
        if last and last[1] == n - 1:
            index = last[0]
        else:
            self.lists.append((level_text, suffix, n))
            index = len(self.lists) - 1
        self.last_number[key] = (index, n)
        numPr = OxmlElement("w:numPr")
        for tag, val in (("w:ilvl", "0"), ("w:numId", str(index + 1))):
            e = OxmlElement(tag)
            e.set(qn("w:val"), val)
            numPr.append(e)
        pPr = p._p.get_or_add_pPr()
        pPr.insert(1, numPr)  # after w:pStyle, before the rest (schema order)
        return m.end()  # the pattern holds the space Word's suffix puts back

    def numbering(self):
        """numbering.xml: one abstract list and one list per run of the tree's numbers."""
        part = self.doc.part.numbering_part
        root = part.element
        for child in list(root):
            root.remove(child)
        for i, (level_text, suffix, start) in enumerate(self.lists):
            a = OxmlElement("w:abstractNum")
            a.set(qn("w:abstractNumId"), str(i))
            mlt = OxmlElement("w:multiLevelType")
            mlt.set(qn("w:val"), "singleLevel")
            a.append(mlt)
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), "0")
            for tag, val in (("w:start", str(start)), ("w:numFmt", "decimal"),
                             ("w:suff", suffix), ("w:lvlText", level_text), ("w:lvlJc", "left")):
                e = OxmlElement(tag)
                e.set(qn("w:val"), val)
                lvl.append(e)
            a.append(lvl)
            root.append(a)
        for i in range(len(self.lists)):
            num = OxmlElement("w:num")
            num.set(qn("w:numId"), str(i + 1))
            e = OxmlElement("w:abstractNumId")
            e.set(qn("w:val"), str(i))
            num.append(e)
            root.append(num)

    def next_id(self):
        self.ids_used += 1
        return str(self.ids_used)

    def bookmark(self, p, name):
        """A hidden bookmark spanning the paragraph: its link to clause and field."""
        bid = self.next_id()
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), bid)
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), bid)
        p._p.insert(1 if p._p.pPr is not None else 0, start)
        p._p.append(end)

    def track(self, runs, kind):
        """Wrap runs in a tracked insertion or deletion (w:ins / w:del)."""
        for r in runs:
            wrap = OxmlElement(f"w:{kind}")
            wrap.set(qn("w:id"), self.next_id())
            wrap.set(qn("w:author"), REVIEWER)
            wrap.set(qn("w:date"), self.when.strftime("%Y-%m-%dT%H:%M:%SZ"))
            r._r.addprevious(wrap)
            wrap.append(r._r)
            if kind == "del":
                for t in r._r.findall(qn("w:t")):
                    t.tag = qn("w:delText")

    def comment(self, runs, el):
        lab = self.labels or {w: w for w in COMMENT_WORDS}
        if el.get("data-case-specific"):
            text = lab["not_from_library"]
        elif not el.get("data-para"):
            text = el.get("data-note")
        else:
            text = " - ".join(f"{lab[w]} {el.get('data-' + w)}"
                              for w in ("clause", "position", "version", "owner", "cleared"))
        if el.get("data-note") and el.get("data-para"):
            text += f"\n{lab['note']}: {el.get('data-note')}"
        comments = self.doc.comments._comments_elm
        if "_next_available_comment_id" not in comments.__dict__:
            # python-docx finds each new comment's id as the highest of all ids + 1, an
            # XPath over every comment (quadratic: 6 s of a 200-proposal pack); the same
            # ids, counted once. The element is held by its part, so this stays with it.
            first = max(map(int, comments.xpath("./w:comment/@w:id")), default=-1) + 1
            comments._next_available_comment_id = iter(range(first, 2**31)).__next__
        c = self.doc.add_comment(runs, text="", author=REVIEWER, initials="DR")
        comment_text(c, text)
        c._comment_elm.set(qn("w:date"), self.when.strftime("%Y-%m-%dT%H:%M:%SZ"))

    # -- structure --------------------------------------------------------------
    def walk(self, container, parent):
        for el in parent:
            tag, cls = el.tag, el.get("class", "")
            if tag == "p":
                self.block_p(container, el, STYLES[cls])
            elif tag in HEADINGS:
                self.block_p(container, el, STYLES[cls or HEADINGS[tag]])
            elif tag == "table":
                self.table(container, el)
            elif tag == "div":
                if cls == "page-break":
                    p = container.add_paragraph()
                    p.add_run().add_break(WD_BREAK.PAGE)
                elif cls == "suscription":
                    self.suscription.append(el)
                else:
                    self.walk(container, el)

    def table(self, container, el):
        rows = [tr for tr in el.iter("tr")]
        ncols = max(len(tr.findall("th")) + len(tr.findall("td")) for tr in rows)
        t = container.add_table(rows=0, cols=ncols)
        t.style = None
        t.autofit = True
        widths = [w for w in (el.get("data-widths") or "").split() if w]
        for tr in rows:
            cells = t.add_row().cells
            for i, cell_el in enumerate(c for c in tr if c.tag in ("th", "td")):
                cell = cells[i]
                cell._tc.remove(cell._tc.p_lst[0])
                if cell_el.find("p") is not None:
                    self.walk(cell, cell_el)
                else:
                    style = "Draft Cell Head" if cell_el.tag == "th" else "Draft Cell"
                    self.block_p(cell, cell_el, style)
                if el.get("class") == "columns":
                    _side_by_side(cell, cell_el)
                if widths and i < len(widths):
                    cell.width = Cm(float(widths[i]))
            if tr.getparent().tag == "thead":
                trPr = t.rows[-1]._tr.get_or_add_trPr()
                h = OxmlElement("w:tblHeader")
                trPr.append(h)
        if widths:  # the grid too: LibreOffice lays a table out by its grid columns
            t.autofit = False
            for i, w in enumerate(widths[:ncols]):
                t.columns[i].width = Cm(float(w))
        if el.get("class", "") != "plain":
            _borders(t)
        _cell_margins(t)
        container.add_paragraph() if container is self.doc else None

    # -- header and footer --------------------------------------------------------
    def page(self):
        """The page before the body: a table takes its width from the page it is made on."""
        section = self.doc.sections[0]
        if self.src.meta.get("orientation") == "landscape":
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = section.page_height, section.page_width

    def running(self):
        section = self.doc.sections[0]
        first = bool(self.suscription)
        section.different_first_page_header_footer = first
        headers = [section.header] + ([section.first_page_header] if first else [])
        footers = [section.footer] + ([section.first_page_footer] if first else [])
        for header in headers:
            self.fill_running(header, top=True)
        for i, footer in enumerate(footers):
            if i == 1:
                for el in self.suscription:
                    for p_el in el.iter("p"):
                        self.block_p(footer, p_el, "Draft Suscription")
            self.fill_running(footer, top=False)

    def fill_running(self, part, top):
        meta = self.src.meta
        body = part._element
        for p in list(body.iterchildren(qn("w:p"))):
            if not "".join(p.itertext()).strip():
                body.remove(p)
        if meta.get("marking"):
            p = self.paragraph(part, "Draft Marking")
            p.add_run(meta["marking"])
        if top and meta.get("draft"):
            p = self.paragraph(part, "Draft Running")
            p.add_run(meta["draft"])
        if not top:
            p = self.paragraph(part, "Draft Running")
            _field(p, "PAGE")
            p.add_run("/")
            _field(p, "NUMPAGES")

    def properties(self):
        cp = self.doc.core_properties
        meta = self.src.meta
        cp.title = core_property(self.src.title)
        cp.subject = core_property(meta.get("subject", ""))
        cp.author = core_property(meta.get("author", ""))
        cp.last_modified_by = core_property(meta.get("author", ""))
        cp.language = {"fr": "fr-FR", "en": "en-GB"}.get(self.src.lang, self.src.lang)
        cp.keywords = core_property(meta.get("marking", ""))
        cp.comments = ""
        cp.created = cp.modified = self.when
        cp.revision = 1
        # The language of the text, for Word's proofing tools.
        rpr = self.doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:val"), cp.language)

    def build(self) -> bytes:
        body = self.doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        self.page()
        self.walk(self.doc, self.src.body)
        self.running()
        self.numbering()
        self.properties()
        return package_bytes(self.doc, self.when, self.reference)


CORE_PROPERTY_MAX = 255  # python-docx (and Word's dialog) refuse a longer core property


def core_property(text, limit=CORE_PROPERTY_MAX) -> str:
    """A core property (title, subject ...) within the 255 characters a DOCX allows:
    a longer text is cut at the last word boundary that leaves room for an ellipsis.
    Only the property is cut; the document's own title is whole."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
        # not on a dangling short word ("... de la Manche et de…")
        while " " in cut and len(cut.rsplit(" ", 1)[1].strip("'\u2019")) < 4 \
                and len(cut) > limit // 2:
            cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def comment_text(comment, text: str) -> None:
    """What python-docx's add_comment(text=...) writes into a new comment (a paragraph a
    line, styled CommentText), without its character-by-character loop over the text:
    each line's w:t whole, as _Writer.run makes it (a third of a reply's comment time)."""
    for i, line in enumerate(text.split("\n")):
        p = comment.paragraphs[0] if i == 0 else comment.add_paragraph()
        if "\t" in line or "\r" in line:
            p.add_run(line)  # python-docx makes w:tab / w:br of them
        elif line:
            p.add_run()._r.add_t(line)
        elif i == 0:  # add_run("") makes an empty run, add_paragraph("") none
            p.add_run()


def _field(p, code, result="1", run=None) -> list:
    """A Word field (PAGE, NUMPAGES, REF) as fldChar runs, so Word computes it, showing
    `result` until it does; `run(text)` makes each run (default: a plain one), the field's
    own runs with no text of their own."""
    run = run or p.add_run
    out = []
    for kind, value in (("begin", None), ("instr", f" {code} "), ("separate", None),
                        ("result", result), ("end", None)):
        r = run(value if kind == "result" else "")
        if kind != "result":
            t = r._r.find(qn("w:t"))
            if t is not None:
                r._r.remove(t)
            if kind == "instr":
                e = OxmlElement("w:instrText")
                e.set(qn("xml:space"), "preserve")
                e.text = value
            else:
                e = OxmlElement("w:fldChar")
                e.set(qn("w:fldCharType"), kind)
            r._r.append(e)
        out.append(r)
    return out


# Classes whose own size print.css sets: a cell's 10 pt (table.columns td) is not theirs.
_OWN_SIZE = {"title", "heading", "subheading", "note", "small", "translation", "copies",
             "letterhead"}
# The elements that are paragraphs in a cell (an article's heading is an h2 in one).
_BLOCKS = ("p", "h1", "h2", "h3")
# Classes whose margins print.css leaves to `td p` in a cell.
_CELL_MARGIN = {"body", "recital", "testimonium", "case-specific"}


def _side_by_side(cell, cell_el):
    """A cell of two texts side by side (print.css: table.columns td): 10 pt but where a
    class sets its own size, and no paragraph kept with the next (the row is kept whole)."""
    for p, p_el in zip(cell.paragraphs, (e for e in cell_el.iter() if e.tag in _BLOCKS)):
        p.paragraph_format.keep_with_next = False
        if p_el.get("class") not in _OWN_SIZE:
            for r in p.runs:
                r.font.size = Pt(10)
        if p_el.get("class") in _CELL_MARGIN:  # td p { margin: 0 0 3pt }
            p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(0), Pt(3)


def _numbered(el):
    """(match, level text, suffix) of the tree's number Word numbering shows at the start
    of `el` (_NUMBERS), or (None, None, None)."""
    for applies, pattern, level_text, suffix in _NUMBERS:
        m = pattern.match(el.text or "") if applies(el) else None
        if m:
            return m, level_text, suffix
    return None, None, None


def _ref_targets(body) -> dict:
    """{id: (bookmark name, element)} of the elements a cross-reference points at
    (<a class="ref" href="#id">). A name is `_Ref` and 12 hex digits of the id's SHA-1:
    the same every run, at most 40 characters, hidden in Word's bookmark list (a leading
    "_") and apart from the `_dr` bookmarks absorb reads (tree/links.py)."""
    import hashlib
    if body is None:
        return {}
    wanted = {a.get("href")[1:] for a in body.iter("a") if (a.get("href") or "").startswith("#")}
    out, names = {}, set()
    for el in body.iter():
        key = el.get("id") if isinstance(el.tag, str) else None
        if key in wanted and key not in out:
            name = "_Ref" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
            while name in names:  # two ids, one digest: the later one is told apart
                name = name[:-1] + "x"
            names.add(name)
            out[key] = (name, el)
    return out


def _ref_switches(target, text):
    """The REF switches that make Word and LibreOffice show `text` for `target` (the
    number its Word numbering shows, or its text), or None when none do."""
    m = _numbered(target)[0]
    shown, switches = ((m.group(0).strip().rstrip("."), " \\r") if m else
                       ("".join(target.itertext()).strip(), ""))
    if text == shown:
        return switches
    if text == shown.lower():  # Word's \* Lower ("l'article 5"); LibreOffice ignores it
        return switches + " \\* Lower"  # and shows the heading's case ("l'Article 5")
    return None


def _lang_of(el, default):
    while el is not None:
        if el.get("lang"):
            return el.get("lang")
        el = el.getparent()
    return default


def _outline(p, level):
    pPr = p._p.get_or_add_pPr()
    e = OxmlElement("w:outlineLvl")
    e.set(qn("w:val"), str(level))
    pPr.append(e)


def _cell_margins(table):
    """print.css's `th, td { padding: 2pt 4pt }` (Word's default is 0 and 5.4 pt)."""
    tblPr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for edge, twips in (("top", 40), ("left", 80), ("bottom", 40), ("right", 80)):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), str(twips))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    look = tblPr.find(qn("w:tblLook"))
    look.addprevious(mar) if look is not None else tblPr.append(mar)


def _borders(table):
    tblPr = table._tbl.tblPr
    b = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "single")
        e.set(qn("w:sz"), "4")
        e.set(qn("w:color"), "808080")
        b.append(e)
    later = [tblPr.find(qn(t)) for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")]
    later = [e for e in later if e is not None]
    later[0].addprevious(b) if later else tblPr.append(b)  # the schema's order


class _Members(list):
    """Stands in for python-docx's zip writer: collects (member name, bytes)."""

    def write(self, pack_uri, blob):
        self.append((pack_uri.membername, blob))


def package_bytes(doc, when: dt.datetime, reference=None) -> bytes:
    """What `normalise_zip(doc.save(...))` gives, compressed once instead of twice:
    python-docx's own member order and content, fixed timestamps; the fonts of the
    `reference` document it was opened from, as that file holds them deflated."""
    from docx.opc.pkgwriter import PackageWriter
    pkg = doc.part.package
    parts = list(pkg.iter_parts())
    for part in parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, parts)
    PackageWriter._write_pkg_rels(members, pkg.rels)
    PackageWriter._write_parts(members, parts)
    return _zip(members, when, _fonts_of(reference) if reference else {})


# The embedded fonts (800 KB, the same in every file) are copied as reference.docx holds
# them deflated (_fonts_of); fonts that are not the reference's (a DOCX rezipped by
# normalise_zip) get a fast deflate (level 1), once per process. Font bytes -> stream.
FONT_LEVEL = 1
_DEFLATED: dict = {}


class _Deflated:
    """Stands in for zipfile's compressor of one member: hands over the stream zipfile's
    own compressor (zlib, FONT_LEVEL, raw deflate) gave for these bytes before."""

    def __init__(self, stream: bytes):
        self.stream = stream

    def compress(self, _data) -> bytes:
        return b""

    def flush(self) -> bytes:
        return self.stream


def _fonts_of(reference) -> dict:
    """{member: (CRC, size, deflate stream)} of the fonts embedded in a reference DOCX,
    their compressed bytes read as they are (once per process and state of the file)."""
    key = _state(reference)
    if key not in _REFERENCE_FONTS:
        from drafting.store.read import read_bytes
        fonts, data = {}, read_bytes(reference, what="reference document")
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                at = info.header_offset
                if info.filename.endswith(".odttf") and info.compress_type == zipfile.ZIP_DEFLATED \
                        and not info.flag_bits & 0x1 and data[at:at + 4] == b"PK\x03\x04":
                    name_len, extra_len = struct.unpack("<HH", data[at + 26:at + 30])
                    at += 30 + name_len + extra_len  # the member's deflate stream, as stored
                    fonts[info.filename] = (info.CRC, info.file_size, data[at:at + info.compress_size])
        _REFERENCE_FONTS.clear()  # one reference at a time (a preview's templates edited)
        _REFERENCE_FONTS[key] = fonts
    return _REFERENCE_FONTS[key]


_REFERENCE_FONTS: dict = {}


def _write_font(z, zi, blob: bytes, known=None) -> None:
    """A font member: as the reference holds it deflated (`known`: its CRC, size and
    stream) when these are its bytes, else deflated here at FONT_LEVEL, once per process."""
    if isinstance(blob, StoredFont):  # the reference's font, never inflated (_open)
        with z.open(zi, "w") as fh:  # in memory: a zip member, not a file
            fh._compressor = _Deflated(blob.stream)
            fh._crc, fh._file_size = blob.crc, blob.size  # what write() would count
        return
    stream = None
    if known and known[1] == len(blob) and known[0] == zlib.crc32(blob):
        stream = known[2]
    else:
        stream = _DEFLATED.get(blob)
    if stream is None:
        if len(_DEFLATED) >= 8:  # a long-running preview whose fonts changed
            _DEFLATED.clear()
        c = zlib.compressobj(FONT_LEVEL, zlib.DEFLATED, -15)  # as zipfile makes it
        stream = _DEFLATED[blob] = c.compress(blob) + c.flush()
    with z.open(zi, "w") as fh:  # in memory: a zip member, not a file
        fh._compressor = _Deflated(stream)  # zipfile still writes the CRC, sizes, headers
        fh.write(blob)


def _zip(members, when: dt.datetime, fonts=None) -> bytes:
    out = io.BytesIO()
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members:
            zi = zipfile.ZipInfo(name, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            if name.endswith(".odttf"):
                _write_font(z, zi, blob, (fonts or {}).get(name))
            else:
                z.writestr(zi, blob)
    return out.getvalue()


def normalise_zip(data: bytes, when: dt.datetime) -> bytes:
    """Same members, same order, fixed timestamps: byte-identical reruns."""
    src = zipfile.ZipFile(io.BytesIO(data))
    return _zip(((info.filename, src.read(info.filename)) for info in src.infolist()), when)


def write_docx(document: Document, reference: Path, comments: bool = True,
               when: dt.datetime | None = None, custom: dict | None = None,
               labels: dict | None = None) -> bytes:
    """The DOCX bytes of a document (comments only for internal review copies);
    `custom`: the document's custom properties (docProps/custom.xml), text values;
    `labels`: the words of the comments in the document's language (COMMENT_WORDS)."""
    when = when or dt.datetime(2000, 1, 1)
    writer = _Writer(document, reference, comments, when, labels)
    if custom:
        custom_properties(writer.doc, custom)
    return writer.build()


CUSTOM_PROPERTIES = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


_TEXT = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ATTR = {**_TEXT, '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _xml_escape(value, table=_TEXT) -> str:
    """What xml.sax.saxutils' escape/quoteattr give, without their import (it pulls in
    urllib.request, http.client, ssl and email: some 25 ms of every DOCX run)."""
    return "".join(table.get(c, c) for c in str(value))


def custom_properties(doc, props: dict) -> None:
    """docProps/custom.xml: named text properties that Word (File > Properties >
    Custom) and LibreOffice keep when they save the file; absorb reads them to know
    which document a reviewed file is, whatever its name."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    fmtid = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one FMTID of user properties
    rows = "".join(f'<property fmtid="{fmtid}" pid="{pid}" name="{_xml_escape(name, _ATTR)}">'
                   f"<vt:lpwstr>{_xml_escape(value)}</vt:lpwstr></property>"
                   for pid, (name, value) in enumerate(props.items(), start=2))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{rows}</Properties>').encode()
    pkg = doc.part.package
    for rel in list(pkg.rels.values()):  # a reference.docx's own: replaced
        if rel.reltype == _CUSTOM_REL:
            pkg.rels.pop(rel.rId)
    part = Part(PackURI("/docProps/custom.xml"), CUSTOM_PROPERTIES, xml, pkg)
    pkg.relate_to(part, _CUSTOM_REL)
