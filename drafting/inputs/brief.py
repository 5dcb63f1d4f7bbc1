"""The brief: the decisions for one case (letters/<case>/brief.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError, Problem, Problems, closest
from drafting.inputs.library import LANGS
from drafting.inputs.sources import Map, Str, as_date, as_int, load_yaml, shape_problems

__all__ = ["Brief", "load_brief", "parse_overrides", "AUDIENCES", "REGISTERS"]

AUDIENCES = ("internal", "interministerial", "external")
REGISTERS = ("formal", "familiar")
SHAPES = {**dict.fromkeys(("case", "version", "date", "place", "signatory", "addressee",
                           "principal", "register", "marking", "audience"), "text"),
          **dict.fromkeys(("languages", "copies", "order", "paragraphs"), "list"),
          **dict.fromkeys(("positions", "notes", "no_answer", "overrides"), "mapping")}


@dataclass
class Brief:
    path: str
    data: Map
    case: str
    version: int
    date: object
    place: str
    signatory: Str
    addressee: Str
    principal: Str | None
    register: Str
    languages: list
    marking: str
    audience: str
    copies: list
    positions: dict
    order: list
    notes: dict
    paragraphs: list
    no_answer: dict = field(default_factory=dict)
    overridden: dict = field(default_factory=dict)

    def position_of(self, key):
        return self.positions.get(key)


def load_brief(path: Path, problems: list | None = None) -> Brief:
    """Read and validate a brief. Every problem of the file is collected, then raised
    at once (Problems). Given a `problems` list, they are added to it instead and a
    brief is still returned, each bad value read as its default (a field of the wrong
    shape as absent, an unknown register as formal ...), so that `draft check` goes on
    to find the problems of the rest of the case."""
    data = load_yaml(path)
    found = []
    bad = set()  # fields of the wrong shape: read as absent
    for name, shape in SHAPES.items():
        wrong = shape_problems(data, {name: shape})
        if wrong:
            found += wrong
            bad.add(name)

    def get(name, default=None):
        value = None if name in bad else data.get(name)
        return value if value not in (None, "") else default

    for name in ("signatory", "addressee", "date", "place", "positions"):
        if not data.get(name):
            found.append(Problem(f"the brief has no '{name}'", str(path), data.line,
                                 hint=f"add '{name}:' to the brief"))
    register = get("register", Str("formal"))
    if register not in REGISTERS:
        hint = closest(register, REGISTERS)
        found.append(Problem(f"unknown register '{register}'", str(path), register.line,
                             hint=f"did you mean '{hint}'?" if hint else "formal or familiar"))
        register = Str("formal")
    audience = get("audience", "internal")
    if audience not in AUDIENCES:
        hint = closest(audience, AUDIENCES)
        found.append(Problem(f"unknown audience '{audience}'", str(path), audience.line,
                             hint=f"did you mean '{hint}'?" if hint else ", ".join(AUDIENCES)))
        audience = "internal"
    langs = []
    for lang in list(get("languages", LANGS)):
        if lang not in LANGS:
            hint = closest(lang, LANGS)
            found.append(Problem(f"unknown language '{lang}'", str(path),
                                 getattr(lang, "line", None),
                                 hint=f"did you mean '{hint}'?" if hint else "languages are fr and en"))
        else:
            langs.append(lang)
    paragraphs = []
    for item in get("paragraphs", []):
        if not isinstance(item, Map) or not item.get("fr") or not item.get("en"):
            found.append(Problem("a case-specific paragraph needs 'fr' and 'en' texts", str(path),
                                 getattr(item, "line", None), hint="add both languages"))
            continue
        paragraphs.append(item)
    version = _convert(as_int, get("version", "1"), found, 1)
    date = _convert(as_date, get("date"), found, None) if get("date") else None
    if found:
        if problems is None:
            raise Problems(found)
        problems.extend(found)
    return Brief(path=str(path), data=data, case=str(get("case") or Path(path).parent.name),
                 version=version, date=date or _NO_DATE,
                 place=str(get("place", "")), signatory=get("signatory", Str("")),
                 addressee=get("addressee", Str("")), principal=get("principal"),
                 register=register, languages=langs or list(LANGS),
                 marking=str(get("marking", "")),
                 audience=str(audience), copies=list(get("copies", [])),
                 positions=dict(get("positions", {})), order=list(get("order", [])),
                 notes=dict(get("notes", {})), paragraphs=paragraphs,
                 no_answer=dict(get("no_answer", {})),
                 overridden=dict(get("overrides", {})))


# The date a brief with no valid date is read with when the problems are collected
# (draft check): the documents it builds are checked, never written.
_NO_DATE = as_date("2000-01-01")


def _convert(convert, value, found, default):
    """convert(value), or `default` with the problem added to `found`."""
    try:
        return convert(value)
    except InputError as exc:
        found.extend(exc.problems)
        return default


def parse_overrides(pairs) -> dict:
    """--position KEY=POSITION (repeatable) into a dict; refuse a malformed pair."""
    out = {}
    for pair in pairs or ():
        key, sep, pos = pair.partition("=")
        if not sep or not key.strip() or not pos.strip():
            raise InputError(f"--position '{pair}' is not KEY=POSITION",
                             hint="e.g. --position joint-patrols=decline")
        s = Str(pos.strip())
        s.path = "--position"
        out[key.strip()] = s
    return out
