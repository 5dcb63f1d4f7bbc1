"""Writing generated files so that no run ever loses work (DESIGN.md section 6).

- Each file goes to a temp file in its own folder (written, fsynced) and is renamed
  into place: a reader never sees half a document.
- A run's files are committed together. Before the renames, `.draft-journal.json`
  lists every (temp, target, sha256) and a hard link (or copy) of each old file; after
  them, the journal is deleted. A failure during the renames puts every old file back;
  a crash leaves the journal, and the next run finishes the commit (every temp is
  complete) or undoes it (puts the old files back), and says so.
- `.draft-manifest.json` records what the tool wrote (name -> sha256, size). A file
  whose content differs from that record was edited by a person (a reviewer's Word
  edits), and a file with no record was not written by draft: neither is overwritten
  unless `force`, which keeps a backup beside it (`reply.fr.backup-1.docx`).
- A document open in Word (`~$` owner file) or LibreOffice (`.~lock.<name>#`) is not
  replaced.
- `.draft.lock` (filelock) keeps two runs from writing to one folder at once.
- Every check happens before the first byte is written: a refused run changes nothing.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from pathlib import Path, PurePosixPath

from drafting.errors import EnvironmentProblem, InputError, Problem, Problems
from drafting.store import atomic
from drafting.store.read import read_bytes
from drafting.store.released import refuse_released

__all__ = ["write_files", "safe_target", "record_taken_in", "Written", "JOURNAL", "MANIFEST", "LOCK"]

JOURNAL = ".draft-journal.json"
MANIFEST = ".draft-manifest.json"
LOCK = ".draft.lock"
TMP_SUFFIX = atomic.TMP_SUFFIX
LOCK_TIMEOUT = 3.0
_RESERVED = {JOURNAL, MANIFEST, LOCK}
_NOTHING = "nothing was written"


class Written(list):
    """The paths that now hold what was asked (written now, or already identical),
    in the order asked; with what was written, left as it was, backed up, and notes
    for the user (an interrupted run repaired, a backup kept)."""

    def __init__(self, paths=(), written=(), unchanged=(), backups=(), notes=()):
        super().__init__(paths)
        self.written, self.unchanged = list(written), list(unchanged)
        self.backups, self.notes = list(backups), list(notes)


# --- paths -------------------------------------------------------------------------

def safe_target(out_dir: Path, name: str) -> Path:
    """A path inside the output folder; refuse a name that escapes it (absolute,
    `..`, through a symbolic link) or that the tool keeps for itself."""
    out_dir = Path(out_dir)
    text = str(name)
    bad = (not text or "\x00" in text or "\\" in text or PurePosixPath(text).is_absolute()
           or Path(text).is_absolute() or Path(text).drive)
    parts = PurePosixPath(text).parts
    if bad or any(p in ("..", ".") for p in parts) or text.endswith("/"):
        raise InputError(f"output path '{name}' escapes the output folder", path=out_dir,
                         hint="use a plain file name")
    base = parts[-1]
    if (base in _RESERVED or base.endswith(TMP_SUFFIX) or base.startswith("~$")
            or base.startswith(".~lock.")):
        raise InputError(f"output name '{name}' is reserved", path=out_dir,
                         hint="draft keeps this name for its own bookkeeping; use another name")
    target = out_dir.joinpath(*parts)
    # no symbolic link on the way: a link inside the folder could point anywhere
    step = out_dir
    for part in parts:
        step = step / part
        if step.is_symlink():
            raise InputError(f"output path '{name}' escapes the output folder", path=step,
                             hint="it is a symbolic link; remove it or choose another --out folder")
    return target


def _rel(out_dir: Path, path: Path) -> str:
    return path.relative_to(out_dir).as_posix()


def _journal_path(out_dir: Path, name) -> Path | None:
    """A name read back from the journal, only if it stays inside the folder."""
    if not isinstance(name, str):
        return None
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("..", ".") for p in parts):
        return None
    return out_dir.joinpath(*parts)


# --- small file helpers ------------------------------------------------------------

def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha_file(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


_NO_LINK = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS,
            getattr(errno, "ENOTSUP", -1), getattr(errno, "EOPNOTSUPP", -1)}


def _keep_old(target: Path) -> Path:
    """A second name for the file about to be replaced, so it can be put back:
    a hard link (instant), or a copy where the disk has none."""
    old = target.with_name(f".{target.name}.{os.urandom(4).hex()}.old{TMP_SUFFIX}")
    try:
        os.link(target, old)
        return old
    except OSError as exc:
        if exc.errno not in _NO_LINK:
            raise
    mode = stat.S_IMODE(target.stat().st_mode)
    return atomic.write_temp(target.parent, f"{target.name}.old", target.read_bytes(), mode)


def _json_bytes(obj) -> bytes:
    """The manifest's and the journal's text."""
    return (json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _read_json(path: Path):
    """The manifest or the journal, read as every file is (store/read.py: bounded, a
    regular file only, so a pipe left under that name never blocks the run); None when
    there is none. InputError, EnvironmentProblem or ValueError when it is unreadable."""
    if not path.exists() and not path.is_symlink():
        return None
    return json.loads(read_bytes(path, what="record of the output folder").decode("utf-8"))


def _write_json(path: Path, obj) -> None:
    atomic.write_atomic(path, _json_bytes(obj), mode=0o666 & ~atomic.umask())


# --- errors ------------------------------------------------------------------------

def _env_error(exc: OSError, path, changed=False):
    what = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.ENOSPC: "no space left on the disk", errno.EROFS: "read-only file system",
            errno.EDQUOT: "disk quota exceeded"}.get(exc.errno, exc.strerror or str(exc))
    tail = ("an earlier state could not be fully restored; the next run will repair it"
            if changed else "nothing was changed")
    hint = {errno.ENOSPC: f"free some space and run again; {tail}",
            errno.EDQUOT: f"free some space and run again; {tail}"}.get(
        exc.errno, f"choose another --out folder or fix its permissions; {tail}")
    return EnvironmentProblem(f"cannot write: {what}", path=path, hint=hint)


def _raise(problems):
    if len(problems) == 1:
        p = problems[0]
        raise EnvironmentProblem(p.problem, path=p.path, hint=p.hint)
    raise Problems(problems, exit_code=EnvironmentProblem.exit_code)


# --- the lock ----------------------------------------------------------------------

class _FolderLock:
    """`.draft.lock` held with flock, as filelock's FileLock does on POSIX (the two
    exclude each other), without filelock's import time; filelock elsewhere (Windows)
    and on file systems without flock."""

    def __init__(self, out_dir: Path, timeout: float):
        self.out_dir, self.timeout = out_dir, timeout
        self.fd = self.other = None

    def _busy(self):
        return EnvironmentProblem(
            "another draft run is writing to this folder", path=self.out_dir,
            hint=f"wait for it to finish and run again, or use another --out folder; {_NOTHING}")

    def __enter__(self):
        path = self.out_dir / LOCK
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self._filelock(path)
        try:  # never through a link an attacker left: O_NOFOLLOW, then a regular file only
            fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_NONBLOCK", 0), 0o666)
        except OSError as exc:
            if path.is_symlink():
                raise InputError("the lock file is a symbolic link", path=path,
                                 hint=f"remove it: draft makes {LOCK} itself") from None
            raise _env_error(exc, self.out_dir) from None
        import stat as _stat
        if not _stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise InputError("the lock file is not a regular file", path=path,
                             hint=f"remove it: draft makes {LOCK} itself")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self.fd = fd
                return self
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise self._busy() from None
                time.sleep(0.05)
            except OSError:  # no flock on this file system (some network shares)
                os.close(fd)
                return self._filelock(path)
            except BaseException:
                os.close(fd)
                raise

    def _filelock(self, path):
        from filelock import FileLock, Timeout
        self.other = FileLock(str(path), timeout=self.timeout)
        try:
            self.other.acquire()
        except Timeout:
            raise self._busy() from None
        except OSError as exc:
            raise _env_error(exc, self.out_dir) from None
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the flock
            self.fd = None
        if self.other is not None:
            self.other.release()
        return False


# --- manifest ----------------------------------------------------------------------

def _load_manifest(out_dir: Path, notes: list) -> dict:
    path = out_dir / MANIFEST
    try:
        raw = _read_json(path)
        files = raw.get("files", {}) if isinstance(raw, dict) else {}
        return {k: v for k, v in files.items()
                if isinstance(k, str) and isinstance(v, dict) and isinstance(v.get("sha256"), str)}
    except (OSError, ValueError, InputError, EnvironmentProblem):
        notes.append(f"{path}: unreadable; files already in this folder are treated as not "
                     f"written by draft")
        return {}


def _manifest_obj(files: dict) -> dict:
    return {"tool": "draft", "version": 1,
            "files": {k: {"sha256": v["sha256"], "size": v["size"]} for k, v in sorted(files.items())}}


# --- recovery ----------------------------------------------------------------------

def _sweep(folders, keep=()) -> int:
    """Remove temp files an interrupted run left behind; the folder lock is held,
    so no other run is writing them."""
    removed = 0
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = Path(folder) / name
            if name.startswith(".") and name.endswith(TMP_SUFFIX) and path not in keep:
                try:
                    if path.is_file() and not path.is_symlink():
                        os.unlink(path)
                        removed += 1
                except FileNotFoundError:
                    pass
    return removed


def _recover(out_dir: Path, notes: list) -> None:
    """Finish or undo a commit a crash interrupted, then remove stray temps."""
    jpath = out_dir / JOURNAL
    folders = {out_dir}
    if jpath.exists() or jpath.is_symlink():
        try:
            entries = _read_json(jpath)["entries"]
            items = []
            for e in entries:
                item = {k: _journal_path(out_dir, e.get(k)) for k in ("temp", "target")}
                item["old"] = _journal_path(out_dir, e["old"]) if e.get("old") else None
                if item["temp"] is None or item["target"] is None or not isinstance(e.get("sha256"), str):
                    raise ValueError
                item["sha256"], item["kind"] = e["sha256"], e.get("kind", "file")
                items.append(item)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, InputError,
                EnvironmentProblem):
            items = None
        try:
            if items is None:
                notes.append(f"{jpath}: an interrupted run left an unreadable journal; "
                             f"removed it and its temp files")
            else:
                folders |= {i["target"].parent for i in items}
                _repair(items, notes)
            atomic.fsync_dir(out_dir)
            os.unlink(jpath)
        except OSError as exc:
            raise EnvironmentProblem(
                f"cannot repair the write an earlier run left unfinished: {exc.strerror or exc}",
                path=getattr(exc, "filename", None) or jpath,
                hint="fix the folder's permissions or free some space and run again") from None
    removed = _sweep(folders)
    if removed:
        notes.append(f"{out_dir}: removed {removed} temporary file(s) an interrupted run left behind")


def _repair(items, notes) -> None:
    def complete(i):
        if i["temp"].exists():
            return _sha_file(i["temp"]) == i["sha256"]
        return _sha_file(i["target"]) == i["sha256"]  # already renamed

    names = ", ".join(i["target"].name for i in items if i["kind"] != "manifest")
    if all(complete(i) for i in items):
        for i in items:
            if i["temp"].exists():
                os.replace(i["temp"], i["target"])
        for i in items:
            if i["old"]:
                atomic.unlink(i["old"])
        notes.append(f"finished writing {names}: an earlier run was interrupted before it "
                     f"had renamed them all into place")
        return
    lost = []
    for i in items:
        atomic.unlink(i["temp"])
        if _sha_file(i["target"]) == i["sha256"]:  # the new content is in place: take it back
            if i["old"] and i["old"].exists():
                os.replace(i["old"], i["target"])
            elif i["old"]:
                lost.append(i["target"].name)
            else:
                atomic.unlink(i["target"])
        elif i["old"]:
            atomic.unlink(i["old"])
    notes.append(f"undid the unfinished write of {names} an earlier run left behind: "
                 f"the files are as they were before it")
    if lost:
        notes.append(f"could not restore the earlier version of {', '.join(lost)}: it holds "
                     f"the interrupted run's version")


# --- open documents ----------------------------------------------------------------

def _owner_files(target: Path):
    """The files Word and LibreOffice create beside a document they have open."""
    name = target.name
    word = {"~$" + name, "~$" + name[1:], "~$" + name[2:]}
    for owner in sorted(word):
        yield "Word", target.with_name(owner)
    yield "LibreOffice", target.with_name(f".~lock.{name}#")


def _open_in(target: Path):
    for app, owner in _owner_files(target):
        if owner.exists():
            return app, owner
    return None


# --- the entry point ---------------------------------------------------------------

# Folders of the system: never an output folder, nor anything under them (as root, '--out /'
# or '--out /etc' would otherwise write there).
_SYSTEM = ("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc",
           "/run", "/sbin", "/sys", "/usr", "/var/lib", "/var/log", "/var/run", "/System",
           "/Library", "/Applications", "/private/etc")


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder that is the root, or is or is under a folder of the
    system, and one reached through a symbolic link: every
    parent is checked like the folder itself (`--out a/link/sub`), but for links right under
    the root that the system makes (/tmp, /home or /var on some systems)."""
    resolved = Path(os.path.realpath(out_dir))
    for p in {Path(os.path.normpath(out_dir)), resolved}:
        if p == Path(p.anchor) or any(str(p) == s or str(p).startswith(s + os.sep)
                                      for s in _SYSTEM):
            raise InputError("refused: this is a folder of the system", path=out_dir,
                             hint="write into a folder of your own with --out")
    parts = Path(os.path.normpath(out_dir)).parts
    for i in range(3, len(parts) + 1):  # /a/b, /a/b/c ...: links under the root's own
        step = Path(*parts[:i])
        if step.is_symlink():
            raise InputError("the output folder is reached through a symbolic link", path=step,
                             hint="give the real folder with --out")


