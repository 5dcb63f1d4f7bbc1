"""Issued versions are frozen: nothing the tool writes lands at or under a case's
`released/` folder, except a new version made by `draft release` (lifecycle/release.py,
through atomic.create_folder, never onto an existing one)."""
from __future__ import annotations

import json
import re
from pathlib import Path

from drafting.errors import InputError
from drafting.store.read import read_bytes, read_utf8

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


_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RECORD_LIMIT = 1 << 20  # a release.json is a few KB
FILE_LIMIT = 200 * 1024 * 1024  # a released DOCX or PDF, with its fonts and images


def _read_released(path) -> bytes:
    """A released file's bytes (bounded, a regular file), or its own error."""
    return read_bytes(path, FILE_LIMIT, what="released file")


def field_line(text: str, name: str, default=1):
    """The line of release.json that holds the key `name` ("name": ...)."""
    needle = json.dumps(name, ensure_ascii=False) + ":"
    for n, line in enumerate(text.split("\n"), 1):
        if needle in line:
            return n
    return default


def file_states(folder, files: dict):
    """(name, state, recorded, digest or reason) for each file a release recorded, state
    one of 'same', 'changed', 'gone', 'unreadable', 'denied' (by the system): the one place released bytes are
    hashed (draft check reports them all, verify_record refuses the first change)."""
    import hashlib

    folder = Path(folder)
    for name, recorded in sorted(files.items()):
        path = folder / name
        try:
            data = _read_released(path)
        except (FileNotFoundError, InputError) as exc:
            if isinstance(exc, InputError) and path.exists():
                yield name, "unreadable", recorded, exc.problems[0].problem
            else:
                yield name, "gone", recorded, ""
            continue
        except OSError as exc:
            yield name, "denied", recorded, exc.strerror
            continue
        digest = hashlib.sha256(data).hexdigest()
        yield name, "same" if digest == recorded else "changed", recorded, digest


def _is_version(v) -> bool:
    return (isinstance(v, int) and not isinstance(v, bool) and v > 0) or (
        isinstance(v, str) and v.isdigit() and int(v) > 0)


# The release record's schema: field -> (test, what it must be). Every reader of a release
# (draft versions, compare, release, check, absorb, the draft line) gets a record that
# passed it, or an InputError at the field's line.
RECORD_SHAPE = {
    "stem": (lambda v: isinstance(v, str) and re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", v),
             "a document name such as reply.fr"),
    "version": (_is_version, "a version number (1, 2, ...)"),
    "date": (lambda v: isinstance(v, str) and bool(_DATE.match(v)), "a date YYYY-MM-DD"),
    "files": (lambda v: isinstance(v, dict) and bool(v) and all(
        isinstance(k, str) and "/" not in k and "\\" not in k and k not in ("", ".", "..")
        and isinstance(h, str) and _HEX64.match(h) for k, h in v.items()),
        "a mapping of file names to sha256 digests"),
}
OPTIONAL_SHAPE = {
    "content_sha256": (lambda v: isinstance(v, str) and bool(_HEX64.match(v)), "a sha256 digest"),
    "released": (lambda v: isinstance(v, str), "a time (ISO 8601)"),
    "kind": (lambda v: isinstance(v, str), "a document kind"),
    "lang": (lambda v: isinstance(v, str), "a language"),
    "audience": (lambda v: isinstance(v, str), "an audience"),
    "case": (lambda v: isinstance(v, str), "a case name"),
    "brief_version": (lambda v: isinstance(v, (int, str)) and not isinstance(v, bool), "a version"),
    "positions": (lambda v: isinstance(v, list) and all(
        isinstance(p, list) and len(p) == 3 for p in v), "a list of [clause, field, position]"),
    "build": (lambda v: isinstance(v, dict) and isinstance(v.get("opts", {}), dict),
              "a mapping with kind, lang and opts"),
}


def load_record(rj) -> dict:
    """A release.json read (bounded, a regular file) and checked against the schema;
    InputError at the line of the first field that is wrong."""
    rj = Path(rj)
    text = read_utf8(rj, RECORD_LIMIT, what="release record")
    hint = "a release is never rewritten: restore release.json from version control"
    try:
        rec = json.loads(text)
    except ValueError as exc:
        raise InputError(f"release record is not valid JSON ({getattr(exc, 'msg', exc)})",
                         path=rj, line=getattr(exc, "lineno", None), hint=hint) from None
    if not isinstance(rec, dict):
        raise InputError("release record must be a JSON object", path=rj, line=1, hint=hint)
    for name, (ok, what) in RECORD_SHAPE.items():
        if name not in rec:
            raise InputError(f"release record has no '{name}' ({what})", path=rj, line=1,
                             hint=hint)
        if not ok(rec[name]):
            raise InputError(f"release record's '{name}' must be {what}, found "
                             f"{json.dumps(rec[name])[:40]}", path=rj,
                             line=field_line(text, name), hint=hint)
    for name, (ok, what) in OPTIONAL_SHAPE.items():
        if name in rec and not ok(rec[name]):
            raise InputError(f"release record's '{name}' must be {what}, found "
                             f"{json.dumps(rec[name])[:40]}", path=rj,
                             line=field_line(text, name), hint=hint)
    rec["version"] = int(rec["version"])
    rec["folder"] = str(rj.parent)
    return rec


def verify_record(rec) -> None:
    """Refuse (InputError at release.json's line) a release whose files are not the bytes
    it recorded: a released file changed, appended to, replaced or gone."""
    folder = Path(rec["folder"])
    rj = folder / "release.json"
    for name, state, recorded, digest in file_states(folder, rec["files"]):
        if state == "same":
            continue
        if state != "changed":
            _read_released(folder / name)  # its own error
        try:
            line = field_line(read_utf8(rj), name)
        except (OSError, InputError, ValueError):
            line = None
        raise InputError(f"{name} of the released {rec['stem']} v{rec['version']} no "
                         f"longer matches its release record (sha256 {recorded[:12]}... "
                         f"recorded, {digest[:12]}... now)", path=rj, line=line,
                         hint="restore the released file from version control; to issue "
                         "a changed text, release a new version (draft release)")


def records(case_folder, stem=None) -> list:
    """The release records (`release.json`) of a case, or of one document (`reply.fr`),
    by document then version; each with its `folder`, each checked against the schema
    (load_record: a record of the wrong shape is refused at its line, never half-read)."""
    base = Path(case_folder) / RELEASED
    out = []
    folders = [base / stem] if stem else (sorted(base.iterdir()) if base.is_dir() else [])
    for sdir in folders:
        if not sdir.is_dir():
            continue
        for vdir in sdir.iterdir():
            m = _VERSION.match(vdir.name)
            rj = vdir / "release.json"
            if m and (rj.exists() or rj.is_symlink()):
                out.append(load_record(rj))
    out.sort(key=lambda r: (str(r.get("stem", "")), int(r["version"])))
    return out
