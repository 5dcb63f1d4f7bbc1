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
from collections import Counter
from pathlib import Path

from drafting.errors import InputError

__all__ = ["read_letter_text", "MAX_FILE_BYTES", "MAX_UNZIPPED_BYTES", "MAX_ZIP_RATIO"]

MAX_FILE_BYTES = 20 * 1024 * 1024       # any input file
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024   # DOCX: total uncompressed size of the members
MAX_ZIP_RATIO = 100                     # DOCX: uncompressed / compressed
MAX_ZIP_MEMBERS = 5000
MAX_PDF_PAGES = 300

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
BULLET_GLYPHS = "•◦▪▫●○■□‣⁃∙·–—-*"
_BULLET_RE = re.compile(r"^\s*(?:[" + re.escape(BULLET_GLYPHS) + r"]|\uf0b7|\uf0a7)\s+(.*)$")
_NUMBERED_RE = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(.*)$")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\u00ad": ""}


def read_letter_text(path) -> tuple[str, str]:
    """Read a letter file; return (text in the common form, source kind: txt/docx/pdf)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", path=path, hint="give the path of the letter") from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=path) from None
    if path.is_dir():
        raise InputError("this is a folder, not a letter file", path=path,
                         hint="give a .txt, .docx or .pdf file")
    if size > MAX_FILE_BYTES:
        raise InputError(f"the file is too large ({size / 1048576:.1f} MB; the limit is "
                         f"{MAX_FILE_BYTES // 1048576} MB)", path=path,
                         hint="a letter is a few pages: is this the right file?")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", path=path) from None
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path=path,
                         line=line, col=col,
                         hint="save the file as UTF-8 (it may be Windows-1252 or Latin-1)") from None
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


def _read_docx(path: Path, data: bytes) -> str:
    _check_zip(path, data)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        blocks: list[list[str]] = []
        list_block: list[str] | None = None
        number = 0
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                para = Paragraph(child, document)
                text = para.text.replace("\t", " ").replace("\u000b", "\n")
                if not text.strip():
                    list_block = None
                    continue
                kind = _docx_list_kind(para)
                if kind:
                    if list_block is None:
                        list_block, number = [], 0
                        blocks.append(list_block)
                    number += 1
                    marker = f"{number}." if kind == "number" else "-"
                    list_block.append(f"{marker} " + " ".join(text.split("\n")).strip())
                else:
                    list_block = None
                    blocks.append([ln.strip() for ln in text.split("\n") if ln.strip()])
            elif tag == "tbl":
                list_block = None
                for row in Table(child, document).rows:
                    cells = []
                    for cell in row.cells:
                        t = " ".join(cell.text.split())
                        if t and t not in cells:
                            cells.append(t)
                    if cells:
                        blocks.append(cells)
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise InputError(f"cannot read the DOCX ({type(exc).__name__}: {exc})", path=path,
                         hint="re-save the letter in Word") from None
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _docx_list_kind(para) -> str | None:
    style = (para.style.name if para.style is not None else "") or ""
    lowered = style.lower()
    if "list number" in lowered:
        return "number"
    if "list" in lowered and ("bullet" in lowered or "paragraph" in lowered):
        return "bullet"
    ppr = para._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return "bullet"
    return None


# -- PDF ------------------------------------------------------------------------

def _read_pdf(path: Path, data: bytes) -> str:
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
        pages = []
        for page in reader.pages:
            try:
                t = page.extract_text(extraction_mode="layout")
            except Exception:
                t = page.extract_text() or ""
            pages.append(t or "")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot read the PDF ({type(exc).__name__}: {exc})", path=path,
                         hint="re-export the PDF, or give the letter as .docx or .txt") from None
    if not any(re.search(r"\w{2,}", p) for p in pages):
        raise InputError("the PDF has no text layer (a scan or an image)", path=path,
                         hint="run OCR on it first, or give the letter as .docx or .txt")
    return _pdf_pages_to_text(pages)


_PAGE_NUMBER_RE = re.compile(r"^\s*(?:-\s*\d+\s*-|page\s+\d+(?:\s+(?:of|sur|/)\s+\d+)?|\d+\s*/\s*\d+|"
                             r"\d{1,3})\s*$", re.IGNORECASE)


def _pdf_pages_to_text(pages: list[str]) -> str:
    # Running heads and feet: a line repeated at the top or foot of several pages.
    page_lines = [[ln.rstrip() for ln in p.split("\n")] for p in pages]
    edges = Counter()
    for lines in page_lines:
        content = [ln.strip() for ln in lines if ln.strip()]
        for ln in set(content[:3] + content[-3:]):
            edges[" ".join(ln.split())] += 1
    repeated = {ln for ln, n in edges.items() if n >= 2 and len(pages) >= 2}
    paragraphs: list[list[str]] = []   # each: list of raw lines (with indent)
    current: list[str] = []
    for index, lines in enumerate(page_lines):
        content = [ln for ln in lines if ln.strip()]
        head, foot = content[:3], content[-3:]
        for ln in lines:
            norm = " ".join(ln.split())
            if not norm:
                if current:
                    paragraphs.append(current)
                    current = []
                continue
            if norm in repeated and index > 0 and (ln in head or ln in foot):
                continue
            if _PAGE_NUMBER_RE.match(norm) and (ln in head or ln in foot):
                continue
            current.append(ln)
        # a paragraph running on to the next page stays open unless it ended a sentence
        if current and re.search(r"[.!?:»\"”)]\s*$", current[-1]) and index + 1 < len(page_lines):
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    blocks = []
    for raw in paragraphs:
        blocks.extend(_join_pdf_block(raw))
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _collapse(line: str) -> str:
    return " ".join(line.split())


def _join_pdf_block(raw: list[str]) -> list[list[str]]:
    """Re-join a block's hard line breaks: list items one per line, prose one per paragraph.

    A block whose lines are all short (letterhead, address) keeps its lines. Inside
    prose, a short line ending a sentence also ends the paragraph (PDFs without
    paragraph spacing)."""
    lines = [ln for ln in raw if ln.strip()]
    if not lines:
        return []
    longest = max(len(_collapse(ln)) for ln in lines)
    items: list[tuple[str, list[str], int]] = []  # (kind, parts, indent)
    for ln in lines:
        indent = len(ln) - len(ln.lstrip())
        text = _collapse(ln)
        bullet = _BULLET_RE.match(text)
        numbered = _NUMBERED_RE.match(text)
        if bullet and text[0] in "-–—*" and items and items[-1][0] == "prose" and not re.search(
                r"[.!?:]$", items[-1][1][-1]):
            bullet = None   # a wrapped line that starts with a dash, not a list item
        if bullet:
            items.append(("item", ["- " + bullet.group(1)], indent))
        elif numbered and (len(text) > 12):
            items.append(("item", [f"{numbered.group(1)} {numbered.group(2)}"], indent))
        elif items and items[-1][0] == "item" and (indent > items[-1][2]
                                                   or not re.search(r"[.;:!?]$", items[-1][1][-1])):
            items[-1][1].append(text)
        elif items and items[-1][0] == "prose" and not _ends_paragraph(items[-1][1][-1], longest):
            items[-1][1].append(text)
        else:
            items.append(("prose", [text], indent))
    prose_short = all(len(_collapse(ln)) < 0.6 * max(longest, 60) for ln in lines)
    out: list[list[str]] = []
    run: list[str] = []
    for kind, parts, _ in items:
        if kind == "item":
            run.append(_join_parts(parts))
            continue
        if run:
            out.append(run)
            run = []
        if prose_short:
            out.append(parts)   # letterhead or address: keep the lines
        else:
            out.append([_join_parts(parts)])
    if run:
        out.append(run)
    return out


def _ends_paragraph(line: str, longest: int) -> bool:
    return bool(re.search(r"[.!?:»\"”]$", line)) and len(line) < 0.75 * longest and longest > 50


def _join_parts(parts: list[str]) -> str:
    text = parts[0]
    for nxt in parts[1:]:
        if re.search(r"\w-$", text) and nxt[:1].islower():
            text += nxt          # a hyphen at the line end stays: "far-" + "reaching"
        else:
            text += " " + nxt
    return text
