"""The link a generated DOCX carries from each paragraph back to where its text came
from (clause key, field, position, paragraph number), so that `draft absorb` can put a
reviewer's Word edits back where they belong.

Each paragraph drawn from the library or from the brief gets a hidden Word bookmark
(a name starting with "_" is hidden in Word's bookmark list) spanning the paragraph:
`_dr<10 hex digits of sha1(clause|field|position)>_<paragraph number>`. Word bookmark
names allow only letters, digits and "_" and at most 40 characters, so the clause key
(with hyphens) and the field (with dots) are hashed; absorb maps a name back through a
fresh build of the same document, which carries the attributes in full.
"""
from __future__ import annotations

import hashlib

__all__ = ["assign_links", "link_of"]

PREFIX = "_dr"


def link_of(clause, field, position, para) -> str:
    digest = hashlib.sha1(f"{clause}|{field or ''}|{position or ''}".encode()).hexdigest()
    return f"{PREFIX}{digest[:10]}_{para}"


def assign_links(body) -> dict:
    """Set `data-link` on every paragraph that has a provenance (tree order, a repeated
    name gets a suffix); return {name: element}. Idempotent."""
    links, seen = {}, set()
    if body is None:
        return links
    for el in body.iter("p", "h1", "h2", "h3", "td", "th"):
        clause, para = el.get("data-clause"), el.get("data-para")
        if not clause or not para:
            continue
        name = el.get("data-link")
        if not name:
            base = link_of(clause, el.get("data-field"), el.get("data-position"), para)
            name, n = base, 1
            while name in seen:
                n += 1
                name = f"{base}_{n}"
            el.set("data-link", name)
        seen.add(name)
        links[name] = el
    return links
