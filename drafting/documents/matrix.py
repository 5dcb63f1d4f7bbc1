"""The response matrix: one row per proposal of the letter, for a senior reviewer.

Each row: the proposal (title, key, where in the letter), a short quote, the position
the brief takes, the line taken in the reply (clause `positions.<pos>.line`), the
agenda item of the meeting that carries it, the paragraph of the joint declaration
and the article of each draft agreement that carry it (read from those documents'
built trees, by their data-clause attributes, so the matrix says what the documents
say), the owner and the clearance state. Landscape; DOCX and PDF through the shared
tree, CSV (UTF-8 with a BOM, for Excel) with the csv module.
"""
from __future__ import annotations

import csv
import io
import re

from drafting.documents.compose import values
from drafting.inputs.dates import long_date
from drafting.inputs.library import fill
from drafting.select import select
from drafting.tree.document import text_of

__all__ = ["context", "matrix_context", "matrix_rows", "matrix_csv", "QUOTE_CHARS"]

QUOTE_CHARS = 150   # a quote longer than this is cut at a word and ends with [...]
DASH = "-"


def _short(text, limit=QUOTE_CHARS):
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.")
    return f"{cut} [...]"


def _carriers(case, lang):
    """{proposal key: declaration paragraph}, {proposal key: [article labels]} from the
    built declaration and agreements (whatever of them the case has)."""
    from drafting.documents.build import build
    from drafting.documents.registry import KINDS

    declaration, articles = {}, {}
    keys = set(case.letter.keys)
    if "declaration" in KINDS and case.meeting is not None:
        tree = build(case, "declaration", lang).document.root
        for el in tree.iter("p"):
            key = el.get("data-clause")
            if key in keys and el.get("data-field") == "declaration" \
                    and el.get("data-para") == "1" and key not in declaration:
                m = re.match(r"\s*(\d+)\.", text_of(el))
                if m:
                    declaration[key] = m.group(1)
    if "agreement" in KINDS:
        for opts in KINDS["agreement"].variants(case):
            akind = opts["agreement_kind"]
            tree = build(case, "agreement", lang, **opts).document.root
            found = {}
            for el in tree.iter("h2"):  # an article's label
                key = el.get("data-clause")
                if key in keys and el.get("data-article"):
                    found.setdefault(key, []).append(" ".join(text_of(el).split()))
            for key, labels in found.items():
                articles.setdefault(key, []).append(_articles(labels, akind))
    return declaration, articles


def _articles(labels, akind):
    """['Article 4', 'Article 8'] -> 'Articles 4, 8 (readmission)'."""
    word = labels[0].split(" ", 1)[0]
    if len(labels) > 1 and all(lab.startswith(word + " ") for lab in labels):
        text = f"{word}s " + ", ".join(lab.split(" ", 1)[1] for lab in labels)
    else:
        text = ", ".join(labels)
    return f"{text} ({akind})"


def _where(proposal, lab):
    """'§ 9, tiret 1' / 'para. 9, bullet 1': where the letter makes the proposal."""
    text = lab["paragraph"].format(n=proposal.paragraph)
    return f"{text}, {lab['bullet'].format(n=proposal.bullet)}" if proposal.bullet else text


def _clearance(clause, lab):
    if clause is None or not clause.cleared_version or not clause.cleared_date:
        return lab["not_cleared"]
    date = clause.cleared_date.isoformat()
    if clause.cleared_version < clause.version:
        return lab["changed"].format(version=clause.version, cleared=clause.cleared_version,
                                     date=date)
    return lab["cleared"].format(version=clause.cleared_version, date=date)


