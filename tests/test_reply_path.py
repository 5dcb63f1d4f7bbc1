"""The reply path's speed machinery (issue 18) changes no byte and no behaviour.

- The reference document's package is read once per process, its fonts never inflated
  (writers/docx._open, StoredFont): the DOCX files are the bytes python-docx's own
  `docx.Document(reference)` gives, for the first document of a process and the next
  ones, whether the reference holds its fonts deflated or stored; an edited
  reference.docx is read again.
- A Word comment's text is written without python-docx's character loop
  (writers/docx.comment_text): the comment's XML is what add_comment(text=...) makes,
  for every shape of text (several lines, empty lines, tabs, edge spaces).
- The garbage collector is paused while a command that makes a few documents runs
  (cli._pause_gc): on again when the command ends, and in a process forked meanwhile.
"""
from __future__ import annotations

import gc
import io
import os
import shutil

import docx
import pytest
from conftest import run_cli
from lxml import etree

from drafting.writers import docx as writer


@pytest.fixture
def fresh_reference(monkeypatch):
    """The DOCX writer as a new process finds it: no reference package read yet."""
    monkeypatch.setattr(writer, "_READERS", {})
    monkeypatch.setattr(writer, "_STYLE_IDS", {})
    monkeypatch.setattr(writer, "_REFERENCE_FONTS", {})


def _docx_files(case, audience=None):
    from drafting.api import build
    from drafting.writers import docx_bytes
    return [docx_bytes(case, build(case, "reply", lang), audience) for lang in ("fr", "en")]


@pytest.mark.parametrize("audience", ["internal", None])
def test_reference_read_once_gives_python_docx_bytes(make_case, monkeypatch, fresh_reference,
                                                     audience):
    case = make_case()
    once = _docx_files(case, audience) + _docx_files(case, audience)  # 1st doc, then cached
    assert len(writer._READERS) == 1
    monkeypatch.setattr(writer, "_open", lambda ref: docx.Document(str(ref)))
    each_time = _docx_files(case, audience)
    assert once[:2] == each_time and once[2:] == each_time


def test_reference_fonts_stored_or_deflated_give_python_docx_bytes(project, monkeypatch,
                                                                   fresh_reference):
    """A font the reference holds deflated is copied without being inflated
    (StoredFont); one it holds uncompressed is deflated here: the bytes python-docx's
    own reading of the reference gives, either way."""
    import zipfile

    from drafting import load_case
    ref = project / "templates" / "reference.docx"
    with zipfile.ZipFile(ref) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    assert any(i.filename.endswith(".odttf") for i, _ in members)
    for stored in (True, False):
        with zipfile.ZipFile(ref, "w") as z:
            for info, data in members:
                font = info.filename.endswith(".odttf")
                z.writestr(info, data, zipfile.ZIP_STORED if font and stored else
                           zipfile.ZIP_DEFLATED)
        case = load_case(project)
        ours = _docx_files(case, "internal")
        kinds = {type(p.blob).__name__ for p in writer._open(ref).part.package.iter_parts()
                 if str(p.partname).endswith(".odttf")}
        assert kinds == ({"bytes"} if stored else {"StoredFont"})
        with monkeypatch.context() as m:
            m.setattr(writer, "_open", lambda r: docx.Document(str(r)))
            assert ours == _docx_files(case, "internal")
        with zipfile.ZipFile(io.BytesIO(ours[0])) as z:
            assert z.testzip() is None  # every member's CRC right
            assert {n: z.read(n) for n in z.namelist() if n.endswith(".odttf")} == {
                i.filename: d for i, d in members if i.filename.endswith(".odttf")}


def test_edited_reference_is_read_again(project, fresh_reference):
    from drafting import load_case
    case = load_case(project)
    ref = project / "templates" / "reference.docx"
    first = writer._open(ref)
    assert first.part.package is not writer._open(ref).part.package  # a new package each time
    # another reference under the same name: its own styles, not the cached package's
    other = docx.Document()
    other.styles.add_style("Only In The New Reference", 1)
    other.save(str(ref) + ".new")
    shutil.move(str(ref) + ".new", ref)
    os.utime(ref, ns=(1, 1))  # even with an older time stamp: the size differs
    names = {s.name for s in writer._open(ref).styles}
    assert "Only In The New Reference" in names
    assert "Only In The New Reference" not in {s.name for s in first.styles}
    assert len(writer._READERS) == 1  # one reference at a time
    assert case.templates / "reference.docx" == ref