def write_files(out_dir: Path, files: dict, force: bool = False,
                lock_timeout: float | None = None) -> Written:
    """Write {name: bytes} into out_dir, all or nothing; return the paths (a `Written`).

    Refuses (InputError) an output folder that is a symbolic link and names that escape
    it; stops (EnvironmentProblem, exit 3) before writing anything when another run
    holds the folder, a file to replace is open in Word or LibreOffice, or a person has
    edited a generated file since (unless `force`: then a backup is kept beside it)."""
    out_dir = Path(out_dir)
    refuse_released(out_dir)  # issued versions are frozen
    if out_dir.is_symlink():
        raise InputError("the output folder is a symbolic link", path=out_dir,
                         hint="give a real folder with --out")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output folder is a file", path=out_dir,
                         hint="give a folder with --out")
    out_dir = Path(os.path.abspath(out_dir))  # '--out .' works like any other folder
    check_out_dir(out_dir)
    targets = {name: safe_target(out_dir, name) for name in files}
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _env_error(exc, out_dir) from None
    notes: list = []
    with _FolderLock(out_dir, LOCK_TIMEOUT if lock_timeout is None else lock_timeout):
        _recover(out_dir, notes)
        manifest = _load_manifest(out_dir, notes)
        recorded_before = dict(manifest)
        for k in [k for k in manifest if not (out_dir / k).exists()]:
            del manifest[k]
        plan, unchanged, problems, backups = [], [], [], {}
        mask = atomic.umask()
        for name, data in files.items():
            target = targets[name]
            rel = _rel(out_dir, target)
            if target.exists() and not target.is_file():
                raise InputError("an output path is a folder, not a file", path=target,
                                 hint="remove it or choose another --out folder")
            current, new = _sha_file(target), _sha(data)
            if current == new:
                unchanged.append(target)
                manifest[rel] = {"sha256": new, "size": len(data)}  # what draft writes
                continue
            if current is not None:
                opened = _open_in(target)
                if opened:
                    app, owner = opened
                    problems.append(Problem(
                        f"not replaced: the file is open in {app} ({owner.name})", path=target,
                        hint=f"close it and run again (if it is not open, delete {owner.name}); {_NOTHING}"))
                    continue
                recorded = manifest.get(rel, {}).get("sha256")
                if recorded != current:
                    if not force:
                        why = ("it was edited since draft wrote it" if recorded
                               else "draft did not write it (or lost its record)")
                        problems.append(Problem(
                            f"not overwritten: {why}", path=target,
                            hint=f"use --force to overwrite (a backup is kept) or --out another "
                                 f"folder; {_NOTHING}"))
                        continue
                    backups[name] = _backup_name(target, backups.values())
            plan.append((name, target, data, new))
        if problems:
            _raise(problems)
        if plan:
            written = _commit(out_dir, plan, backups, manifest, mask)
        else:
            written = []
            if manifest != recorded_before:  # identical files not yet recorded, or gone
                _record_only(out_dir, manifest)
        for name, backup in backups.items():
            notes.append(f"{targets[name]}: it was changed since draft wrote it; that copy is "
                         f"kept as {backup.name}")
    return Written([targets[n] for n in files], written=written, unchanged=unchanged,
                   backups=list(backups.values()), notes=notes)


