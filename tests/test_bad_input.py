"""Bad input, one contract (issue 6, item 1).

Every case below breaks one thing in a private copy of the project, runs `draft`, and
checks the contract: `path:line[:col]: problem - hint` on stderr, exit status 2 for bad
input (3 for the environment: permissions, full disk), no traceback, and every file
that existed before the run (project data and an output folder from an earlier run)
byte-for-byte unchanged, with nothing added.
"""
from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import BRIEF, CASE, edit, line_of, run_cli

LETTER = f"{CASE}/letter.yaml"
LETTER_TXT = f"{CASE}/letter.txt"
CLAUSE = "clauses/joint-patrols.yaml"
TEMPLATE = "templates/reply.html.j2"
DOCX_FR = ("--lang", "fr", "--format", "docx")


@dataclass
class Expect:
    path: object              # the file (or option) the message must lead with
    line: int | None = None   # the line it must name (None: no line expected)
    col: int | None = None    # the column it must name (None: any or none)
    problem: str = ""         # a piece of the problem text
    hint: str = ""            # a piece of the hint
    code: int = 2
    args: tuple = ("reply", *DOCX_FR)


# --- helpers -------------------------------------------------------------------------

def snapshot(*folders: Path) -> dict:
    """Every file (hidden ones too) and link under the folders -> bytes or link target."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_symlink():
                out[str(p)] = ("link", os.readlink(p))
            elif p.is_file():
                out[str(p)] = p.read_bytes()
    return out


@pytest.fixture(scope="session")
def earlier_output(tmp_path_factory, workspace):
    """An output folder as an earlier good run left it (French DOCX, manifest, lock)."""
    out = tmp_path_factory.mktemp("earlier") / "output"
    code = run_cli(["--root", str(workspace), "reply", *DOCX_FR, "--out", str(out)])[0]
    assert code == 0
    return out


@pytest.fixture
def case_dir(project, earlier_output):
    shutil.copytree(earlier_output, project / "output")
    return project


MESSAGE = re.compile(r"^(?P<loc>.+?): (?P<problem>.+?) - (?P<hint>.+)$")


def check_contract(project, capsys, expect: Expect, out=None):
    out = Path(out or project / "output")
    before = snapshot(project)
    code, _, err = run_cli(["--root", str(project), *expect.args, "--out", str(out)], capsys)
    assert "Traceback" not in err, err
    assert code == expect.code, err
    assert snapshot(project) == before, "a file that existed before the run was changed"
    first = err.strip().splitlines()[0] if err.strip() else ""
    m = MESSAGE.match(first)
    assert m, f"not 'path:line: problem - hint': {err!r}"
    loc = str(expect.path)
    if expect.line is not None:
        loc += f":{expect.line}"
        if expect.col is not None:
            loc += f":{expect.col}"
        assert m["loc"] == loc or (expect.col is None and re.fullmatch(
            re.escape(loc) + r"(:\d+)?", m["loc"])), f"expected {loc}: {first}"
    else:
        assert m["loc"] == loc, f"expected {loc}: {first}"
    assert expect.problem in m["problem"], first
    assert expect.hint in m["hint"], first
    return err


# --- the cases -----------------------------------------------------------------------
# Each takes the project folder, breaks something, and returns what the error must say.

def yaml_syntax_error(p):
    c = p / CLAUSE
    edit(c, "owner: Ministère", "owner: [Ministère")
    # libyaml notices the unclosed '[' on the next line; the message names the opening one
    return Expect(c, line_of(c, "version:"), problem="YAML syntax error",
                  hint=f"opened at line {line_of(c, 'owner: [')}")


def yaml_tab(p):
    b = p / BRIEF
    edit(b, "\nplace: Paris", "\n\tplace: Paris")
    return Expect(b, line_of(b, "place: Paris"), 1, problem="tab", hint="spaces, not tabs")


def yaml_tab_in_value_indent(p):
    c = p / CLAUSE
    edit(c, "\n  fr: Patrouilles conjointes", "\n\t fr: Patrouilles conjointes")
    return Expect(c, line_of(c, "fr: Patrouilles conjointes"), problem="tab",
                  hint="spaces, not tabs")


def yaml_unclosed_quote(p):
    b = p / BRIEF
    edit(b, "place: Paris", 'place: "Paris')
    return Expect(b, line_of(b, 'place: "Paris'), 8, problem="YAML syntax error",
                  hint="close the quote")


def yaml_french_colon(p):
    c = p / CLAUSE
    edit(c, "owner: Ministère de l'Intérieur - DGPN / DGGN",
         "owner: Ministère de l'Intérieur : DGPN")
    return Expect(c, line_of(c, "owner:"), problem="YAML syntax error", hint="block scalar")


def yaml_empty_file(p):
    b = p / BRIEF
    b.write_text("# nothing yet\n", encoding="utf-8")
    return Expect(b, 1, problem="empty file", hint="mapping")


def yaml_list_not_mapping(p):
    b = p / BRIEF
    b.write_text("- castex\n- johnson\n", encoding="utf-8")
    return Expect(b, 1, problem="a mapping (key: value) is expected, found a list", hint="key: value")


def yaml_list_for_positions(p):
    b = p / BRIEF
    b.write_text(re.sub(r"positions:\n(  .*\n)+", "positions:\n  - joint-patrols\n  - decline\n",
                        b.read_text(encoding="utf-8")), encoding="utf-8")
    return Expect(b, line_of(b, "positions:") + 1, problem="'positions' must be a mapping, found a list",
                  hint="key:")


def yaml_list_for_clause_title(p):
    c = p / CLAUSE
    c.write_text(re.sub(r"title:\n(  .*\n)+", "title: [Patrouilles, Patrols]\n",
                        c.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    return Expect(c, line_of(c, "title: ["), problem="'title' must be a mapping, found a list",
                  hint="fr:")


def yaml_mapping_for_languages(p):
    b = p / BRIEF
    edit(b, "languages: [fr, en]", "languages: {fr: yes}")
    return Expect(b, line_of(b, "languages:"), problem="'languages' must be a list, found a mapping",
                  hint="[fr, en]")


def yaml_list_for_letter_field(p):
    letter = p / LETTER
    edit(letter, "sender: johnson", "sender: [johnson, patel]")
    return Expect(letter, line_of(letter, "sender:"), problem="'sender' must be a single value, found a list",
                  hint="key: value")


def yaml_python_object(p):
    b = p / BRIEF
    edit(b, "place: Paris", "place: !!python/object/apply:os.system ['touch /tmp/pwned']")
    return Expect(b, line_of(b, "place:"), 8,
                  problem="YAML tag tag:yaml.org,2002:python/object/apply:os.system is not accepted",
                  hint="remove the tag")


def yaml_python_name(p):
    c = p / CLAUSE
    edit(c, "owner: Ministère", "owner: !!python/name:os.system Ministère")
    return Expect(c, line_of(c, "owner:"), 8, problem="is not accepted", hint="remove the tag")


def yaml_local_tag(p):
    b = p / BRIEF
    edit(b, "marking: Diffusion Restreinte", "marking: !secret Diffusion Restreinte")
    return Expect(b, line_of(b, "marking:"), 10, problem="YAML tag !secret is not accepted",
                  hint="remove the tag")


def yaml_binary_tag(p):
    b = p / BRIEF
    edit(b, "place: Paris", "place: !!binary UGFyaXM=")
    return Expect(b, line_of(b, "place:"), 8, problem="is not accepted", hint="remove the tag")


def yaml_alias_bomb(p):
    b = p / BRIEF
    bomb = ('lol1: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            "lol2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "lol3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            "lol4: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n")
    b.write_text(b.read_text(encoding="utf-8") + bomb, encoding="utf-8")
    return Expect(b, line_of(b, "lol1:"), 7, problem="YAML anchors (&name) are not accepted",
                  hint="write the value out in full")


def yaml_alias(p):
    b = p / BRIEF
    edit(b, "copies: [michel]", "copies: *people")
    return Expect(b, line_of(b, "copies:"), 9, problem="YAML aliases (*name) are not accepted",
                  hint="write the value out in full")


def duplicate_key_brief(p):
    b = p / BRIEF
    first = line_of(b, "place: Paris")
    edit(b, "register: formal", "register: formal\nplace: Calais")
    return Expect(b, line_of(b, "place: Calais"), problem=f"duplicate key 'place' (first defined at line {first})",
                  hint=f"keep one of lines {first} and {line_of(b, 'place: Calais')}")


def duplicate_key_nested_brief(p):
    b = p / BRIEF
    first = line_of(b, "  joint-patrols: decline")
    edit(b, "  joint-patrols: decline", "  joint-patrols: decline\n  joint-patrols: accept")
    second = line_of(b, "  joint-patrols: accept")
    return Expect(b, second, problem=f"duplicate key 'joint-patrols' (first defined at line {first})",
                  hint=f"keep one of lines {first} and {second}")


def duplicate_key_clause(p):
    c = p / CLAUSE
    first = line_of(c, "version: 3")
    edit(c, "en_renders: 3", "en_renders: 3\nversion: 4")
    second = line_of(c, "version: 4")
    return Expect(c, second, problem=f"duplicate key 'version' (first defined at line {first})",
                  hint=f"keep one of lines {first} and {second}")


def clause_defined_twice(p):
    first = p / CLAUSE
    copy = p / "clauses" / "joint-patrols-2.yaml"
    shutil.copy(first, copy)
    return Expect(copy, line_of(copy, "key: joint-patrols"),
                  problem=f"clause 'joint-patrols' is defined twice "
                          f"(also in {first}:{line_of(first, 'key: joint-patrols')})",
                  hint="keep one")


def unknown_position(p):
    b = p / BRIEF
    edit(b, "joint-patrols: decline", "joint-patrols: declin")
    return Expect(b, line_of(b, "joint-patrols: declin"),
                  problem="unknown position 'declin' for 'joint-patrols'", hint="did you mean 'decline'?")


def unknown_position_option(p):
    return Expect("--position", problem="unknown position 'acept' for 'joint-patrols'",
                  hint="did you mean 'accept'?",
                  args=("reply", *DOCX_FR, "--position", "joint-patrols=acept"))


def unknown_proposal(p):
    b = p / BRIEF
    edit(b, "  sensors-radar: welcome", "  sensor-radar: welcome")
    return Expect(b, line_of(b, "sensor-radar: welcome"), problem="unknown proposal 'sensor-radar'",
                  hint="did you mean 'sensors-radar'?")


def unknown_proposal_option(p):
    return Expect("--position", problem="unknown proposal 'joint-patrol'",
                  hint="did you mean 'joint-patrols'?",
                  args=("reply", *DOCX_FR, "--position", "joint-patrol=accept"))


def unknown_language_option(p):
    return Expect("--lang", problem="unknown language 'fre'", hint="did you mean 'fr'?",
                  args=("reply", "--lang", "fre", "--format", "docx"))


def unknown_language_brief(p):
    b = p / BRIEF
    edit(b, "languages: [fr, en]", "languages: [fr, eng]")
    return Expect(b, line_of(b, "languages:"), problem="unknown language 'eng'",
                  hint="did you mean 'en'?")


def unknown_format_option(p):
    return Expect("--format", problem="unknown format 'docs'", hint="did you mean 'docx'?",
                  args=("reply", "--lang", "fr", "--format", "docs"))


def unknown_document_kind(p):
    return Expect("draft", problem="unknown command 'replay'", hint="did you mean 'reply'?",
                  args=("replay", *DOCX_FR))


def unknown_document_kind_api(p):
    return Expect("draft agenda", problem="unknown document kind", hint="", args=())


def unknown_agreement_kind(p):
    return Expect(p / "clauses" / "agreements", problem="unknown agreement kind 'readmision'",
                  hint="did you mean 'readmission'?",
                  args=("agreement", "readmision", *DOCX_FR))


def unknown_audience_brief(p):
    b = p / BRIEF
    edit(b, "audience: internal", "audience: externel")
    return Expect(b, line_of(b, "audience:"), problem="unknown audience 'externel'",
                  hint="did you mean 'external'?")


def unknown_audience_option(p):
    return Expect("--audience", problem="unknown audience 'externel'",
                  hint="did you mean 'external'?",
                  args=("reply", *DOCX_FR, "--audience", "externel"))


def unknown_signatory(p):
    b = p / BRIEF
    edit(b, "signatory: castex", "signatory: castx")
    return Expect(b, line_of(b, "signatory:"), problem="castx", hint="did you mean 'castex'?")


def template_syntax_error(p):
    t = p / TEMPLATE
    edit(t, "{% endfor %}", "{% endfo %}")
    return Expect(t, line_of(t, "{% endfo %}"), problem="template syntax error",
                  hint="Jinja syntax")


def template_undefined(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ dateline_typo }}")
    return Expect(t, line_of(t, "dateline_typo"), problem="template error: 'dateline_typo' is undefined",
                  hint="variables the tool provides")


def template_mro(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    return Expect(t, line_of(t, "__mro__"), problem="template error", hint="")


def template_attr_filter(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ (dateline|attr('__class__')|attr('__base__')).__subclasses__() }}")
    return Expect(t, line_of(t, "|attr("), problem="template error: reaches for Python internals", hint="")


def template_format_string(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ '{0.__class__.__init__.__globals__}'.format(dateline) }}")
    return Expect(t, line_of(t, ".format("), problem="Python internals", hint="")


def template_format_filter(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ '%s'|format(dateline.__class__) }}")
    return Expect(t, line_of(t, "|format("), problem="template error", hint="")


def template_format_map(p):
    t = p / TEMPLATE
    edit(t, "{{ dateline }}", "{{ '{x.__class__}'.format_map({'x': dateline}) }}")
    return Expect(t, line_of(t, ".format_map("), problem="Python internals", hint="")


def template_in_macro(p):
    t = p / "templates" / "_macros.html.j2"
    text = t.read_text(encoding="utf-8")
    n = text.index("{{", text.index("{% macro clause"))
    t.write_text(text[:n] + "{{ ''.__class__.__mro__ }}" + text[n:], encoding="utf-8")
    return Expect(t, line_of(t, "__mro__"), problem="template error", hint="")


def _bad_char(rel, old, new, needle, code_point):
    def case(p):
        f = p / rel
        edit(f, old, new)
        line = line_of(f, needle)
        col = f.read_text(encoding="utf-8").split("\n")[line - 1].index(code_point) + 1
        return Expect(f, line, col, problem=f"character U+{ord(code_point):04X} cannot appear",
                      hint="delete it")
    case.__name__ = f"U+{ord(code_point):04X}_in_{Path(rel).name}"
    return case


nul_in_clause = _bad_char(CLAUSE, "owner: Ministère", "owner: Minis\x00tère", "owner:", "\x00")
vt_in_brief = _bad_char(BRIEF, "place: Paris", "place: Pa\x0bris", "place:", "\x0b")
esc_in_letter = _bad_char(LETTER, "place: London", "place: Lon\x1bdon", "place:", "\x1b")
esc_in_letter_text = _bad_char(LETTER_TXT, "Dear Emmanuel", "Dear Emma\x1bnuel", "Dear Emma", "\x1b")


def _escaped_char(rel, old, new, needle, problem, at='"'):
    """A character written as a YAML escape: the column of the escape (libyaml refuses
    lone surrogates), or of the value that holds it."""
    def case(p):
        f = p / rel
        edit(f, old, new)
        line = line_of(f, needle)
        col = f.read_text(encoding="utf-8").splitlines()[line - 1].index(at) + 1
        return Expect(f, line, col, problem=problem, hint="delete it")
    case.__name__ = f"escaped_{problem}_in_{Path(rel).name}"
    return case


surrogate_in_clause = _escaped_char(CLAUSE, "owner: Ministère de l'Intérieur - DGPN / DGGN",
                                    'owner: "Ministère \\ud800 DGPN"', "owner:", "U+D800", "\\")
surrogate_in_brief = _escaped_char(BRIEF, "place: Paris", 'place: "Pa\\udfffris"', "place:", "U+DFFF", "\\")
surrogate_in_letter = _escaped_char(LETTER, "place: London", 'place: "Lon\\ud83ddon"', "place:", "U+D83D", "\\")
escaped_nul_in_brief = _escaped_char(BRIEF, "place: Paris", 'place: "Pa\\0ris"', "place:", "U+0000", "\\")
escaped_esc_in_clause = _escaped_char(CLAUSE, "owner: Ministère de l'Intérieur - DGPN / DGGN",
                                      'owner: "Ministère \\e DGPN"', "owner:", "U+001B", "\\")


def cp1252_clause(p):
    c = p / CLAUSE
    text = c.read_text(encoding="utf-8")
    c.write_bytes(text.encode("cp1252", errors="replace"))
    first = next(i for i, line in enumerate(text.splitlines(), 1)
                 if any(ord(ch) > 127 for ch in line))
    return Expect(c, first, problem="not UTF-8", hint="save the file as UTF-8")


def cp1252_brief(p):
    b = p / BRIEF
    text = b.read_text(encoding="utf-8").replace("place: Paris", "place: Paris — Hôtel Matignon")
    b.write_bytes(text.encode("cp1252"))
    return Expect(b, line_of(b, "place: Paris"), 14, problem="not UTF-8 (byte 0x97)",
                  hint="cp1252")


def output_folder_symlink(p):
    real = p / "elsewhere"
    real.mkdir()
    link = p / "out-link"
    link.symlink_to(real, target_is_directory=True)
    return Expect(link, problem="the output folder is a symbolic link", hint="--out",
                  args=("reply", *DOCX_FR, "--out", str(link)))


def output_file_symlink(p):
    outside = p / "precious.docx"
    outside.write_bytes(b"precious")
    target = p / "output" / "reply.fr.docx"
    target.unlink()
    target.symlink_to(outside)
    return Expect(target, problem="output path 'reply.fr.docx' escapes the output folder",
                  hint="symbolic link")


def output_folder_is_a_file(p):
    f = p / "not-a-folder"
    f.write_bytes(b"x")
    return Expect(f, problem="is a file", hint="--out",
                  args=("reply", *DOCX_FR, "--out", str(f)))


def _failing(monkeypatch, target, err):
    def fail(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    monkeypatch.setattr(target[0], target[1], fail)


CASES = [
    yaml_syntax_error, yaml_tab, yaml_tab_in_value_indent, yaml_unclosed_quote,
    yaml_french_colon, yaml_empty_file, yaml_list_not_mapping, yaml_list_for_positions,
    yaml_list_for_clause_title, yaml_mapping_for_languages, yaml_list_for_letter_field,
    yaml_python_object, yaml_python_name, yaml_local_tag, yaml_binary_tag, yaml_alias_bomb,
    yaml_alias, duplicate_key_brief, duplicate_key_nested_brief, duplicate_key_clause,
    clause_defined_twice, unknown_position, unknown_position_option, unknown_proposal,
    unknown_proposal_option, unknown_language_option, unknown_language_brief,
    unknown_format_option, unknown_document_kind, unknown_agreement_kind,
    unknown_audience_brief, unknown_audience_option, unknown_signatory,
    template_syntax_error, template_undefined, template_mro, template_attr_filter,
    template_format_string, template_format_filter, template_format_map, template_in_macro,
    nul_in_clause, vt_in_brief, esc_in_letter, esc_in_letter_text, surrogate_in_clause,
    surrogate_in_brief, surrogate_in_letter, escaped_nul_in_brief, escaped_esc_in_clause,
    cp1252_clause, cp1252_brief, output_folder_symlink, output_file_symlink,
    output_folder_is_a_file,
]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_bad_input(case, case_dir, capsys):
    expect = case(case_dir)
    out = None
    if "--out" in expect.args:
        i = expect.args.index("--out")
        out, expect.args = expect.args[i + 1], expect.args[:i] + expect.args[i + 2:]
    check_contract(case_dir, capsys, expect, out)


# --- the environment: exit 3 -----------------------------------------------------------

@pytest.mark.parametrize("err, problem, hint", [
    (errno.EACCES, "cannot write: permission denied", "nothing was changed"),
    (errno.EROFS, "cannot write: read-only file system", "nothing was changed"),
    (errno.ENOSPC, "cannot write: no space left on the disk", "free some space"),
])
@pytest.mark.parametrize("where", ["mkstemp", "write", "fsync"])
def test_environment_refuses(case_dir, capsys, monkeypatch, err, problem, hint, where):
    """A read-only folder or a full disk (simulated: tests run as root) stops the run
    with exit 3, the old files intact and no temp file left behind."""
    import tempfile

    from drafting.store import output

    out = case_dir / "output"
    if where == "mkstemp":
        _failing(monkeypatch, (tempfile, "mkstemp"), err)
    elif where == "fsync":
        _failing(monkeypatch, (output.os, "fsync"), err)
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                raise OSError(err, os.strerror(err))

            def __getattr__(self, name):
                return getattr(self.fh, name)

        monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    # the earlier run's file is replaced by a different one: the brief changes the date
    edit(case_dir / BRIEF, "date: 2021-12-01", "date: 2021-12-02")
    before = snapshot(out)
    code, _, err_text = run_cli(["--root", str(case_dir), "reply", *DOCX_FR, "--out", str(out)],
                                capsys)
    assert code == 3, err_text
    assert "Traceback" not in err_text
    assert snapshot(out) == before
    m = MESSAGE.match(err_text.strip().splitlines()[0])
    assert m and m["loc"].startswith(str(out)), err_text
    assert problem in m["problem"] and hint in m["hint"], err_text


def test_output_path_escaping(tmp_path):
    """A name that leaves the output folder is refused before anything is written."""
    from drafting.errors import InputError
    from drafting.store.output import write_files

    out = tmp_path / "out"
    for name in ("../x.docx", "/etc/x.docx", "a/../../x.docx", "sub/../../x", "..\\x.docx", "",
                 "x\x00.docx"):
        with pytest.raises(InputError) as info:
            write_files(out, {"ok.docx": b"1", name: b"2"})
        assert "escapes the output folder" in str(info.value)
    assert not out.exists() and not (tmp_path / "x.docx").exists()


def test_agreement_kind_cannot_escape(case_dir, capsys):
    """An agreement kind is a name from clauses/agreements/, never a path."""
    err = check_contract(case_dir, capsys, Expect(
        case_dir / "clauses" / "agreements", problem="unknown agreement kind '../../../x'",
        hint="kinds: ", args=("agreement", "../../../x", *DOCX_FR)))
    assert "x.fr" not in err


# --- what is accepted ---------------------------------------------------------------------

def test_utf8_bom_is_accepted(project, capsys):
    for rel in (BRIEF, CLAUSE, LETTER, LETTER_TXT):
        f = project / rel
        f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    out = project / "output"
    code, _, err = run_cli(["--root", str(project), "reply", *DOCX_FR, "--out", str(out)], capsys)
    assert code == 0, err
    assert (out / "reply.fr.docx").exists()


LITERAL = "a < b && c > d ]]> \"quoted\" 'single' <b>not bold</b> <script>alert(1)</script> &amp; &#x41;"


def test_markup_in_clause_text_is_printed_literally(project, capsys):
    """`<`, `&`, `]]>`, quotes and tags in clause text reach DOCX and PDF as typed."""
    import io
    import zipfile

    from conftest import docx_text, norm, pdf_text

    c = project / "clauses" / "condolences.yaml"
    text = c.read_text(encoding="utf-8")
    # the English text of the first position, whatever it says: replace its first line
    lines = text.splitlines()
    reply = next(n for n, line in enumerate(lines) if line.strip() == "reply:")
    i = next(n for n, line in enumerate(lines) if n > reply and line.strip().startswith("en:"))
    indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
    j = i + 1
    while j < len(lines) and (lines[j].startswith(indent + " ") or not lines[j].strip()):
        j += 1
    literal_yaml = "'" + LITERAL.replace("'", "''") + "'"
    lines[i:j] = [f"{indent}en: {literal_yaml}"]
    c.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = project / "output"
    code, _, err = run_cli(["--root", str(project), "reply", "--lang", "en", "--out", str(out)],
                           capsys)
    assert code == 0, err
    data = (out / "reply.en.docx").read_bytes()
    assert LITERAL in docx_text(data)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<script>" not in xml and "<b>not bold" not in xml
    pdf = norm(pdf_text((out / "reply.en.pdf").read_bytes()))
    assert norm(LITERAL) in pdf.replace("\u2019", "'")


def test_unknown_document_kind_in_the_api(make_case):
    """The library API names the closest document kind too."""
    from drafting import build
    from drafting.errors import InputError

    with pytest.raises(InputError) as info:
        build(make_case(), "replly", "fr")
    assert str(info.value) == "unknown document kind 'replly' - did you mean 'reply'?"
    with pytest.raises(InputError) as info:
        build(make_case(), "reply", "de")
    assert "unknown language 'de'" in str(info.value)


def test_a_run_reads_only_the_clauses_it_uses(project, capsys):
    """A document reads the clauses its case names (and any other only when asked for):
    a broken clause file the case does not use does not stop a reply (draft check finds
    it), and a large library costs a reply nothing."""
    from drafting import load_case

    (project / "clauses" / "unused-thing.yaml").write_text("key: unused-thing\ntitle: [\n",
                                                          encoding="utf-8")
    case = load_case(project)
    assert "unused-thing" not in dict.keys(case.library)
    out = project / "output"
    code, _, err = run_cli(["--root", str(project), "reply", *DOCX_FR, "--out", str(out)], capsys)
    assert code == 0, err
    with pytest.raises(Exception) as info:  # asked for, it is read and refused
        "unused-thing" in case.library  # noqa: B015
    assert "unused-thing.yaml" in str(info.value)


def test_unknown_role(project, capsys):
    """`draft signoff --by ROLE`: a role outside the brief's clearance chain is refused
    with the closest valid one, and nothing is recorded."""
    brief = project / BRIEF
    before = snapshot(project)
    code, _, err = run_cli(["--root", str(project), "signoff", "reply", "--by", "lgal",
                            "--lang", "fr"], capsys)
    assert code == 2 and "Traceback" not in err
    assert err.startswith(f"{brief}: unknown role 'lgal'")
    assert "did you mean 'legal'?" in err
    assert snapshot(project) == before
