"""Helpers shared by the meeting tests: generate with the API, read DOCX and PDF back."""
from __future__ import annotations

import io

from pathlib import Path

import docx
import pypdf

from drafting import api
from drafting.inputs.case import load_case

from conftest import CASE, ROOT, norm  # noqa: F401 - shared with the other tests


def case(**kw):
    return load_case(ROOT, **kw)


def generate(c, kind, folder: Path, langs=api.LANGS, formats=api.FORMATS, **opts) -> dict:
    files = api.render_files(c, kind, langs, formats, **opts)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


def docx_paragraphs(path):
    """[(style name, text)] of the body paragraphs."""
    d = docx.Document(str(path))
    return [(p.style.name, norm(p.text)) for p in d.paragraphs if p.text.strip()]


def docx_header_text(path):
    d = docx.Document(str(path))
    return norm(" ".join(p.text for p in d.sections[0].header.paragraphs))


def pdf_text(path) -> str:
    reader = pypdf.PdfReader(io.BytesIO(Path(path).read_bytes()))
    return norm(" ".join(page.extract_text() or "" for page in reader.pages))


def brief_with_meeting(tmp_path, meeting_yaml: str) -> Path:
    """A copy of the default brief with another `meeting:` section."""
    text = (CASE / "brief.yaml").read_text(encoding="utf-8")
    head = text[:text.index("\nmeeting:")]
    path = tmp_path / "brief.yaml"
    path.write_text(head + "\n" + meeting_yaml, encoding="utf-8")
    return path
