"""Giving freed memory back to the system between documents.

Python's allocator and glibc's malloc keep freed memory for reuse: after a large DOCX
or PDF, a process stays as big as its largest document while it waits for the next
step. Where memory is summed across processes (a pack's parent and PDF workers at
once), handing it back keeps the peak to what is in use.
"""
from __future__ import annotations

import functools
import gc
import sys

__all__ = ["give_back"]


@functools.cache
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: a run that never gives memory back (one DOCX) never loads it
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def give_back() -> None:
    """Collect garbage and return free heap pages to the system (glibc only)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
