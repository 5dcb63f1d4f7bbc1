"""Loading WeasyPrint's native libraries (Pango, HarfBuzz, fontconfig ...) quickly.

WeasyPrint asks cffi for each library under several names, Windows and macOS names
first; cffi hands each name to ctypes.util.find_library, which on Linux runs
`ldconfig -p`, then gcc, then ld for every name it does not find - about twenty
subprocesses, a third of the import. Here `ldconfig -p` runs once and each name is
looked up in its listing, as ctypes' own first step does; a name it lacks is not
found, and WeasyPrint goes on to the library's Linux soname, which the dynamic loader
finds itself. Elsewhere, or without ldconfig, nothing changes.
"""
from __future__ import annotations

import contextlib
import re
import subprocess
import sys

__all__ = ["quick_find_library"]


def _ldconfig_listing() -> bytes:
    for exe in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        try:
            return subprocess.run([exe, "-p"], stdin=subprocess.DEVNULL,
                                  capture_output=True, env={"LC_ALL": "C", "LANG": "C"},
                                  timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            continue
    return b""


@contextlib.contextmanager
def quick_find_library():
    """While importing WeasyPrint: one ldconfig listing serves every library name."""
    import ctypes.util
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    listing = None

    def find_library(name):
        nonlocal listing
        if listing is None:
            listing = _ldconfig_listing()
        if not listing:
            return original(name)
        found = re.search(rb"\s(lib%s\.[^\s]+)\s+\(" % re.escape(name.encode()), listing)
        return found.group(1).decode() if found else None

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = original
