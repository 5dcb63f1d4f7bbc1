"""The ministerial meeting of a case (letters/<case>/meeting.yaml) as the brief shapes it:
who is invited, in EU protocol order, and the numbered, timed agenda items.

EU protocol order: the host first, then the Member States by their names in their
own languages (casefold, accents stripped: Belgique/België, Deutschland, Nederland),
then third countries the same way, then EU institutions and agencies in file order.
The order is computed once, from the native names, so it is the same in every language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from drafting.errors import InputError, Problem, Problems, did_you_mean
from drafting.inputs.dates import long_date, time_of_day, weekday_date
from drafting.inputs.sources import Map, as_date, converted, load_yaml, tree_problems

__all__ = ["Delegation", "Item", "Meeting", "meeting_of", "protocol_key", "KINDS", "SHAPES",
           "load_meeting"]

# Delegation kinds, in the order their groups come.
KINDS = ("host", "member", "third", "institution", "agency")
PURPOSES = ("decision", "discussion", "information")


# The schema of meeting.yaml, every field (sources.tree_problems): titles, places and the
# names of delegations, people and items are single values (in each language) and refuse
# invisible and direction-changing characters (U+202E, U+200B, U+FEFF ...).
# Every text the papers print is a 'pair': both languages, or a path:line error.
DELEGATION = {"kind": "text", "name": "pair", "native": "name", "signing": "pair",
              "absence": "pair", "if_absent": "name", "members": ["name"]}
ITEM = {"key": "name", "time": "text", "title": "pair", "purpose": "text", "proposals": ["name"]}
SHAPES = {"title": "pair", "place": "pair", "venue": "pair", "date": "text", "chair": "name",
          "host": "name", "sign": ["text"], "documents_date": "text",
          "delegations": {"*": DELEGATION}, "items": [ITEM]}


def load_meeting(path):
    """meeting.yaml, every field of the shape SHAPES wants; every problem of the file at
    once (Problems), each path:line."""
    data = load_yaml(path)
    problems = tree_problems(data, SHAPES, "", str(path), data.line)
    delegations = data.get("delegations")
    for key, d in delegations.items() if isinstance(delegations, Map) else ():
        if isinstance(d, Map) and d.get("name") is None:
            problems.append(Problem(f"delegation '{key}' has no name", str(path),
                                    delegations.key_line(key),
                                    hint="add name: {fr: ..., en: ...}"))
    if problems:
        raise Problems(problems)
    return data


def protocol_key(native: str) -> str:
    """Sort key of a country by its own name: casefold, accents stripped."""
    decomposed = unicodedata.normalize("NFKD", str(native).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass
class Delegation:
    key: str
    kind: str
    name: dict
    native: str
    members: list          # Person objects
    data: Map
    index: int             # position in meeting.yaml

    def label(self, field_name, lang, default=None):
        value = self.data.get(field_name)
        if isinstance(value, dict):
            return str(value.get(lang) or default or "")
        return default


@dataclass
class Item:
    key: str
    number: str            # "1." - computed text, never a counter
    time: str              # "14 h 15" / "14.15"
    title: str
    purpose: str
    proposals: list


@dataclass
class Meeting:
    data: Map
    path: str
    delegations: list = field(default_factory=list)   # every delegation, file order
    invited: list = field(default_factory=list)       # the brief's, in protocol order
    absent: list = field(default_factory=list)        # withdrawn or not invited

    def place(self, lang):
        return str((self.data.get("place") or {}).get(lang, ""))

    def venue(self, lang):
        return str((self.data.get("venue") or self.data.get("place") or {}).get(lang, ""))

    def date(self):
        return as_date(self.data["date"])

    def date_text(self, lang):
        return weekday_date(self.date(), lang)

    def long_date(self, lang):
        return long_date(self.date(), lang)

    def title(self, lang):
        return str((self.data.get("title") or {}).get(lang, ""))

    def items(self, lang) -> list:
        out = []
        for n, raw in enumerate(self.data.get("items") or [], 1):
            out.append(Item(key=str(raw.get("key") or n), number=f"{n}.",
                            time=time_of_day(raw["time"], lang) if raw.get("time") else "",
                            title=str((raw.get("title") or {}).get(lang, "")),
                            purpose=str(raw.get("purpose") or ""),
                            proposals=[str(p) for p in raw.get("proposals") or []]))
        return out

    def proposal_order(self) -> list:
        """Proposal keys in the order the agenda items carry them."""
        keys = []
        for raw in self.data.get("items") or []:
            for p in raw.get("proposals") or []:
                if str(p) not in keys:
                    keys.append(str(p))
        return keys


def _order(delegations):
    def key(d):
        group = KINDS.index(d.kind)
        if d.kind in ("member", "third"):
            return (group, protocol_key(d.native), d.index)
        return (group, "", d.index)
    return sorted(delegations, key=key)


def _check(meeting_map, path, case):
    problems = []
    for name in ("place", "date", "chair", "delegations", "items"):
        if not meeting_map.get(name):
            problems.append(Problem(f"the meeting has no '{name}'", path, meeting_map.line,
                                    hint=f"add '{name}:' to meeting.yaml"))
    for n, raw in enumerate(meeting_map.get("items") or [], 1):
        if not isinstance(raw, Map) or not raw.get("title"):
            problems.append(Problem(f"agenda item {n} has no title", path,
                                    getattr(raw, "line", None), hint="add title: {fr: ..., en: ...}"))
            continue
        purpose = raw.get("purpose")
        if purpose and purpose not in PURPOSES:
            problems.append(Problem(f"unknown purpose '{purpose}'", path, purpose.line,
                                    hint=did_you_mean(purpose, PURPOSES, ", ".join(PURPOSES))))
        for p in raw.get("proposals") or []:
            if p not in case.letter.keys and p not in case.library:
                problems.append(Problem(f"agenda item {n} carries unknown proposal '{p}'", path,
                                        p.line, hint=did_you_mean(p, list(case.letter.keys),
                                                                  "proposals: " + ", ".join(case.letter.keys))))
        when = raw.get("time")
        m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", str(when).strip()) if when else True
        if not m or (m is not True and (int(m.group(1)) > 23 or int(m.group(2) or 0) > 59)):
            problems.append(Problem(f"agenda item {n}: '{when}' is not a time of day", path,
                                    getattr(when, "line", None) or raw.line,
                                    hint="write it as HH:MM, e.g. 14:15"))
    if meeting_map.get("date"):
        converted(as_date, meeting_map["date"], problems, None)
    return problems


def meeting_of(case) -> Meeting:
    """The case's meeting with the brief's invitations applied. Every problem of
    meeting.yaml and of the brief's `meeting:` is collected, then raised at once, each
    named path:line."""
    data = case.meeting
    if data is None:
        raise InputError(f"case '{case.name}' has no meeting", path=case.folder / "meeting.yaml",
                         hint="add meeting.yaml to the case folder (see letters/2021-11-25-uk-pm)")
    path = str(getattr(data, "path", None) or case.folder / "meeting.yaml")
    problems = _check(data, path, case)
    delegations = []
    raw = data.get("delegations") if isinstance(data.get("delegations"), Map) else Map()
    for i, (key, d) in enumerate(raw.items()):
        if not isinstance(d, Map):
            problems.append(Problem(f"delegation '{key}' must be a mapping of fields", path,
                                    raw.key_line(key), hint="give it kind:, name:, members:"))
            continue
        kind = d.get("kind")
        if kind not in KINDS:
            problems.append(Problem(f"delegation '{key}' has unknown kind '{kind}'", path,
                                    getattr(kind, "line", None) or raw.key_line(key),
                                    hint=did_you_mean(kind, KINDS, "kinds: " + ", ".join(KINDS))))
            continue
        members = []
        for m in d.get("members") or []:
            try:
                members.append(case.person(m, m))
            except InputError as exc:
                problems.extend(exc.problems)
        delegations.append(Delegation(key=str(key), kind=str(kind), name=dict(d.get("name") or {}),
                                      native=str(d.get("native") or (d.get("name") or {}).get("fr", key)),
                                      members=members, data=d, index=i))
    if data.get("chair"):
        try:
            case.person(data["chair"], data["chair"])
        except InputError as exc:
            problems.extend(exc.problems)
    keys = [str(k) for k in raw]
    spec = case.brief.data.get("meeting") or Map()
    brief_path = case.brief.path

    def wanted(name):
        chosen = spec.get(name)
        for k in chosen or []:
            if k not in keys:
                problems.append(Problem(f"unknown delegation '{k}' in meeting.{name}",
                                        getattr(k, "path", None) or brief_path,
                                        getattr(k, "line", None),
                                        hint=did_you_mean(k, keys, "delegations: " + ", ".join(keys),
                                                          also=True)))
        return None if chosen is None else [str(k) for k in chosen]

    invite, withdraw = wanted("invite"), wanted("withdraw") or []
    chosen = set(keys if invite is None else invite) - set(withdraw)
    hosts = [d for d in delegations if d.kind == "host"]
    if len(hosts) != 1 and not any("unknown kind" in p.problem for p in problems):
        problems.append(Problem(f"the meeting needs exactly one host delegation, found "
                                f"{len(hosts)}", path, raw.line or data.line,
                                hint="give one delegation 'kind: host'"))
    if len(problems) == 1:  # one problem: the error of that kind, as before
        one = problems[0]
        raise InputError(one.problem, path=one.path, line=one.line, col=one.col, hint=one.hint)
    if problems:
        raise Problems(problems)
    chosen.add(hosts[0].key)  # the host is always there
    invited = _order([d for d in delegations if d.key in chosen])
    absent = [d for d in delegations if d.key not in chosen]
    return Meeting(data=data, path=path, delegations=delegations, invited=invited, absent=absent)
