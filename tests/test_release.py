"""Versions, sign-off, redlines and absorbing a reviewer's Word edits (issue 5)."""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from conftest import CASE, CASE_NAME, docx_text, docx_xml, edit, norm, pdf_text, run_cli


def cli(project, capsys, *args):
    return run_cli(["--root", str(project), *args], capsys)


def case_dir(project):
    return project / CASE


def set_position(project, key, position):
    brief = case_dir(project) / "brief.yaml"
    text = brief.read_text(encoding="utf-8")
    new, n = re.subn(rf"(?m)^(  {re.escape(key)}: )[a-z-]+$", rf"\g<1>{position}", text, count=1)
    assert n == 1
    brief.write_text(new, encoding="utf-8")


def changed_paragraphs(xml: str):
    """Texts (old and new words) of the body paragraphs holding w:ins or w:del."""
    out = []
    for m in re.finditer(r"<w:p[ >].*?</w:p>", xml, re.S):
        p = m.group(0)
        if "<w:ins " in p or "<w:del " in p:
            out.append("".join(re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)<", p)))
    return out


# -- release and compare ----------------------------------------------------------------

@pytest.fixture
def two_versions(project, capsys):
    """reply.fr released as v1 (joint patrols declined) and v2 (accepted with conditions)."""
    code, out, err = cli(project, capsys, "release", "reply", "--lang", "fr", "--format", "docx")
    assert code == 0, err
    v1 = case_dir(project) / "released" / "reply.fr" / "v1"
    before = {p.name: p.read_bytes() for p in v1.iterdir()}
    set_position(project, "joint-patrols", "accept-with-conditions")
    code, out, err = cli(project, capsys, "release", "reply", "--lang", "fr", "--format", "docx")
    assert code == 0, err
    assert "reply.fr v2" in out
    return project, v1, before


def test_release_freezes_and_compare_marks_only_the_changed_paragraph(two_versions, capsys, tmp_path):
    import json
    project, v1, before = two_versions
    # v1 is untouched, read-only, and recorded
    assert {p.name: p.read_bytes() for p in v1.iterdir()} == before
    rec = json.loads((v1 / "release.json").read_text())
    assert rec["version"] == 1 and rec["date"] == "2021-12-01" and rec["brief_version"] == 4
    assert ["joint-patrols", "reply", "decline"] in rec["positions"]
    assert len(rec["content_sha256"]) == 64 and set(rec["files"]) == {"reply.fr.docx", "reply.fr.html"}
    code, out, err = cli(project, capsys, "versions", "reply")
    # when each version was released (release.json `released`), not the brief's date
    assert code == 0 and re.search(r"reply\s+fr\s+v1\s+" + re.escape(rec["released"][:10])
                                   + r" \d\d:\d\d\s+v4\s+[0-9a-f]{12}", out)
    assert re.search(r"reply\s+fr\s+v2", out)
    # nothing writes into released/
    code, out, err = cli(project, capsys, "reply", "--lang", "fr", "--format", "docx",
                         "--out", str(v1))
    assert code == 2 and "released" in err
    assert {p.name: p.read_bytes() for p in v1.iterdir()} == before
    # the redline: tracked changes in the joint-patrols paragraph only
    out_dir = tmp_path / "redline"
    code, out, err = cli(project, capsys, "compare", "reply.fr@v1", "reply.fr@v2", "--format",
                         "docx", "--out", str(out_dir))
    assert code == 0, err
    data = (out_dir / "reply.fr.v1-v2.redline.docx").read_bytes()
    xml = docx_xml(data)
    changed = changed_paragraphs(xml)
    assert len(changed) == 1 and "patrouilles conjointes" in changed[0]
    assert 'w:author="draft"' in xml and 'w:date="2021-12-01T09:00:00Z"' in xml
    assert "<w:del " in xml and "<w:ins " in xml
    # the same inputs give the same bytes
    code, out, err = cli(project, capsys, "compare", "reply.fr@v1", "reply.fr@v2", "--format",
                         "docx", "--out", str(tmp_path / "again"))
    assert (tmp_path / "again" / "reply.fr.v1-v2.redline.docx").read_bytes() == data
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:  # LibreOffice opens it and shows both texts
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                        str(out_dir / "reply.fr.v1-v2.redline.docx")], check=True,
                       capture_output=True, timeout=120)
        text = norm(pdf_text((tmp_path / "reply.fr.v1-v2.redline.pdf").read_bytes()))
        assert "patrouillent" in text and "liaison britanniques" in text  # deleted, inserted


