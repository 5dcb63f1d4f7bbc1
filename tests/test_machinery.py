"""The speed machinery is portable and pinned.

- Without fork (Windows, macOS, one core), rendering and checking run in one process
  and give the same bytes and the same problems as the forked path.
- Where the machinery leans on another library's internals, these tests pin them, so an
  upgrade that changes them fails here, not in a drafter's run:
  * writers/native.py answers ctypes.util.find_library while WeasyPrint's import asks
    cffi to dlopen its libraries (cffi calls find_library for each name);
  * writers/docx.py zips python-docx's parts itself through PackageWriter's private
    static methods, and reaches a few private attributes of its objects; it hands
    zipfile's write handle (its `_compressor`) the fonts' deflate made once per process;
  * tree/render.py writes Jinja's compiled templates itself, from the bytecode cache's
    `directory` and `pattern` and the bucket's `write_bytecode`.
"""
from __future__ import annotations

import datetime as dt
import inspect
import io
import json
import subprocess
import sys
import textwrap
import zipfile

import pytest
from conftest import pdf_pages, run_cli

from drafting.writers import forked

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
forks = pytest.mark.skipif(not forked.can_fork(), reason="needs fork and two cores")


def _no_fork(monkeypatch):
    """As on a platform without fork: can_fork() says no, and a fork would fail."""
    monkeypatch.setattr(forked, "can_fork", lambda: False)

    def refuse(*args, **kwargs):
        raise AssertionError("forked although can_fork() is False")

    monkeypatch.setattr(forked.Child, "__init__", refuse)


def _same(name, a: bytes, b: bytes) -> bool:
    """Byte for byte; for a PDF made where WeasyPrint lacks libharfbuzz-subset (its
    fontTools subsetting is not reproducible even within one process: .ci/run installs
    the library), the same text on the same pages."""
    if a == b:
        return True
    from weasyprint.pdf.fonts import harfbuzz_subset
    if not name.endswith(".pdf") or harfbuzz_subset is not None:
        return False
    return pdf_pages(a) == pdf_pages(b)


def _cli(args):
    return run_cli(args)[0]


# -- one process where fork is missing or unsafe ----------------------------------------------

