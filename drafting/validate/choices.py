"""What the documents should say about each key, as the checks read it: the selection
(drafting.select), the choices the documents themselves are built from, so validation
and documents cannot read the brief differently."""
from __future__ import annotations

from drafting.errors import InputError
from drafting.select import select

__all__ = ["choices"]


def choices(case) -> dict:
    """key -> Choice (position, no_answer, where it was decided) for the case."""
    try:
        return select(case).choices
    except InputError:
        return _each_key(case)


def _each_key(case) -> dict:
    """The selection's choices key by key, for a case whose reply cannot be put in order
    (a proposal in `order` without a position, an `order` entry that is nothing: the
    coverage check reports it): the documents that still build are checked against
    these. The keys are those `select` takes."""
    from drafting.select import SHARED, _choice

    overrides = dict(getattr(case, "overrides", None) or {})
    keys = list(case.letter.keys)
    for key in (*case.brief.positions, *overrides, *case.brief.order, *SHARED):
        if str(key) not in keys and (str(key) in case.library or key in case.brief.positions
                                     or key in overrides):
            keys.append(str(key))
    return {key: _choice(case, key, overrides, False) for key in keys}
