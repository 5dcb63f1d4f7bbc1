"""Loading WeasyPrint's native libraries: one ldconfig listing answers every name the
way ctypes' own first step would, and nothing is left patched afterwards."""
from __future__ import annotations

import ctypes.util
import sys

import pytest

from drafting.writers import native

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


@linux
def test_names_resolve_as_ctypes_resolves_them(monkeypatch):
    calls = []
    listing = native._ldconfig_listing
    monkeypatch.setattr(native, "_ldconfig_listing", lambda: calls.append(1) or listing())
    original = ctypes.util.find_library
    with native.quick_find_library():
        assert ctypes.util.find_library is not original
        assert ctypes.util.find_library("c") == original("c")
        assert ctypes.util.find_library("libgobject-2.0-0.dll") is None
        assert ctypes.util.find_library("no-such-library-here") is None
    assert ctypes.util.find_library is original
    assert calls == [1]  # one listing for every name


@linux
def test_without_ldconfig_the_original_answers(monkeypatch):
    monkeypatch.setattr(native, "_ldconfig_listing", lambda: b"")
    asked = []
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: asked.append(name) or "libx.so.1")
    with native.quick_find_library():
        assert ctypes.util.find_library("x") == "libx.so.1"
    assert asked == ["x"]


def test_restored_after_an_error():
    original = ctypes.util.find_library
    with pytest.raises(RuntimeError):
        with native.quick_find_library():
            raise RuntimeError("import failed")
    assert ctypes.util.find_library is original
