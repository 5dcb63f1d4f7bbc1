"""templates/README.md, which a template error points to, names every class of the
vocabulary and every variable each kind's context gives its template."""
from __future__ import annotations

import re

from conftest import CHECKOUT

from drafting.documents.registry import KINDS
from drafting.inputs.case import load_case
from drafting.tree.document import DIVS, HEADINGS, INLINE, SPAN_CLASSES, STYLES, TABLE

DOC = (CHECKOUT / "templates" / "README.md").read_text(encoding="utf-8")
NAMED = set(re.findall(r"`([\w-]+)`", DOC))


def test_every_element_and_class_is_named():
    expected = set(STYLES) | set(HEADINGS) | INLINE | TABLE | DIVS | (SPAN_CLASSES - {""})
    assert sorted(expected - NAMED) == []


def test_every_variable_of_every_kind_is_named(workspace):
    case = load_case(workspace)
    missing = {}
    for name, kind in KINDS.items():
        for opts in kind.variants(case)[:1] + ([{"parallel": True}] if name == "agreement" else []):
            if kind.needs_meeting and case.meeting is None:
                continue
            _template, ctx = kind.context(case, "fr", **{**kind.variants(case)[0], **opts})
            lost = sorted(set(ctx) - NAMED)
            if lost:
                missing[name] = lost
    assert missing == {}
