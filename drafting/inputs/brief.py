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


def load_brief(path: Path) -> Brief:
    data = load_yaml(path)
    problems = shape_problems(data, SHAPES)
    if problems:
        raise Problems(problems)
    for name in ("signatory", "addressee", "date", "place", "positions"):
        if not data.get(name):
            problems.append(Problem(f"the brief has no '{name}'", str(path), data.line,
                                    hint=f"add '{name}:' to the brief"))
    register = data.get("register") or Str("formal")
    if register not in REGISTERS:
        hint = closest(register, REGISTERS)
        problems.append(Problem(f"unknown register '{register}'", str(path), register.line,
                                hint=f"did you mean '{hint}'?" if hint else "formal or familiar"))
    audience = data.get("audience") or "internal"
    if audience not in AUDIENCES:
        hint = closest(audience, AUDIENCES)
        problems.append(Problem(f"unknown audience '{audience}'", str(path), audience.line,
                                hint=f"did you mean '{hint}'?" if hint else ", ".join(AUDIENCES)))
    langs = list(data.get("languages") or LANGS)
    for lang in langs:
        if lang not in LANGS:
            hint = closest(lang, LANGS)
            problems.append(Problem(f"unknown language '{lang}'", str(path),
                                    getattr(lang, "line", None),
                                    hint=f"did you mean '{hint}'?" if hint else "languages are fr and en"))
    if problems:
        raise Problems(problems)
    positions = data.get("positions") or Map()
    if not isinstance(positions, Map):
        raise InputError("'positions' must map proposal keys to positions", path=path,
                         line=positions.line, hint="write 'joint-patrols: decline'")
    paragraphs = []
    for item in data.get("paragraphs") or []:
        if not isinstance(item, Map) or not item.get("fr") or not item.get("en"):
            raise InputError("a case-specific paragraph needs 'fr' and 'en' texts", path=path,
                             line=getattr(item, "line", None), hint="add both languages")
        paragraphs.append(item)
    return Brief(path=str(path), data=data, case=str(data.get("case") or Path(path).parent.name),
                 version=as_int(data.get("version") or 1), date=as_date(data["date"]),
                 place=str(data["place"]), signatory=data["signatory"],
                 addressee=data["addressee"], principal=data.get("principal"),
                 register=register, languages=langs, marking=str(data.get("marking") or ""),
                 audience=str(audience), copies=list(data.get("copies") or []),
                 positions=dict(positions), order=list(data.get("order") or []),
                 notes=dict(data.get("notes") or {}), paragraphs=paragraphs,
                 no_answer=dict(data.get("no_answer") or {}),
                 overridden=dict(data.get("overrides") or {}))


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
