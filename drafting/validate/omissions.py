"""Omissions: an agreement file reads right whatever `--omit-declined` takes out.

- every id a paragraph or article names (`with:`, `without:`, `used_by:`, `requires:`) is
  an article of the agreement (or of the final clauses): a mistyped id would print a
  paragraph always, or never;
- a paragraph that refers (`{ref:ID}`) to an article that can be left out (one tied to a
  proposal, or one that `requires:` such an article) says what it becomes without it: a
  `without: ID` paragraph beside it (the one with the reference marked `with: ID`), or
  the article `requires: [ID]`; otherwise the omitted article's number would be missing
  from the text ("[article omis : ...]").
"""
from __future__ import annotations

from pathlib import Path

from drafting.documents.agreement import _ids, unresolved_references
from drafting.errors import DraftError, did_you_mean
from drafting.inputs.sources import Map, load_yaml
from drafting.validate.problems import line_of

__all__ = ["check_omissions"]

CONDITIONS = ("with", "without", "used_by")


def _walk(node):
    """Every mapping under a node."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def check_omissions(found, root):
    folder = Path(root) / "clauses" / "agreements"
    if not folder.is_dir():
        return
    try:
        common = load_yaml(folder / "common.yaml") if (folder / "common.yaml").is_file() else Map()
    except DraftError:
        common = Map()  # reported by the library check
    finals = [str(a.get("id")) for a in common.get("final") or [] if isinstance(a, dict)]
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = load_yaml(path)
        except DraftError:
            continue  # reported by the library check
        articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
        ids = [str(a.get("id")) for a in articles] + finals
        for node in _walk(data):
            for name in (*CONDITIONS, "requires"):
                if name not in node or (name == "requires" and node not in articles):
                    continue
                for target in sorted(_ids(node.get(name))):
                    if target not in ids:
                        found.add(f"agreement '{path.stem}': {name}: '{target}' is no article "
                                  "of the agreement", str(path), line_of(node, name),
                                  hint=did_you_mean(target, ids, "articles: " + ", ".join(ids),
                                                    also=True), code="omission")
        if path.stem == "common":
            continue
        merged = Map(data)
        merged["final"] = common.get("final") or []
        for art, reg, state, n, target, text in unresolved_references(merged):
            found.add(f"agreement '{path.stem}': article '{art}' ({reg}, {state}, paragraph "
                      f"{n}) refers to '{target}', which --omit-declined can leave out, and "
                      "says nothing of what it becomes without it", str(path),
                      getattr(text, "line", None),
                      hint=f"mark it 'with: {target}' and write the text without it beside it "
                      f"('without: {target}'), or give the article 'requires: [{target}]'",
                      code="omission")
