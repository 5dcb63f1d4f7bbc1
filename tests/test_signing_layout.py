"""Pages laid out for signing, read from the PDF's page geometry (pypdf's text visitor:
each run's baseline and size) and from the DOCX's paragraph properties:

- at least 25 mm free between the complimentary close and the printed name on the
  signed original (the fair copy and the drafts that prefigure it);
- the close and the signature stand with the last lines of the body, and the copy line
  with them: no last page carries only the copy line, or only the close and signature;
- the day and the month of a date never split across lines (U+00A0 between them);
- "1er" sets its suffix as a superscript (smaller, raised; a superscript run in Word).

LibreOffice's rendering of the DOCX was looked at by hand (tools/look): the suite's
LibreOffice tests belong to the print checks, not here."""
from __future__ import annotations

import io
import re

import docx
import pytest
from conftest import CASE
from docx.shared import Mm
from pypdf import PdfReader

from drafting import build, load_case
from drafting.writers.pdf import write_pdf

PT_PER_MM = 72 / 25.4
MARGIN = 25 * PT_PER_MM        # print.css: the page margins (running heads outside)
MONTHS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
          "décembre|January|February|March|April|May|June|July|August|September|"
          "October|November|December")

# (case, brief file or None, signatory's name)
LETTERS = {
    "prime-minister": (None, None, "Jean Castex"),
    "president": (None, "brief-president.yaml", "Emmanuel Macron"),
    "minister": ("2021-11-29-home-secretary", None, "Gérald Darmanin"),
}


def _case(workspace, which):
    name, brief, _ = LETTERS[which]
    folder = workspace / "letters" / (name or CASE.split("/")[-1])
    return load_case(workspace, name, brief=str(folder / brief) if brief else None)


def _pdf_runs(data):
    """Per page: [(baseline y in pt, x, size in pt, text)] of the text runs, top first."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        runs = []

        def visit(text, cm, tm, _font, size, runs=runs):
            if text.strip():
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                runs.append((y, x, size * abs(cm[3]) * abs(tm[3]), text))
        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        pages.append(sorted((r for r in runs if MARGIN - 5 < r[0] < height - MARGIN + 5),
                            key=lambda r: (-r[0], r[1])))
    return pages


def _find(pages, text):
    """(page index, run) of the last run containing `text` (spaces as one)."""
    found = [(i, r) for i, runs in enumerate(pages) for r in runs
             if text in re.sub(r"\s+", " ", r[3])]
    assert found, text
    return found[-1]


@pytest.fixture(scope="module")
def rendered(workspace):
    out = {}
    for which in LETTERS:
        case = _case(workspace, which)
        for lang in ("fr", "en"):
            for final in (False, True):
                built = build(case, "reply", lang, final=final)
                out[which, lang, final] = (built.document, write_pdf(built.document,
                                                                     case.templates))
    return out


@pytest.mark.parametrize("final", [False, True], ids=["draft", "fair-copy"])
@pytest.mark.parametrize("which", list(LETTERS))
def test_room_to_sign_on_the_original(rendered, which, final):
    doc, data = rendered[which, "fr", final]
    pages = _pdf_runs(data)
    close_text = "".join(next(p.itertext() for p in doc.body.iter("p")
                              if p.get("class") == "close"))
    last_word = close_text.split()[-1]
    page_c, close = _find(pages, last_word)
    page_n, name = _find(pages, LETTERS[which][2])
    assert page_c == page_n, "the close and the name on one page"
    # free space: from the close's last line (its descenders) to the top of the name
    free = (close[0] - name[0]) - name[2] - 0.3 * close[2]
    assert free >= 25 * PT_PER_MM, f"{free / PT_PER_MM:.1f} mm between close and name"


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("which", list(LETTERS))
def test_the_end_stays_with_the_last_lines_of_the_body(rendered, which, lang):
    doc, data = rendered[which, lang, False]
    pages = _pdf_runs(data)
    paras = [p for p in doc.body.iter("p")]
    close_at = next(i for i, p in enumerate(paras) if p.get("class") == "close")
    last_body = "".join(paras[close_at - 1].itertext()).split()
    page_c, close = _find(pages, " ".join("".join(paras[close_at].itertext()).split()[:3]))
    page_s, _ = _find(pages, LETTERS[which][2])
    last = len(pages) - 1
    assert page_c == page_s == last
    body_above = [r for r in pages[last] if r[0] > close[0] + 1]
    assert len(body_above) >= 2, "at least two lines of the last paragraph above the close"
    assert last_body[-1] in body_above[-1][3]  # ... and they end that paragraph
    copies = [p for p in paras if p.get("class") == "copies"]
    if copies:
        page_copy, _ = _find(pages, "".join(copies[0].itertext()).split()[0])
        assert page_copy == last and len(pages[last]) > 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dates_never_split_and_1er_is_a_superscript(rendered, lang):
    _doc, data = rendered["prime-minister", lang, False]
    pages = _pdf_runs(data)  # the body: the running heads are one line each
    text = "\n".join(r[3] for runs in pages for r in runs)
    dates = list(re.finditer(r"\b(\d{1,2}|1er)([\s\u00a0]+)(" + MONTHS + r")\b", text))
    assert len(dates) >= 4
    for m in dates:
        assert "\u00a0" in m.group(2), f"breakable date: {m.group()!r}"
    if lang == "fr":
        i, one = _find(pages, "Paris, le 1")
        sup = next(r for r in pages[i] if r[3] == "er")
        assert sup[2] < one[2] * 0.8 and sup[0] > one[0] + 1, (one, sup)


@pytest.mark.parametrize("which", list(LETTERS))
def test_docx_keeps_the_end_together_and_leaves_room_to_sign(workspace, which, tmp_path):
    from drafting.writers.docx import write_docx
    case = _case(workspace, which)
    for lang in ("fr", "en"):
        document = build(case, "reply", lang).document
        d = docx.Document(io.BytesIO(write_docx(document, case.templates / "reference.docx")))
        paras = [p for p in d.paragraphs if p.text.strip()]
        styles = [p.style.name for p in paras]
        close = styles.index("Draft Close")
        signature = paras[styles.index("Draft Signature")]
        for p in paras[close - 1:close + 1]:  # the last body paragraph and the close
            keep = p.paragraph_format.keep_with_next
            assert keep or (keep is None and p.style.paragraph_format.keep_with_next), p.text
        if "Draft Copies" in styles:
            assert signature.paragraph_format.keep_with_next or \
                signature.style.paragraph_format.keep_with_next
        room = signature.paragraph_format.space_before or signature.style.paragraph_format.space_before
        if lang == "fr":
            assert room >= Mm(25), room
        else:  # the translation says "(signed)"
            assert room < Mm(25) and signature.text.startswith("(signed)")
        if lang == "fr" and "1er" in "".join(p.text for p in paras):
            runs = [r for p in paras for r in p.runs]
            sups = [r for r in runs if r.font.superscript]
            assert sups and all(r.text in ("er", "re", "e", "es", "ers", "res") for r in sups)
            i = runs.index(sups[0])
            assert runs[i - 1].text.endswith("1")
