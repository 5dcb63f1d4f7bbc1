"""store/: the one writer. One atomic-write primitive (atomic.py), one YAML emitter whose
output reads back equal with the project's loader (yamlfile.py), the rule that issued
versions are frozen (released.py); failures (full disk, no permission) simulated, since
the tests run as root in CI and file modes would not stop them."""
from __future__ import annotations

import datetime as dt
import errno
import os
import stat
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafting.errors import EnvironmentProblem, InputError
from drafting.inputs.sources import load_yaml
from drafting.store import atomic, yamlfile
from drafting.store.released import refuse_released

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


def fail_on(monkeypatch, module, name, nth=1, error=ENOSPC):
    real = getattr(module, name)
    calls = []

    def fake(*args, **kwargs):
        calls.append(1)
        if len(calls) == nth:
            raise error
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, fake)


def leftovers(folder):
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(atomic.TMP_SUFFIX))


# -- atomic.py ----------------------------------------------------------------------------------

def test_write_atomic_replaces_and_keeps_the_mode(tmp_path):
    f = tmp_path / "a.txt"
    atomic.write_atomic(f, "un\n")
    assert f.read_bytes() == b"un\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~atomic.umask()
    os.chmod(f, 0o640)
    atomic.write_atomic(f, b"deux\r\n")  # bytes as given: no newline translation
    assert f.read_bytes() == b"deux\r\n" and stat.S_IMODE(f.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch, name):
    f = tmp_path / "a.txt"
    f.write_text("old", encoding="utf-8")
    fail_on(monkeypatch, os, name)
    with pytest.raises(OSError) as info:
        atomic.write_atomic(f, "new")
    assert info.value.errno == errno.ENOSPC
    assert f.read_text(encoding="utf-8") == "old" and leftovers(tmp_path) == []


def test_without_fchmod_the_mode_is_still_set(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fchmod", raising=False)
    f = atomic.write_atomic(tmp_path / "a.txt", "x", mode=0o604)
    assert stat.S_IMODE(f.stat().st_mode) == 0o604


def test_a_cache_write_skips_the_fsyncs(tmp_path, monkeypatch):
    fail_on(monkeypatch, os, "fsync", error=AssertionError("fsynced"))
    atomic.write_atomic(tmp_path / "c", b"x", durable=False)
    assert (tmp_path / "c").read_bytes() == b"x"


def test_create_folder_all_or_nothing(tmp_path, monkeypatch):
    target = tmp_path / "v1"
    atomic.create_folder(target, {"a": b"1", "b": b"2"})
    assert {p.name: p.read_bytes() for p in target.iterdir()} == {"a": b"1", "b": b"2"}
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o444 for p in target.iterdir())
    with pytest.raises(FileExistsError):
        atomic.create_folder(target, {"a": b"other"})
    assert (target / "a").read_bytes() == b"1"
    fail_on(monkeypatch, tempfile, "mkstemp", nth=2)  # the second file
    with pytest.raises(OSError):
        atomic.create_folder(tmp_path / "v2", {"a": b"1", "sub/b": b"2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1"]


def test_copy_folder(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.yaml").write_text("a: 1\n", encoding="utf-8")
    (src / "sub" / "b.yaml").write_text("b: 2\n", encoding="utf-8")
    (src / "sub" / "skip.pyc").write_bytes(b"x")
    atomic.copy_folder(src, tmp_path / "dst", ignore=lambda d, names: [n for n in names if n.endswith(".pyc")])
    got = sorted(p.relative_to(tmp_path / "dst").as_posix() for p in (tmp_path / "dst").rglob("*"))
    assert got == ["a.yaml", "sub", "sub/b.yaml"]
    with pytest.raises(FileExistsError):
        atomic.copy_folder(src, tmp_path / "dst")


def test_every_write_of_the_tool_goes_through_atomic():
    """No other module of the package writes a file itself (grep for the ways to; a
    write into a zip archive in memory says so: `# in memory: ...`)."""
    import re
    from pathlib import Path

    import drafting
    package = Path(drafting.__file__).parent
    ways = re.compile(r"os\.replace\(|os\.rename\(|tempfile\.|\.write_text\(|\.write_bytes\("
                      r"|open\([^)]*['\"][wax]b?['\"]|os\.fsync\(|shutil\.copy|shutil\.move")
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel in ("store/atomic.py", "store/output.py"):  # the primitive, the commit
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ways.search(line) and not line.lstrip().startswith("#") \
                    and "# in memory: a zip member, not a file" not in line:
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == []


# -- released.py --------------------------------------------------------------------------------

def test_released_folders_are_refused_by_the_store(tmp_path):
    case = tmp_path / "letters" / "c"
    (case / "released" / "reply.fr" / "v1").mkdir(parents=True)
    (case / "letter.yaml").write_text("case: c\n", encoding="utf-8")
    for path in (case / "released", case / "released" / "reply.fr" / "v1"):
        with pytest.raises(InputError, match="released versions are never overwritten"):
            refuse_released(path)
    refuse_released(case / "output")
    refuse_released(tmp_path / "released")  # not a case's


def test_release_refuses_and_reports_a_full_disk(project, monkeypatch):
    from drafting import load_case
    from drafting.lifecycle.release import release
    case = load_case(project)
    fail_on(monkeypatch, os, "rename")
    with pytest.raises(EnvironmentProblem, match="cannot write the release"):
        release(case, "reply", ("fr",), formats=("docx",))
    assert not (case.folder / "released" / "reply.fr" / "v1").exists()
    assert leftovers(case.folder) == []


# -- yamlfile.py --------------------------------------------------------------------------------

# what the loader accepts in a value (no control characters, surrogates or non-characters)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"),
                              blacklist_characters="\ufffe\uffff") | st.sampled_from("\n\t "),
                max_size=120)
