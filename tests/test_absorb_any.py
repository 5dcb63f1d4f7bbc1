"""Absorb any reviewed file (issue 15, item 3): the DOCX says which document it is (its
custom properties), whatever its name; the whole paragraph is read; tracked changes are
decided, not skipped; a French edit leaves the English stale in check until it is
absorbed too; after an absorb the next run replaces the reviewed file without --force."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from conftest import CASE_NAME as CASE
from conftest import docx_text, docx_xml, norm, rezip, run_cli

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rezip(path: Path, target: Path, change=None, drop=()):
    """A copy of the DOCX at `target`, document.xml passed through `change`, members in
    `drop` left out (as another program would save it)."""
    replace = {"word/document.xml": change(docx_xml(path)).encode("utf-8")} if change else {}
    target.write_bytes(rezip(path.read_bytes(), replace, drop))
    return target


def _linked_paragraph(xml: str, nth=0):
    """(bookmark name, start, end) of the nth paragraph holding a whole _dr bookmark."""
    found = []
    for m in re.finditer(r"<w:p[ >].*?</w:p>", xml, re.S):
        p = m.group(0)
        b = re.search(r'<w:bookmarkStart w:id="(\d+)" w:name="(_dr[^"]+)"/>', p)
        if b and f'<w:bookmarkEnd w:id="{b.group(1)}"/>' in p:
            found.append((b.group(2), m.start(), m.end()))
    return found[nth]


def _after_bookmark(text, nth=0):
    """Type `text` at the end of a linked paragraph, after its bookmark's end."""
    def change(xml):
        _name, _s, e = _linked_paragraph(xml, nth)
        run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        return xml[:e - len("</w:p>")] + run + xml[e - len("</w:p>"):]
    return change


def _tracked_insert(text, nth=0):
    """A tracked insertion (not accepted) inside a linked paragraph's bookmark."""
    def change(xml):
        name, s, e = _linked_paragraph(xml, nth)
        bid = re.search(rf'<w:bookmarkStart w:id="(\d+)" w:name="{name}"/>', xml[s:e]).group(1)
        end = xml.index(f'<w:bookmarkEnd w:id="{bid}"/>', s)
        ins = (f'<w:ins w:id="9001" w:author="DAJ" w:date="2021-11-29T10:00:00Z"><w:r>'
               f'<w:t xml:space="preserve">{text}</w:t></w:r></w:ins>')
        return xml[:end] + ins + xml[end:]
    return change


def _reply(project, out, lang="fr", *more, capsys=None):
    return run_cli(["--root", str(project), "reply", "--lang", lang, "--format", "docx",
                    "--out", str(out), *more], capsys)


def _reviewed(project, tmp_path, capsys, name, change, drop=()):
    """reply.fr drafted into tmp_path/out, and a reviewer's copy of it at tmp_path/name."""
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    return _rezip(out / "reply.fr.docx", tmp_path / name, change, drop)


def _absorb(project, path, *more, capsys=None):
    return run_cli(["--root", str(project), "absorb", str(path), *more], capsys)


def _brief(project):
    return (project / "letters" / CASE / "brief.yaml").read_text(encoding="utf-8")


def _check_json(project, capsys):
    code, out, _ = run_cli(["--root", str(project), "check", "--json"], capsys)
    return code, json.loads(out)


def test_the_docx_says_which_document_it_is(workspace, tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(workspace), "agreement", "readmission", "--copy", "uk",
                            "--register", "mou", "--lang", "en", "--format", "docx", "--out",
                            str(out)], capsys)
    assert code == 0, err
    from drafting.lifecycle.absorb import read_identity
    (path,) = out.glob("*.docx")
    props = read_identity(path.read_bytes())
    assert props["document"] == path.name[:-len(".docx")]
    assert props["kind"] == "agreement" and props["lang"] == "en" and props["case"] == CASE
    options = json.loads(props["options"])
    assert options["copy"] == "uk" and options["register"] == "mou"
    assert options["agreement_kind"] == "readmission" and options["audience"] == "internal"
    assert "custom-properties+xml" in docx_xml(path, "[Content_Types].xml")


