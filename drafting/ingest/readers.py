"""Read an incoming letter from plain text, DOCX or PDF into one plain-text form.

The common form: blocks separated by one blank line; inside a block, one line per
hard line (letterhead, address) or one line per paragraph; list items as lines
starting with "- " (or "1. " for numbered items). Every reader refuses bad input with
an `InputError` naming the file: nothing here ever raises anything else.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from drafting.errors import InputError
from drafting.store.read import MAX_BYTES as MAX_FILE_BYTES
from drafting.store.read import MAX_UNZIPPED_BYTES, MAX_ZIP_MEMBERS, MAX_ZIP_RATIO, decode_utf8, read_bytes

__all__ = ["read_letter_text", "MAX_FILE_BYTES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO"]

# The size limits are the store's (store/read.py), for a letter as for any input.
MAX_PDF_PAGES = 300
# Characters no case file can hold (the loader refuses them): control characters but tab,
# line feed, carriage return and form feed (a page break the layout reader uses).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\u00ad": ""}


def read_letter_text(path) -> tuple[str, str]:
    """Read a letter file; return (text in the common form, source kind: txt/docx/pdf)."""
    path = Path(path)
    data = read_bytes(path, MAX_FILE_BYTES, what="letter file")  # a regular file, bounded while read
    if not data.strip():
        raise InputError("the file is empty", path=path, hint="give the letter's text")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise InputError("an old binary Word file (.doc) cannot be read", path=path,
                         hint="save it as .docx or .pdf in Word")
    if suffix == ".docx" or (suffix not in {".pdf"} | TEXT_SUFFIXES and data[:4] == b"PK\x03\x04"):
        kind, text = "docx", _read_docx(path, data)
    elif suffix == ".pdf" or (suffix not in TEXT_SUFFIXES and data[:5] == b"%PDF-"):
        kind, text = "pdf", _read_pdf(path, data)
    else:
        kind, text = "txt", _read_txt(path, data)
    bad = _CONTROL.search(text)
    if bad:  # the case's files could not hold it: refused here, at the input's line
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(f"character U+{ord(bad.group()):04X} (a control character) in the "
                         "letter", path=path, line=line if kind == "txt" else None,
                         hint="delete it (it is invisible in most editors) or save the letter "
                         "again")
    text = _tidy(text)
    if not text.strip():
        raise InputError("the file holds no text", path=path,
                         hint="a scanned letter needs a text layer (OCR) first")
    return text, kind


# -- plain text -----------------------------------------------------------------

def _read_txt(path: Path, data: bytes) -> str:
    if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04":
        raise InputError("this is a PDF or DOCX file with a text name", path=path,
                         hint="rename it with its real extension (.pdf or .docx)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError("the text is UTF-16, not UTF-8", path=path, line=1,
                         hint="save it as UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError("binary data (a NUL byte): not a text letter", path=path, line=line,
                         hint="give a .txt (UTF-8), .docx or .pdf file")
    text = decode_utf8(data, path)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(2, len(text) // 200):
        raise InputError("binary data (control characters): not a text letter", path=path,
                         hint="give a .txt (UTF-8), .docx or .pdf file")
    return text


def _tidy(text: str) -> str:
    """Newlines, ligatures, trailing spaces, and at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    for lig, rep in _LIGATURES.items():
        text = text.replace(lig, rep)
    lines = [ln.rstrip() for ln in text.split("\n")]
    out, blank = [], True
    for ln in lines:
        if not ln.strip():
            if not blank:
                out.append("")
            blank = True
        else:
            out.append(ln)
            blank = False
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# -- DOCX -----------------------------------------------------------------------

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _xml_declares_dtd(raw: bytes) -> bool:
    if _DTD_RE.search(raw):
        return True
    # The same trick in UTF-16 or UTF-32 would hide from a byte search.
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in raw[:200]:
        for enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
            try:
                if re.search(r"<!\s*(?:DOCTYPE|ENTITY)", raw.decode(enc), re.IGNORECASE):
                    return True
            except UnicodeDecodeError:
                continue
    return False


