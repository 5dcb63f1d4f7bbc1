"""Issue 12, items 1 and 2: one gate decides what goes out, and every draft says it is one.

- The fair copy (`--final`) carries no Word comment, owner, clearance date, reviewer note,
  "hors bibliothèque" flag or draft line, for any audience (read back from the unzipped
  DOCX and the PDF's text and drawing).
- Clearances hold for the text the signatory signs, the same for every audience: an
  external fair copy is made once the chain cleared that text.
- A brief with no clearance chain makes no fair copy unless it says `clearance: none`
  with a `clearance_reason:` (printed by the run).
- Every draft, for every audience, says PROJET/DRAFT with its version and date, on every
  page; every document carries its marking top and bottom (the circulation agenda too),
  as the brief sets it per document.
- The version line follows releases: v1 and v2 print "version 1" and "version 2", with
  the release's date; `draft versions` shows when each was released.
"""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from conftest import BRIEF, CASE, docx_xml, edit, line_of, pdf_pages, pdf_text, run_cli

from drafting import build, load_case, render_files
from drafting.tree.gate import carries, signed_hash

CHAIN = ("desk", "director", "legal", "european-affairs", "private-office")
CASE_SPECIFIC = """paragraphs:
  - after: principles
    key: channel-deaths
    fr: >-
      Nous devons aux victimes du 24 novembre une réponse à la hauteur du drame.
    en: >-
      We owe the victims of 24 November a response equal to the tragedy.
"""


def cli(project, capsys, *args):
    return run_cli(["--root", str(project), *args], capsys)


def clear(project, capsys, kind="reply", chain=CHAIN, *more):
    for role in chain:
        code, out, err = cli(project, capsys, "signoff", kind, "--by", role, *more)
        assert code == 0, err


def docx_parts(data: bytes) -> dict:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()
            if n.endswith(".xml") or n.endswith(".rels")}


def xml_text(xml: str) -> str:
    """The text of Word XML (w:t runs), spaces normalised."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)<", xml)))


def running_texts(data: bytes) -> list:
    """[(part, text)] of every header and footer of a DOCX."""
    return [(n, xml_text(x)) for n, x in sorted(docx_parts(data).items())
            if re.match(r"word/(header|footer)\d+\.xml", n)]


def bar_colour(project) -> str:
    """The case-specific bar's colour, from print.css, as the PDF writes it (r g b)."""
    css = (project / "templates" / "print.css").read_text(encoding="utf-8")
    hexa = re.search(r"p\.case-specific\s*\{[^}]*border-left:[^;}]*#([0-9a-fA-F]{6})", css).group(1)
    return " ".join(f"{int(hexa[i:i + 2], 16) / 255:.6f}".rstrip("0").rstrip(".")
                    for i in (0, 2, 4))


def pdf_drawing(data: bytes) -> str:
    from pypdf import PdfReader
    return b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(data)).pages
                    ).decode("latin-1")


# -- 1. the gate's table -----------------------------------------------------------------------

def test_the_one_table():
    for audience in ("internal", "interministerial", "external"):
        final = carries(audience, final=True)
        assert not (final.comments or final.provenance or final.notes or final.draft_line)
        assert final.marking
        draft = carries(audience)
        assert draft.draft_line and draft.marking  # every draft says so, whoever reads it
    assert carries("internal").notes and carries("internal").comments
    assert carries("interministerial").comments and not carries("interministerial").notes
    assert not carries("external").comments and not carries("external").provenance
    assert carries("internal", final=True).internal  # an internal document's own content
    assert not carries("external", final=True).internal


@pytest.fixture
def cleared(project, capsys):
    """A project whose brief adds a case-specific paragraph (the flagged bar) and keeps
    its reviewer note ("ne pas rouvrir"), with the reply cleared by the whole chain."""
    (project / BRIEF).write_text((project / BRIEF).read_text(encoding="utf-8") + CASE_SPECIFIC,
                                 encoding="utf-8")
    clear(project, capsys)
    return project


def test_the_draft_carries_what_the_fair_copy_does_not(cleared, capsys, tmp_path):
    """The reference point: the internal draft has the comments, owners, the note, the
    bar and the draft line (so the checks below can fail)."""
    code, out, err = cli(cleared, capsys, "reply", "--lang", "fr", "--out", str(tmp_path))
    assert code == 0, err
    data = (tmp_path / "reply.fr.docx").read_bytes()
    comments = docx_xml(data, "word/comments.xml")
    assert "ne pas rouvrir" in comments and "hors bibliothèque" in comments
    assert "Ministère de l'Intérieur" in comments and "validée le" in comments
    assert "PROJET - version de travail" in " ".join(t for _, t in running_texts(data))
    pdf = (tmp_path / "reply.fr.pdf").read_bytes()
    assert bar_colour(cleared) in pdf_drawing(pdf)


