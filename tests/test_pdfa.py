"""Archival and accessible PDF (issue 15, item 4): `--pdf pdf/a-2u` and `--pdf pdf/ua-1`
give WeasyPrint's variants, with XMP metadata, the title, the language, a structure tree
with the headings tagged. veraPDF is not installable here (no Debian package, no network
beyond PyPI/Debian/npm): the structure is checked with pypdf."""
from __future__ import annotations

import io
import re

import pytest
from conftest import run_cli
from pypdf import PdfReader


def _tags(node, seen=None):
    seen = set() if seen is None else seen
    node = node.get_object()
    if isinstance(node, dict):
        if node.get("/S"):
            seen.add(str(node["/S"]))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            if hasattr(kid, "get_object"):
                _tags(kid, seen)
    return seen


def _pdf(workspace, tmp_path, capsys, *command):
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(workspace), *command, "--lang", "fr", "--format", "pdf",
                            "--out", str(out)], capsys)
    assert code == 0, err
    (path,) = out.glob("*.pdf")
    return path.read_bytes()


@pytest.mark.parametrize("variant, ident", [("pdf/a-2u", b"pdfaid:part"), ("pdf/ua-1", b"pdfuaid:part")])
def test_archival_and_accessible_variants(workspace, tmp_path, capsys, variant, ident):
    data = _pdf(workspace, tmp_path, capsys, "document", "annotated-agenda", "--pdf", variant)
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert ident in xmp and b"<dc:title>" in xmp
    if variant == "pdf/a-2u":  # part and conformance, as attributes or elements
        assert re.search(rb'pdfaid:part(="|>)2', xmp) and re.search(rb'pdfaid:conformance(="|>)U', xmp)
        assert "/OutputIntents" in root
    else:
        assert re.search(rb'pdfuaid:part(="|>)1', xmp)
    assert str(root["/Lang"]) == "fr"
    assert root["/MarkInfo"]["/Marked"]
    title = reader.metadata.title
    assert title and title in xmp.decode("utf-8")
    tags = _tags(root["/StructTreeRoot"])
    assert {"/H1", "/H2"} <= tags, tags


def test_the_default_is_unchanged(workspace, tmp_path, capsys):
    plain = _pdf(workspace, tmp_path / "a", capsys, "reply")
    standard = _pdf(workspace, tmp_path / "b", capsys, "reply", "--pdf", "standard")
    assert plain == standard
    root = PdfReader(io.BytesIO(plain)).trailer["/Root"]
    assert "/Metadata" not in root and "/OutputIntents" not in root
    assert str(root["/Lang"]) == "fr" and "/StructTreeRoot" in root  # tagged already


def test_a_bad_variant_is_bad_input(workspace, tmp_path, capsys):
    code, _, err = run_cli(["--root", str(workspace), "reply", "--pdf", "pdf/a-9", "--out",
                            str(tmp_path / "out")], capsys)
    assert code == 2 and "pdf/a-2u" in err and not (tmp_path / "out").exists()


def test_the_variant_reaches_the_pdf_processes(workspace, tmp_path, capsys):
    """Both languages: the PDFs are made by the forked PDF processes (pdfs.py)."""
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(workspace), "reply", "--format", "pdf", "--pdf",
                            "pdf/a-2u", "--out", str(out)], capsys)
    assert code == 0, err
    for lang in ("fr", "en"):
        root = PdfReader(io.BytesIO((out / f"reply.{lang}.pdf").read_bytes())).trailer["/Root"]
        assert re.search(rb'pdfaid:part(="|>)2', root["/Metadata"].get_object().get_data())
        assert str(root["/Lang"]).startswith(lang)
    from drafting.writers.variant import pdf_variant
    assert pdf_variant() is None  # the next run in this process is standard again