def _check_zip(path: Path, data: bytes) -> None:
    if data[:4] != b"PK\x03\x04" or not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("not a DOCX file (it is not a zip archive)", path=path,
                         hint="save the letter from Word as .docx, or give it as .pdf or .txt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise InputError(f"refused: the DOCX holds {len(infos)} files", path=path,
                                 hint="this is not an ordinary Word document")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos)
            if total > MAX_UNZIPPED_BYTES:
                raise InputError(f"refused: the DOCX would unpack to {total / 1048576:.0f} MB "
                                 f"(the limit is {MAX_UNZIPPED_BYTES // 1048576} MB)",
                                 path=path, hint="possible zip bomb; re-save the letter in Word")
            worst = max(infos, key=lambda i: i.file_size / max(i.compress_size, 1), default=None)
            ratio = total / max(packed, 1)
            member_ratio = worst.file_size / max(worst.compress_size, 1) if worst else 0
            if (total > 1048576 and ratio > MAX_ZIP_RATIO) or (
                    worst and worst.file_size > 1048576 and member_ratio > MAX_ZIP_RATIO):
                raise InputError(f"refused: the DOCX is compressed {max(ratio, member_ratio):.0f} "
                                 f"times (the limit is {MAX_ZIP_RATIO})", path=path,
                                 hint="possible zip bomb; re-save the letter in Word")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise InputError("not a Word document (no word/document.xml inside)", path=path,
                                 hint="save the letter from Word as .docx")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels")):
                    raw = zf.read(info)
                    if _xml_declares_dtd(raw):
                        raise InputError(f"refused: {info.filename} declares a DOCTYPE or ENTITY",
                                         path=path, hint="XML entities are not allowed in a "
                                         "DOCX; re-save the letter in Word")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, ValueError, OSError) as exc:
        raise InputError(f"damaged DOCX ({exc})", path=path,
                         hint="re-save the letter in Word") from None


_PAGE_FIELD_RE = re.compile(r"(?:[\s\-–—·|,]*\b(?:page|p\.)\s*\d+(?:\s*(?:of|sur|/|de)\s*\d+)?)\s*$",
                            re.IGNORECASE)


