"""Build templates/reference.docx, the Word styles of every document.

Run once when the house style changes; the result is data, and a reviewer may
restyle it in Word (pandoc's --reference-doc idea). Code elsewhere names styles only.
"""
import hashlib
import uuid
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH as AL
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

APP_XML = ("<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           "<Application>draft</Application><DocSecurity>0</DocSecurity></Properties>")
OUT = Path(__file__).resolve().parents[1] / "templates" / "reference.docx"
FONT = "Source Sans Pro"  # the PDF's font (templates/fonts, print.css), embedded below
FONTS = Path(__file__).resolve().parents[1] / "templates" / "fonts"
EMBED = (("embedRegular", "SourceSansPro-Regular.ttf"), ("embedBold", "SourceSansPro-Bold.ttf"),
         ("embedItalic", "SourceSansPro-It.ttf"), ("embedBoldItalic", "SourceSansPro-BoldIt.ttf"))
# print.css sets `line-height: 1.35` (of the font size); Word and LibreOffice's "single" line
# of Source Sans Pro is its ascender + descender, 984 + 273 = 1.257 em: 1.35 / 1.257.
LINE = round(1.35 / 1.257, 3)
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"

# name: (size, bold, italic, align, first_indent_cm, left_indent_cm, before, after, extra)
PARAS = {
    "Draft Body": (11, False, False, AL.JUSTIFY, 1.25, 0, 0, 8, {}),
    "Draft Letterhead": (10, True, False, AL.LEFT, 0, 0, 0, 2, {}),
    "Draft Office": (11, False, True, AL.LEFT, 0, 0, 0, 24, {}),
    "Draft Date Line": (11, False, False, AL.RIGHT, 0, 0, 0, 24, {}),
    "Draft Salutation": (11, False, False, AL.LEFT, 1.25, 0, 6, 12, {}),
    "Draft Close": (11, False, False, AL.JUSTIFY, 1.25, 0, 4, 8, {"keep": True}),
    "Draft Signature": (11, False, False, AL.LEFT, 0, 9.5, 30, 24, {"keep": True}),
    "Draft Copies": (9, False, False, AL.LEFT, 0, 0, 18, 0, {}),
    "Draft Suscription": (10, False, False, AL.LEFT, 0, 0, 0, 0, {}),
    "Draft Title": (15, True, False, AL.CENTER, 0, 0, 6, 10, {"keep": True, "outline": 0}),
    "Draft Subtitle": (11, False, False, AL.CENTER, 0, 0, 0, 12, {"keep": True}),
    "Draft Heading": (12, True, False, AL.LEFT, 0, 0, 14, 6, {"keep": True, "outline": 1}),
    "Draft Subheading": (11, True, True, AL.LEFT, 0, 0, 8, 4, {"keep": True, "outline": 2}),
    "Draft Translation Note": (9.5, False, True, AL.CENTER, 0, 0, 0, 4, {}),
    "Draft Item": (11, False, False, AL.LEFT, -0.75, 0.75, 0, 6, {}),
    "Draft Field": (11, False, False, AL.JUSTIFY, 0, 0.5, 0, 4, {}),  # print.css: 11 pt
    "Draft Note": (9.5, False, True, AL.LEFT, 0, 0.5, 0, 6, {"color": (0x55, 0x55, 0x55)}),
    "Draft Centered": (11, False, False, AL.CENTER, 0, 0, 6, 6, {}),
    "Draft Recital": (11, False, False, AL.JUSTIFY, 1.25, 0, 0, 6, {}),
    "Draft Article": (11, False, False, AL.JUSTIFY, 0, 0, 0, 6, {}),
    "Draft Article Heading": (11, True, False, AL.CENTER, 0, 0, 12, 6, {"keep": True}),
    "Draft Small": (9, False, False, AL.LEFT, 0, 0, 0, 2, {}),
    "Draft Cell": (9, False, False, AL.LEFT, 0, 0, 0, 2, {}),
    "Draft Cell Head": (9, True, False, AL.LEFT, 0, 0, 0, 2, {"keep": True}),
    "Draft Signature Block": (11, False, False, AL.LEFT, 0, 0, 6, 30, {}),
    "Draft Marking": (9, True, False, AL.CENTER, 0, 0, 0, 2, {"color": (0xA0, 0x10, 0x10)}),
    "Draft Running": (8.5, False, False, AL.CENTER, 0, 0, 0, 0, {"color": (0x44, 0x44, 0x44)}),
}
CHARS = {
    "Draft Bracket": {"bold": True},
    "Draft Todo": {"bold": True, "color": (0xB0, 0x00, 0x00)},
}


# Table styles the documents use (tables are drawn with direct borders, on Normal Table).
KEEP_TABLE_STYLES = {"Normal Table", "Table Grid"}


def _trim(doc):
    """Drop what every run would parse and zip for nothing: python-docx's template
    carries 98 unused built-in table styles (340 KB of styles.xml; Word offers them
    again from its own built-ins) and stylesWithEffects.xml (438 KB, a Word 2010
    duplicate of styles.xml that Word rebuilds). Nothing the documents use changes."""
    styles = doc.styles.element
    for st in list(styles.iterchildren(qn("w:style"))):
        name = st.find(qn("w:name"))
        if (st.get(qn("w:type")) == "table" and name is not None
                and name.get(qn("w:val")) not in KEEP_TABLE_STYLES):
            styles.remove(st)
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rId)


