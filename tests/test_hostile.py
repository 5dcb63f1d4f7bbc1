"""Hostile input (issue 17): every case below gives the tool one file or option an attacker
(or an accident) could hand it - a device, a pipe, a zip bomb, XML entities, a value of the
wrong shape, a release record or sign-off file tampered with - and runs `draft` in-process.

The contract, for every case: a known exit status (2 bad input, 3 environment, 1 a failed
check), never 70 (an internal error) and never a traceback; and the message names the
file. `test_hostile_case` runs them all; CASES is the table (its size is the number of
hostile cases this file holds).
"""
from __future__ import annotations

import io
import os
import shutil
import signal
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BRIEF, CASE, copy_workspace, edit, rezip, run_cli

DOCX_FR = ("--lang", "fr", "--format", "docx")


@dataclass
class Hostile:
    name: str
    setup: object           # setup(root: Path) -> argv (without --root)
    codes: tuple = (2,)     # the exit statuses allowed
    says: str = ""          # a piece of the message (lower case)
    released: bool = False  # start from a project with reply.fr v1 released


CASES: list[Hostile] = []


def hostile(name, codes=(2,), says="", released=False):
    def deco(fn):
        CASES.append(Hostile(name, fn, tuple(codes), says, released))
        return fn
    return deco


# -- helpers ----------------------------------------------------------------------------------

def _docx(root: Path) -> bytes:
    """The default reply's French DOCX as the tool writes it (made once a session)."""
    global _DOCX
    if _DOCX is None:
        out = root.parent / "made"
        code = run_cli(["--root", str(root), "reply", *DOCX_FR, "--out", str(out)])[0]
        assert code == 0
        _DOCX = (out / "reply.fr.docx").read_bytes()
    return _DOCX


_DOCX = None


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml")


def _absorb(root: Path, data: bytes, name="reply.fr.docx"):
    path = root.parent / name
    path.write_bytes(data)
    return ["absorb", str(path)]


def _fifo(root: Path, name="pipe") -> Path:
    path = root.parent / name
    os.mkfifo(path)
    return path


def _record(root: Path) -> Path:
    return root / CASE / "released" / "reply.fr" / "v1" / "release.json"


# -- 2. every read bounded and typed ----------------------------------------------------------

@hostile("brief is /dev/zero", says="device")
def _(root):
    return ["reply", *DOCX_FR, "--brief", "/dev/zero"]


@hostile("brief is a FIFO", says="pipe")
def _(root):
    return ["reply", *DOCX_FR, "--brief", str(_fifo(root))]


@hostile("brief is a folder", says="director")
def _(root):
    return ["reply", *DOCX_FR, "--brief", str(root / CASE)]


@hostile("the case's brief.yaml links to /dev/zero", says="device")
def _(root):
    (root / BRIEF).unlink()
    (root / BRIEF).symlink_to("/dev/zero")
    return ["reply", *DOCX_FR]


@hostile("letter.txt is a FIFO", says="pipe")
def _(root):
    (root / CASE / "letter.txt").unlink()
    os.mkfifo(root / CASE / "letter.txt")
    return ["reply", *DOCX_FR]


@hostile("a clause file links to /dev/zero", says="device")
def _(root):
    (root / "clauses" / "joint-patrols.yaml").unlink()
    (root / "clauses" / "joint-patrols.yaml").symlink_to("/dev/zero")
    return ["reply", *DOCX_FR]


@hostile("absorb /dev/zero", says="device")
def _(root):
    link = root.parent / "reply.fr.docx"
    link.symlink_to("/dev/zero")
    return ["absorb", str(link)]


@hostile("absorb a FIFO", says="pipe")
def _(root):
    return ["absorb", str(_fifo(root, "reply.fr.docx"))]


@hostile("absorb a zip bomb", says="zip bomb")
def _(root):
    xml = _document_xml(_docx(root))
    bomb = xml.replace(b"</w:body>", b"<!--" + b" " * (60 << 20) + b"--></w:body>")
    return _absorb(root, rezip(_docx(root), {"word/document.xml": bomb}))


@hostile("absorb a billion laughs", says="entities")
def _(root):
    xml = _document_xml(_docx(root))
    lol = (b'<!DOCTYPE w:document [<!ENTITY a "lol">'
           + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
                      for i in range(8)) + b"]>")
    evil = xml.replace(b"?>", b"?>" + lol, 1).replace(b"<w:t>", b"<w:t>&i;", 1)
    return _absorb(root, rezip(_docx(root), {"word/document.xml": evil}))