def _backup_name(target: Path, taken) -> Path:
    stem, suffix = (target.name.rsplit(".", 1) + [""])[:2] if "." in target.name else (target.name, "")
    suffix = f".{suffix}" if suffix else ""
    n = 1
    while True:
        cand = target.with_name(f"{stem}.backup-{n}{suffix}")
        if not cand.exists() and not cand.is_symlink() and cand not in taken:
            return cand
        n += 1


def record_taken_in(path: Path, data: bytes) -> bool:
    """A generated file a person edited, whose every edit `draft absorb` has taken into
    the brief: the record of its folder now holds its content, so the next run replaces
    it without --force (nothing of the person's work is lost: it is in the brief). True
    when recorded; False when the folder keeps no record of that file, the file changed
    again since it was read, or the record cannot be written (then --force is needed,
    and keeps a backup, as before)."""
    path = Path(os.path.abspath(path))
    out_dir = path.parent
    if not (out_dir / MANIFEST).is_file():
        return False
    try:
        with _FolderLock(out_dir, LOCK_TIMEOUT):
            manifest = _load_manifest(out_dir, [])
            name, sha = _rel(out_dir, path), _sha(data)
            if name not in manifest or _sha_file(path) != sha:
                return False
            if manifest[name]["sha256"] != sha:
                manifest[name] = {"sha256": sha, "size": len(data)}
                _write_json(out_dir / MANIFEST, _manifest_obj(manifest))
            return True
    except (OSError, EnvironmentProblem, InputError):
        return False


