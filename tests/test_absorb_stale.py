"""A French edit after the English was absorbed leaves the English stale (issue 15,
item 3): each English override records which French it renders (`en_renders_sha`,
written by absorb and by `draft override rehash`), and draft check reports an English
whose French changed since, at the French's line in the brief."""
from __future__ import annotations

import re

from conftest import CASE_NAME as CASE
from conftest import run_cli
from test_absorb_any import _absorb, _after_bookmark, _brief, _check_json, _reply, _rezip


def _codes(report, code):
    return [p for p in report["problems"] if p["code"] == code]


def _edit_and_absorb(project, tmp_path, capsys, lang, sentence, n):
    """A fresh draft in `lang` from the brief as it is, a reviewer's sentence at the end
    of its first linked paragraph, absorbed."""
    out = tmp_path / f"out{n}"
    assert _reply(project, out, lang, capsys=capsys)[0] == 0
    reviewed = _rezip(out / f"reply.{lang}.docx", tmp_path / f"Relu {n}.docx",
                      _after_bookmark(sentence))
    code, stdout, err = _absorb(project, reviewed, capsys=capsys)
    assert code == 0 and f"absorbed reply.{lang}:" in stdout, err
    return stdout


def _entry(project, line):
    """The brief's entry at `line` (1-based): the line, the key it sits under, and its
    folded text (the lines indented deeper)."""
    lines = _brief(project).splitlines()
    head = lines[line - 1]
    indent = len(head) - len(head.lstrip())
    body = []
    for text in lines[line:]:
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        body.append(text.strip())
    return lines[line - 2].strip(), head.strip(), " ".join(body)


def _set_brief(project, old, new):
    path = project / "letters" / CASE / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_second_french_edit_makes_the_english_stale_again(project, tmp_path, capsys):
    _edit_and_absorb(project, tmp_path, capsys, "fr", " Nous y veillerons ensemble.", 1)
    code, report = _check_json(project, capsys)
    (missing,) = _codes(report, "english-not-absorbed")
    assert code == 1 and "reply.en.docx" in missing["hint"]
    assert "draft override rehash" in missing["hint"]  # English written by hand: recorded
    _edit_and_absorb(project, tmp_path, capsys, "en", " We shall see to it together.", 2)
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed"), report
    assert not _codes(report, "override-no-french-hash")
    assert re.search(r"en_renders_sha:\n\s+'1': [0-9a-f]{16}\n", _brief(project))
    # the French edited again (absorbed from a later review): the English is stale again
    _edit_and_absorb(project, tmp_path, capsys, "fr", " Sans délai.", 3)
    code, report = _check_json(project, capsys)
    (stale,) = _codes(report, "english-not-absorbed")
    assert code == 1 and stale["severity"] == "error" and stale["path"].endswith("brief.yaml")
    assert "changed since its English" in stale["problem"]
    assert "draft override rehash" in stale["hint"] and "reply.en.docx" in stale["hint"]
    parent, head, text = _entry(project, stale["line"])  # the French that changed
    assert parent == "fr:" and head == "'1': >-" and text.endswith("Sans délai.")
    # the English brought up to it (absorbed): clean
    _edit_and_absorb(project, tmp_path, capsys, "en", " Without delay.", 4)
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed"), report
    # the French edited by hand in brief.yaml: stale again
    _set_brief(project, "Sans délai.", "Dès que possible.")
    code, report = _check_json(project, capsys)
    (stale,) = _codes(report, "english-not-absorbed")
    parent, _head, text = _entry(project, stale["line"])
    assert code == 1 and parent == "fr:" and text.endswith("Dès que possible.")
    # the English corrected by hand, then recorded
    _set_brief(project, "Without delay.", "As soon as possible.")
    code, report = _check_json(project, capsys)
    assert len(_codes(report, "english-not-absorbed")) == 1  # editing it is not recording it
    before = _brief(project)
    code, stdout, err = run_cli(["--root", str(project), "override", "rehash", "--dry-run",
                                 "--all"], capsys)
    assert code == 0 and "would record en_renders_sha" in stdout and _brief(project) == before
    key = re.search(r"^overrides:\n(?:\s*#.*\n)*\s+([a-z-]+):", before, re.M).group(1)
    code, stdout, err = run_cli(["--root", str(project), "override", "rehash", key], capsys)
    assert code == 0 and "en_renders_sha" in stdout, err
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed"), report
    code, stdout, _ = run_cli(["--root", str(project), "override", "rehash", key], capsys)
    assert code == 0 and "unchanged" in stdout


