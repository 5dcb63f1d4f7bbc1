"""Anchors: each case-specific paragraph of the brief (`paragraphs:`) that says where it
goes in the reply (`after: KEY`, `before: KEY`, `after: start`, `before: end`) names
something the reply has: one of its clauses or another paragraph of the brief.

An anchor that names nothing does not drop the paragraph any more (the reply places it
where an unanchored one goes, before the closing clause), but the drafter meant it to
go elsewhere: an error, at the anchor's line.
"""
from __future__ import annotations

from drafting.documents.reply import ANCHORS, END, START, anchor_of, arrange, para_key
from drafting.errors import DraftError, did_you_mean

__all__ = ["check_anchors"]


def check_anchors(found, case):
    from drafting.documents.reply import reply_keys

    items = case.brief.paragraphs
    if not items:
        return
    try:
        keys = reply_keys(case)
    except DraftError:
        return  # the reply cannot be put in order: the coverage check says why
    _order, dangling = arrange(keys, items)
    names = list(keys) + [para_key(i) for i in items]
    for item in dangling:
        side, target = anchor_of(item)
        node = item.get(side)
        line = getattr(node, "line", None) or getattr(item, "line", None)
        key = para_key(item)
        if target in names and target != key:
            problem = (f"paragraph '{key}': {side}: '{target}' goes round in a loop of "
                       "paragraphs anchored to each other")
            hint = "anchor one of them to a clause of the reply"
        elif target == key:
            problem = f"paragraph '{key}': {side}: names the paragraph itself"
            hint = "anchor it to a clause of the reply"
        else:
            what = _why_not(case, target)
            problem = (f"paragraph '{key}': {side}: '{target}' names nothing in the reply"
                       f"{what} - the paragraph goes before the closing clause instead")
            hint = did_you_mean(target, names + [START, END], "anchors: " + ", ".join(
                [f"after: {START}", f"before: {END}", *keys]), also=True)
        found.add(problem, case.brief.path, line, hint=hint, code="anchor")
    for item in items:
        both = [side for side in ANCHORS if str(item.get(side) or "").strip()]
        if len(both) > 1:
            found.add(f"paragraph '{para_key(item)}' has both after: and before: (after: "
                      "is used)", case.brief.path, getattr(item, "line", None),
                      hint="keep one of the two", code="anchor")


def _why_not(case, target) -> str:
    """' (a proposal the reply leaves unanswered)' ... or ''."""
    if target in case.brief.no_answer:
        return " (a proposal the brief leaves unanswered)"
    if target in case.letter.keys or target in case.library:
        if case.brief.order and target not in {str(k) for k in case.brief.order}:
            return " (not in the brief's order)"
        return " (the reply does not carry it)"
    return ""
