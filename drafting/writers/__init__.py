"""The two writers of the one tree: DOCX (python-docx) and PDF (WeasyPrint), and the
PDF process that renders several PDFs on every core (pdfs.py)."""
from __future__ import annotations

import datetime as dt

__all__ = ["docx_bytes", "pdf_bytes"]


def _when(case):
    d = case.brief.date
    return dt.datetime(d.year, d.month, d.day, 9, 0, 0)


def docx_bytes(case, built, audience=None) -> bytes:
    """A built document as DOCX, with Word comments only where the gate lets this
    output carry them (tree/gate.py: drafts for internal and interministerial readers;
    never an external draft, never a fair copy). `audience`, when given, can only
    narrow what the document's own audience allows."""
    from drafting.tree.gate import carries, carry_of
    from drafting.writers.docx import write_docx
    carry = carry_of(built.document)
    comments = carry.comments and (audience is None or carries(audience, carry.final).comments)
    return write_docx(built.document, case.templates / "reference.docx",
                      comments=comments, when=_when(case))


def pdf_bytes(case, built) -> bytes:
    from drafting.writers.forked import explained  # what the system refuses, explained (exit 3)
    from drafting.writers.pdf import write_pdf  # WeasyPrint: only where a PDF is made
    return explained(built.stem, lambda: write_pdf(built.document, case.templates))