_SCALAR = _TEXT | st.integers(-10**6, 10**6) | st.dates() | st.booleans() \
    | st.sampled_from(["no", "yes", "null", "~", "1.10", "0x1F", "2021-12-01", "", " ",
                       "- x", "a: b", "#c", "'q'", '"q"', "{x}", "[x]", "&a", "*a", "!t", "|", ">"])
_DATA = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(_TEXT, inner, max_size=4), max_leaves=20)


def _as_loaded(value):
    """What the project's loader gives for data: every scalar a string."""
    if isinstance(value, dict):
        return {str(k): _as_loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_loaded(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_TEXT, _DATA, min_size=1, max_size=5))
def test_what_the_emitter_writes_reads_back_equal(data):
    text = yamlfile.dump(data, "# a header\n")
    assert load_yaml("x.yaml", text=text) == _as_loaded(data)


def test_none_is_refused():
    with pytest.raises(TypeError, match="leave the key out"):
        yamlfile.dump({"a": None})


def test_long_prose_is_a_folded_block():
    text = yamlfile.dump({"fr": "mot " * 30 + "fin", "short": "court"})
    assert text.startswith("fr: >-\n") and "short: court\n" in text


def test_write_goes_through_the_atomic_writer(tmp_path, monkeypatch):
    f = tmp_path / "a.yaml"
    f.write_text("old: 1\n", encoding="utf-8")
    fail_on(monkeypatch, os, "replace")
    with pytest.raises(OSError):
        yamlfile.write(f, {"new": "2"})
    assert f.read_text(encoding="utf-8") == "old: 1\n" and leftovers(tmp_path) == []


BRIEF = """\
# The brief (a comment kept byte for byte)
case: c
positions:
  a: accept   # why

overrides:
  a:
    reply:
      fr: >-
        ancien texte

# about the order
order:
  - a
"""


def test_replace_section_keeps_everything_else():
    new = yamlfile.replace_section(BRIEF, "overrides", {"a": {"reply": {"fr": {"1": "nouveau"}}}})
    head, tail = BRIEF.split("overrides:")[0], "\n# about the order\norder:\n  - a\n"
    assert new.startswith(head) and new.endswith(tail)
    loaded = load_yaml("b.yaml", text=new)
    assert loaded["overrides"] == {"a": {"reply": {"fr": {"1": "nouveau"}}}}
    assert list(loaded) == ["case", "positions", "overrides", "order"]


def test_replace_section_adds_a_missing_section_at_the_end():
    text = "case: c\n# last comment"
    new = yamlfile.replace_section(text, "overrides", {"k": "v"}, "# the overrides\n")
    assert new == "case: c\n# last comment\n# the overrides\noverrides:\n  k: v\n"


def test_append_items_keeps_the_file_and_adds_entries():
    first = yamlfile.append_items("", [{"document": "reply.fr", "role": "desk"}], "# head\n")
    assert first == "# head\n- document: reply.fr\n  role: desk\n"
    hand = first.rstrip("\n")  # a file whose last line lost its newline
    second = yamlfile.append_items(hand, [{"document": "reply.fr", "role": "legal"}])
    assert second.startswith(hand + "\n")
    assert [e["role"] for e in load_yaml("s.yaml", text=second, expect="list")] == ["desk", "legal"]
    with pytest.raises(ValueError, match="not a YAML list"):
        yamlfile.append_items("a: b\n", [{"x": "y"}])


def test_signoff_and_absorb_leave_no_temp_on_a_full_disk(project, monkeypatch):
    from drafting import load_case
    from drafting.documents.build import build
    from drafting.lifecycle.signoff import SIGNOFFS, record_signoff
    case = load_case(project)
    built = build(case, "reply", "fr", audience=case.brief.audience)
    fail_on(monkeypatch, tempfile, "mkstemp", error=OSError(errno.EACCES, "Permission denied"))
    with pytest.raises(EnvironmentProblem, match="cannot record the clearance: Permission denied"):
        record_signoff(case, "reply", "desk", "Claire Martin", [built])
    assert not (case.folder / SIGNOFFS).exists() and leftovers(case.folder) == []
