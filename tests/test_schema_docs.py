"""The brief's and the clause files' schemas are documented, every field the loaders read."""
from __future__ import annotations

import re

from conftest import CHECKOUT

from drafting.inputs import brief, library

DOC = (CHECKOUT / "docs" / "brief.md").read_text(encoding="utf-8")
CLAUSES = (CHECKOUT / "clauses" / "README.md").read_text(encoding="utf-8")
# read by other modules than brief.py: meeting.py, agreement.py, registry.py, signoff.py
BRIEF_ELSEWHERE = ("meeting", "agreements", "documents", "clearance")
PARAGRAPH = ("key", "after", "before", "fr", "en", "note")


def _fields(text):
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))


def test_docs_name_every_brief_field():
    documented = _fields(DOC)
    for name in list(brief.SHAPES) + list(BRIEF_ELSEWHERE):
        assert name in documented, f"docs/brief.md does not document '{name}'"
        assert re.search(rf"^{name}:", DOC, re.M), f"docs/brief.md's example has no '{name}'"
    for name in PARAGRAPH:
        assert name in documented and re.search(rf"^\s+(- )?{name}:", DOC, re.M), name


def test_the_example_brief_loads():
    import tempfile
    from pathlib import Path
    example = DOC.split("```yaml\n", 1)[1].split("```", 1)[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brief.yaml"
        path.write_text(example, encoding="utf-8")
        loaded = brief.load_brief(path)
    assert loaded.positions["joint-patrols"] == "decline" and loaded.paragraphs


def test_clause_readme_names_every_clause_field():
    for name in list(library.SHAPES) + list(library.POSITIONS[:8]) + list(library.PAIR_META) + [
            "en_renders_sha", "agenda", "no_text", "line", "reply", "declaration", "internal"]:
        assert re.search(rf"\b{re.escape(name)}\b", CLAUSES), f"clauses/README.md lacks '{name}'"
