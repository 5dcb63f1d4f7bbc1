"""Read a PDF letter by its layout: the position of every line (pdfminer.six).

    pdf_layout_text(path, data) -> text in the common form of readers.py

What the positions decide:
  * running heads, feet and page numbers: a line in the top or bottom band of a page
    that is a page number, in a smaller type than the body, or repeated on several
    pages, is left out (on the first page, a head that is not repeated is the
    letterhead and stays);
  * columns: a row of lines far apart (a two-column letterhead) is read column by
    column, each column one block;
  * paragraphs: a vertical gap wider than the body's line step, a first-line indent,
    or a short line ending a sentence, ends a paragraph; a paragraph whose last line
    runs to the margin at the foot of a page goes on at the top of the next;
  * list items: a bullet or a number at the start of a line (the marker may be a line
    of its own, beside the item), continued by the lines indented under the item;
  * hyphens: a word cut at the line end by a hyphenation hyphen (U+2010, or a soft
    hyphen) is joined again; an ordinary hyphen stays ("far-" + "reaching").
"""
from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from drafting.errors import InputError

__all__ = ["pdf_layout_text", "Line"]

_BULLETS = "•◦▪▫●○■□‣⁃∙·–—-*\uf0b7\uf0a7"
_MARKER_RE = re.compile(r"^(?:[" + re.escape(_BULLETS) + r"]|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])$")
_ITEM_RE = re.compile(r"^(?:[" + re.escape(_BULLETS) + r"]\s+|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:-\s*\d+\s*-|(?:page|p\.)\s*\d+(?:\s*(?:of|sur|/|de)\s*\d+)?|\d+\s*/\s*\d+|\d{1,3})$",
    re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;»\"”)]$")
_HYPHENATION = ("\u2010", "\u00ad")


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str

    @property
    def marker(self) -> bool:
        return bool(_MARKER_RE.match(self.text))


def _collapse(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _pages(path, data: bytes, max_pages: int):
    try:
        import logging

        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams, LTTextLine
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
    except ImportError:  # pragma: no cover - an install without its dependency
        from drafting.errors import EnvironmentProblem
        raise EnvironmentProblem("reading a PDF letter needs pdfminer.six",
                                 hint="pip install pdfminer.six") from None
    pages = []
    try:
        for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), 1):
            if number > max_pages:
                raise InputError(f"the PDF has more than {max_pages} pages", path=path,
                                 hint="is this the right file?")
            height = page.bbox[3]
            lines: list[Line] = []

            def walk(obj, lines=lines, number=number, height=height):
                if isinstance(obj, LTTextLine):
                    text = _collapse(obj.get_text())
                    if text:
                        sizes = [c.size for c in obj if hasattr(c, "size")]
                        size = statistics.median(sizes) if sizes else obj.height
                        lines.append(Line(number, obj.x0, obj.x1, height - obj.y1,
                                          height - obj.y0, round(size, 1), text))
                    return
                if hasattr(obj, "__iter__"):
                    for child in obj:
                        walk(child)

            walk(page)
            pages.append((page.bbox[2], height, lines))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(f"cannot read the PDF ({type(exc).__name__}: {exc})", path=path,
                         hint="re-export the PDF, or give the letter as .docx or .txt") from None
    return pages


