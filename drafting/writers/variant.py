"""`--pdf pdf/a-2u|pdf/ua-1`: the run's PDF variant (WeasyPrint's archival PDF/A-2u and
accessible PDF/UA-1, with XMP metadata); None, the default, is the plain tagged PDF.

Held here, not in pdf.py (WeasyPrint is imported only where a PDF is made), and set
before the PDF processes fork (pdfs.py), which inherit it."""
from __future__ import annotations

__all__ = ["PDF_VARIANTS", "set_pdf_variant", "pdf_variant"]

PDF_VARIANTS = ("pdf/a-2u", "pdf/ua-1")
_PDF = {"variant": None}


def set_pdf_variant(variant) -> None:
    if variant not in (None, *PDF_VARIANTS):
        raise ValueError(variant)
    _PDF["variant"] = variant


def pdf_variant():
    return _PDF["variant"]