def _read_docx(path: Path, data: bytes) -> str:
    """A DOCX: the page header (the letterhead) and footer first, then the body in
    order: paragraphs, Word-numbered and bulleted lists (their numbers as Word shows
    them), and tables (a layout table cell by cell, a table under an announcing
    sentence row by row, as list items)."""
    _check_zip(path, data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        formats = _numbering_formats(document)
        blocks: list[list[str]] = []
        for section in document.sections[:1]:
            for part in _header_parts(section):
                lines = [_PAGE_FIELD_RE.sub("", " ".join(p.text.split())).strip()
                         for p in part.paragraphs]
                lines = [ln for ln in lines if ln and not re.fullmatch(r"\d{1,3}", ln)]
                if lines:
                    blocks.append(lines)
        blocks += _docx_body(document, document.element.body, formats)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise InputError(f"cannot read the DOCX ({type(exc).__name__}: {exc})", path=path,
                         hint="re-save the letter in Word") from None
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _header_parts(section):
    parts = []
    for name in ("first_page_header", "header", "first_page_footer", "footer"):
        if name.startswith("first") and not section.different_first_page_header_footer:
            continue
        part = getattr(section, name)
        if any(p.text.strip() for p in part.paragraphs):
            parts.append(part)
    seen, out = set(), []
    for part in parts:
        key = tuple(p.text for p in part.paragraphs)
        if key not in seen:
            seen.add(key)
            out.append(part)
    return out


def _numbering_formats(document) -> dict:
    """{(numId, ilvl): numFmt} from numbering.xml: 'bullet', 'decimal', 'lowerLetter' ..."""
    out = {}
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return out
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    abstract = {}
    for an in numbering.iter(ns + "abstractNum"):
        levels = {}
        for lvl in an.iter(ns + "lvl"):
            fmt = lvl.find(ns + "numFmt")
            levels[lvl.get(ns + "ilvl")] = fmt.get(ns + "val") if fmt is not None else "decimal"
        abstract[an.get(ns + "abstractNumId")] = levels
    for num in numbering.iter(ns + "num"):
        ref = num.find(ns + "abstractNumId")
        if ref is not None:
            for ilvl, fmt in abstract.get(ref.get(ns + "val"), {}).items():
                out[(num.get(ns + "numId"), ilvl)] = fmt
    return out


def _docx_body(document, body, formats) -> list[list[str]]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks: list[list[str]] = []
    list_block: list[str] | None = None
    counters: dict = {}
    last_text = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(child, document)
            text = para.text.replace("\t", " ").replace("\u000b", "\n")
            if not text.strip():
                list_block = None
                continue
            kind = _docx_list_kind(para, formats)
            if kind:
                if list_block is None:
                    list_block, counters = [], {}
                    blocks.append(list_block)
                counters[kind] = counters.get(kind, 0) + 1
                marker = "-" if kind == "bullet" else _list_marker(kind, counters[kind])
                list_block.append(f"{marker} " + " ".join(text.split("\n")).strip())
            else:
                list_block = None
                blocks.append([ln.strip() for ln in text.split("\n") if ln.strip()])
            last_text = text.strip()
        elif tag == "tbl":
            list_block = None
            blocks += _docx_table(Table(child, document), last_text.endswith(":"))
    return blocks


def _docx_table(table, announced: bool) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            lines = [" ".join(p.text.split()) for p in cell.paragraphs]
            lines = [ln for ln in lines if ln]
            if lines and lines not in cells:
                cells.append(lines)
        rows.append(cells)
    rows = [r for r in rows if r]
    if announced and len(rows) >= 2:
        # a table of proposals: one item a row; a first row of short labels is its head
        head = rows[0]
        if all(len(" ".join(c).split()) <= 3 for c in head) and any(
                len(" ".join(c).split()) > 3 for r in rows[1:] for c in r):
            rows = rows[1:]
        return [["- " + " – ".join(" ".join(c) for c in r) for r in rows]]
    blocks = []
    for r in rows:          # a layout table (letterhead, address): cell by cell
        for c in r:
            blocks.append(c)
    return blocks


def _list_marker(fmt: str, n: int) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26)
        return f"{letter.upper() if fmt == 'upperLetter' else letter})"
    if fmt in ("lowerRoman", "upperRoman"):
        roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"][(n - 1) % 10]
        return f"{roman.upper() if fmt == 'upperRoman' else roman}."
    return f"{n}."


def _docx_list_kind(para, formats=None) -> str | None:
    """'bullet', or the number format of a numbered list item, or None."""
    ppr = para._p.pPr
    if ppr is not None and ppr.numPr is not None and ppr.numPr.numId is not None:
        num_id = str(ppr.numPr.numId.val)
        ilvl = str(ppr.numPr.ilvl.val) if ppr.numPr.ilvl is not None else "0"
        if num_id != "0":
            fmt = (formats or {}).get((num_id, ilvl))
            if fmt:
                return "bullet" if fmt in ("bullet", "none") else fmt
    style = (para.style.name if para.style is not None else "") or ""
    lowered = style.lower()
    if "list number" in lowered:
        return "decimal"
    if "list" in lowered and ("bullet" in lowered or "paragraph" in lowered):
        return "bullet"
    if ppr is not None and ppr.numPr is not None:
        return "bullet"
    return None


# -- PDF ------------------------------------------------------------------------

def _read_pdf(path: Path, data: bytes) -> str:
    """A PDF read by its layout (layout.py): line positions decide the paragraphs, the
    running heads and feet, the columns and the list items."""
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a PDF file (no %PDF header)", path=path,
                         hint="give a .pdf, .docx or .txt file")
    try:
        import logging

        import pypdf

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise ValueError
            except Exception:
                raise InputError("the PDF is encrypted", path=path,
                                 hint="save an unprotected copy") from None
        if len(reader.pages) > MAX_PDF_PAGES:
            raise InputError(f"the PDF has {len(reader.pages)} pages (the limit is "
                             f"{MAX_PDF_PAGES})", path=path, hint="is this the right file?")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read the PDF ({type(exc).__name__}: {exc})", path=path,
                         hint="re-export the PDF, or give the letter as .docx or .txt") from None
    from drafting.ingest.layout import pdf_layout_text
    return pdf_layout_text(path, data, MAX_PDF_PAGES)
