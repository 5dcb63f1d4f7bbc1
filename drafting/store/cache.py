"""The tool's own cache (~/.cache/draft, or $XDG_CACHE_HOME/draft): compiled templates,
per-file results of the library checks, date names from babel.

Everything in it can be rebuilt: a cache that cannot be read, written or trusted
(another user's folder, a group- or world-writable one) is simply not used, and
DRAFT_NO_CACHE=1 turns it off.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from drafting.store.atomic import write_atomic

__all__ = ["cache_dir", "load_json", "save_json", "save_bytes"]


def cache_dir(*parts) -> Path | None:
    """The cache folder (made private), or None when there is no cache to trust.
    Checked once per process and folder: the tree cache asks for every file it reads."""
    if os.environ.get("DRAFT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "draft", *parts)
    if folder not in _CHECKED:
        _CHECKED[folder] = _trusted(folder)
    return _CHECKED[folder]


_CHECKED: dict = {}


def _trusted(folder: str) -> Path | None:
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.stat(folder)
        if st.st_uid != os.getuid() or st.st_mode & 0o022:  # not ours alone: do not trust
            return None
    except (OSError, AttributeError):
        return None
    return Path(folder)


def load_json(name: str, default=None):
    """A cached JSON value, or `default` when it is missing, unreadable or off."""
    folder = cache_dir()
    if folder is None:
        return default
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return default


def save_json(name: str, value) -> None:
    """Replace a cached JSON value atomically; a failure only loses the cache."""
    folder = cache_dir()
    if folder is not None:
        save_bytes(folder / name, json.dumps(value, ensure_ascii=False).encode("utf-8"))


def save_bytes(path, data: bytes) -> None:
    """Replace a cache file atomically (atomic.py, without fsync: a cache lost in a
    crash is rebuilt), private to this user; a failure only loses the cache."""
    try:
        write_atomic(path, data, mode=0o600, durable=False)
    except OSError:
        pass
