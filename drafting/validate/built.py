"""The checks a command runs on the documents it is about to write (api.preflight):
only what those documents need, so writing a reply loads none of the case-wide checks."""
from __future__ import annotations

from drafting.validate.consistency import check_consistency
from drafting.validate.leaks import find_leaks, internal_texts
from drafting.validate.library import stale_english
from drafting.validate.problems import Found
from drafting.validate.stubs import stub_markers

__all__ = ["check_built"]


def check_built(case, builts, audience=None) -> list:
    """The checks one command's documents need before writing: the clauses they carry
    are current (English renders the French version, no stub marker - [TO BE DRAFTED,
    [À RÉDIGER ... - in an output for a wider audience), they agree with the
    selection, and nothing internal reaches a wider audience (`audience`, else each
    document's own audience meta). Returns the problems (relative paths); the caller
    decides."""
    found = Found(case.root)
    used = {el.get("data-clause") for b in builts for el in b.document.root.iter()
            if isinstance(el.tag, str) and el.get("data-clause")}
    english = any(b.lang == "en" for b in builts)
    for key in sorted(k for k in used if k in case.library and english):
        clause = case.library[key]
        data = clause.data
        if data.get("en_renders") and clause.en_renders < clause.version:
            stale_english(found, data, clause.path, clause.version, clause.en_renders)
    check_consistency(found, case, builts)
    wider = [(b, audience or b.document.meta.get("audience") or "internal") for b in builts]
    wider = [(b, a) for b, a in wider if a != "internal"]
    if wider:
        memo = case.memo if isinstance(getattr(case, "memo", None), dict) else {}
        secrets = memo.get("internal_texts")  # a long-lived case computes them once
        if secrets is None:
            secrets = memo["internal_texts"] = internal_texts(case)
        for built, seen in wider:
            markers = stub_markers(built.document.text())
            if markers:
                found.add(f"{built.stem} for the {seen} audience still has text to draft "
                          f"({' '.join(markers[0].split())})", case.brief.path, None,
                          hint="draft the clause texts first (draft check lists them)")
            find_leaks(found, built, secrets, seen)
    return list(found)
