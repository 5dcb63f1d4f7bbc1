"""Where a `draft check` problem is in the documents: the paragraph its file and line
produced, found from the provenance each paragraph of the tree carries (data-clause,
data-field, data-position, data-para; tree/links.assign_links names it, the name is
the paragraph's id in the preview's HTML).

A paragraph's source is the text it was made from (validate/editorial._source: the
brief's paragraph or override, else the clause's text for its position and field), and
within that YAML block the lines of its own paragraph (data-para). A problem links to:

1. the paragraph whose source lines hold the problem's line (the document being viewed
   first, then the documents in the page's order);
2. else, for a clause file, the first paragraph that clause produced (a problem at its
   metadata, or in a position the case does not use);
3. else, for a line of the brief or the letter naming a proposal or clause
   (`joint-patrols: decline`, `- joint-patrols`), that clause's first paragraph;
4. else nothing (a template, the people file): the problem is listed without a link.
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["anchor_id", "sources", "locate"]

_WORD = re.compile(r"(?<![\w-])[a-z0-9][a-z0-9-]*(?![\w-])")


def anchor_id(el) -> str | None:
    """The id a paragraph with a provenance gets in the page (its data-link)."""
    return el.get("id") or el.get("data-link")


def _lines(path, memo) -> list:
    key = str(path)
    if key not in memo:
        try:
            memo[key] = Path(key).read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            memo[key] = []
    return memo[key]


def _span(lines, line, index) -> tuple:
    """(first, last) line of the `index`-th paragraph of the YAML text whose key is at
    `line` (1-based); the key's own line counts as the first paragraph's."""
    if not lines or not line or line > len(lines):
        return (line, line)
    key = lines[line - 1]
    indent = len(key) - len(key.lstrip())
    inline = key.split(":", 1)[1].strip() if ":" in key else ""
    if inline and not inline.startswith((">", "|")):
        return (line, line)  # a one-line text
    paras, current, n = [], [], line
    while n < len(lines) and (not lines[n].strip() or len(lines[n]) - len(lines[n].lstrip()) > indent):
        if lines[n].strip():
            current.append(n + 1)
        elif current:
            paras.append(current)
            current = []
        n += 1
    if current:
        paras.append(current)
    if not paras:
        return (line, line)
    k = min(max(index, 1), len(paras)) - 1
    first = line if k == 0 else paras[k][0]
    return (first, paras[k][-1])


def sources(case, built, memo=None) -> list:
    """[(anchor id, clause key, resolved source path, first line, last line)] of the
    paragraphs of a built document that carry a provenance (ids set by assign_links)."""
    from drafting.tree.links import assign_links
    from drafting.validate.editorial import _source
    memo = {} if memo is None else memo
    document = built.document
    assign_links(document.body)
    out = []
    for el in document.body.iter():
        if not isinstance(el.tag, str) or not el.get("data-clause") or not anchor_id(el):
            continue
        key = el.get("data-clause")
        try:
            path, line = _source(case, key, el.get("data-position") or "", el.get("data-field") or "",
                                 document.lang, bool(el.get("data-case-specific")))
        except Exception:  # noqa: BLE001 - a paragraph without a findable source: no anchor
            path, line = None, None
        if path is None:
            continue
        path = Path(str(path)).resolve()
        first, last = _span(_lines(path, memo), line, int(el.get("data-para") or 1)) if line else (None, None)
        out.append((anchor_id(el), key, path, first, last))
    return out


def locate(root, problems, paragraphs, current=None) -> list:
    """For each problem, (document name, anchor id) or (None, None). `paragraphs`:
    {document name: sources(...)} in the page's order; `current` is looked in first."""
    root = Path(root).resolve()
    order = sorted(paragraphs, key=lambda name: name != current)
    memo: dict = {}
    keys = {p[1] for name in order for p in paragraphs[name]}
    out = []
    for problem in problems:
        out.append(_one(root, problem, paragraphs, order, keys, memo))
    return out


def _one(root, problem, paragraphs, order, keys, memo) -> tuple:
    if not problem.path:
        return (None, None)
    path = Path(str(problem.path))
    path = (path if path.is_absolute() else root / path).resolve()
    line = problem.line
    if line:
        for name in order:  # 1. the paragraph made from that line
            for anchor, _key, src, first, last in paragraphs[name]:
                if src == path and first and first <= line <= last:
                    return (name, anchor)
    if path.parent.name == "clauses" and path.stem in keys:  # 2. a clause file: its first paragraph
        for name in order:
            for anchor, key, _s, _f, _l in paragraphs[name]:
                if key == path.stem:
                    return (name, anchor)
    if line:  # 3. a line naming a clause (the brief's positions, order; the letter)
        lines = _lines(path, memo)
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        named = [w for w in _WORD.findall(text.split("#", 1)[0]) if w in keys]
        for word in named:
            for name in order:
                for anchor, key, _s, _f, _l in paragraphs[name]:
                    if key == word:
                        return (name, anchor)
    return (None, None)
