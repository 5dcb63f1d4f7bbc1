"""The incoming letter of a case and its proposals (letters/<case>/letter.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import Problem, Problems
from drafting.inputs.sources import Map, Str, as_date, as_int, load_yaml, read_text, shape_problems

__all__ = ["Letter", "Proposal", "load_letter"]


@dataclass
class Proposal:
    key: str
    title: dict
    quote: str
    paragraph: int
    bullet: int | None = None
    line: int | None = None
    path: str | None = None

    @property
    def where(self) -> str:
        return f"§{self.paragraph}" + (f", bullet {self.bullet}" if self.bullet else "")


@dataclass
class Letter:
    case: str
    path: str
    sender: Str
    addressee: Str
    date: object
    place: str
    language: str
    copies: list
    salutation: str
    close: str
    text: str
    proposals: list = field(default_factory=list)

    def proposal(self, key):
        return next((p for p in self.proposals if p.key == key), None)

    @property
    def keys(self):
        return [p.key for p in self.proposals]


SHAPES = {**dict.fromkeys(("case", "text", "sender", "addressee", "date", "place", "language",
                           "salutation", "close"), "text"),
          "copies": "list", "proposals": "list"}


def _need(data, key, path, problems, hint):
    if data.get(key) in (None, ""):
        problems.append(Problem(f"missing '{key}'", path, data.line, hint=hint))
        return ""
    return data[key]


def load_letter(folder: Path) -> Letter:
    """Read letter.yaml (metadata and proposals) and the letter's text beside it."""
    path = folder / "letter.yaml"
    data = load_yaml(path)
    problems = shape_problems(data, SHAPES)
    if problems:
        raise Problems(problems)
    need = lambda k, h: _need(data, k, str(path), problems, h)  # noqa: E731
    sender = need("sender", "a key of clauses/people.yaml")
    addressee = need("addressee", "a key of clauses/people.yaml")
    date = need("date", "YYYY-MM-DD")
    text_name = data.get("text") or "letter.txt"
    text = read_text(folder / text_name) if (folder / text_name).exists() else ""
    proposals, seen = [], {}
    for item in data.get("proposals") or []:
        if not isinstance(item, Map):
            problems.append(Problem("a proposal must be a mapping", str(path),
                                    item.line if hasattr(item, "line") else None,
                                    hint="write key:, title:, quote:, paragraph:"))
            continue
        key = item.get("key")
        if not key:
            problems.append(Problem("proposal without a key", str(path), item.line,
                                    hint="add 'key: short-name'"))
            continue
        if key in seen:
            problems.append(Problem(f"proposal key '{key}' used twice (first at line {seen[key]})",
                                    str(path), key.line, hint="keys must be unique"))
            continue
        seen[key] = key.line
        title = item.get("title") or {}
        proposals.append(Proposal(
            key=str(key), title=dict(title), quote=str(item.get("quote") or ""),
            paragraph=as_int(item.get("paragraph") or 0),
            bullet=as_int(item["bullet"]) if item.get("bullet") else None,
            line=item.line, path=str(path)))
    if problems:
        raise Problems(problems)
    return Letter(case=str(data.get("case") or folder.name), path=str(path), sender=sender,
                  addressee=addressee, date=as_date(date), place=str(data.get("place") or ""),
                  language=str(data.get("language") or "en"),
                  copies=list(data.get("copies") or []),
                  salutation=str(data.get("salutation") or ""), close=str(data.get("close") or ""),
                  text=text, proposals=proposals)
