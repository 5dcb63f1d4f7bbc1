"""Writing generated files safely: each file goes to a temp file in the same folder
and is renamed into place, so a reader never sees half a document and a failure
leaves the old file intact."""
from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from .errors import EnvironmentProblem, InputError

__all__ = ["write_files", "safe_target"]


def safe_target(out_dir: Path, name: str) -> Path:
    """A path inside the output folder; refuse one that escapes it."""
    out_dir = Path(out_dir)
    target = (out_dir / name)
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise InputError(f"output path '{name}' escapes the output folder", path=out_dir,
                         hint="use a plain file name")
    return target


def _env_error(exc, path):
    what = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
            errno.ENOSPC: "no space left on the disk", errno.EROFS: "read-only file system",
            errno.EDQUOT: "disk quota exceeded"}.get(exc.errno, exc.strerror or str(exc))
    hint = {errno.ENOSPC: "free some space and run again; nothing was changed",
            errno.EDQUOT: "free some space and run again; nothing was changed"}.get(
        exc.errno, "choose another --out folder or fix its permissions; nothing was changed")
    return EnvironmentProblem(f"cannot write: {what}", path=path, hint=hint)


def write_files(out_dir: Path, files: dict) -> list:
    """Write {name: bytes} into out_dir, all or nothing; return the paths written."""
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise InputError("the output folder is a symbolic link", path=out_dir,
                         hint="give a real folder with --out")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _env_error(exc, out_dir) from None
    temps = []
    try:
        for name, data in files.items():
            target = safe_target(out_dir, name)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=out_dir)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise _env_error(exc, out_dir) from None
    return [target for _, target in temps]
