"""Output that never loses work (DESIGN.md section 6): all-or-nothing writes, a journal
that the next run repairs from, a manifest that protects a reviewer's edits, documents
open in Word or LibreOffice left alone, one run at a time per folder."""
from __future__ import annotations

import errno
import io
import os
import tempfile

import pytest
from conftest import run_cli

from drafting.errors import EnvironmentProblem, InputError, Problems
from drafting.store import output
from drafting.store.output import JOURNAL, LOCK, MANIFEST, TMP_SUFFIX, write_files


def snapshot(folder):
    """Every file in the folder (hidden ones too, but not the lock) -> bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != LOCK}


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(TMP_SUFFIX) or p.name == JOURNAL]


def fail_on_call(n, exc, real):
    """A stand-in for `real` that raises `exc` on its n-th call only."""
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            raise exc
        return real(*args, **kwargs)
    return fake


V1 = {"a.docx": b"a1", "b.pdf": b"b1", "c.docx": b"c1"}
V2 = {"a.docx": b"a2", "b.pdf": b"b2", "c.docx": b"c2"}


@pytest.fixture
def reply_cli(workspace, capsys):
    """reply_cli(out, *options): `draft reply --format docx --out OUT` on the workspace."""
    def run(out, *extra):
        return run_cli(["--root", str(workspace), "reply", "--format", "docx", "--out", str(out),
                        *extra], capsys)
    return run


def edit_docx(path):
    """What a reviewer does: open the DOCX in a word processor, add a line, save."""
    import docx
    doc = docx.Document(str(path))
    doc.add_paragraph("Relu : d'accord sur le fond, à reprendre au paragraphe 3. -- JD")
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


# --- a reviewer's edits ------------------------------------------------------------

def test_hand_edited_docx_survives_a_rerun_byte_for_byte(tmp_path, reply_cli):
    out = tmp_path / "out"
    assert reply_cli(out)[0] == 0
    edited = edit_docx(out / "reply.fr.docx")
    before = snapshot(out)
    code, stdout, err = reply_cli(out, "--position", "joint-patrols=accept-with-conditions")
    assert code == 3, err
    assert f"{out / 'reply.fr.docx'}: not overwritten: it was edited since draft wrote it" in err
    assert "--force" in err and "Traceback" not in err
    assert snapshot(out) == before  # nothing written, not even the English file
    assert (out / "reply.fr.docx").read_bytes() == edited
    assert leftovers(out) == []


def test_force_overwrites_and_keeps_a_backup(tmp_path, reply_cli):
    out = tmp_path / "out"
    reply_cli(out)
    generated = (out / "reply.fr.docx").read_bytes()
    edited = edit_docx(out / "reply.fr.docx")
    code, stdout, err = reply_cli(out, "--force")
    assert code == 0, err
    assert (out / "reply.fr.docx").read_bytes() == generated
    assert (out / "reply.fr.backup-1.docx").read_bytes() == edited
    assert "reply.fr.backup-1.docx" in err
    # the record is up to date: the next run needs no --force, the backup is left alone
    edit_docx(out / "reply.fr.docx")
    assert reply_cli(out, "--force")[0] == 0
    assert (out / "reply.fr.backup-1.docx").read_bytes() == edited
    assert (out / "reply.fr.backup-2.docx").exists()
    assert reply_cli(out)[0] == 0
    assert leftovers(out) == []


def test_a_file_draft_did_not_write_is_not_overwritten(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.docx").write_bytes(b"someone's own document")
    with pytest.raises(EnvironmentProblem, match="draft did not write it"):
        write_files(out, V1)
    assert snapshot(out) == {"a.docx": b"someone's own document"}


def test_several_edited_files_are_all_named(tmp_path):
    out = tmp_path / "out"
    write_files(out, V1)
    (out / "a.docx").write_bytes(b"edited a")
    (out / "c.docx").write_bytes(b"edited c")
    with pytest.raises(Problems) as err:
        write_files(out, V2)
    assert err.value.exit_code == 3
    assert str(out / "a.docx") in str(err.value) and str(out / "c.docx") in str(err.value)
    assert (out / "b.pdf").read_bytes() == b"b1"


def test_identical_content_is_not_rewritten(tmp_path):
    out = tmp_path / "out"
    first = write_files(out, V1)
    assert first.written == [out / n for n in V1]
    again = write_files(out, V1)
    assert list(again) == [out / n for n in V1] and again.written == []


# --- failures in the middle of a write ---------------------------------------------

@pytest.mark.parametrize("nth", [1, 2, 3, 5])  # journal, a, b, (c,) manifest
def test_failed_rename_midway_leaves_every_old_file(tmp_path, monkeypatch, nth):
    out = tmp_path / "out"
    write_files(out, V1)
    before = snapshot(out)
    monkeypatch.setattr(os, "replace", fail_on_call(nth, OSError(errno.ENOSPC, "No space left on device"),
                                                    os.replace))
    with pytest.raises(EnvironmentProblem, match="no space left on the disk") as err:
        write_files(out, {**V2, "new.pdf": b"new"})
    assert err.value.exit_code == 3 and "nothing was changed" in str(err.value)
    assert snapshot(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("nth", [1, 2, 4])
def test_failed_write_midway_leaves_every_old_file(tmp_path, monkeypatch, nth):
    out = tmp_path / "out"
    write_files(out, V1)
    before = snapshot(out)
    monkeypatch.setattr(os, "fsync", fail_on_call(nth, OSError(errno.ENOSPC, "No space left on device"),
                                                  os.fsync))
    with pytest.raises(EnvironmentProblem, match="no space left"):
        write_files(out, {**V2, "new.pdf": b"new"})
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_full_disk_through_the_cli(tmp_path, monkeypatch, reply_cli):
    out = tmp_path / "out"
    reply_cli(out)
    edit_docx(out / "reply.en.docx")
    before = snapshot(out)
    monkeypatch.setattr(os, "replace", fail_on_call(3, OSError(errno.ENOSPC, "No space left on device"),
                                                    os.replace))
    code, _, err = reply_cli(out, "--force", "--position", "joint-patrols=accept-with-conditions")
    assert code == 3 and "no space left on the disk" in err and "Traceback" not in err
    assert snapshot(out) == before and leftovers(out) == []


@pytest.mark.parametrize("error", [errno.EACCES, errno.ENOSPC, errno.EROFS])
def test_unwritable_folder_is_an_environment_problem(tmp_path, monkeypatch, error, reply_cli):
    out = tmp_path / "out"
    reply_cli(out, "--position", "joint-patrols=accept-with-conditions")
    before = snapshot(out)
    monkeypatch.setattr(tempfile, "mkstemp", fail_on_call(1, OSError(error, os.strerror(error)),
                                                          tempfile.mkstemp))
    code, _, err = reply_cli(out)
    assert code == 3, err
    assert {errno.EACCES: "permission denied", errno.ENOSPC: "no space left on the disk",
            errno.EROFS: "read-only file system"}[error] in err
    assert "nothing was changed" in err and "Traceback" not in err
    assert snapshot(out) == before and leftovers(out) == []


# --- a crash between renames -------------------------------------------------------

def crash_midway(out, monkeypatch, files, crash=KeyboardInterrupt):
    """Run a write that dies after its first rename (journal written, a renamed)."""
    real = os.replace
    monkeypatch.setattr(os, "replace", fail_on_call(3, crash(), real))
    with pytest.raises(crash):
        write_files(out, files)
    monkeypatch.setattr(os, "replace", real)
    assert (out / JOURNAL).exists() and leftovers(out) != [JOURNAL]


def test_next_run_finishes_an_interrupted_commit(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_files(out, V1)
    crash_midway(out, monkeypatch, V2)
    assert (out / "a.docx").read_bytes() == b"a2" and (out / "b.pdf").read_bytes() == b"b1"
    result = write_files(out, {"other.docx": b"o"})
    assert any("finished writing" in n and "b.pdf" in n for n in result.notes)
    assert {n: (out / n).read_bytes() for n in V2} == V2
    assert leftovers(out) == []
    write_files(out, {"a.docx": b"a3", "b.pdf": b"b3"})  # the manifest knows the finished files


def test_next_run_undoes_an_interrupted_commit_it_cannot_finish(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_files(out, V1)
    before = snapshot(out)
    crash_midway(out, monkeypatch, V2)
    temp = next(p for p in out.iterdir() if p.name.startswith(".b.pdf.") and "old" not in p.name)
    temp.write_bytes(b"b2 torn")  # a temp that is not what the journal says
    result = write_files(out, {})
    assert any("undid" in n for n in result.notes)
    assert snapshot(out) == before
    assert leftovers(out) == []
    write_files(out, V2)


def test_the_cli_repairs_an_interrupted_run_and_says_so(tmp_path, monkeypatch, reply_cli):
    out = tmp_path / "out"
    reply_cli(out)
    real = os.replace
    monkeypatch.setattr(os, "replace", fail_on_call(3, SystemExit(9), real))
    assert reply_cli(out, "--position", "joint-patrols=accept-with-conditions")[0] == 9
    monkeypatch.setattr(os, "replace", real)
    assert (out / JOURNAL).exists()
    code, _, err = reply_cli(out, "--position", "joint-patrols=accept-with-conditions")
    assert code == 0 and "finished writing" in err
    assert leftovers(out) == []


def test_stray_temp_files_are_swept(tmp_path):
    out = tmp_path / "out"
    write_files(out, V1)
    (out / f".a.docx.k2j3{TMP_SUFFIX}").write_bytes(b"half")
    result = write_files(out, V2)
    assert leftovers(out) == [] and any("temporary" in n for n in result.notes)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("record, note", [(MANIFEST, "unreadable"), (JOURNAL, "unreadable journal")])
def test_a_pipe_named_as_a_record_never_blocks_the_run(tmp_path, record, note):
    """The manifest and the journal are read as every file is (store/read.py): a pipe
    left under their name is an unreadable record, said so, never a run that waits."""
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / record)
    result = write_files(out, V1)
    assert snapshot(out)["a.docx"] == V1["a.docx"] and leftovers(out) == []
    assert any(note in n and record in n for n in result.notes)
    assert (out / MANIFEST).is_file()


# --- documents open elsewhere, other runs ------------------------------------------

@pytest.mark.parametrize("owner, app", [("~$ply.fr.docx", "Word"), ("~$reply.fr.docx", "Word"),
                                        (".~lock.reply.fr.docx#", "LibreOffice")])
def test_a_document_open_in_a_word_processor_is_not_replaced(tmp_path, owner, app):
    out = tmp_path / "out"
    write_files(out, {"reply.fr.docx": b"v1", "reply.en.docx": b"v1"})
    (out / owner).write_bytes(b"owner")
    before = snapshot(out)
    with pytest.raises(EnvironmentProblem) as err:
        write_files(out, {"reply.fr.docx": b"v2", "reply.en.docx": b"v2"})
    assert f"reply.fr.docx: not replaced: the file is open in {app} ({owner})" in str(err.value)
    assert snapshot(out) == before and leftovers(out) == []
    write_files(out, {"reply.fr.docx": b"v1", "reply.en.docx": b"v1"})  # nothing to replace: fine


def test_a_second_run_on_one_folder_fails_clearly(tmp_path, monkeypatch, reply_cli):
    from filelock import FileLock
    out = tmp_path / "out"
    reply_cli(out)
    before = snapshot(out)
    monkeypatch.setattr(output, "LOCK_TIMEOUT", 0.2)
    with FileLock(str(out / LOCK)):
        code, _, err = reply_cli(out, "--position", "joint-patrols=accept-with-conditions")
    assert code == 3 and "another draft run is writing to this folder" in err
    assert snapshot(out) == before


# --- paths -------------------------------------------------------------------------

def test_a_symlinked_output_folder_is_refused(tmp_path, reply_cli):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    code, _, err = reply_cli(link)
    assert code == 2 and f"{link}: the output folder is a symbolic link" in err
    assert list(real.iterdir()) == []


@pytest.mark.parametrize("name", ["../x.docx", "/tmp/x.docx", "sub/../../x.docx", "inside/x.docx",
                                  MANIFEST, ""])
def test_names_escaping_the_folder_are_refused(tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    (out / "inside").symlink_to(tmp_path)  # a link inside the folder leads out of it
    with pytest.raises(InputError):
        write_files(out, {"ok.docx": b"ok", name: b"x"})
    assert not (out / "ok.docx").exists() and not (tmp_path / "x.docx").exists()


def test_written_files_are_readable_by_others(tmp_path):
    out = tmp_path / "out"
    write_files(out, V1)
    mask = os.umask(0)
    os.umask(mask)
    assert (out / "a.docx").stat().st_mode & 0o777 == 0o666 & ~mask


# --- byte-identical reruns ---------------------------------------------------------

def test_two_runs_give_identical_bytes(workspace, tmp_path, capsys):
    one, two = tmp_path / "one", tmp_path / "two"
    assert run_cli(["--root", str(workspace), "reply", "--out", str(one)], capsys)[0] == 0
    assert run_cli(["--root", str(workspace), "reply", "--out", str(two)], capsys)[0] == 0
    first = snapshot(one)
    assert sorted(first) == [MANIFEST, "reply.en.docx", "reply.en.pdf", "reply.fr.docx", "reply.fr.pdf"]
    assert first == snapshot(two)
    assert run_cli(["--root", str(workspace), "reply", "--out", str(one)], capsys)[0] == 0
    assert snapshot(one) == first


def test_relative_output_folder(workspace, tmp_path, monkeypatch, capsys):
    """`--out .` (a relative folder) writes there like any other folder."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(["--root", str(workspace), "reply", "--lang", "fr", "--format", "docx",
                              "--out", "."], capsys)
    assert code == 0, err
    assert (tmp_path / "reply.fr.docx").exists()
    code, out, err = run_cli(["--root", str(workspace), "reply", "--lang", "fr", "--format", "docx",
                              "--out", "sub/dir"], capsys)
    assert code == 0, err
    assert (tmp_path / "sub" / "dir" / "reply.fr.docx").exists()