def _rows(lines: list[Line]) -> list[list[Line]]:
    """Lines on one baseline, left to right; a marker line and its item become one."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: (round(x.top), x.x0)):
        if rows and abs(rows[-1][0].top - ln.top) <= max(2.0, ln.size * 0.3):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    merged = []
    for row in rows:
        row.sort(key=lambda x: x.x0)
        out = [row[0]]
        for ln in row[1:]:
            prev = out[-1]
            if ln.x0 - prev.x1 < 2.5 * max(prev.size, ln.size):
                out[-1] = Line(prev.page, prev.x0, ln.x1, min(prev.top, ln.top),
                               max(prev.bottom, ln.bottom), max(prev.size, ln.size),
                               prev.text + " " + ln.text)
            else:
                out.append(ln)
        merged.append(out)
    return merged


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _running(pages, body_size: float) -> set:
    """(page, top, text) of the running heads, feet and page numbers."""
    seen = Counter()
    for _w, height, lines in pages:
        for key in {_norm_running(ln.text) for ln in lines
                    if ln.top < height * 0.12 or ln.bottom > height * 0.88}:
            seen[key] += 1
    drop = set()
    for index, (_w, height, lines) in enumerate(pages):
        for ln in lines:
            head, foot = ln.top < height * 0.12, ln.bottom > height * 0.88
            if not (head or foot):
                continue
            repeated = len(pages) > 1 and seen[_norm_running(ln.text)] >= 2
            small = ln.size < body_size * 0.85
            if _PAGE_NUMBER_RE.match(ln.text) or small or (repeated and (index > 0 or foot)):
                drop.add((ln.page, round(ln.top, 1), ln.text))
    return drop


def _step(pages) -> float:
    """The body's line step: the smallest spacing that recurs between lines."""
    diffs = []
    for _w, _h, lines in pages:
        rows = _rows(lines)
        for a, b in zip(rows, rows[1:]):
            d = b[0].top - a[0].top
            if d > 0:
                diffs.append(round(d, 0))
    common = [d for d, n in Counter(diffs).items() if n >= 2]
    return min(common) if common else (min(diffs) if diffs else 14.0)


@dataclass
class _Para:
    lines: list
    item: bool = False
    hard: bool = False       # a block whose lines stay lines (letterhead, address)


def pdf_layout_text(path, data: bytes, max_pages: int = 300) -> str:
    pages = _pages(path, data, max_pages)
    every = [ln for _w, _h, lines in pages for ln in lines]
    if not any(re.search(r"\w{2,}", ln.text) for ln in every):
        raise InputError("the PDF has no text layer (a scan or an image)", path=path,
                         hint="run OCR on it first, or give the letter as .docx or .txt")
    body_size = Counter(ln.size for ln in every).most_common(1)[0][0]
    drop = _running(pages, body_size)
    step = _step(pages)
    left = Counter(round(ln.x0) for ln in every).most_common(1)[0][0]
    widths = sorted(ln.x1 for ln in every)
    right = widths[int(len(widths) * 0.9)] if widths else 500.0
    paras: list[_Para] = []
    for _w, _h, lines in pages:
        kept = [ln for ln in lines if (ln.page, round(ln.top, 1), ln.text) not in drop]
        page_paras = _page_paragraphs(_rows(kept), step, left, right, body_size)
        if paras and page_paras and _continues(paras[-1], page_paras[0], left, right, body_size):
            paras[-1].lines.extend(page_paras.pop(0).lines)
        paras.extend(page_paras)
    blocks: list[list[str]] = []
    run: list[str] = []
    for para in paras:
        if para.item:
            run.append(_item_text(para.lines))
            continue
        if run:
            blocks.append(run)
            run = []
        if para.hard:
            blocks.append([ln.text for ln in para.lines])
        else:
            blocks.append([_join([ln.text for ln in para.lines])])
    if run:
        blocks.append(run)
    return "\n\n".join("\n".join(b) for b in blocks if b)


def _columns(rows):
    """Split the page's rows into runs: ('flow', rows) or ('columns', rows)."""
    runs = []
    for row in rows:
        multi = len(row) > 1
        if multi:
            if runs and runs[-1][0] == "columns":
                runs[-1][1].append(row)
            else:
                runs.append(("columns", [row]))
            continue
        if runs and runs[-1][0] == "columns":
            region = runs[-1][1]
            starts = {round(ln.x0) for r in region for ln in r}
            last = region[-1][0]
            gaps = [b[0].top - a[0].top for a, b in zip(region, region[1:])] or [row[0].size * 2.5]
            if (any(abs(row[0].x0 - s) < 3 for s in starts) and row[0].x0 > min(starts) + 3
                    and row[0].top - last.top <= max(gaps) * 1.3):
                region.append(row)
                continue
        if runs and runs[-1][0] == "flow":
            runs[-1][1].append(row)
        else:
            runs.append(("flow", [row]))
    return runs