@pytest.mark.parametrize("audience", ["internal", "interministerial", "external"])
def test_fair_copy_carries_no_comment_note_bar_or_draft_line(cleared, capsys, tmp_path, audience):
    """`draft reply --final`, for any audience, once the chain cleared the text: the
    unzipped DOCX has no comment part, no owner, clearance date, note, provenance
    bookmark or draft line; the PDF neither says nor draws any of it."""
    case = load_case(cleared)
    owners = {c.owner for c in case.library.values() if c.owner}
    assert len(owners) >= 2
    code, out, err = cli(cleared, capsys, "reply", "--final", "--audience", audience,
                         "--out", str(tmp_path))
    assert code == 0, err
    for lang in ("fr", "en"):
        data = (tmp_path / f"reply.{lang}.docx").read_bytes()
        parts = docx_parts(data)
        assert not [n for n in parts if "comments" in n], sorted(parts)
        blob = " ".join(parts.values())
        for word in ("commentReference", "w:bookmarkStart", "_dr", "ne pas rouvrir",
                     "hors bibliothèque", "not from the library", "validée le", "cleared",
                     "PROJET", "DRAFT", *owners):
            assert word not in blob, (lang, word)
        assert [t for _, t in running_texts(data) if "Diffusion Restreinte" in t]
        pdf = (tmp_path / f"reply.{lang}.pdf").read_bytes()
        text = pdf_text(pdf)
        for word in ("PROJET", "DRAFT", "ne pas rouvrir", "hors bibliothèque",
                     "not from the library", *owners):
            assert word not in text, (lang, word)
        assert bar_colour(cleared) not in pdf_drawing(pdf)
        assert text.count("Diffusion Restreinte") == 2 * len(pdf_pages(pdf))
    # the case-specific text itself is part of the letter: it stays, unflagged
    assert "Nous devons aux victimes" in xml_text(docx_xml(tmp_path / "reply.fr.docx"))


def test_external_fair_copy_once_the_chain_cleared_the_text(cleared, capsys, tmp_path):
    """Clearances are of the text the signatory signs, not of one audience's build:
    cleared once (internal brief), the fair copy is made for every audience; a change
    to the text stops every one of them again."""
    code, out, err = cli(cleared, capsys, "reply", "--final", "--audience", "external",
                         "--lang", "fr", "--format", "docx", "--out", str(tmp_path / "a"))
    assert code == 0, err
    clause = cleared / "clauses" / "joint-patrols.yaml"
    edit(clause, "Vous proposez des patrouilles", "Vous proposez, des patrouilles")
    for audience in ("internal", "external"):
        code, out, err = cli(cleared, capsys, "reply", "--final", "--audience", audience,
                             "--lang", "fr", "--format", "docx", "--out", str(tmp_path / "b"))
        assert code == 2 and "reply.fr lacks desk, director, legal" in err, (audience, err)
    assert not (tmp_path / "b").exists()


def test_signed_text_is_the_same_for_every_audience(make_case):
    """The agreement's internal draft carries reservations (reviewer notes) and the
    external one does not; the text they put before a signatory is the same."""
    case = make_case()
    for kind, opts in (("agreement", {"agreement_kind": "readmission"}), ("reply", {})):
        hashes = {signed_hash(build(case, kind, "fr", audience=a, **opts).document)
                  for a in ("internal", "interministerial", "external")}
        assert len(hashes) == 1, kind
    internal = build(case, "agreement", "fr", audience="internal", agreement_kind="readmission")
    assert [p for p in internal.document.body.iter("p") if p.get("class") == "note"]


def test_internal_fair_copy_keeps_an_internal_documents_content(make_case):
    """The annotated agenda is internal by nature: its fair copy keeps its objectives,
    lines and expected positions (clause text in the note style), without provenance."""
    doc = build(make_case(), "annotated-agenda", "fr", final=True).document
    assert doc.meta["copy"] == "final" and doc.meta["draft"] == ""
    notes = [p for p in doc.body.iter("p") if p.get("class") == "note"]
    assert notes and not [p for p in doc.body.iter() if p.get("data-clause") or p.get("data-note")]