def font_key(data: bytes) -> str:
    """The w:fontKey GUID of an embedded font, derived from its bytes (same font, same
    GUID: the reference document, and every file made from it, stay byte-identical)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha1(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1, 17.8.1: the first 32 bytes XORed with the GUID's 16 bytes, read
    from the end of its text (as Word and LibreOffice undo it)."""
    k = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ k[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def _embed_fonts(doc):
    """Source Sans Pro in the fontTable (regular, bold, italic, bold italic) as obfuscated
    TrueType parts, w:embedTrueTypeFonts in settings: Word and LibreOffice render the
    shipped font on a machine that lacks it (DESIGN.md section 2)."""
    from lxml import etree
    table = next(r.target_part for r in doc.part.rels.values() if r.reltype == RT.FONT_TABLE)
    root = etree.fromstring(table.blob)
    for old in root.findall(qn("w:font")):
        if old.get(qn("w:name")) in (FONT, "Arial"):
            root.remove(old)
    font = etree.SubElement(root, qn("w:font"))
    font.set(qn("w:name"), FONT)
    for tag, val in (("w:charset", "00"), ("w:family", "swiss"), ("w:pitch", "variable")):
        etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
    for n, (tag, name) in enumerate(EMBED, 1):
        data = (FONTS / name).read_bytes()
        key = font_key(data)
        part = Part(PackURI(f"/word/fonts/font{n}.odttf"), OBFUSCATED_FONT,
                    obfuscate(data, key), doc.part.package)
        e = etree.SubElement(font, qn(f"w:{tag}"))
        e.set(qn("r:id"), table.relate_to(part, RT.FONT))
        e.set(qn("w:fontKey"), key)
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(table, "_element"):
        table._element = etree.fromstring(blob)
    else:
        table._blob = blob
    settings = doc.settings.element
    if settings.find(qn("w:embedTrueTypeFonts")) is None:
        zoom = settings.find(qn("w:zoom"))
        embed = OxmlElement("w:embedTrueTypeFonts")
        zoom.addnext(embed) if zoom is not None else settings.insert(0, embed)
    # Word 2013+ mode, not compatibility mode (Word 2010)
    for cs in settings.iter(qn("w:compatSetting")):
        if cs.get(qn("w:name")) == "compatibilityMode":
            cs.set(qn("w:val"), "15")


def main():
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    defaults = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts")) if defaults is not None else None
    if fonts is not None:  # no theme font (Calibri) where a style names none
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{attr}"), FONT)
    for name, (size, bold, italic, align, first, left, before, after, extra) in PARAS.items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.quick_style = True
        f = st.font
        f.name, f.size, f.bold, f.italic = FONT, Pt(size), bold, italic
        if "color" in extra:
            f.color.rgb = RGBColor(*extra["color"])
        pf = st.paragraph_format
        pf.alignment = align
        pf.first_line_indent = Cm(first) if first else None
        pf.left_indent = Cm(left) if left else None
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        pf.line_spacing = LINE
        pf.widow_control = True
        if extra.get("keep"):
            pf.keep_with_next = True
        if "outline" in extra:  # Word's navigation pane and LibreOffice's navigator
            lvl = OxmlElement("w:outlineLvl")
            lvl.set(qn("w:val"), str(extra["outline"]))
            st.element.get_or_add_pPr().append(lvl)
    for name, spec in CHARS.items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        st.font.bold = spec.get("bold")
        if "color" in spec:
            st.font.color.rgb = RGBColor(*spec["color"])
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.0)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = cp.title = cp.subject = cp.keywords = cp.comments = ""
    cp.category = cp.content_status = cp.identifier = cp.version = ""
    cp.revision = 1
    # No bibliography store or thumbnail: nothing a generated file does not need.
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith("/customXml"):
            doc.part.drop_rel(rel.rId)
    pkg_rels = doc.part.package.rels
    for rId, rel in list(pkg_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg_rels[rId]
    for root in (doc.element, doc.styles.element):
        for el in root.iter():
            for name in [a for a in el.attrib if "}rsid" in a]:
                del el.attrib[name]
    settings = doc.settings.element
    for el in settings.findall(qn("w:rsids")):  # editing-session ids would leak and vary
        settings.remove(el)
    _trim(doc)
    _embed_fonts(doc)
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = APP_XML.encode("utf-8")
    doc.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
