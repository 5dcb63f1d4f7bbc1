"""Audiences keep internal text internal; markings follow the originator; document
properties are set and carry no personal names from the template."""
from __future__ import annotations

import io
import zipfile

import pytest
from conftest import BRIEF, docx_xml, line_of, norm, pdf_text, run_cli

from drafting import build, load_case, render_files


def internal_texts(case):
    """Every internal-only text the library and brief hold for this case."""
    out = []
    for clause in case.library.values():
        data = clause.data
        for who in (data.get("agenda") or {}).get("expected", {}).values() or []:
            out += [who.get("fr"), who.get("en")]
        for pos in clause.positions.values():
            for field in (pos.get("internal") or {}).values():
                out += [field.get("fr"), field.get("en")]
            if_raised = (pos.get("agenda") or {}).get("if_raised") or {}
            out += [if_raised.get("fr"), if_raised.get("en")]
    out += [str(n) for n in case.brief.notes.values()]
    return [norm(t) for t in out if t and len(str(t)) > 20]


@pytest.fixture(scope="module")
def external_pack(make_case):
    case = make_case()
    files = {}
    for kind, opts in [("reply", {}), ("agenda", {}), ("declaration", {}),
                       ("agreement", {"agreement_kind": "readmission"}),
                       ("agreement", {"agreement_kind": "operational-cooperation"})]:
        files.update(render_files(case, kind, audience="external", **opts))
    return case, files


def test_no_internal_text_in_any_external_output(external_pack):
    case, files = external_pack
    secrets = internal_texts(case)
    assert len(secrets) > 20
    for name, data in files.items():
        if name.endswith(".docx"):
            z = zipfile.ZipFile(io.BytesIO(data))
            text = norm(" ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")))
            assert "word/comments.xml" not in z.namelist(), name
            assert "docProps/custom.xml" not in z.namelist(), name
            assert "<w:vanish" not in text, name
        else:
            text = norm(pdf_text(data))
        for secret in secrets:
            assert secret[:60] not in text, (name, secret[:60])
    # and the reservation on declined articles (a reviewer note) is gone too
    assert "Réserve française" not in norm(pdf_text(files["agreement-readmission.fr.pdf"]))


def test_external_draft_says_it_is_a_draft_and_keeps_the_marking(external_pack):
    """An external draft carries no note or internal field, but it still says it is a
    draft (issue 12: a draft must never pass for agreed text) and keeps its marking."""
    case, files = external_pack
    import docx
    d = docx.Document(io.BytesIO(files["reply.fr.docx"]))
    header = [p.text for p in d.sections[0].header.paragraphs]
    assert header == ["Diffusion Restreinte", "PROJET - version de travail du 1er décembre 2021"]
    assert "Diffusion Restreinte" in [p.text for p in d.sections[0].footer.paragraphs]
    assert "PROJET - version de travail" in pdf_text(files["reply.fr.pdf"])


def test_internal_review_copy_carries_notes_as_comments(make_case):
    case = make_case()
    files = render_files(case, "reply", ("fr",), ("docx",))
    comments = docx_xml(files["reply.fr.docx"], "word/comments.xml")
    assert "Clause joint-patrols - position decline - version 3" in comments
    assert "ne pas rouvrir" in comments  # the brief's note on joint-patrols
    inter = render_files(case, "reply", ("fr",), ("docx",), audience="interministerial")
    comments = docx_xml(inter["reply.fr.docx"], "word/comments.xml")
    assert "Clause joint-patrols" in comments and "ne pas rouvrir" not in comments


def test_annotated_agenda_refused_for_external(workspace, capsys):
    code, out, err = run_cli(["--root", str(workspace), "agenda", "--which", "annotated",
                              "--audience", "external", "--out", "/nonexistent/never"], capsys)
    assert code == 2 and "internal" in err and "Traceback" not in err


def test_unknown_audience_in_brief(project, capsys):
    brief = project / BRIEF
    brief.write_text(brief.read_text().replace("audience: internal", "audience: externel"))
    line = line_of(brief, "externel")
    code, out, err = run_cli(["--root", str(project), "reply", "--out", str(project / "o")], capsys)
    assert code == 2 and f"{brief}:{line}: unknown audience 'externel' - did you mean 'external'?" in err


def test_marking_is_the_most_restrictive_per_originator(project):
    clause = project / "clauses" / "sensors-radar.yaml"
    clause.write_text(clause.read_text().replace("key: sensors-radar",
                                                 "key: sensors-radar\nmarking: OFFICIAL-SENSITIVE", 1))
    case = load_case(project)
    doc = build(case, "reply", "en").document
    assert doc.meta["marking"] == "Diffusion Restreinte / OFFICIAL-SENSITIVE"
    # never translated into the other side's scheme
    fr = build(case, "reply", "fr").document
    assert fr.meta["marking"] == "Diffusion Restreinte / OFFICIAL-SENSITIVE"
    files = render_files(case, "reply", ("en",), ("pdf",))
    assert pdf_text(files["reply.en.pdf"]).count("OFFICIAL-SENSITIVE") >= 2


def test_document_properties_set_without_template_names(reply_files):
    import docx
    d = docx.Document(io.BytesIO(reply_files["reply.fr.docx"]))
    cp = d.core_properties
    assert cp.title.startswith("Réponse à la lettre de M. Boris Johnson")
    assert cp.author == "Le Premier ministre" and cp.language == "fr-FR"
    assert cp.subject and cp.created.year == 2021
    z = zipfile.ZipFile(io.BytesIO(reply_files["reply.fr.docx"]))
    blob = " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    for leak in ("python-docx", "Macintosh", "rsidR", "Normal.dotm"):
        assert leak not in blob, leak
    assert not any(n.startswith("customXml") or "thumbnail" in n for n in z.namelist())
    from pypdf import PdfReader
    meta = PdfReader(io.BytesIO(reply_files["reply.fr.pdf"])).metadata
    assert meta["/Title"] == cp.title and meta["/Author"] == "Le Premier ministre"
    assert meta["/Subject"]


def test_internal_blocks_are_stripped_from_the_tree_for_wider_audiences(make_case):
    """Blocks a context marks internal (data-internal) never survive a wider audience,
    whatever the template does with them."""
    from drafting.tree.gate import apply_gate
    doc = build(make_case(), "annotated-agenda", "fr").document
    internal = [p for p in doc.body.iter("p") if p.get("data-internal")]
    assert internal, "the annotated agenda's clause blocks are internal"
    apply_gate(doc, "interministerial", draft_line=doc.meta.get("draft", ""))
    assert not [p for p in doc.body.iter("p") if p.get("data-internal")]