def _record_only(out_dir: Path, manifest: dict) -> None:
    try:
        _write_json(out_dir / MANIFEST, _manifest_obj(manifest))
    except OSError:
        pass  # the documents are right; the record is refreshed by the next write


def _commit(out_dir: Path, plan, backups, manifest, mask) -> list:
    """Prepare every temp, journal the renames, do them; put everything back on failure."""
    entries = []  # dicts: temp, target, sha256, size, old, kind (Paths until journaled)

    def discard():
        for e in entries:
            atomic.unlink(e["temp"])
            if e["old"]:
                atomic.unlink(e["old"])

    try:
        for name, target, data, sha in plan:
            target.parent.mkdir(parents=True, exist_ok=True)
            if name in backups:  # the edited file, kept beside the new one
                old_bytes = target.read_bytes()
                mode = stat.S_IMODE(target.stat().st_mode)
                tmp = atomic.write_temp(target.parent, backups[name].name, old_bytes, mode)
                entries.append({"temp": tmp, "target": backups[name], "sha256": _sha(old_bytes),
                                "size": len(old_bytes), "old": None, "kind": "backup"})
            exists = target.exists()
            mode = stat.S_IMODE(target.stat().st_mode) if exists else 0o666 & ~mask
            tmp = atomic.write_temp(target.parent, target.name, data, mode)
            entries.append({"temp": tmp, "target": target, "sha256": sha, "size": len(data),
                            "old": None, "kind": "file"})
            if exists:
                entries[-1]["old"] = _keep_old(target)
            manifest[_rel(out_dir, target)] = {"sha256": sha, "size": len(data)}
        mpath = out_dir / MANIFEST
        mdata = _json_bytes(_manifest_obj(manifest))
        entries.append({"temp": atomic.write_temp(out_dir, MANIFEST, mdata, 0o666 & ~mask),
                        "target": mpath, "sha256": _sha(mdata), "size": len(mdata),
                        "old": None, "kind": "manifest"})
        if mpath.exists():
            entries[-1]["old"] = _keep_old(mpath)
        journal = {"tool": "draft", "entries": [
            {**e, **{k: _rel(out_dir, e[k]) for k in ("temp", "target")},
             "old": _rel(out_dir, e["old"]) if e["old"] else None} for e in entries]}
        _write_json(out_dir / JOURNAL, journal)
    except OSError as exc:
        discard()
        raise _env_error(exc, out_dir) from None
    except BaseException:
        discard()
        raise

    # the commit: from here a crash leaves the journal, and the next run repairs; a
    # Ctrl-C waits until the renames are done (milliseconds), so it never leaves a mix
    done = []
    try:
        with _ctrl_c_deferred() as ctrl_c:
            for e in entries:
                os.replace(e["temp"], e["target"])
                done.append(e)
    except OSError as exc:
        restored = _rollback(out_dir, entries, done)
        raise _env_error(exc, out_dir, changed=not restored) from None
    for folder in {e["target"].parent for e in entries}:
        atomic.fsync_dir(folder)
    atomic.unlink(out_dir / JOURNAL)
    for e in entries:
        if e["old"]:
            try:
                atomic.unlink(e["old"])
            except OSError:
                pass  # swept by the next run
    if ctrl_c.caught:  # Ctrl-C during the renames: the run is whole, now stop
        raise KeyboardInterrupt
    return [e["target"] for e in entries if e["kind"] == "file"]


class _ctrl_c_deferred:
    """SIGINT held back for the duration (main thread only); `caught` says whether it
    came, and the caller raises KeyboardInterrupt once its work is whole."""

    def __enter__(self):
        import signal
        import threading
        self.old, self.caught = None, False
        if threading.current_thread() is threading.main_thread():
            try:
                self.old = signal.signal(signal.SIGINT, self._hold)
            except ValueError:  # not the main interpreter
                self.old = None
        return self

    def _hold(self, *_args):
        self.caught = True

    def __exit__(self, *exc):
        import signal
        if self.old is not None:
            signal.signal(signal.SIGINT, self.old)
        return False


def _rollback(out_dir: Path, entries, done) -> bool:
    """Put every old file back after a failed rename; True when all went back (the
    journal is then removed), False when the next run must finish the repair."""
    try:
        for e in reversed(done):
            if e["old"]:
                os.replace(e["old"], e["target"])
            else:
                os.unlink(e["target"])
        for e in entries:
            atomic.unlink(e["temp"])
            if e["old"] and e not in done:
                atomic.unlink(e["old"])
        atomic.unlink(out_dir / JOURNAL)
        return True
    except OSError:
        return False