def _page_paragraphs(rows, step, left, right, body_size) -> list[_Para]:
    out: list[_Para] = []
    for kind, run in _columns(rows):
        if kind == "columns":
            starts = sorted({round(ln.x0) for r in run for ln in r})
            cols: dict[int, list] = {}
            for r in run:
                for ln in r:
                    col = min(starts, key=lambda s: abs(s - ln.x0))
                    cols.setdefault(col, []).append(ln)
            for col in sorted(cols):
                out.append(_Para(cols[col], hard=True))
            continue
        out.extend(_flow([r[0] for r in run], step, left, right))
    return out


def _flow(lines, step, left, right) -> list[_Para]:
    paras: list[_Para] = []
    prev = None
    for ln in lines:
        is_item = bool(_ITEM_RE.match(ln.text)) and len(ln.text) > 3
        new = prev is None
        if prev is not None:
            gap = ln.top - prev.top
            cur = paras[-1]
            if gap > step * 1.3 or gap < 0:
                new = True
            elif is_item:
                new = True
            elif cur.item:
                # an item goes on in lines indented under its text
                new = ln.x0 < cur.lines[0].x0 + ln.size * 0.8 and not _hanging(cur, ln)
            elif ln.x0 > left + ln.size * 1.2 and prev.x0 <= left + 2:
                new = True   # a first-line indent
            elif (_SENTENCE_END.search(prev.text) and prev.x1 < right - max(40.0, (right - left) * 0.12)
                  and ln.text[:1].isupper()):
                new = True   # a short line ending a sentence, in a PDF without spacing
        if new:
            paras.append(_Para([ln], item=is_item))
        else:
            paras[-1].lines.append(ln)
        prev = ln
    for para in paras:
        # prose runs every line but the last to the margin; a block whose lines stop
        # short (letterhead, address, signature) keeps its lines
        if not para.item and len(para.lines) > 1 and all(
                ln.x1 < right - (right - left) * 0.15 for ln in para.lines[:-1]):
            para.hard = True
    return paras


def _hanging(item: _Para, ln: Line) -> bool:
    """A wrapped line of a list item: under the item's text, not its marker."""
    first = item.lines[0]
    m = _ITEM_RE.match(first.text)
    if not m:
        return False
    return ln.x0 > first.x0 + 1


def _continues(last: _Para, first: _Para, left, right, size) -> bool:
    """Does the page's first paragraph go on with the last of the page before?"""
    if first.item or last.hard or first.hard:
        return False
    tail, head = last.lines[-1], first.lines[0]
    if tail.text.endswith(_HYPHENATION + ("-",)):
        return True
    if head.x0 > left + size * 1.2 and not last.item:
        return False   # an indented first line opens a paragraph
    if not _SENTENCE_END.search(tail.text):
        return True
    return tail.x1 >= right - size * 2 and head.text[:1].islower()


def _join(parts: list[str]) -> str:
    text = parts[0]
    for nxt in parts[1:]:
        if text.endswith(_HYPHENATION) and nxt[:1].isalpha():
            text = text[:-1] + nxt          # "congratu‐" + "late": a hyphenation break
        elif re.search(r"\w-$", text) and nxt[:1].islower():
            text += nxt                     # an ordinary hyphen stays: "far-" + "reaching"
        else:
            text += " " + nxt
    return text


def _item_text(lines) -> str:
    text = _join([ln.text for ln in lines])
    m = re.match(r"^([" + re.escape(_BULLETS) + r"])\s+", text)
    if m:
        return "- " + text[m.end():]
    return text
