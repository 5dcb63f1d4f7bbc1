"""Shared fixtures and helpers.

No test reads or writes the checkout's own data. The session copies clauses/, letters/
and templates/ once into a temporary **workspace** that tests which only read share (a
session-end check fails the run if one of them wrote into it); a test that changes files
takes `project`, a private copy of its own. What a drafter's own runs left in the
checkout (`draft release` -> released/, `draft signoff` -> signoffs.yaml) is not copied:
the tests start from the data as the repository ships it, whatever the README's commands
did to the checkout. Every test runs with the workspace as its current folder, so a
command given no --root finds the copy, never the checkout.

Helpers read documents back apart (DOCX and PDF, from bytes or a file), run the `draft`
entry point in-process, and edit the copies.
"""
from __future__ import annotations

import atexit
import functools
import hashlib
import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

# The repository: its README, .ci/run and package source. Never the tool's input: give the
# tool `workspace` or `project`.
CHECKOUT = Path(__file__).resolve().parents[1]
DATA = ("clauses", "letters", "templates")
CASE_NAME = "2021-11-25-uk-pm"               # the default case
CASE = f"letters/{CASE_NAME}"                # ... as messages name it (relative to the root)
BRIEF = f"{CASE}/brief.yaml"
# What draft writes into a workspace as a drafter works (and editors' and Python's
# droppings): the drafter's state, not the test data.
STATE = ("released", "signoffs.yaml", ".draft*", "*.draft-tmp", "__pycache__", "*.pyc",
         ".~lock.*", "~$*")

# The tool's cache (drafting/store/cache.py) lives in a folder of this test run: the many
# throw-away projects of the tests leave nothing in the user's ~/.cache.
_CACHE = tempfile.mkdtemp(prefix="draft-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)


# -- the data the tests run on ---------------------------------------------------------------

def copy_workspace(dest: Path, source: Path = CHECKOUT) -> Path:
    """clauses/, letters/ and templates/ of `source` into `dest`, without drafter state."""
    for name in DATA:
        shutil.copytree(source / name, dest / name, ignore=shutil.ignore_patterns(*STATE))
    return dest


def fingerprint(folder: Path) -> dict:
    """Every file under `folder` (but Hypothesis's database) -> its SHA-256."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and ".hypothesis" not in p.relative_to(folder).parts}


@pytest.fixture(scope="session")
def workspace(tmp_path_factory):
    """The session's copy of the project data, shared by the tests that only read it."""
    ws = copy_workspace(tmp_path_factory.mktemp("workspace"))
    before = fingerprint(ws)
    yield ws
    after = fingerprint(ws)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, ("tests wrote into the shared workspace (take the `project` "
                         f"fixture to change files): {changed}")


@pytest.fixture(scope="session", autouse=True)
def _in_the_workspace(workspace):
    """Run every test from the workspace: `draft` without --root finds the copy."""
    old = os.getcwd()
    os.chdir(workspace)
    yield
    os.chdir(old)


@pytest.fixture(scope="session")
def case_folder(workspace) -> Path:
    """The default case's folder in the shared workspace (read only)."""
    return workspace / CASE


@pytest.fixture(scope="session")
def make_case(workspace):
    """load_case on the shared workspace: make_case(), make_case(overrides=[...]),
    make_case(brief=path)."""
    from drafting import load_case
    return functools.partial(load_case, workspace)


@pytest.fixture(scope="session")
def reply_files(make_case):
    """The default reply, all four files, generated once through the library API."""
    from drafting import render_files
    return render_files(make_case(), "reply")


@pytest.fixture(scope="session")
def pack_files(make_case):
    """Every document of the default case's pack, DOCX and PDF (api.render_pack), made
    once a session (per xdist worker) for the tests that read it: read only."""
    from types import MappingProxyType

    from drafting import api
    return MappingProxyType(api.render_pack(make_case()))


@pytest.fixture(scope="session")
def parallel_agreements(make_case):
    """{agreement kind: its parallel (two-column) agreement's files}, made once a session."""
    from drafting import api
    case = make_case()
    return {kind: api.render_files(case, "agreement", agreement_kind=kind, parallel=True)
            for kind in ("readmission", "operational-cooperation")}


@pytest.fixture
def project(tmp_path, workspace):
    """A private copy of the project data (clauses, letters, templates) to break."""
    return copy_workspace(tmp_path, workspace)


@pytest.fixture
def brief_with_meeting(tmp_path, case_folder):
    """brief_with_meeting("meeting:\\n  invite: [...]\\n"): the path of a copy of the
    default brief (in tmp_path) with another `meeting:` section."""
    def write(meeting_yaml: str) -> Path:
        text = (case_folder / "brief.yaml").read_text(encoding="utf-8")
        head = text[:text.index("\nmeeting:")]
        path = tmp_path / "brief.yaml"
        path.write_text(head + "\n" + meeting_yaml, encoding="utf-8")
        return path
    return write


def generate(case, kind, folder: Path, langs=None, formats=None, **opts) -> dict:
    """Render `kind` with the library API into `folder`; {file name: path}."""
    from drafting import api
    files = api.render_files(case, kind, langs or api.LANGS, formats or api.FORMATS, **opts)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return {name: folder / name for name in files}


# -- editing the copies --------------------------------------------------------------------------

def edit(path: Path, old: str, new: str, count=1) -> None:
    """Replace `old` (which must be there) by `new` in a text file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, text: str, start=1, nth=1) -> int:
    """The number of the `nth` line at or after line `start` containing `text` (lines as
    the YAML reader counts them: split at line feeds only)."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace")
                                        .split("\n"), 1) if n >= start and text in line]
    if len(found) < nth:
        raise AssertionError(f"{text!r} not in {path}")
    return found[nth - 1]