def test_compare_since_against_the_current_draft_pdf(two_versions, capsys, tmp_path):
    project, _v1, _ = two_versions
    code, out, err = cli(project, capsys, "compare", "reply.fr", "--since", "v1", "--format",
                         "pdf", "--out", str(tmp_path))
    assert code == 0, err
    text = norm(pdf_text((tmp_path / "reply.fr.v1-current.redline.pdf").read_bytes()))
    assert "patrouillent" in text and "officiers de liaison" in text


def test_release_refuses_identical_content(project, capsys):
    assert cli(project, capsys, "release", "declaration", "--lang", "en", "--format", "docx")[0] == 0
    code, out, err = cli(project, capsys, "release", "declaration", "--lang", "en", "--format", "docx")
    assert code == 2 and "unchanged since v1" in err
    assert not (case_dir(project) / "released" / "declaration.en" / "v2").exists()


def test_tree_diff_and_own_writer_give_word_level_tracked_changes(workspace, make_case):
    from drafting.lifecycle.redline import diff_documents, word_diff
    from drafting.lifecycle.release import current_build
    from drafting.writers.docx import write_docx

    assert word_diff("la France ne peut accepter", "la France peut accepter") == \
        ["la France ", ("del", "ne "), "peut accepter"]
    a = current_build(make_case(), "reply", "fr").document
    b = current_build(make_case(overrides=["joint-patrols=accept-with-conditions"]),
                      "reply", "fr").document
    tree = diff_documents(a, b)
    spans = [el for el in tree.body.iter("span") if el.get("class") in ("ins", "del")]
    assert spans and all(s.getparent().get("data-clause") == "joint-patrols" for s in spans)
    xml = docx_xml(write_docx(tree, workspace / "templates" / "reference.docx", comments=False))
    changed = changed_paragraphs(xml)
    assert len(changed) == 1 and "patrouilles conjointes" in changed[0]
    assert "<w:delText" in xml


# -- sign-off ------------------------------------------------------------------------------

def test_signoff_final_and_stale_clearance(project, capsys, tmp_path):
    code, out, err = cli(project, capsys, "signoff", "reply", "--by", "lgal")
    assert code == 2 and "did you mean 'legal'?" in err
    assert cli(project, capsys, "signoff", "reply", "--by", "desk", "--name", "Claire Martin")[0] == 0
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path))
    assert code == 2 and "director, legal, european-affairs, private-office" in err
    assert not (tmp_path / "reply.fr.docx").exists()
    for role in ("director", "legal", "european-affairs", "private-office"):
        code, out, err = cli(project, capsys, "signoff", "reply", "--by", role)
        assert code == 0, err
    assert "chain complete" in out
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path))
    assert code == 0, err
    signoffs = (case_dir(project) / "signoffs.yaml").read_text(encoding="utf-8")
    assert signoffs.count("- document: reply.fr") == 5 and "Claire Martin" in signoffs
    # one comma changes the content: clearances go stale, the fair copy waits again
    edit(project / "clauses" / "joint-patrols.yaml", "Vous proposez des patrouilles",
         "Vous proposez, des patrouilles")
    from drafting.validate.check import check_case
    problems = [str(p) for p in check_case(project, CASE_NAME)]
    assert any("reply.fr: cleared by legal on draft 4; content changed since" in p for p in problems)
    code, out, err = cli(project, capsys, "reply", "--final", "--lang", "fr", "--format", "docx",
                         "--out", str(tmp_path / "again"))
    assert code == 2 and "desk, director, legal" in err
    assert (case_dir(project) / "signoffs.yaml").read_text(encoding="utf-8") == signoffs


# -- absorb --------------------------------------------------------------------------------