def matrix_rows(case, lang) -> list:
    """One dict per proposal, in the letter's order (plain strings: the table and CSV)."""
    protocol = case.protocol
    lab = protocol.label(lang, "matrix")
    names = protocol.label(lang, "position_names")
    vals = values(case, lang)
    items = {}
    if case.meeting is not None:
        from drafting.inputs.meeting import meeting_of
        for it in meeting_of(case).items(lang):
            for key in it.proposals:
                items.setdefault(key, []).append(f"{it.number} {it.title}")
    declaration, articles = _carriers(case, lang)
    rows = []
    for choice in select(case).proposals:
        key, proposal, position = choice.key, choice.proposal, choice.position
        clause = case.library.get(key)
        if choice.no_answer is not None:
            position_text = lab["no_answer"].format(reason=choice.no_answer)
            line = DASH
        elif position is None:
            position_text, line = DASH, DASH
        else:
            position_text = str(names.get(str(position), position))
            text = clause.text(str(position), "line", lang) if clause else None
            line = " ".join(fill(text, vals).split()) if text else DASH
        answered = choice.answered
        rows.append({
            "key": key,
            "title": str(proposal.title.get(lang) or (clause.title.get(lang) if clause else key)),
            "where": _where(proposal, lab),
            "quote": _short(proposal.quote),
            "quote_full": " ".join(proposal.quote.split()),
            "position_key": str(position) if answered else "",
            "position": position_text,
            "line": line,
            "agenda": "; ".join(items.get(key, [])) or DASH,
            "declaration": (lab["paragraph"].format(n=declaration[key])
                            if key in declaration else DASH),
            "agreement": "; ".join(articles.get(key, [])) or DASH,
            "owner": clause.owner if clause else DASH,
            "clearance": _clearance(clause, lab),
        })
    return rows


COLUMNS = ("proposal", "quote", "position", "line", "agenda", "declaration", "agreement",
           "owner", "clearance")
# Column widths in cm for the DOCX (24.7 cm between the margins of a landscape A4);
# the PDF's are in templates/print.css (table.matrix).
WIDTHS = "3.2 3.7 2.1 3.9 2.8 2.3 2.2 2.2 2.3"
# Columns for the ministry only: who owns a line and where its clearance stands are
# internal; an interministerial or external matrix (and its CSV) goes without them.
INTERNAL_COLUMNS = ("owner", "clearance")


def columns_for(audience) -> tuple:
    if str(audience or "internal") == "internal":
        return COLUMNS
    return tuple(c for c in COLUMNS if c not in INTERNAL_COLUMNS)


def _widths(columns) -> str:
    """The DOCX widths of these columns, spread over the 24.7 cm the nine take."""
    w = dict(zip(COLUMNS, (float(x) for x in WIDTHS.split())))
    total = sum(w.values())
    kept = sum(w[c] for c in columns)
    return " ".join(f"{w[c] * total / kept:.2f}".rstrip("0").rstrip(".") for c in columns)


def matrix_context(case, lang, final=False, audience="internal") -> dict:
    lab = case.protocol.label(lang, "matrix")
    vals = values(case, lang)
    title = lab["title"]
    subtitle = lab["subtitle"].format(sender=vals["sender"], date=vals["incoming_date"],
                                      reply_date=long_date(case.brief.date, lang))
    columns = columns_for(audience)
    return {
        "lang": lang, "title": title, "subtitle": subtitle, "orientation": "landscape",
        "letter_lang": case.letter.language or "en",
        "headings": [lab[c] for c in columns],
        "widths": _widths(columns),  # WIDTHS itself for the nine columns
        "internal_columns": columns == COLUMNS,
        "rows": matrix_rows(case, lang),
        "audience": audience,
        "translation_heading": "",
        "author": "", "subject": f"{title} - {subtitle}",
        "created": case.brief.date.isoformat(),
    }


def matrix_csv(case, lang, audience="internal", sep=",") -> bytes:
    """The matrix as CSV: UTF-8 with a BOM (Excel reads the accents), one row per
    proposal, full quotes, the position both as a key and in words; the owner and
    clearance columns for the internal audience only; `sep` between fields (';' for a
    French-locale spreadsheet, which reads ',' as the decimal comma)."""
    lab = case.protocol.label(lang, "matrix")
    internal = columns_for(audience) == COLUMNS
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([lab["key"][:1].upper() + lab["key"][1:], lab["proposal"], lab["where"],
                     lab["quote"], lab["position"],
                     lab["position"] + f" ({lab['key']})", lab["line"], lab["agenda"],
                     lab["declaration"], lab["agreement"]]
                    + ([lab["owner"], lab["clearance"]] if internal else []))
    for r in matrix_rows(case, lang):
        writer.writerow([r["key"], r["title"], r["where"], r["quote_full"], r["position"],
                         r["position_key"], r["line"], r["agenda"], r["declaration"],
                         r["agreement"]] + ([r["owner"], r["clearance"]] if internal else []))
    return buf.getvalue().encode("utf-8-sig")


context = matrix_context
