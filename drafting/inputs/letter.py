"""The incoming letter of a case and its proposals (letters/<case>/letter.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import Problem
from drafting.inputs.sources import (
    NO_DATE,
    Map,
    Str,
    as_date,
    as_int,
    converted,
    field_reader,
    load_yaml,
    read_text,
    report,
    tree_problems,
)

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


# The schema of letter.yaml, every field (sources.tree_problems): names and titles refuse
# invisible and direction-changing characters (U+202E, U+200B, U+FEFF ...).
PROPOSAL = {"key": "name", "title": "names", "quote": "text", "paragraph": "text",
            "bullet": "text"}
SHAPES = {**dict.fromkeys(("case", "text", "date", "place", "language", "salutation", "close"),
                          "text"),
          "sender": "name", "addressee": "name", "copies": ["name"], "proposals": [PROPOSAL]}


def _need(data, key, path, problems, hint):
    if data.get(key) in (None, ""):
        problems.append(Problem(f"missing '{key}'", path, data.line, hint=hint))
        return Str("")
    return data[key]


def load_letter(folder: Path, problems: list | None = None) -> Letter:
    """Read letter.yaml (metadata and proposals) and the letter's text beside it.

    Every problem of the file is collected, then raised at once (Problems). Given a
    `problems` list, they are added to it instead and the letter is still returned, a
    bad value read as absent (a proposal without a key is left out), so that
    `draft check` goes on to the rest of the case."""
    path = folder / "letter.yaml"
    data = load_yaml(path)
    found = []
    bad = set()  # fields of the wrong shape: read as absent
    for name, shape in SHAPES.items():
        wrong = tree_problems(data.get(name), shape, name, str(path), data.key_line(name))
        if wrong:
            found += wrong
            if name != "proposals":  # a wrong proposal is left out below, not the list
                bad.add(name)
    if "proposals" in data and not isinstance(data.get("proposals"), (list, type(None))):
        bad.add("proposals")

    get = field_reader(data, bad)
    need = lambda k, h: (_need(data, k, str(path), found, h) if k not in bad  # noqa: E731
                         else Str(""))
    sender = need("sender", "a key of clauses/people.yaml")
    addressee = need("addressee", "a key of clauses/people.yaml")
    date = need("date", "YYYY-MM-DD")
    date = converted(as_date, date, found, None) if date else None
    text_name = get("text") or "letter.txt"
    text = read_text(folder / text_name) if (folder / text_name).exists() else ""
    proposals, seen = [], {}
    for item in get("proposals", []):
        if item is None:
            found.append(Problem("an empty proposal", str(path), data.key_line("proposals"),
                                 hint="write key:, title:, quote:, paragraph: or remove the '-'"))
            continue
        if not isinstance(item, Map) or tree_problems(item, PROPOSAL):
            continue  # reported above (SHAPES), with its line
        key = item.get("key")
        if not key:
            found.append(Problem("proposal without a key", str(path), item.line,
                                 hint="add 'key: short-name'"))
            continue
        if key in seen:
            found.append(Problem(f"proposal key '{key}' used twice (first at line {seen[key]})",
                                 str(path), key.line, hint="keys must be unique"))
            continue
        seen[key] = key.line
        title = item.get("title") or {}
        proposals.append(Proposal(
            key=str(key), title=dict(title) if isinstance(title, dict) else {},
            quote=str(item.get("quote") or ""),
            paragraph=converted(as_int, item.get("paragraph") or 0, found, 0),
            bullet=converted(as_int, item["bullet"], found, None) if item.get("bullet") else None,
            line=item.line, path=str(path)))
    report(found, problems)
    return Letter(case=str(get("case") or folder.name), path=str(path), sender=sender,
                  addressee=addressee, date=date or NO_DATE, place=str(get("place", "")),
                  language=str(get("language", "en")),
                  copies=list(get("copies", [])),
                  salutation=str(get("salutation", "")), close=str(get("close", "")),
                  text=text, proposals=proposals)
