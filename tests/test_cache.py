"""The tool's cache (drafting/cache.py) never changes an answer: parsed YAML trees are
keyed by the file's bytes, a cache entry that is damaged or foreign is not used, and
DRAFT_NO_CACHE gives the same result."""
from __future__ import annotations

import os
import pickle
import sys

import pytest

from drafting.errors import InputError
from drafting.inputs.sources import Map, Str, _tree_file, load_yaml


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_tree_comes_back_with_its_locations(tmp_path, private_cache, monkeypatch):
    f = tmp_path / "c.yaml"
    f.write_text("key: a\ntitle:\n  fr: Texte\n  en: Text\n", encoding="utf-8")
    first = load_yaml(f)
    assert _tree_file(str(f)).exists()
    monkeypatch.setitem(sys.modules, "yaml", None)  # a second parse would fail: from the cache
    again = load_yaml(f)
    assert again == first and isinstance(again, Map) and isinstance(again["title"]["fr"], Str)
    assert (again["title"]["fr"].line, again["title"]["fr"].col) == (3, 7)
    assert again.key_line("title") == 2 and again["key"].path == str(f)


def test_an_edit_keeping_size_and_time_is_seen(tmp_path, private_cache):
    f = tmp_path / "c.yaml"
    f.write_text("key: a\n", encoding="utf-8")
    st = f.stat()
    assert load_yaml(f)["key"] == "a"
    f.write_text("key: b\n", encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert load_yaml(f)["key"] == "b"


def test_an_error_is_reported_every_time(tmp_path, private_cache):
    f = tmp_path / "c.yaml"
    f.write_text("key: a\nkey: b\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match="duplicate key 'key'"):
            load_yaml(f)


def test_a_foreign_or_damaged_entry_is_not_used(tmp_path, private_cache):
    f = tmp_path / "c.yaml"
    f.write_text("key: a\n", encoding="utf-8")
    load_yaml(f)
    entry = _tree_file(str(f))
    digest = entry.read_bytes()[:20]
    marker = tmp_path / "ran"
    # a valid digest followed by a pickle that would run code: refused, parsed again
    entry.write_bytes(digest + pickle.dumps(Boom(str(marker))))
    assert load_yaml(f)["key"] == "a" and not marker.exists()
    entry.write_bytes(digest + b"\x80\x05truncated")
    assert load_yaml(f)["key"] == "a"


def test_no_cache_gives_the_same_tree(tmp_path, private_cache, monkeypatch):
    f = tmp_path / "c.yaml"
    f.write_text("key: a\nlist:\n  - x\n  - y\n", encoding="utf-8")
    cached = load_yaml(f)
    monkeypatch.setenv("DRAFT_NO_CACHE", "1")
    assert load_yaml(f) == cached


class Boom:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))
