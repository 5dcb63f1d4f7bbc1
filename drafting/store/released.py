"""Issued versions are frozen: nothing the tool writes lands at or under a case's
`released/` folder, except a new version made by `draft release` (lifecycle/release.py,
through atomic.create_folder, never onto an existing one)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from drafting.errors import InputError

__all__ = ["RELEASED", "is_released", "refuse_released", "records"]

RELEASED = "released"
_VERSION = re.compile(r"^v(\d+)$")


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


def records(case_folder, stem=None) -> list:
    """The release records (`release.json`) of a case, or of one document (`reply.fr`),
    by document then version; each with its `folder`. A record that cannot be read is
    left out (lifecycle/release.py and the draft line read them; draft check verifies)."""
    base = Path(case_folder) / RELEASED
    out = []
    folders = [base / stem] if stem else (sorted(base.iterdir()) if base.is_dir() else [])
    for sdir in folders:
        if not sdir.is_dir():
            continue
        for vdir in sdir.iterdir():
            m = _VERSION.match(vdir.name)
            rj = vdir / "release.json"
            if m and rj.is_file():
                try:
                    rec = json.loads(rj.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if not isinstance(rec, dict) or not str(rec.get("version", "")).isdigit():
                    continue
                rec["folder"] = str(vdir)
                out.append(rec)
    out.sort(key=lambda r: (str(r.get("stem", "")), int(r["version"])))
    return out
