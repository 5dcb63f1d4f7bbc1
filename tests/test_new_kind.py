"""Adding a document kind is a row in the registry, one module and one template: the CLI
(`draft document`, `draft pack`) and `draft check` pick it up with no other edit."""
from __future__ import annotations

import textwrap

import pytest
from conftest import copy_workspace, docx_text, run_cli

from drafting.documents import registry

# the module: a one-page note for the file listing the position taken on each proposal
MODULE = '''
"""A note for the file: what the answer decided, proposal by proposal."""
from drafting.select import select


def context(case, lang, final=False, audience="internal"):
    names = case.protocol.label(lang, "position_names")
    rows = [{"key": c.key, "title": str(c.proposal.title.get(lang) or c.key),
             "position": str(names.get(c.position, c.position)) if c.answered else "-"}
            for c in select(case, audience).proposals]
    title = {"fr": "Note pour le dossier", "en": "Note for the file"}[lang]
    # the marking and the draft line are the build's (tree/gate.py), not the context's
    return {"lang": lang, "title": title, "rows": rows, "translation_heading": "",
            "author": "", "subject": title, "audience": audience,
            "created": case.brief.date.isoformat()}
'''

TEMPLATE = '''{% extends "_base.html.j2" %}
{% set kind = "note" %}
{% block body %}
<h1>{{ title }}</h1>
{% for r in rows %}
<p class="item">{{ r.key }} - {{ r.title }}: <strong>{{ r.position }}</strong></p>
{% endfor %}
{% endblock %}
'''


@pytest.fixture
def note_kind(tmp_path, monkeypatch, workspace):
    """A private workspace with the note's template, its module importable, and the
    kind registered (the registry is restored after the test)."""
    copy_workspace(tmp_path / "ws", workspace)
    (tmp_path / "ws" / "templates" / "note.html.j2").write_text(TEMPLATE, encoding="utf-8")
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "note_for_file.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    monkeypatch.setitem(registry.KINDS, "note",
                        registry.Kind("note", "note_for_file", "note.html.j2",
                                      summary="a note for the file"))
    return tmp_path / "ws"


def test_a_new_kind_is_written_by_the_generic_command(note_kind, tmp_path, capsys):
    out = tmp_path / "out"
    code, stdout, err = run_cli(["--root", str(note_kind), "document", "note", "--format", "docx",
                              "--out", str(out)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in out.glob("*.docx")) == ["note.en.docx", "note.fr.docx"]
    fr, en = docx_text(out / "note.fr.docx"), docx_text(out / "note.en.docx")
    assert "Note pour le dossier" in fr and "Note for the file" in en
    # the note reads the same choices as the reply: a --position override shows in it
    code, _o, err = run_cli(["--root", str(note_kind), "document", "note", "--format", "docx",
                          "--lang", "en", "--out", str(tmp_path / "out2"),
                          "--position", "joint-patrols=accept"], capsys)
    assert code == 0, err
    from drafting import load_case
    names = load_case(note_kind).protocol.label("en", "position_names")
    before = next(x for x in en.splitlines() if x.startswith("joint-patrols - "))
    after = next(x for x in docx_text(tmp_path / "out2" / "note.en.docx").splitlines()
                 if x.startswith("joint-patrols - "))
    assert not before.endswith(": " + str(names["accept"]))
    assert after.endswith(": " + str(names["accept"])), after


def test_a_new_kind_is_in_the_pack_and_the_check(note_kind, tmp_path, capsys):
    from drafting.validate.check import check_case
    out = tmp_path / "pack"
    code, stdout, err = run_cli(["--root", str(note_kind), "pack", "--format", "docx",
                              "--out", str(out)], capsys)
    assert code == 0, err
    assert (out / "note.fr.docx").exists() and (out / "note.en.docx").exists()
    assert "note.fr.docx" in stdout
    # draft check builds every registered kind: a broken note template is reported
    assert [p for p in check_case(note_kind) if p.severity == "error"] == []
    (note_kind / "templates" / "note.html.j2").write_text(
        TEMPLATE.replace("{{ r.position }}", "{{ r.nonexistent_field }}"), encoding="utf-8")
    problems = [str(p) for p in check_case(note_kind) if p.severity == "error"]
    assert any("note" in p for p in problems), problems


def test_an_option_the_kind_does_not_take_is_refused(note_kind, capsys):
    code, _out, err = run_cli(["--root", str(note_kind), "document", "note",
                            "--set", "register=mou"], capsys)
    assert code == 2
    assert "not an option of 'note'" in err