# -- the clearance chain ---------------------------------------------------------------------------

def test_no_chain_no_fair_copy(project, capsys, tmp_path):
    """The President's brief had no chain and got a fair copy with no clearance at all;
    a brief without `clearance:` is refused, naming what to add."""
    president = project / CASE / "brief-president.yaml"
    code, out, err = cli(project, capsys, "reply", "--final", "--brief", str(president),
                         "--lang", "fr", "--format", "docx", "--out", str(tmp_path / "p"))
    assert code == 2 and "reply.fr lacks desk" in err and "diplomatic-adviser" in err, err
    brief = project / BRIEF
    text = brief.read_text(encoding="utf-8")
    brief.write_text(text[:text.index("\nclearance:")] + "\n", encoding="utf-8")
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path / "q"))
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{brief}: no fair copy of 'reply' without a clearance chain"), err
    assert "clearance_reason" in err
    assert not (tmp_path / "q").exists()


def test_the_library_api_makes_no_fair_copy_the_chain_has_not_cleared(make_case):
    from drafting.errors import InputError
    with pytest.raises(InputError, match="reply.fr lacks desk, director"):
        render_files(make_case(), "reply", ("fr",), ("docx",), final=True)


def test_clearance_none_needs_a_reason_which_the_run_prints(project, capsys, tmp_path):
    brief = project / BRIEF
    text = brief.read_text(encoding="utf-8")
    head = text[:text.index("\nclearance:")] + "\n"
    brief.write_text(head + "clearance: none\n", encoding="utf-8")
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path / "a"))
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{brief}:{line_of(brief, 'clearance: none')}: 'clearance: none' "
                          "needs a reason - add 'clearance_reason: "), err
    assert not (tmp_path / "a").exists()
    reason = "Lettre manuscrite du Président, remise en main propre."
    brief.write_text(head + f"clearance: none\nclearance_reason: {reason}\n", encoding="utf-8")
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path / "b"))
    assert code == 0, err
    assert f"made without clearance - the brief says no one clears it: {reason}" in err
    assert (tmp_path / "b" / "reply.fr.docx").exists()
    # per document, and a reason with nothing to explain is an error too
    brief.write_text(head + "clearance:\n  reply: none\n  agenda: [desk]\n"
                     f"clearance_reason: {reason}\n", encoding="utf-8")
    assert cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
               "--out", str(tmp_path / "c"))[0] == 0
    brief.write_text(head + f"clearance:\n  reply: [desk]\nclearance_reason: {reason}\n",
                     encoding="utf-8")
    code, out, err = cli(project, capsys, "reply", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path / "d"))
    assert code == 2 and f"{brief}:{line_of(brief, 'clearance_reason')}: 'clearance_reason' " \
        "without 'clearance: none'" in err, err


# -- 2. every draft says it is a draft; every document its marking ----------------------------------

DRAFT_WORD = {"fr": "PROJET - ", "en": "DRAFT - "}


@pytest.mark.parametrize("audience", ["internal", "interministerial", "external"])
def test_every_draft_of_every_kind_says_so_with_its_marking(make_case, audience):
    """DOCX: every document of the pack, for every audience, has the draft line in its
    language in every header, and the marking in every header and footer."""
    from drafting.api import pack_jobs
    from drafting.writers import docx_bytes
    case = make_case()
    case.brief.audience = audience
    jobs = pack_jobs(case)
    assert {k for k, _, _ in jobs} >= {"reply", "agenda", "declaration", "agreement"}
    for kind, lang, opts in jobs:
        built = build(case, kind, lang, audience=audience, **opts)
        assert built.document.meta["draft"].startswith(DRAFT_WORD[lang]), built.stem
        texts = running_texts(docx_bytes(case, built))
        headers = [t for n, t in texts if "header" in n]
        assert headers and all(DRAFT_WORD[lang] in t for t in headers), (built.stem, texts)
        assert all("Diffusion Restreinte" in t for _, t in texts), (built.stem, texts)


def test_external_agreement_pdf_says_draft_on_every_page(make_case):
    """A readmission agreement with [UK: ...] brackets must not pass for agreed text."""
    files = render_files(make_case(), "agreement", ("fr", "en"), ("pdf",), audience="external",
                         agreement_kind="readmission")
    for lang in ("fr", "en"):
        pages = pdf_pages(files[f"agreement-readmission.{lang}.pdf"])
        assert len(pages) > 3
        for page in pages:
            assert DRAFT_WORD[lang] in page and page.count("Diffusion Restreinte") == 2
    assert "[UK" in " ".join(pdf_pages(files["agreement-readmission.en.pdf"]))