@hostile("absorb a truncated document.xml", says="damaged")
def _(root):
    xml = _document_xml(_docx(root))
    return _absorb(root, rezip(_docx(root), {"word/document.xml": xml[:len(xml) // 2]}))


@hostile("absorb a document.xml without a body", says="no text")
def _(root):
    xml = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
           b'openxmlformats.org/wordprocessingml/2006/main"/>')
    return _absorb(root, rezip(_docx(root), {"word/document.xml": xml}))


@hostile("absorb a file that is not a zip", says="not a readable")
def _(root):
    return _absorb(root, b"PK\x03\x04 not really a zip")


@hostile("ingest /dev/zero", says="device")
def _(root):
    return ["ingest", "/dev/zero"]


@hostile("ingest a FIFO", says="pipe")
def _(root):
    return ["ingest", str(_fifo(root, "letter.txt"))]


# -- 3. every failure explained (no exit 70) --------------------------------------------------

@hostile("brief copies: [{michel: 1}]", says="copies")
def _(root):
    edit(root / BRIEF, "\ncopies: [michel]", "\ncopies: [{michel: 1}]")
    return ["reply", *DOCX_FR]


@hostile("signoffs.yaml not UTF-8 (check)", codes=(1, 2), says="utf-8")
def _(root):
    (root / CASE / "signoffs.yaml").write_bytes(b"- role: d\xe9sk\n")
    return ["check"]


@hostile("signoffs.yaml not UTF-8 (--final)", says="utf-8")
def _(root):
    (root / CASE / "signoffs.yaml").write_bytes(b"- role: d\xe9sk\n")
    return ["reply", *DOCX_FR, "--final"]


@hostile("signoffs.yaml is /dev/zero (signoff)", says="device")
def _(root):
    (root / CASE / "signoffs.yaml").symlink_to("/dev/zero")
    return ["signoff", "reply", "--by", "desk"]


@hostile("signoffs.yaml that does not parse (check)", codes=(1, 2), says="signoffs.yaml")
def _(root):
    (root / CASE / "signoffs.yaml").write_text("- role: [desk\n", encoding="utf-8")
    return ["check"]


def _released_record_cases():
    import json

    def tamper(fn):
        def setup(root):
            rec = _record(root)
            data = json.loads(rec.read_text(encoding="utf-8"))
            fn(data)
            rec.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return setup

    breaks = {
        "version a list": tamper(lambda d: d.__setitem__("version", [1])),
        "files a string": tamper(lambda d: d.__setitem__("files", "reply.fr.docx")),
        "date missing": tamper(lambda d: d.pop("date")),
        "stem missing": tamper(lambda d: d.pop("stem")),
        "date a number": tamper(lambda d: d.__setitem__("date", 20211201)),
        "not JSON": lambda root: _record(root).write_text("{", encoding="utf-8"),
        "/dev/zero": lambda root: (_record(root).unlink(), _record(root).symlink_to("/dev/zero")),
    }
    commands = {"versions": ["versions", "reply"],
                "compare": ["compare", "reply.fr@v1", "--format", "docx"],
                "release": ["release", "reply", *DOCX_FR],
                "check": ["check"]}
    for what, setup in breaks.items():
        for cmd, argv in commands.items():
            def make(setup=setup, argv=argv):
                def run(root):
                    setup(root)
                    return list(argv)
                return run
            hostile(f"release.json {what} ({cmd})", codes=(1, 2), says="release.json",
                    released=True)(make())


_released_record_cases()


def _append_to_released(root, name):
    with open(_record(root).parent / name, "ab") as fh:
        fh.write(b"appended")


for _cmd, _argv, _codes in (("check", ["check"], (1,)),
                            ("compare", ["compare", "reply.fr@v1", "--format", "docx"], (2,)),
                            ("versions", ["versions", "reply"], (2,)),
                            ("absorb", None, (2,))):
    for _name in ("reply.fr.docx", "reply.fr.html"):
        def _tampered(root, argv=_argv, name=_name):
            _append_to_released(root, name)
            if argv is None:
                return _absorb(root, (_record(root).parent / "reply.fr.docx").read_bytes())
            return list(argv)
        hostile(f"released {_name} changed after its release ({_cmd})", codes=_codes,
                says="no longer matches", released=True)(_tampered)


# -- 4. wrong shapes refused ------------------------------------------------------------------

def _clause_reply(root, new):
    path = root / "clauses" / "joint-patrols.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    reply:\n      fr: >-\n")
    end = text.index("      en:", start)
    path.write_text(text[:start] + "    reply:\n" + new + text[end:], encoding="utf-8")


@hostile("clause reply: {fr: [a]}", says="must be a text, found a list")
def _(root):
    _clause_reply(root, "      fr: [a]\n")
    return ["reply", *DOCX_FR]


@hostile("clause reply: {fr: {x: a}}", says="must be a text, found a mapping")
def _(root):
    _clause_reply(root, "      fr: {x: a}\n")
    return ["reply", *DOCX_FR]


for _name, _says, _old, _new in (
        ("brief notes: a list", "'notes' must be a mapping, found a list",
         "\nnotes:\n", "\nnotes:\n  - une note\nold_notes:\n"),
        ("brief note: a list", "'notes.joint-patrols' must be a single value",
         "\nnotes:\n  joint-patrols: >-\n", "\nnotes:\n  joint-patrols:\n    - a\n  x: >-\n"),
        ("brief positions: a value that is a list", "'positions.calais-meeting' must be a single value",
         "calais-meeting: counter", "calais-meeting: [counter]"),
        ("brief order: a mapping inside", "'order[1]' must be a single value",
         "\norder:\n  - condolences", "\norder:\n  - {condolences: 1}")):
    def _brief_edit(root, old=_old, new=_new):
        edit(root / BRIEF, old, new)
        return ["reply", *DOCX_FR]
    hostile(_name, says=_says)(_brief_edit)


for _char, _what in (("\u202e", "right-to-left override"), ("\u200b", "zero-width space"),
                     ("\ufeff", "zero-width no-break space"), ("\u2066", "left-to-right isolate")):
    def _invisible(root, char=_char):
        edit(root / "clauses" / "people.yaml", "name: {fr: Boris Johnson,",
              f"name: {{fr: Boris{char} Johnson,")
        return ["reply", *DOCX_FR]
    hostile(f"a name holding U+{ord(_char):04X}", says=_what)(_invisible)


@hostile("a name that is a list", says="'johnson.name.fr' must be a single value")
def _(root):
    edit(root / "clauses" / "people.yaml", "name: {fr: Boris Johnson,", "name: {fr: [Boris Johnson],")
    return ["reply", *DOCX_FR]


# -- 6. ingest bounded and atomic --------------------------------------------------------------

def _letter(root, name, body):
    path = root.parent / name
    path.write_text("Dear Jean,\n\n" + body + "\n\nYours sincerely,\n\nBoris Johnson\n",
                    encoding="utf-8")
    return path


@hostile("ingest a letter of 260 proposals", says="260 proposals found in the letter")
def _(root):
    body = "\n\n".join(f"I propose that we set up joint committee number {i} on fisheries "
                       "before the end of the year." for i in range(260))
    return ["ingest", str(_letter(root, "many.txt", body))]


@hostile("ingest a letter with a control character", says="many.txt:3: character u+0007")
def _(root):
    return ["ingest", str(_letter(root, "many.txt", "I propose that we meet\x07 in Calais."))]


# -- 7. paths ---------------------------------------------------------------------------------

@hostile("--out through a symlinked parent", says="reached through a symbolic link")
def _(root):
    (root.parent / "elsewhere").mkdir()
    (root.parent / "a").mkdir()
    (root.parent / "a" / "link").symlink_to(root.parent / "elsewhere")
    return ["reply", *DOCX_FR, "--out", str(root.parent / "a" / "link" / "sub")]


@hostile("the lock file is a symlink", says="the lock file is a symbolic link")
def _(root):
    out = root.parent / "out"
    out.mkdir()
    (out / ".draft.lock").symlink_to(root.parent / "victim")
    return ["reply", *DOCX_FR, "--out", str(out)]


@hostile("--out /", says="folder of the system")
def _(root):
    return ["reply", *DOCX_FR, "--out", "/"]


@hostile("--out /etc/draft", says="folder of the system")
def _(root):
    return ["reply", *DOCX_FR, "--out", "/etc/draft"]


# -- running them ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def released_project(tmp_path_factory, workspace):
    root = copy_workspace(tmp_path_factory.mktemp("released"), workspace)
    code = run_cli(["--root", str(root), "release", "reply", *DOCX_FR])[0]
    assert code == 0
    return root


class _Hung(Exception):
    pass


def _alarm(signum, frame):
    raise _Hung()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_case(case, tmp_path, workspace, released_project, capsys):
    source = released_project if case.released else workspace
    root = copy_workspace(tmp_path / "p", source)
    if case.released:
        shutil.copytree(released_project / CASE / "released", root / CASE / "released",
                        dirs_exist_ok=True, symlinks=True)
    argv = case.setup(root)
    capsys.readouterr()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(60)
    try:
        code, out, err = run_cli(["--root", str(root), *argv], capsys)
    except _Hung:
        pytest.fail(f"{case.name}: draft hung")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert code != 70, err
    assert "Traceback" not in err + out and "internal error" not in err, err
    assert code in case.codes, (code, out, err)
    assert case.says.lower() in (err + out).lower(), err + out
    assert not (root.parent / "victim").exists() and not (root.parent / "elsewhere" / "sub").exists()
    assert sorted(p.name for p in (root / "letters").iterdir()) == \
        sorted(p.name for p in (source / "letters").iterdir())  # no case, half made or not


def test_the_number_of_hostile_cases():
    assert len(CASES) >= 65  # the table above: one a hostile input, run through the CLI
