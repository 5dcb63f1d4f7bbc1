"""Selection: where the brief's decisions become the list of what each document says.

`select(case, audience)` is pure: it reads the case (letter, brief, library, the
`--position` overrides) and returns a `Selection`, one `Choice` per clause key, with
the position taken, where that position was decided, and the reply's order. It is the
only code that reads the brief's `positions`, `order`, `no_answer` and `notes`, so the
reply, the agendas, the declaration, the agreements and the matrix cannot disagree about
a proposal: they all read the same choices.
"""
from __future__ import annotations

from dataclasses import dataclass

from drafting.errors import InputError

__all__ = ["Choice", "Selection", "select", "choices", "SHARED"]

# Clauses of the reply that answer no proposal: their position follows from the pair of
# writer and reader (register, who the letter was addressed to), not from the brief.
SHARED = ("condolences", "reference", "on-behalf", "principles", "legal-routes", "closing")


@dataclass(frozen=True)
class Choice:
    key: str
    position: str | None        # None: the brief takes no position
    proposal: object = None     # the letter's Proposal, None for a shared clause
    no_answer: str | None = None  # the brief's reason for not answering, if any
    source: str = "brief"       # brief | override (--position) | default (shared rule)
    path: str | None = None     # where the position was decided
    line: int | None = None
    note: str = ""              # the brief's reviewer note (internal audience only)

    @property
    def answered(self) -> bool:
        """True when a document should say something about this key."""
        return self.position is not None and self.no_answer is None


@dataclass(frozen=True)
class Selection:
    audience: str
    choices: dict               # key -> Choice, the letter's proposals first, in its order
    reply: tuple                # the reply's choices, in the order the reply reads

    def __getitem__(self, key) -> Choice:
        return self.choices[str(key)]

    def __contains__(self, key) -> bool:
        return str(key) in self.choices

    def get(self, key) -> Choice | None:
        return self.choices.get(str(key))

    def position(self, key) -> str | None:
        choice = self.choices.get(str(key))
        return choice.position if choice else None

    def answered(self, keys) -> list:
        """The answered choices among `keys`, in that order, each once."""
        seen, out = set(), []
        for key in keys:
            choice = self.choices.get(str(key))
            if choice is not None and choice.answered and choice.key not in seen:
                seen.add(choice.key)
                out.append(choice)
        return out

    @property
    def proposals(self) -> list:
        """One choice per proposal of the letter, in the letter's order."""
        return [c for c in self.choices.values() if c.proposal is not None]


def _default_position(case, key) -> str | None:
    """A shared clause's position: the pair of writer and reader decides it."""
    clause = case.library.get(key)
    if clause is None:
        return None
    if key == "reference" and not case.answers_for_principal and "direct" in clause.positions:
        return "direct"
    if str(case.brief.register) == "familiar" and "familiar" in clause.positions:
        return "familiar"
    return "standard" if "standard" in clause.positions else next(iter(clause.positions), None)


def _choice(case, key, overrides, internal, proposals=None) -> Choice:
    brief = case.brief
    proposal = proposals.get(key) if proposals is not None else case.letter.proposal(key)
    note = brief.notes.get(key) if internal else None
    note = str(note) if note else ""
    reason = (brief.no_answer.get(key) or "") if key in brief.no_answer else None
    if key in overrides:
        pos = overrides[key]
        source = "override"
    elif key in brief.positions:
        pos = brief.positions[key]
        source = "brief"
    elif proposal is None:
        pos = _default_position(case, key)
        source = "default"
    else:
        pos, source = None, "brief"
    return Choice(key=key, position=str(pos) if pos is not None else None, proposal=proposal,
                  no_answer=None if reason is None else " ".join(str(reason or "").split()),
                  source=source, path=getattr(pos, "path", None) or brief.path,
                  line=getattr(pos, "line", None), note=note)


def _reply_keys(case, positioned) -> list:
    """The reply's clause keys in order: the brief's `order`, or condolences, reference,
    on-behalf, the answered proposals in the letter's order, closing."""
    if case.brief.order:
        return [str(k) for k in case.brief.order]
    keys = ["condolences", "reference", "on-behalf"]
    keys += [k for k in case.letter.keys if k in positioned]
    return keys + ["closing"]


def _fingerprint(case, audience, overrides) -> tuple:
    """What a selection depends on, cheaply compared: the same case read twice (every
    document of a pack, every proposal of an annotated agenda) is selected once."""
    brief = case.brief
    return (audience, id(case.letter), id(case.library), id(brief), str(brief.register),
            str(brief.signatory), str(brief.principal), tuple(map(str, brief.order)),
            tuple((str(k), str(v)) for k, v in brief.positions.items()),
            tuple((str(k), str(v)) for k, v in brief.no_answer.items()),
            tuple((str(k), str(v)) for k, v in brief.notes.items()),
            tuple((str(k), str(v)) for k, v in overrides.items()))


def select(case, audience=None) -> Selection:
    """The choices of a case for one audience (default: the brief's)."""
    audience = str(audience or case.brief.audience)
    overrides = dict(getattr(case, "overrides", None) or {})
    memo = case.__dict__.setdefault("_selections", {})
    stamp = _fingerprint(case, audience, overrides)
    if stamp in memo:
        return memo[stamp]
    if len(memo) > 8:  # a long-lived case (the preview) changes its brief: keep the last few
        memo.clear()
    memo[stamp] = selection = _select(case, audience, overrides)
    return selection


def choices(case, audience=None) -> dict:
    """`select(case, audience).choices` without putting the reply in order, so it never
    raises: a case whose reply cannot be ordered (a proposal in `order` without a
    position, an `order` entry that is nothing) still has its choices, which the checks
    read while the coverage check reports the order."""
    audience = str(audience or case.brief.audience)
    overrides = dict(getattr(case, "overrides", None) or {})
    return _choices(case, audience == "internal", overrides,
                    {p.key: p for p in case.letter.proposals})


def _choices(case, internal, overrides, proposals) -> dict:
    """key -> Choice: the letter's proposals in its order, then the keys the brief, the
    overrides and the shared clauses add."""
    keys = dict.fromkeys(case.letter.keys)
    for key in (*case.brief.positions, *overrides, *case.brief.order, *SHARED):
        if str(key) not in keys and (str(key) in case.library or key in case.brief.positions
                                     or key in overrides):
            keys[str(key)] = None
    return {key: _choice(case, key, overrides, internal, proposals) for key in keys}


def _select(case, audience, overrides) -> Selection:
    internal = audience == "internal"
    proposals = {p.key: p for p in case.letter.proposals}
    choices = _choices(case, internal, overrides, proposals)
    positioned = {k for k, c in choices.items() if c.position is not None and c.proposal}
    reply = []
    for key in _reply_keys(case, positioned):
        if key == "on-behalf" and not case.answers_for_principal:
            continue
        choice = choices.get(key) or _choice(case, key, overrides, internal, proposals)
        if choice.proposal is not None and choice.no_answer is not None:
            continue
        if choice.position is None:
            if choice.proposal is not None:
                raise InputError(f"proposal '{key}' has no position in the brief",
                                 path=case.brief.path,
                                 hint=f"add '{key}: POSITION' under positions, "
                                 "or a reason under no_answer")
            raise InputError(f"the reply names '{key}', which is neither a proposal of the "
                             "letter nor a clause of the library", path=case.brief.path,
                             hint="check the brief's order:")
        reply.append(choice)
    return Selection(audience=audience, choices=choices, reply=tuple(reply))
