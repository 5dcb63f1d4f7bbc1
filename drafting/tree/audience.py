"""Audiences and markings: who may read an output, and what it is marked.

Applied to the tree after rendering, whatever the template did, so internal text
cannot reach a wider audience by a template's oversight:
- internal: everything (reviewer notes, draft marks, internal fields);
- interministerial: draft marks and clause provenance, no notes, no internal field;
- external: no notes, no provenance, no internal field, no draft mark.
The marking of an output is the most restrictive marking of what it draws on, each
originator's in its own words (protocol.yaml `markings`), never translated.
"""
from __future__ import annotations

from drafting.errors import InputError, closest

__all__ = ["AUDIENCES", "apply_audience", "marking_of", "check_audience"]

AUDIENCES = ("internal", "interministerial", "external")
_PROVENANCE = ("data-clause", "data-field", "data-position", "data-version", "data-owner",
               "data-cleared", "data-para", "data-case-specific", "data-article")


def check_audience(audience):
    if audience not in AUDIENCES:
        hint = closest(audience, AUDIENCES)
        raise InputError(f"unknown audience '{audience}'",
                         path=getattr(audience, "path", None), line=getattr(audience, "line", None),
                         hint=f"did you mean '{hint}'?" if hint else "audiences: " + ", ".join(AUDIENCES))
    return audience


def apply_audience(document, audience):
    """Strip from the tree what this audience may not read."""
    check_audience(audience)
    if audience == "internal":
        return document
    body = document.body
    for el in list(body.iter()):
        if el.get("data-internal") or el.get("class") == "note":
            parent = el.getparent()
            if parent is not None:
                if el.tail:
                    prev = el.getprevious()
                    if prev is not None:
                        prev.tail = (prev.tail or "") + el.tail
                    else:
                        parent.text = (parent.text or "") + el.tail
                parent.remove(el)
            continue
        if "data-note" in el.attrib:
            del el.attrib["data-note"]
        if audience == "external":
            for name in _PROVENANCE:
                el.attrib.pop(name, None)
            if el.get("class") == "case-specific":  # flagged for reviewers only
                el.set("class", "body")
    if audience == "external":
        document.meta["draft"] = ""
    document.meta["audience"] = audience
    for m in document.root.iter("meta"):
        if m.get("name") in ("draft", "audience"):
            m.set("content", document.meta[m.get("name")])
    return document


def marking_of(case, document, extra=()):
    """The most restrictive marking per originator of what the document draws on."""
    table = case.protocol.data.get("markings") or {}
    found = {}

    def consider(marking):
        marking = str(marking or "").strip()
        if not marking:
            return
        for side, ladder in table.items():
            ladder = [str(x) for x in ladder]
            if marking in ladder:
                if ladder.index(marking) > ladder.index(found.get(side, ladder[0])):
                    found[side] = marking
                return
        found.setdefault(marking, marking)  # unknown scheme: keep it as written

    consider(case.brief.marking)
    for key in {el.get("data-clause") for el in document.body.iter() if el.get("data-clause")}:
        clause = case.library.get(key)
        if clause is not None:
            consider(clause.data.get("marking"))
    for m in extra:
        consider(m)
    order = list(table)
    return " / ".join(found[s] for s in sorted(found, key=lambda s: order.index(s) if s in order else 99))
