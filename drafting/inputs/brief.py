"""The brief: the decisions for one case (letters/<case>/brief.yaml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError, Problem, did_you_mean
from drafting.inputs.library import LANGS
from drafting.inputs.sources import (
    NO_DATE,
    Map,
    Str,
    as_date,
    as_int,
    converted,
    field_reader,
    load_yaml,
    report,
    shape_problems,
)

__all__ = ["Brief", "load_brief", "parse_overrides", "AUDIENCES", "REGISTERS", "NO_CLEARANCE"]

AUDIENCES = ("internal", "interministerial", "external")
REGISTERS = ("formal", "familiar")
SHAPES = {**dict.fromkeys(("case", "version", "date", "place", "signatory", "addressee",
                           "principal", "register", "marking", "audience", "clearance_reason",
                           "signoff_keys", "signoff_keys_reason"),
                          "text"),
          **dict.fromkeys(("languages", "copies", "order"), "texts"),
          **dict.fromkeys(("paragraphs",), "list"),
          **dict.fromkeys(("positions", "notes", "no_answer"), "text-map"),
          **dict.fromkeys(("overrides", "markings"), "mapping")}
NO_CLEARANCE = "none"


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
    # `markings:` the marking of each document by name (reply, agenda, agreement-readmission
    # ...); a document not named takes `marking` (documents/compose.marking_for)
    markings: dict = field(default_factory=dict)
    # `clearance:` who clears each document, in order (lifecycle/signoff.py): a mapping of
    # document name -> [roles] or 'none', or 'none' for every document; any 'none' needs
    # `clearance_reason:`, printed with every fair copy made without a chain
    clearance: object = None
    clearance_reason: str = ""

    def markings_line(self, key):
        node = self.data.get("markings")
        return node.key_line(key) if isinstance(node, Map) else None

    def clearance_waived(self, kind) -> bool:
        """True when the brief says explicitly that no one clears `kind` (with a reason)."""
        node = self.clearance
        if isinstance(node, dict):
            node = node.get(kind)
        return node is not None and not isinstance(node, list) \
            and str(node).strip().lower() == NO_CLEARANCE


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

    get = field_reader(data, bad)
    for name in ("signatory", "addressee", "date", "place", "positions"):
        if not data.get(name):
            found.append(Problem(f"the brief has no '{name}'", str(path), data.line,
                                 hint=f"add '{name}:' to the brief"))
    register = get("register", Str("formal"))
    if register not in REGISTERS:
        found.append(Problem(f"unknown register '{register}'", str(path), register.line,
                             hint=did_you_mean(register, REGISTERS, "formal or familiar")))
        register = Str("formal")
    audience = get("audience", "internal")
    if audience not in AUDIENCES:
        found.append(Problem(f"unknown audience '{audience}'", str(path), audience.line,
                             hint=did_you_mean(audience, AUDIENCES, ", ".join(AUDIENCES))))
        audience = "internal"
    langs = []
    for lang in list(get("languages", LANGS)):
        if lang not in LANGS:
            found.append(Problem(f"unknown language '{lang}'", str(path),
                                 getattr(lang, "line", None),
                                 hint=did_you_mean(lang, LANGS, "languages are fr and en")))
        else:
            langs.append(lang)
    paragraphs = []
    for item in get("paragraphs", []):
        if not isinstance(item, Map) or not item.get("fr") or not item.get("en"):
            found.append(Problem("a case-specific paragraph needs 'fr' and 'en' texts", str(path),
                                 getattr(item, "line", None), hint="add both languages"))
            continue
        paragraphs.append(item)
    version = converted(as_int, get("version", "1"), found, 1)
    date = converted(as_date, get("date"), found, None) if get("date") else None
    markings = {}
    for key, value in get("markings", {}).items():
        if value is not None and not isinstance(value, str):
            found.append(Problem(f"markings: '{key}' must be a single marking", str(path),
                                 getattr(value, "line", None) or data["markings"].key_line(key),
                                 hint=f"write '{key}: Diffusion Restreinte' (or '' for none)"))
            continue
        markings[key] = value
    clearance_found = _clearance_problems(data, path)
    found += clearance_found
    report(found, problems)
    return Brief(path=str(path), data=data, case=str(get("case") or Path(path).parent.name),
                 version=version, date=date or NO_DATE,
                 place=str(get("place", "")), signatory=get("signatory", Str("")),
                 addressee=get("addressee", Str("")), principal=get("principal"),
                 register=register, languages=langs or list(LANGS),
                 marking=str(get("marking", "")),
                 audience=str(audience), copies=list(get("copies", [])),
                 positions=dict(get("positions", {})), order=list(get("order", [])),
                 notes=dict(get("notes", {})), paragraphs=paragraphs,
                 no_answer=dict(get("no_answer", {})),
                 overridden=dict(get("overrides", {})),
                 markings=markings,
                 clearance=None if clearance_found else data.get("clearance"),
                 clearance_reason=str(get("clearance_reason", "")).strip())


def _clearance_problems(data, path) -> list:
    """`clearance:` is a mapping of document -> [roles] (or one role, or 'none'), or
    'none'; a 'none' needs a `clearance_reason:`, and a reason needs a 'none'."""
    node, problems, waived = data.get("clearance"), [], []
    if node is None:
        pass
    elif isinstance(node, Map):
        for kind, roles in node.items():
            line = getattr(roles, "line", None) or node.key_line(kind)
            if isinstance(roles, list) and roles and all(
                    isinstance(r, str) and r.strip() for r in roles):
                continue
            if isinstance(roles, str) and roles.strip():
                if roles.strip().lower() == NO_CLEARANCE:
                    waived.append(line)
                continue
            problems.append(Problem(f"clearance: '{kind}' must list the roles that clear it",
                                    str(path), line,
                                    hint=f"e.g. {kind}: [desk, director, legal], or {kind}: "
                                    f"{NO_CLEARANCE} with a clearance_reason"))
    elif isinstance(node, str) and node.strip().lower() == NO_CLEARANCE:
        waived.append(node.line)
    else:
        problems.append(Problem(f"'clearance' must name each document's chain of roles, or be "
                                f"'{NO_CLEARANCE}'", str(path),
                                getattr(node, "line", None) or data.key_line("clearance"),
                                hint="e.g. clearance: {reply: [desk, director, legal]}"))
    reason = data.get("clearance_reason")
    if waived and not (isinstance(reason, str) and reason.strip()):
        problems.append(Problem(f"'clearance: {NO_CLEARANCE}' needs a reason", str(path), waived[0],
                                hint="add 'clearance_reason: ...' saying why no one clears it "
                                "(it is printed with every fair copy made without a chain)"))
    if isinstance(reason, str) and reason.strip() and not waived:
        problems.append(Problem(f"'clearance_reason' without 'clearance: {NO_CLEARANCE}'", str(path),
                                getattr(reason, "line", None),
                                hint=f"give a reason only where a document has no chain "
                                f"(clearance: {NO_CLEARANCE}, or DOCUMENT: {NO_CLEARANCE})"))
    return problems


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
