"""One look in Word and PDF (issue 15): every DOCX of the pack, converted by LibreOffice
(the Word stand-in, in ONE soffice call), has the PDF's page count, renders in the
embedded Source Sans Pro (the machine need not have it), and shows its headings and
Word numbers in the navigator (the converted PDF's outline is LibreOffice's navigator).
Skipped where LibreOffice is not installed; .ci/run installs it."""
from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from conftest import norm
from pypdf import PdfReader

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# in CI (.ci/run installs it) a missing LibreOffice is a failure, not a skip
pytestmark = pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"),
                                reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def converted(pack_files, parallel_agreements, tmp_path_factory):
    """{stem: (our PDF bytes, LibreOffice's PDF of our DOCX)} for the pack and both
    parallel agreements."""
    assert SOFFICE, "LibreOffice (soffice) is not installed: .ci/run installs libreoffice-writer"
    files = dict(pack_files)
    for kind in ("readmission", "operational-cooperation"):
        files.update(parallel_agreements[kind])
    folder = tmp_path_factory.mktemp("word")
    for name, data in files.items():
        if name.endswith(".docx"):
            (folder / name).write_bytes(data)
    out = folder / "lo"
    profile = folder / "profile"  # a private profile: another soffice may be running
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--norestore", "--convert-to", "pdf", "--outdir", str(out)]
                   + sorted(str(p) for p in folder.glob("*.docx")),
                   check=True, capture_output=True, timeout=180)
    stems = [n[:-5] for n in files if n.endswith(".docx")]
    return {s: (files[s + ".pdf"], (out / (s + ".pdf")).read_bytes()) for s in stems}


def test_every_document_has_the_pdf_page_count(converted):
    assert len(converted) == 14
    counts = {stem: (len(PdfReader(io.BytesIO(ours)).pages), len(PdfReader(io.BytesIO(lo)).pages))
              for stem, (ours, lo) in converted.items()}
    assert {s: c for s, c in counts.items() if c[0] != c[1]} == {}, counts


def test_word_renders_in_the_embedded_font(converted):
    """Source Sans Pro is not installed system-wide here: LibreOffice can only have
    taken it from the DOCX."""
    for stem, (_, lo) in converted.items():
        fonts = set()
        for page in PdfReader(io.BytesIO(lo)).pages:
            for font in (page.get("/Resources") or {}).get("/Font", {}).values():
                fonts.add(str(font.get_object().get("/BaseFont")).split("+")[-1])
        assert fonts and all(f.startswith("SourceSansPro") for f in fonts), (stem, fonts)


def _outline(reader, items=None, depth=0, out=None):
    out = [] if out is None else out
    for item in (reader.outline if items is None else items):
        if isinstance(item, list):
            _outline(reader, item, depth + 1, out)
        else:
            out.append((depth, norm(item.title)))
    return out


def test_the_navigator_shows_headings_and_numbers(converted):
    """LibreOffice exports its navigator's headings as the PDF outline: the title, the
    sections under it, the agenda's numbered items with their Word numbers, and an
    agreement's articles with theirs."""
    agenda = _outline(PdfReader(io.BytesIO(converted["annotated-agenda.en"][1])))
    assert agenda[0][0] == 0 and len([d for d, _ in agenda if d == 0]) == 1, agenda
    titles = [t for _, t in agenda]
    for n in range(1, 8):
        assert any(t.startswith(f"{n}. ") for t in titles), (n, titles)
    assert all(d == 1 for d, t in agenda if t[:2] in {f"{n}." for n in range(1, 8)})
    assert any(d == 2 for d, _ in agenda)  # the proposals under an item
    agreement = [t for _, t in _outline(PdfReader(io.BytesIO(converted["agreement-readmission.en"][1])))]
    assert agreement[1:4] == ["Definitions", "Scope", "Readmission of own nationals"], agreement
    parallel = [t for _, t in _outline(PdfReader(io.BytesIO(
        converted["agreement-readmission.parallel"][1])))]
    assert "Article 2 - Scope" in parallel and "Article 2 - Champ d'application" in parallel
    # a reply: its letterhead, and the office under it (outline levels 1 and 2)
    for lang in ("fr", "en"):
        reply = _outline(PdfReader(io.BytesIO(converted[f"reply.{lang}"][1])))
        assert [d for d, _ in reply] == [0, 1] and all(t for _, t in reply), reply