def test_the_brief_sets_the_marking_per_document(project, capsys, tmp_path):
    brief = project / BRIEF
    edit(brief, "  agenda: Diffusion Restreinte", "  agenda: ''")
    case = load_case(project)
    assert build(case, "agenda", "fr").document.meta["marking"] == ""
    assert build(case, "reply", "fr").document.meta["marking"] == "Diffusion Restreinte"
    edit(brief, "  agenda: ''", "  agendas: Diffusion Restreinte")
    code, out, err = cli(project, capsys, "reply", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path))
    assert code == 2 and err.startswith(
        f"{brief}:{line_of(brief, 'agendas:')}: markings: 'agendas' is not a document of this "
        "case - did you mean 'agenda'?"), err
    edit(brief, "  agendas: Diffusion Restreinte", "  agenda: [Diffusion Restreinte]")
    code, out, err = cli(project, capsys, "reply", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path))
    assert code == 2 and f"{brief}:{line_of(brief, '  agenda: [')}: markings: 'agenda' must be " \
        "a single marking" in err, err
    assert not tmp_path.exists() or not list(tmp_path.glob("*.docx"))


# -- the version line follows releases ------------------------------------------------------------

def header_line(path, word):
    texts = running_texts(path.read_bytes())
    found = {re.search(word + r"[^|]*?\d{4}(?: \([^)]*\))?", t).group(0) for n, t in texts
             if "header" in n and word in t}
    assert len(found) == 1, texts
    return found.pop()


def test_version_line_follows_releases(project, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1638291600")  # 2021-11-30 17:00 UTC
    released = project / CASE / "released"
    assert cli(project, capsys, "release", "reply", "--format", "docx")[0] == 0
    assert header_line(released / "reply.fr" / "v1" / "reply.fr.docx", "PROJET") == \
        "PROJET - version 1 du 30 novembre 2021"
    assert header_line(released / "reply.en" / "v1" / "reply.en.docx", "DRAFT") == \
        "DRAFT - version 1 of 30 November 2021"
    rec = json.loads((released / "reply.fr" / "v1" / "release.json").read_text())
    assert rec["released"] == "2021-11-30T17:00:00+00:00" and rec["date"] == "2021-12-01"
    # the working draft, unchanged, is version 1; changed, it is the working version after it
    code, out, err = cli(project, capsys, "reply", "--format", "docx", "--out", str(tmp_path / "a"))
    assert header_line(tmp_path / "a" / "reply.fr.docx", "PROJET") == \
        "PROJET - version 1 du 30 novembre 2021"
    edit(project / BRIEF, "  joint-patrols: decline", "  joint-patrols: accept-with-conditions")
    code, out, err = cli(project, capsys, "reply", "--format", "docx", "--out", str(tmp_path / "b"))
    assert header_line(tmp_path / "b" / "reply.fr.docx", "PROJET") == \
        "PROJET - version de travail du 1er décembre 2021 (après la version 1)"
    assert header_line(tmp_path / "b" / "reply.en.docx", "DRAFT") == \
        "DRAFT - working version of 1 December 2021 (after version 1)"
    # in the PDF too, on every page, the long line wrapping beside an unbroken marking
    code, out, err = cli(project, capsys, "reply", "--format", "pdf", "--lang", "fr",
                         "--out", str(tmp_path / "b"))
    pages = pdf_pages((tmp_path / "b" / "reply.fr.pdf").read_bytes())
    for page in pages:
        assert page.count("Diffusion Restreinte") == 2, page[:200]
        assert "(après la version 1)" in re.sub(r"\s+", " ", page), page[:200]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1638352800")  # 2021-12-01 10:00 UTC
    assert cli(project, capsys, "release", "reply", "--format", "docx")[0] == 0
    assert header_line(released / "reply.fr" / "v2" / "reply.fr.docx", "PROJET") == \
        "PROJET - version 2 du 1er décembre 2021"
    # v1 is frozen as it was
    assert header_line(released / "reply.fr" / "v1" / "reply.fr.docx", "PROJET") == \
        "PROJET - version 1 du 30 novembre 2021"
    code, out, err = cli(project, capsys, "versions", "reply")
    assert code == 0, err
    assert re.search(r"reply\s+fr\s+v1\s+2021-11-30 17:00\s+v4", out), out
    assert re.search(r"reply\s+fr\s+v2\s+2021-12-01 10:00\s+v4", out), out