def test_reference_that_is_no_word_file_is_refused_as_python_docx_does(tmp_path,
                                                                      fresh_reference):
    bad = tmp_path / "reference.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(Exception) as ours:
        writer._open(bad)
    with pytest.raises(Exception) as theirs:
        docx.Document(str(bad))
    assert type(ours.value) is type(theirs.value)


@pytest.mark.parametrize("text", [
    "Clause joint-patrols - Position accept - Version 3", " leading", "trailing ",
    "two\nlines", "empty\n\nline", "\nfirst empty", "last empty\n", "tab\there",
    "cr\rhere", "tab\t\nthen", "  ", "«\u202fguillemets\u202f» – l’apostrophe\nNote\u00a0: oui",
])
def test_comment_text_is_what_python_docx_writes(text):
    def comment(fill):
        d = docx.Document()
        c = d.add_comment([d.add_paragraph().add_run("x")], author="draft", initials="DR",
                          **({"text": text} if fill is None else {"text": ""}))
        if fill:
            fill(c, text)
        c._comment_elm.attrib.pop(docx.oxml.ns.qn("w:date"))
        return etree.tostring(c._comment_elm)

    assert comment(writer.comment_text) == comment(None)


def _gc_states(monkeypatch, module, name) -> list:
    """The list to which each call of module.name, from now on, appends gc.isenabled()."""
    seen, real = [], getattr(module, name)

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


def test_gc_paused_while_a_reply_is_made_then_back(workspace, tmp_path, monkeypatch):
    from drafting import api
    seen = _gc_states(monkeypatch, api, "render_files")
    assert gc.isenabled()
    code, _, _ = run_cli(["-q", "reply", "--format", "docx", "--out", tmp_path / "o"])
    assert code == 0 and seen == [False]
    assert gc.isenabled()
    code, _, _ = run_cli(["reply", "--lang", "xx"])  # an error: the collector is back too
    assert code == 2 and gc.isenabled()


def test_gc_kept_for_a_check(workspace, monkeypatch, capsys):
    import drafting.validate.check as check
    seen = _gc_states(monkeypatch, check, "check_case")
    run_cli(["check"], capsys)
    assert seen == [True]


def test_gc_left_off_for_a_caller_that_turned_it_off(workspace, tmp_path):
    gc.disable()
    try:
        code, _, _ = run_cli(["-q", "reply", "--lang", "fr", "--format", "docx",
                              "--out", tmp_path / "o"])
        assert code == 0 and not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_gc_on_in_a_process_forked_while_paused():
    from drafting.cli import _pause_gc, _resume_gc
    try:
        _pause_gc()
        assert not gc.isenabled()
        pid = os.fork()
        if pid == 0:  # the child: what the PDF process finds
            os._exit(0 if gc.isenabled() else 1)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        _resume_gc()
    assert gc.isenabled()


def test_markings_ask_for_the_agreements_only_when_they_name_one(project, workspace):
    """compose.marking_for lists the brief's agreements (importing the agreement module
    and its files) only for a `markings:` name that is no plain kind; an agreement's own
    name still sets its marking, a name that is no document is still refused."""
    import subprocess
    import sys

    from conftest import BRIEF, edit

    from drafting import build, load_case
    from drafting.errors import InputError
    code = ("import sys; from drafting import load_case, build; c = load_case(sys.argv[1]); "
            "build(c, 'reply', 'fr'); print('drafting.documents.agreement' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(workspace)], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"
    brief = project / BRIEF
    edit(brief, "  reply: Diffusion Restreinte",
         "  reply: Diffusion Restreinte\n  agreement-readmission: Confidentiel")
    case = load_case(project)
    assert build(case, "agreement", "fr", agreement_kind="readmission").document.meta[
        "marking"] == "Confidentiel"
    assert build(case, "reply", "fr").document.meta["marking"] == "Diffusion Restreinte"
    edit(brief, "  agreement-readmission: Confidentiel", "  agreement-nowhere: Confidentiel")
    with pytest.raises(InputError, match="'agreement-nowhere' is not a document of this case"):
        build(load_case(project), "reply", "fr")
