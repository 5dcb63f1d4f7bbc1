"""Shared fixtures: the project root, documents generated once per session, and
readers that take DOCX and PDF files back apart."""
from __future__ import annotations

import atexit
import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The tool's cache (drafting/cache.py) lives in a folder of this test run: the many
# throw-away projects of the tests leave nothing in the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="draft-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)
CASE = ROOT / "letters" / "2021-11-25-uk-pm"


def norm(text: str) -> str:
    """Collapse every kind of space (U+00A0 and U+202F included) and typographic
    apostrophes, so texts from YAML, DOCX and PDF compare."""
    text = text.replace("\u2019", "'").replace("\u00ad", "")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def docx_paragraphs(data: bytes):
    import docx
    return docx.Document(io.BytesIO(data)).paragraphs


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx_paragraphs(data))


def docx_xml(data: bytes, member="word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(member).decode("utf-8")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_body(data: bytes, drop=()) -> str:
    """The PDF's text without its running heads and feet (marking, draft line, page
    n/N) and without `drop` lines, so a paragraph split by a page break reads whole."""
    running = re.compile(r"Diffusion Restreinte|OFFICIAL-SENSITIVE|(PROJET|DRAFT) - version \d+ "
                         r"(du|of) \S+ \S+ \d{4}|\b\d+/\d+$")
    drop = {norm(d) for d in drop}
    lines = []
    for line in pdf_text(data).splitlines():
        line = running.sub("", line).strip()
        if line and norm(line) not in drop:
            lines.append(line)
    # a line broken after a hyphen ("Royaume-" / "Uni") reads as one word again
    return re.sub(r"(\w)- (\w)", r"\1-\2", norm(" ".join(lines)))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def reply_files():
    """The default reply, all four files, generated once through the library API."""
    from drafting import load_case, render_files
    return render_files(load_case(ROOT), "reply")


@pytest.fixture
def project(tmp_path):
    """A private copy of the project data (clauses, letters, templates) to break."""
    for name in ("clauses", "letters", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def run_cli(args, capsys=None):
    """Run the `draft` entry point in-process; return (exit status, stdout, stderr)."""
    from drafting.cli import run
    try:
        run(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr() if capsys else None
    return code, (out.out if out else ""), (out.err if out else "")