def test_an_english_override_without_a_record_is_a_warning(project, tmp_path, capsys):
    """An English override written by hand (or absorbed before absorb kept the record)
    says nothing of the French it renders: a warning naming the command, not an error,
    so a brief that checked clean does not fail."""
    _edit_and_absorb(project, tmp_path, capsys, "fr", " Nous y veillerons ensemble.", 1)
    _edit_and_absorb(project, tmp_path, capsys, "en", " We shall see to it together.", 2)
    text = _brief(project)
    without = re.sub(r"\n\s+en_renders_sha:\n\s+'1': [0-9a-f]{16}", "", text)
    assert without != text
    (project / "letters" / CASE / "brief.yaml").write_text(without, encoding="utf-8")
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed")
    (warning,) = _codes(report, "override-no-french-hash")
    assert warning["severity"] == "warning" and "draft override rehash" in warning["hint"]
    assert code == 0 and report["errors"] == 0
    code, _, err = run_cli(["--root", str(project), "override", "rehash", "no-such-key"], capsys)
    assert code == 2 and "no-such-key" in err and "Traceback" not in err
    assert _brief(project) == without


def test_an_english_edit_alone_needs_no_record(project, tmp_path, capsys):
    """A reviewer's English edit without any French override renders the library's
    French: nothing to report."""
    _edit_and_absorb(project, tmp_path, capsys, "en", " We shall see to it together.", 1)
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed")
    assert not _codes(report, "override-no-french-hash")


def test_whole_field_overrides_written_by_hand(project, capsys):
    """A whole field overridden by hand in both languages: no record is a warning;
    `draft override rehash` records a hash of the whole French; the French edited
    afterwards makes the English stale."""
    path = project / "letters" / CASE / "brief.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\noverrides:" not in text
    path.write_text(text.rstrip("\n") + "\n" + (
        "overrides:\n"
        "  joint-patrols:\n"
        "    decline:\n"
        "      reply:\n"
        "        fr: >-\n"
        "          La France ne peut accepter de patrouilles britanniques sur son sol.\n"
        "        en: >-\n"
        "          France cannot accept British patrols on its soil.\n"), encoding="utf-8")
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed")
    assert len(_codes(report, "override-no-french-hash")) == 1
    code, stdout, err = run_cli(["--root", str(project), "override", "rehash", "--all"], capsys)
    assert code == 0 and "joint-patrols decline reply: en_renders_sha " in stdout, err
    assert re.search(r"\n        en_renders_sha: [0-9a-f]{16}\n", _brief(project))
    code, report = _check_json(project, capsys)
    assert not _codes(report, "english-not-absorbed")
    assert not _codes(report, "override-no-french-hash")
    _set_brief(project, "sur son sol.", "sur son territoire.")
    code, report = _check_json(project, capsys)
    (stale,) = _codes(report, "english-not-absorbed")
    assert code == 1 and _entry(project, stale["line"])[1].startswith("fr:")


def test_the_hint_names_the_document_that_prints_the_field(project, tmp_path, capsys):
    """A French line to take absorbed from the annotated agenda: the English to absorb is
    the annotated agenda's, not the reply's."""
    import docx
    out = tmp_path / "out"
    code, _, err = run_cli(["--root", str(project), "agenda", "--lang", "fr", "--format", "docx",
                            "--out", str(out)], capsys)
    assert code == 0, err
    d = docx.Document(str(out / "annotated-agenda.fr.docx"))
    before = len(d.paragraphs)
    # the first linked paragraph of a line to take (a bookmark absorb reads)
    linked = [p for p in d.paragraphs if "_dr" in p._p.xml and len(p.text) > 60]
    linked[0].add_run(" Ajout de la DAJ.")
    assert len(d.paragraphs) == before
    d.save(str(tmp_path / "Ordre du jour annoté - DAJ.docx"))
    code, stdout, err = _absorb(project, tmp_path / "Ordre du jour annoté - DAJ.docx",
                                capsys=capsys)
    assert code == 0 and "absorbed annotated-agenda.fr:" in stdout, err
    code, report = _check_json(project, capsys)
    (stale,) = _codes(report, "english-not-absorbed")
    assert "annotated-agenda.en.docx" in stale["hint"] and "reply.en.docx" not in stale["hint"]