def request_without_its_omitted_text(agreement: Path) -> None:
    """The readmission agreement (clauses/agreements/readmission.yaml) with its readmission
    request's first paragraph as one text, the one referring to the third-State nationals
    article: no text left for when --omit-declined takes that article out."""
    text = agreement.read_text(encoding="utf-8")
    start = text.index("        - with: third-state-nationals\n")
    cut = text.index("        # without the readmission of third-State nationals", start)
    end = text.index("        - with: third-state-nationals\n", cut)
    text = text[:start] + "        - fr: >-\n" + text[text.index("\n", text.index(
        "fr: >-", start)) + 1:cut] + text[end:]
    agreement.write_text(text, encoding="utf-8")


# -- reading documents back ------------------------------------------------------------------------

def _data(doc) -> bytes:
    """A document as bytes, given its bytes or its path."""
    return doc if isinstance(doc, (bytes, bytearray)) else Path(doc).read_bytes()


def norm(text: str) -> str:
    """Collapse every kind of space (U+00A0 and U+202F included) and typographic
    apostrophes, so texts from YAML, DOCX and PDF compare."""
    text = text.replace("\u2019", "'").replace("\u00ad", "")
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def docx_paragraphs(doc):
    """The body paragraphs (python-docx objects) of a DOCX (bytes or path); their `text`
    is what Word shows: a Word-numbered paragraph's number first (word_numbers)."""
    import docx
    d = docx.Document(io.BytesIO(_data(doc)))
    shown = word_numbers(d)
    return [_Shown(p, shown[p._p]) if p._p in shown else p for p in d.paragraphs]


class _Shown:
    """A python-docx paragraph whose text starts with the number Word shows before it."""

    def __init__(self, paragraph, number):
        self._paragraph, self._number = paragraph, number

    @property
    def text(self):
        return self._number + self._paragraph.text

    def __getattr__(self, name):
        return getattr(self._paragraph, name)


