"""The one way the tool puts bytes in a file: a temp file in the same folder, written
and fsynced, then renamed over the target. A reader sees the old file or the new one,
never half of either; a failure leaves the old file and no temp behind.

Every file the tool writes comes through here: the output folder's documents, journal
and manifest (output.py, which adds the all-or-nothing commit of several files), the
caches (cache.py, the parsed-YAML trees, compiled templates), released versions
(create_folder), sign-offs, the brief's overrides (absorb), ingested cases, and a new
workspace's folders (copy_folder). Caches pass
`durable=False`: they skip the fsyncs, since a cache lost in a crash is only rebuilt.
"""
from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

__all__ = ["write_atomic", "write_temp", "create_folder", "copy_folder", "fsync_dir", "unlink",
           "umask", "scratch", "TMP_SUFFIX"]

TMP_SUFFIX = ".draft-tmp"  # every temp the tool makes ends so (output.py sweeps them)


def umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unlink(path) -> None:
    """Remove a file; one already gone is fine."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def fsync_dir(folder) -> None:
    """Make a rename in `folder` durable (POSIX); a no-op where folders cannot be
    opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _chmod(fh, path, mode: int) -> None:
    if hasattr(os, "fchmod"):  # not on every platform (Windows before Python 3.13)
        os.fchmod(fh.fileno(), mode)
    else:  # pragma: no cover - exercised by a test that removes os.fchmod
        os.chmod(path, mode)


def write_temp(folder, base: str, data: bytes, mode: int, durable: bool = True) -> Path:
    """A complete temp file `.<base>.XXXX.draft-tmp` in `folder` (so that renaming it
    stays on one disk), with `mode`; fsynced unless `durable=False`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{base}.", suffix=TMP_SUFFIX, dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            _chmod(fh, tmp, mode)
            if durable:
                os.fsync(fh.fileno())
    except BaseException:
        unlink(tmp)
        raise
    return Path(tmp)


def _mode_for(path: Path) -> int:
    """The mode of the file being replaced, else what a new file gets (0o666 - umask)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return 0o666 & ~umask()


def write_atomic(path, data, mode: int | None = None, durable: bool = True) -> Path:
    """Replace (or create) `path` with `data` (bytes, or text written as UTF-8 as it
    is: no newline translation). `mode`: that of the file replaced unless given.
    Raises OSError; nothing is changed then."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = write_temp(path.parent, path.name, data, _mode_for(path) if mode is None else mode,
                     durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)
    return path


def create_folder(target, files: dict, mode: int | None = 0o444) -> Path:
    """A new folder `target` holding {relative name: bytes} (names may hold `/`), all or
    nothing: staged in a temp folder beside it (each file through write_atomic, with
    `mode`, or a new file's default when None), then renamed into place. Never onto an
    existing folder: FileExistsError. Raises OSError."""
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists")
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=TMP_SUFFIX,
                                  dir=target.parent))
    try:
        for name, data in files.items():
            parts = Path(name).parts
            if not parts or Path(name).is_absolute() or ".." in parts:
                raise ValueError(f"'{name}' is not a name inside the folder")
            path = stage.joinpath(*parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data, mode=mode)
        os.chmod(stage, 0o777 & ~umask())  # mkdtemp made it 0o700
        if target.exists():  # someone else made it meanwhile
            raise FileExistsError(f"{target} exists")
        os.rename(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    fsync_dir(target.parent)
    return target


def copy_folder(source, target, ignore=None, mode: int | None = None) -> Path:
    """Copy the folder `source` to the new folder `target`, all or nothing
    (create_folder); `ignore(folder, names) -> names to skip`, as shutil.copytree's."""
    source, files = Path(source), {}
    for folder, dirs, names in os.walk(source):
        skip = set(ignore(folder, dirs + names)) if ignore else set()
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for name in sorted(n for n in names if n not in skip):
            path = Path(folder) / name
            files[path.relative_to(source).as_posix()] = path.read_bytes()
    return create_folder(target, files, mode=mode)


@contextmanager
def scratch(prefix=".draft-scratch-"):
    """A private temporary folder for work nobody keeps (a trial check of a change before
    it is written), removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
