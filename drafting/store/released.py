"""Issued versions are frozen: nothing the tool writes lands at or under a case's
`released/` folder, except a new version made by `draft release` (lifecycle/release.py,
through atomic.create_folder, never onto an existing one)."""
from __future__ import annotations

from pathlib import Path

from drafting.errors import InputError

__all__ = ["RELEASED", "is_released", "refuse_released"]

RELEASED = "released"


def is_released(path) -> bool:
    """True for a path at or under `<case>/released/` (a case: a folder with letter.yaml)."""
    p = Path(path).absolute()
    return any(folder.name == RELEASED and (folder.parent / "letter.yaml").exists()
               for folder in (p, *p.parents))


def refuse_released(path) -> None:
    """Refuse writing at or under a case's released/ folder (InputError, exit 2)."""
    if is_released(path):
        raise InputError("released versions are never overwritten: this path is inside "
                         "a released/ folder", path=path,
                         hint="write elsewhere (--out), or release a new version with "
                         "draft release")