def word_numbers(doc) -> dict:
    """{w:p element: the number Word shows before its text, suffix included} for the
    Word-numbered paragraphs of a DOCX (a python-docx Document, bytes or path): counted
    from numbering.xml the way Word counts, one counter per list and level, from the
    level's start (or the list's startOverride), in document order."""
    import docx
    from docx.oxml.ns import qn
    d = doc if hasattr(doc, "part") else docx.Document(io.BytesIO(_data(doc)))
    try:
        numbering = d.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    levels = {}
    for a in numbering.iterchildren(qn("w:abstractNum")):
        for lvl in a.iterchildren(qn("w:lvl")):
            val = {c.tag: c.get(qn("w:val")) for c in lvl}
            levels[(a.get(qn("w:abstractNumId")), lvl.get(qn("w:ilvl")))] = val
    lists = {}
    for num in numbering.iterchildren(qn("w:num")):
        overrides = {o.get(qn("w:ilvl")): o.find(qn("w:startOverride"))
                     for o in num.iterchildren(qn("w:lvlOverride"))}
        lists[num.get(qn("w:numId"))] = (num.find(qn("w:abstractNumId")).get(qn("w:val")),
                                         {k: v.get(qn("w:val")) for k, v in overrides.items()
                                          if v is not None})
    counters, out = {}, {}
    for p in d.element.body.iter(qn("w:p")):
        numPr = p.find(qn("w:pPr") + "/" + qn("w:numPr"))
        if numPr is None:
            continue
        num_id = numPr.find(qn("w:numId")).get(qn("w:val"))
        ilvl_el = numPr.find(qn("w:ilvl"))
        ilvl = ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0"
        if num_id == "0" or num_id not in lists:
            continue
        abstract, starts = lists[num_id]
        lvl = levels[(abstract, ilvl)]
        assert lvl.get(qn("w:numFmt"), "decimal") == "decimal", lvl
        key = (num_id, ilvl)
        start = int(starts.get(ilvl, lvl.get(qn("w:start"), "0")))
        counters[key] = counters[key] + 1 if key in counters else start
        suffix = {"space": " ", "nothing": ""}.get(lvl.get(qn("w:suff")), "\t")
        out[p] = lvl[qn("w:lvlText")].replace(f"%{int(ilvl) + 1}", str(counters[key])) + suffix
    return out


def styled_paragraphs(doc):
    """[(style name, normalised text)] of the non-empty body paragraphs."""
    return [(p.style.name, norm(p.text)) for p in docx_paragraphs(doc) if p.text.strip()]


def docx_text(doc) -> str:
    return "\n".join(p.text for p in docx_paragraphs(doc))


def docx_header_text(doc) -> str:
    import docx
    d = docx.Document(io.BytesIO(_data(doc)))
    return norm(" ".join(p.text for p in d.sections[0].header.paragraphs))


def docx_xml(doc, member="word/document.xml") -> str:
    return zipfile.ZipFile(io.BytesIO(_data(doc))).read(member).decode("utf-8")


def rezip(data: bytes, replace=None, drop=(), extra=None) -> bytes:
    """A DOCX (any zip) as another program would save it: the members in `replace` with
    their new bytes, those in `drop` left out, `extra` added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in drop:
                dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def pdf_pages(doc) -> list:
    """The text of each page of a PDF (bytes or path)."""
    from pypdf import PdfReader
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(_data(doc))).pages]


def pdf_text(doc) -> str:
    """The PDF's text (bytes or path), page after page."""
    return "\n".join(pdf_pages(doc))


def pdf_words(doc) -> str:
    """The PDF's text on one line, spaces normalised (see norm)."""
    return norm(pdf_text(doc))


def pdf_body(data, drop=()) -> str:
    """The PDF's text without its running heads and feet (marking, draft line, page
    n/N) and without `drop` lines, so a paragraph split by a page break reads whole."""
    running = re.compile(r"Diffusion Restreinte|OFFICIAL-SENSITIVE|(PROJET|DRAFT) - "
                         r"(version \d+|version de travail|working version) (du|of) \S+ \S+ "
                         r"\d{4}( \((après la version|after version) \d+\))?|\b\d+/\d+$")
    drop = {norm(d) for d in drop}
    lines = []
    for line in pdf_text(data).splitlines():
        line = running.sub("", line).strip()
        if line and norm(line) not in drop:
            lines.append(line)
    # a line broken after a hyphen ("Royaume-" / "Uni") reads as one word again
    return re.sub(r"(\w)- (\w)", r"\1-\2", norm(" ".join(lines)))


# -- the command line -------------------------------------------------------------------------------

def run_cli(args, capsys=None):
    """Run the `draft` entry point in-process; return (exit status, stdout, stderr)."""
    from drafting.cli import run
    try:
        run([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr() if capsys else None
    return code, (out.out if out else ""), (out.err if out else "")
