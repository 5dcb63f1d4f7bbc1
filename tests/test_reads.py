"""Every file the tool reads goes through store/read.py (a regular file, read with a size
bound): a scan of the package for the other ways to read, with the few places that read
the tool's own files named and explained."""
from __future__ import annotations

import re
from pathlib import Path

import drafting

# module -> why it may read directly (its own files, never a person's input)
OWN_FILES = {
    "store/read.py": "the bounded reader itself",
    "store/output.py": "the output folder's manifest, journal and the files it wrote",
    "store/cache.py": "the tool's cache folder",
    "store/atomic.py": "copy_folder copies the shipped data into a new workspace",
    "inputs/sources.py": "the parsed-tree cache file (a restricted unpickler reads it)",
    "writers/pdf.py": "WeasyPrint's fetcher serves the templates' own fonts and stylesheet",
    "preview/app.py": "serves print.css and the shipped fonts to the page",
    "preview/anchors.py": "clause lines for links, files already read by the check",
}
WAYS = re.compile(r"(?<![\w.])open\(|\.read_text\(|\.read_bytes\(")


def test_no_module_reads_a_file_by_itself():
    package = Path(drafting.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        if rel in OWN_FILES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if WAYS.search(code) and not code.lstrip().startswith(("\"", "'")):
                found.append(f"{rel}:{n}: {line.strip()}")
    assert found == [], "read through drafting.store.read:\n" + "\n".join(found)


def test_the_exceptions_still_exist():
    package = Path(drafting.__file__).parent
    assert [m for m in OWN_FILES if not (package / m).exists()] == []


def test_a_clause_folder_fifo_does_not_block_the_library(tmp_path, workspace):
    """A FIFO named like a clause file is refused at once, never waited on."""
    import os
    import shutil

    from drafting.inputs.library import load_library
    shutil.copytree(workspace / "clauses", tmp_path / "clauses")
    os.mkfifo(tmp_path / "clauses" / "zz-fifo.yaml")
    try:
        load_library(tmp_path / "clauses", ["joint-patrols"], lazy=True)
    except drafting.InputError as exc:
        assert "zz-fifo.yaml" in str(exc) or "pipe" in str(exc)