def test_macos_and_windows_never_fork(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not forked.can_fork()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    assert not forked.can_fork()


@forks
def test_pack_without_fork_gives_the_same_bytes(workspace, pack_files, monkeypatch):
    from drafting import load_case
    from drafting.api import render_pack
    forked_files = pack_files  # the session's pack, made as the tool makes it (forking)
    _no_fork(monkeypatch)
    alone = render_pack(load_case(workspace))
    assert sorted(alone) == sorted(forked_files) and len(alone) >= 20
    assert [n for n in alone if not _same(n, alone[n], forked_files[n])] == []


@forks
def test_check_without_fork_finds_the_same_problems(workspace, monkeypatch):
    from drafting.validate.check import check_case
    both_cores = [p.as_dict() for p in check_case(workspace)]
    _no_fork(monkeypatch)
    assert [p.as_dict() for p in check_case(workspace)] == both_cores


@forks
def test_the_cli_without_fork_writes_the_same_files(workspace, tmp_path, monkeypatch, capsys):
    assert _cli(["--root", workspace, "reply", "--out", tmp_path / "forked"]) == 0
    _no_fork(monkeypatch)
    assert _cli(["--root", workspace, "reply", "--out", tmp_path / "alone"]) == 0
    capsys.readouterr()
    names = sorted(p.name for p in (tmp_path / "forked").iterdir() if not p.name.startswith("."))
    assert names == ["reply.en.docx", "reply.en.pdf", "reply.fr.docx", "reply.fr.pdf"]
    for name in names:
        assert _same(name, (tmp_path / "alone" / name).read_bytes(),
                     (tmp_path / "forked" / name).read_bytes()), name


# -- WeasyPrint's import asks ctypes.util.find_library (writers/native.py) -----------------------

_IMPORT = textwrap.dedent("""
    import ctypes.util, json, sys
    from drafting.writers import native
    quick = sys.argv[1] == "quick"
    asked = []
    original = ctypes.util.find_library
    def recording(name):
        asked.append(name)
        return original(name)
    ctypes.util.find_library = recording
    if quick:
        with native.quick_find_library():
            answer = ctypes.util.find_library
            def recording_quick(name):
                asked.append(name)
                return answer(name)
            ctypes.util.find_library = recording_quick
            import weasyprint
    else:
        import weasyprint
    with open("/proc/self/maps") as fh:
        libs = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in fh
                       if ".so" in line.rsplit("/", 1)[-1]})
    print(json.dumps({"asked": asked, "libs": libs}))
""")


def _import_weasyprint(how):
    res = subprocess.run([sys.executable, "-c", _IMPORT, how], capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


@linux
def test_weasyprint_import_asks_find_library_for_the_names_native_answers():
    from drafting.writers import native
    plain, quick = _import_weasyprint("plain"), _import_weasyprint("quick")
    # WeasyPrint (through cffi's dlopen) asks ctypes for its libraries by name: without
    # these calls native.py would be dead code (remove it then)
    assert {"gobject-2.0", "pango-1.0", "fontconfig", "pangoft2-1.0"} <= set(plain["asked"])
    assert quick["asked"] == plain["asked"]
    listing = native._ldconfig_listing()
    answered = [n for n in quick["asked"]
                if native.re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % native.re.escape(n.encode()), listing)]
    assert {"gobject-2.0", "pango-1.0"} <= set(answered)
    # ... and the libraries loaded are the same with one ldconfig listing as with ctypes' own
    assert quick["libs"] == plain["libs"]


@linux
def test_native_answers_as_ctypes_does_for_every_name_weasyprint_asks():
    import ctypes.util

    from drafting.writers import native
    names = _import_weasyprint("plain")["asked"]
    original = ctypes.util.find_library
    expected = {n: original(n) for n in names}
    with native.quick_find_library():
        got = {n: ctypes.util.find_library(n) for n in names}
    # ctypes' first step is the same listing; where it found nothing there, its gcc/ld
    # fallback finds nothing either for these names (and WeasyPrint tries the soname next)
    assert got == expected


# -- python-docx's private API (writers/docx.py) ------------------------------------------------

def test_packagewriter_private_methods_keep_their_signatures():
    from docx.opc.packuri import PackURI
    from docx.opc.pkgwriter import PackageWriter
    wanted = {"_write_content_types_stream": ["phys_writer", "parts"],
              "_write_pkg_rels": ["phys_writer", "pkg_rels"],
              "_write_parts": ["phys_writer", "parts"]}
    for name, params in wanted.items():
        assert isinstance(inspect.getattr_static(PackageWriter, name), staticmethod), name
        assert list(inspect.signature(getattr(PackageWriter, name)).parameters) == params, name
    assert PackURI("/word/document.xml").membername == "word/document.xml"
    # the physical writer is only asked to write(pack_uri, blob)
    source = inspect.getsource(PackageWriter)
    assert "phys_writer.write(" in source and "phys_pkg_writer" not in source


def test_package_bytes_equal_what_python_docx_saves(workspace):
    """package_bytes() zips python-docx's parts itself: the same members, order and
    content as python-docx's own save, normalised."""
    import docx

    from drafting.writers.docx import normalise_zip, package_bytes
    when = dt.datetime(2021, 12, 1, 9, 0, 0)
    doc = docx.Document(str(workspace / "templates" / "reference.docx"))
    p = doc.add_paragraph("Texte d\u2019essai")
    doc.add_comment(p.runs, text="note", author="draft", initials="DR")
    doc.core_properties.created = when
    saved = io.BytesIO()
    doc.save(saved)
    ours = package_bytes(doc, when)
    assert ours == normalise_zip(saved.getvalue(), when)
    assert zipfile.ZipFile(io.BytesIO(ours)).namelist()[0] == "[Content_Types].xml"


def test_the_private_attributes_the_docx_writer_reaches_exist(workspace):
    import docx
    doc = docx.Document(str(workspace / "templates" / "reference.docx"))
    p = doc.add_paragraph()
    r = p.add_run()
    assert hasattr(p, "_p") and hasattr(r, "_r") and callable(r._r.add_t)
    t = doc.add_table(rows=1, cols=1)
    assert hasattr(t, "_tbl") and hasattr(t.rows[0], "_tr") and hasattr(t.rows[0].cells[0], "_tc")
    assert t.rows[0].cells[0]._tc.p_lst
    c = doc.add_comment([r], text="x", author="draft", initials="DR")
    assert c._comment_elm is not None
    section = doc.sections[0]
    assert section.header._element is not None
    part = doc.part.package
    assert callable(part.iter_parts) and all(callable(x.before_marshal) for x in part.iter_parts())


def test_the_fonts_deflated_once_are_the_bytes_zipfile_makes(workspace):
    """The embedded fonts are deflated once per process (docx._write_font): the first DOCX
    and every later one hold the very bytes zipfile's own level-1 deflate gives."""
    from drafting.writers import docx as writer
    ref = zipfile.ZipFile(workspace / "templates" / "reference.docx")
    members = [(n, ref.read(n)) for n in ref.namelist()]
    fonts = [n for n, _ in members if n.endswith(".odttf")]
    assert fonts
    when = dt.datetime(2021, 12, 1, 9, 0, 0)
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in members:
            zi = zipfile.ZipInfo(name, date_time=(2021, 12, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, blob, compresslevel=writer.FONT_LEVEL if name in fonts else None)
    writer._DEFLATED.clear()
    first = writer._zip(members, when)
    assert len(writer._DEFLATED) == len(fonts)
    again = writer._zip(members, when)  # from the cache
    assert first == again == expected.getvalue()
    with zipfile.ZipFile(io.BytesIO(again)) as z:
        assert z.testzip() is None and z.read(fonts[0]) == dict(members)[fonts[0]]
    with zipfile.ZipFile(io.BytesIO(), "w", zipfile.ZIP_DEFLATED) as z, \
            z.open(zipfile.ZipInfo("x"), "w") as fh:
        assert hasattr(fh, "_compressor")


def test_the_reference_fonts_are_copied_as_it_holds_them(workspace, tmp_path):
    """package_bytes() with the reference it was opened from copies the fonts' deflate
    streams from that file (nothing compressed again); a font part whose bytes are no
    longer the reference's is deflated anew, and reads back as its own bytes."""
    import docx

    from drafting.writers import docx as writer
    ref = workspace / "templates" / "reference.docx"
    when = dt.datetime(2021, 12, 1, 9, 0, 0)
    doc = docx.Document(str(ref))
    out = tmp_path / "out.docx"
    out.write_bytes(writer.package_bytes(doc, when, ref))
    theirs, ours = writer._fonts_of(ref), writer._fonts_of(out)
    assert theirs and ours == theirs
    with zipfile.ZipFile(ref) as a, zipfile.ZipFile(out) as b:
        assert b.testzip() is None and all(a.read(n) == b.read(n) for n in theirs)
    font = next(p for p in doc.part.package.iter_parts() if p.partname.endswith(".odttf"))
    font._blob = bytes(reversed(font.blob))
    with zipfile.ZipFile(io.BytesIO(writer.package_bytes(doc, when, ref))) as b:
        assert b.read(font.partname.membername) == font.blob


# -- Jinja's bytecode cache (tree/render.py) ----------------------------------------------------

def test_compiled_templates_are_written_where_jinja_reads_them(tmp_path):
    import jinja2
    from jinja2.bccache import Bucket

    from drafting.tree.render import _Cache
    cache = _Cache(str(tmp_path))
    assert cache.directory == str(tmp_path) and "%s" in cache.pattern
    env = jinja2.Environment()
    code = env.compile("{{ x }}", "t.j2", "t.j2")
    bucket = Bucket(env, "k", "checksum")
    bucket.code = code
    cache.dump_bytecode(bucket)
    assert [p.name for p in tmp_path.iterdir()] == [cache.pattern % "k"]
    again = Bucket(env, "k", "checksum")
    cache.load_bytecode(again)
    assert again.code is not None


# -- the redline engine is an optional extra (lifecycle/redline.py) -----------------------------

@pytest.fixture
def released(project, capsys):
    code = _cli(["--root", project, "release", "reply", "--lang", "fr", "--format", "docx"])
    capsys.readouterr()
    assert code == 0
    return project


@pytest.mark.parametrize("missing", ["python-redlines", "its binary package"])
def test_compare_without_the_redline_engine_says_what_to_install(released, tmp_path, monkeypatch,
                                                                 capsys, missing):
    if missing == "python-redlines":  # as if not installed: importing it fails
        monkeypatch.setitem(sys.modules, "python_redlines", None)
        monkeypatch.setitem(sys.modules, "python_redlines.engines", None)
    else:  # python-redlines without python-redlines-docxodus
        import python_redlines.engines as engines

        def no_binary(*args, **kwargs):
            raise engines.EngineNotInstalledError("python-redlines-docxodus is not installed")
        monkeypatch.setattr(engines.DocxodusEngine, "__init__", no_binary)
    out = tmp_path / "out"
    code = _cli(["--root", released, "compare", "reply.fr", "--since", "v1", "--out", out])
    err = capsys.readouterr().err
    assert code == 3 and len(err.strip().splitlines()) == 1, err
    assert "redline engine (python-redlines) is not installed" in err
    assert "pip install 'draft[redline]'" in err and "Traceback" not in err
    assert not out.exists()
    # the PDF redline needs no engine
    assert _cli(["--root", released, "compare", "reply.fr", "--since", "v1", "--format", "pdf",
                 "--out", out]) == 0
    assert (out / "reply.fr.v1-current.redline.pdf").exists()