def test_a_reviewers_file_under_any_name_edited_after_the_bookmark(project, tmp_path, capsys):
    reviewed = _reviewed(project, tmp_path, capsys, "Réponse Johnson - DAJ.docx",
                         _after_bookmark(" Une phrase ajoutée par la DAJ."))
    before = _brief(project)
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0, err
    assert "absorbed reply.fr:" in stdout and "no change" not in stdout
    after = _brief(project)
    assert after != before and "overrides:" in after
    assert "Une phrase ajoutée par la DAJ." in after
    assert after.startswith(before.split("\noverrides:")[0][:200])  # the rest kept
    # the next draft carries it, once, at the end of its paragraph
    assert _reply(project, tmp_path / "next", capsys=capsys)[0] == 0
    text = docx_text((tmp_path / "next" / "reply.fr.docx").read_bytes())
    assert norm(text).count("Une phrase ajoutée par la DAJ.") == 1
    # absorbed once: the same file again is no change
    code, stdout, _ = _absorb(project, reviewed, "--dry-run", capsys=capsys)
    assert code == 0 and "no change" in stdout


def test_a_typed_prefix_before_the_bookmark_is_the_paragraphs_too():
    from drafting.lifecycle.absorb import read_units
    body = (f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t xml:space="preserve">Avant. </w:t>'
            '</w:r><w:bookmarkStart w:id="1" w:name="_drx_1"/><w:r><w:t>Dedans.</w:t></w:r>'
            '<w:bookmarkEnd w:id="1"/><w:r><w:t xml:space="preserve"> Après.</w:t></w:r></w:p>'
            '<w:p><w:r><w:t>Hors lien.</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", body)
    units, unlinked, tracked = read_units(buf.getvalue())
    u = units["_drx_1"]
    assert u.text == "Avant. Dedans. Après." and u.before == "Avant. " and u.after == " Après."
    assert unlinked == ["Hors lien."] and tracked == 0


def test_a_file_without_properties_needs_its_name(project, tmp_path, capsys):
    bare = _reviewed(project, tmp_path, capsys, "Réponse Johnson.docx", _after_bookmark(" Ajout."),
                     drop=("docProps/custom.xml",))
    before = _brief(project)
    code, _, err = _absorb(project, bare, capsys=capsys)
    assert code == 2 and "say which document it is" in err and "Traceback" not in err
    assert _brief(project) == before
    named = shutil.copy(bare, tmp_path / "reply.fr (DAJ).docx")
    code, stdout, err = _absorb(project, named, capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout, err


def test_a_file_of_another_case_is_refused(project, tmp_path, capsys):
    reviewed = _reviewed(project, tmp_path, capsys, "r.docx", _after_bookmark(" Ajout."))
    before = _brief(project)
    code, _, err = _absorb(project, reviewed, "--case", "2021-11-29-home-secretary", capsys=capsys)
    assert code == 2 and f"document of case '{CASE}'" in err and f"--case {CASE}" in err
    assert _brief(project) == before


def test_tracked_changes_are_decided_not_skipped(project, tmp_path, capsys):
    reviewed = _reviewed(project, tmp_path, capsys, "suivi.docx",
                         _tracked_insert(" Ajout suivi de la DAJ."))
    before = _brief(project)
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 1, err
    assert "tracked" in err and "Ajout suivi de la DAJ." in err and "nothing written" in err
    assert "--accept-tracked" in err and _brief(project) == before
    code, _, err = _absorb(project, reviewed, "--dry-run", capsys=capsys)
    assert code == 1 and _brief(project) == before
    code, _, err = _absorb(project, reviewed, "--accept-tracked", "--ignore-tracked", capsys=capsys)
    assert code == 2 and _brief(project) == before
    code, stdout, err = _absorb(project, reviewed, "--ignore-tracked", capsys=capsys)
    assert code == 0 and "left out" in err and _brief(project) == before
    code, stdout, err = _absorb(project, reviewed, "--accept-tracked", capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout, err
    assert "Ajout suivi de la DAJ." in _brief(project)


def test_a_file_stopped_on_tracked_changes_lists_its_other_edits_too(project, tmp_path, capsys):
    """Everything at once: the edits that wait on the tracked changes' answer are listed
    beside them (they were not, so a second surprise came with --accept-tracked)."""
    both = lambda xml: _after_bookmark(" Phrase ajoutée par la DAJ.", 1)(  # noqa: E731
        _tracked_insert(" Ajout suivi de la DAJ.", 0)(xml))
    reviewed = _reviewed(project, tmp_path, capsys, "deux.docx", both)
    before = _brief(project)
    code, _, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 1 and _brief(project) == before
    assert "tracked: " in err and "Ajout suivi de la DAJ." in err
    waiting = [line for line in err.splitlines() if line.startswith("would write, once")]
    tracked = next(line for line in err.splitlines() if line.startswith("tracked: "))
    where = tracked.split(": ")[2].split(" (")[0]  # the paragraph with the tracked change
    assert len(waiting) == 1 and "-> overrides." in waiting[0] and where not in waiting[0], err
    code, stdout, err = _absorb(project, reviewed, "--accept-tracked", capsys=capsys)
    assert code == 0 and "Phrase ajoutée par la DAJ." in _brief(project), err


def test_a_french_edit_leaves_the_english_stale_until_absorbed(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, "all", capsys=capsys)[0] == 0
    code, report = _check_json(project, capsys)
    assert "english-not-absorbed" not in {p["code"] for p in report["problems"]}
    fr = _rezip(out / "reply.fr.docx", tmp_path / "fr.docx",
                _after_bookmark(" Nous y veillerons ensemble."))
    code, stdout, _ = _absorb(project, fr, capsys=capsys)
    assert code == 0 and "stale" in stdout
    code, report = _check_json(project, capsys)
    stale = [p for p in report["problems"] if p["code"] == "english-not-absorbed"]
    assert code == 1 and len(stale) == 1 and stale[0]["severity"] == "error"
    assert stale[0]["path"].endswith("brief.yaml") and stale[0]["line"]
    lines = _brief(project).splitlines()[stale[0]["line"] - 2:]  # the French override's entry
    assert lines[0].strip() == "fr:" and lines[1].strip() == "'1': >-"
    # the English of the same paragraph, absorbed from the reviewed English DOCX
    en = _rezip(out / "reply.en.docx", tmp_path / "en.docx",
                _after_bookmark(" We shall see to it together."))
    code, stdout, err = _absorb(project, en, capsys=capsys)
    assert code == 0 and "absorbed reply.en:" in stdout, err
    code, report = _check_json(project, capsys)
    assert "english-not-absorbed" not in {p["code"] for p in report["problems"]}


def test_after_an_absorb_the_next_run_needs_no_force(project, tmp_path, capsys):
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    target = out / "reply.fr.docx"
    _rezip(target, tmp_path / "edited.docx", _after_bookmark(" Une phrase de plus."))
    shutil.copy(tmp_path / "edited.docx", target)  # the reviewer edited it in place
    code, _, err = _reply(project, out, "fr", "--position", "joint-patrols=accept",
                          capsys=capsys)
    assert code == 3 and "edited since" in err  # as before: a person's edit is kept
    assert target.read_bytes() == (tmp_path / "edited.docx").read_bytes()
    code, stdout, err = _absorb(project, target, capsys=capsys)
    assert code == 0 and "absorbed" in stdout, err
    code, _, err = _reply(project, out, capsys=capsys)
    assert code == 0, err
    assert not list(out.glob("*backup*"))
    assert norm(docx_text(target.read_bytes())).count("Une phrase de plus.") == 1


def test_an_absorb_that_leaves_edits_out_keeps_the_file_protected(project, tmp_path, capsys):
    """Tracked changes left out (--ignore-tracked) are the reviewer's work the brief does
    not hold: the next run still refuses to replace the file without --force."""
    out = tmp_path / "out"
    assert _reply(project, out, capsys=capsys)[0] == 0
    target = out / "reply.fr.docx"
    _rezip(target, tmp_path / "edited.docx", _tracked_insert(" Suggestion."))
    shutil.copy(tmp_path / "edited.docx", target)
    code, _, err = _absorb(project, target, "--ignore-tracked", capsys=capsys)
    assert code == 0, err
    code, _, err = _reply(project, out, capsys=capsys)
    assert code == 3 and "edited since" in err


def test_an_external_copy_says_nothing_of_the_case(project, tmp_path, capsys):
    """The identity goes only where absorb's bookmarks go: never into an external copy."""
    out = tmp_path / "out"
    assert _reply(project, out, "fr", "--audience", "external", capsys=capsys)[0] == 0
    data = (out / "reply.fr.docx").read_bytes()
    assert "docProps/custom.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()
    from drafting.lifecycle.absorb import read_identity
    assert read_identity(data) == {}
    code, _, err = _absorb(project, out / "reply.fr.docx", capsys=capsys)
    assert code == 2 and "hidden bookmarks" in err and "Traceback" not in err


def test_a_file_drafted_from_another_brief_goes_back_to_it(project, tmp_path, capsys):
    """`draft reply --brief brief-president.yaml`: the file says which brief it was drafted
    from, absorb compares it with that brief's draft and writes into that brief."""
    out = tmp_path / "out"
    president = project / "letters" / CASE / "brief-president.yaml"
    assert _reply(project, out, "fr", "--brief", str(president), capsys=capsys)[0] == 0
    reviewed = _rezip(out / "reply.fr.docx", tmp_path / "Réponse Président.docx",
                      _after_bookmark(" Ajout pour le Président."))
    before, before_president = _brief(project), president.read_text(encoding="utf-8")
    code, _, err = _absorb(project, reviewed, "--brief",
                           str(project / "letters" / CASE / "brief.yaml"), capsys=capsys)
    assert code == 2 and "brief-president.yaml" in err and "Traceback" not in err
    assert _brief(project) == before and president.read_text(encoding="utf-8") == before_president
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0 and "absorbed reply.fr:" in stdout and "not applied" not in err, err
    assert _brief(project) == before
    assert "Ajout pour le Président." in president.read_text(encoding="utf-8")


def test_a_file_drafted_with_a_position_option_is_read_under_it(project, tmp_path, capsys):
    """`draft reply --position joint-patrols=accept`: the file says so, absorb drafts the
    same text to compare, and the edit becomes an override of that position's text
    (before, the paragraph read as removed and the edit was lost)."""
    import docx
    from ruamel.yaml import YAML
    clause = YAML(typ="safe").load((project / "clauses" / "joint-patrols.yaml")
                                   .read_text(encoding="utf-8"))
    opening = " ".join(clause["positions"]["accept"]["reply"]["fr"].split())[:40]
    out = tmp_path / "out"
    assert _reply(project, out, "fr", "--position", "joint-patrols=accept", capsys=capsys)[0] == 0
    d = docx.Document(str(out / "reply.fr.docx"))
    (para,) = [p for p in d.paragraphs if " ".join(p.text.split()).startswith(opening[:30])]
    para.add_run(" Sous le contrôle des autorités françaises.")
    d.save(str(tmp_path / "Réponse - acceptation.docx"))
    code, stdout, err = _absorb(project, tmp_path / "Réponse - acceptation.docx", capsys=capsys)
    assert code == 0 and "joint-patrols (accept" in stdout and "not applied" not in err, err
    assert "overrides.joint-patrols.accept.reply.fr.1" in stdout
    assert "Sous le contrôle des autorités françaises." in " ".join(_brief(project).split())
