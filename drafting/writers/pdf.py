"""Render the document tree to PDF with WeasyPrint and templates/print.css.

Imported only when a PDF is made (WeasyPrint takes most of a run's start-up). One
font configuration and one parsed stylesheet serve every document of a process.
The fetcher reads files from the templates folder only: no network, no file
elsewhere, nothing embedded through an attachment link.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path

from drafting.errors import InputError
from drafting.tree.document import Document
from drafting.writers.native import quick_find_library

with quick_find_library():
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

__all__ = ["write_pdf", "SafeFetcher"]

_SHARED: dict = {}


class SafeFetcher(URLFetcher):
    """Serve files below the allowed folders; refuse everything else."""

    def __init__(self, allowed):
        super().__init__(allowed_protocols={"file"})
        self.allowed = [Path(a).resolve() for a in allowed]

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise FatalURLFetchingError(f"fetching {url} is not allowed")
        path = Path(weasyprint.urls.request.url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
        if not any(path.is_relative_to(a) for a in self.allowed) or not path.is_file():
            raise FatalURLFetchingError(f"reading {path} is not allowed")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ") + '"'


def _shared(templates: Path):
    key = str(templates)
    if key not in _SHARED:
        fonts = FontConfiguration()
        fetcher = SafeFetcher([templates])
        css = weasyprint.CSS(filename=str(templates / "print.css"), font_config=fonts,
                             url_fetcher=fetcher)
        _SHARED[key] = (fonts, fetcher, css)
    return _SHARED[key]


def write_pdf(document: Document, templates: Path, variant=None) -> bytes:
    """The PDF of a document: tagged (headings H1-H3, the language, the title); with
    `variant` (default: the run's `--pdf`, writers/variant.pdf_variant()) PDF/A-2u or
    PDF/UA-1, which add XMP metadata (and PDF/A an output intent)."""
    from drafting.writers.variant import pdf_variant
    variant = variant or pdf_variant()
    fonts, fetcher, css = _shared(templates)
    meta = document.meta
    running = ["@page {"]
    running.append(f"@top-center {{ content: {_css_string(meta.get('marking', ''))} }}")
    running.append(f"@bottom-center {{ content: {_css_string(meta.get('marking', ''))} }}")
    top_right = meta.get("draft", "")
    running.append(f"@top-right {{ content: {_css_string(top_right)} }}")
    if meta.get("orientation") == "landscape":
        running.append("size: A4 landscape;")
    running.append("}")
    page_css = weasyprint.CSS(string="\n".join(running), font_config=fonts, url_fetcher=fetcher)
    html = weasyprint.HTML(string=document.html().decode("utf-8"), base_url=str(templates) + "/",
                           url_fetcher=fetcher)
    try:
        return html.write_pdf(stylesheets=[css, page_css], font_config=fonts, pdf_tags=True,
                              uncompressed_pdf=False, **({"pdf_variant": variant} if variant else {}))
    except FatalURLFetchingError as exc:
        raise InputError(f"the document reaches outside the templates folder: {exc}",
                         path=document.name, hint="documents may use only files in templates/") from None