def _edit(data: bytes, edits: dict, tracked_in: str | None = None) -> bytes:
    """Replace text in the paragraphs starting with a key (python-docx, as a reviewer
    would in Word); optionally leave a tracked insertion in another paragraph."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    doc = docx.Document(io.BytesIO(data))
    for p in doc.paragraphs:
        for start, (old, new) in edits.items():
            if p.text.startswith(start):
                run = next(r for r in p.runs if old in r.text)
                run.text = run.text.replace(old, new)
        if tracked_in and p.text.startswith(tracked_in):
            ins = OxmlElement("w:ins")
            for k, v in (("w:id", "900"), ("w:author", "DAJ"), ("w:date", "2021-12-01T10:00:00Z")):
                ins.set(qn(k), v)
            r, t = OxmlElement("w:r"), OxmlElement("w:t")
            t.text = "Enfin, "
            r.append(t)
            ins.append(r)
            p.runs[0]._r.addprevious(ins)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_absorb_writes_overrides_and_the_next_output_has_them(project, capsys, tmp_path):
    from drafting import load_case, render_files
    from drafting.validate.check import check_case

    brief = case_dir(project) / "brief.yaml"
    original = brief.read_text(encoding="utf-8")
    data = render_files(load_case(project), "reply", ("fr",), ("docx",))["reply.fr.docx"]
    edited = _edit(data, {"Vous proposez des patrouilles conjointes":
                          ("Je veux être clair", "Je veux être parfaitement clair"),
                          "Paris, le": ("Paris", "Matignon")},
                   tracked_in="Le renseignement est au c\u0153ur")
    path = tmp_path / "reply.fr (DAJ).docx"
    path.write_bytes(edited)
    # tracked changes not accepted: listed, nothing written until the drafter decides
    code, out, err = cli(project, capsys, "absorb", str(path))
    assert code == 1 and "intelligence-cell" in err and "tracked changes not accepted" in err
    assert brief.read_text(encoding="utf-8") == original
    code, out, err = cli(project, capsys, "absorb", str(path), "--ignore-tracked")
    assert code == 0, err
    assert "joint-patrols (decline, reply, fr, \u00b61) -> overrides.joint-patrols.decline.reply.fr.1" in out
    assert "intelligence-cell" in err and "tracked changes were left out" in err
    assert "Matignon" in err and "not applied" in err
    text = brief.read_text(encoding="utf-8")
    assert text.startswith(original)  # the rest of the brief, comments included, is kept
    assert "parfaitement clair" in text and "overrides:" in text and "Enfin" not in text
    assert not (project / "clauses" / "joint-patrols.yaml").read_text(encoding="utf-8").count("parfaitement")
    # a rerun reproduces the reviewer's text
    again = render_files(load_case(project), "reply", ("fr",), ("docx",))["reply.fr.docx"]
    assert "Je veux être parfaitement clair\u00a0: la France" in docx_text(again)
    assert "Paris, le" in docx_text(again)
    # absorbing the same file again changes nothing more
    code, out, err = cli(project, capsys, "absorb", str(path), "--ignore-tracked")
    assert code == 0 and "absorbed" not in out
    assert brief.read_text(encoding="utf-8") == text
    problems = [str(p) for p in check_case(project, CASE_NAME)]
    assert any("clause 'joint-patrols' overridden in this case's brief (reply, fr, \u00b61" in p
               and "tell its owner (Ministère de l'Intérieur" in p for p in problems), problems


def test_absorb_of_a_labelled_agenda_line(project, capsys, tmp_path):
    """The annotated agenda's "Objective:" label is the tool's: only the clause text moves."""
    from drafting import load_case, render_files
    data = render_files(load_case(project), "annotated-agenda", ("en",), ("docx",))["annotated-agenda.en.docx"]
    path = tmp_path / "annotated-agenda.en.docx"
    path.write_bytes(_edit(data, {"Objective: Rule out any presence of British forces":
                                  ("Rule out any", "Rule out, firmly, any")}))
    code, out, err = cli(project, capsys, "absorb", str(path))
    assert code == 0, err
    assert "joint-patrols (decline, agenda.objective, en, \u00b61)" in out
    again = render_files(load_case(project), "annotated-agenda", ("en",), ("docx",))
    assert "Objective: Rule out, firmly, any presence" in docx_text(again["annotated-agenda.en.docx"])


# -- divergence ------------------------------------------------------------------------------

def test_check_warns_when_the_brief_diverges_from_a_released_document(project, capsys):
    from drafting.validate.check import check_case
    assert cli(project, capsys, "release", "annotated-agenda", "--lang", "fr", "--format", "docx")[0] == 0
    assert not [p for p in check_case(project, CASE_NAME) if "released" in p.problem]
    set_position(project, "joint-patrols", "accept-with-conditions")
    found = [p for p in check_case(project, CASE_NAME) if "released" in p.problem]
    assert any("'joint-patrols' at accept-with-conditions, but annotated-agenda.fr v1" in p.problem
               and "says decline" in p.problem and p.severity == "warning" for p in found), found
