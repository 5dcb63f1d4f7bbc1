"""A case: the letter, its brief, the people, the protocol and the clauses it uses."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError, Problem, Problems, did_you_mean
from drafting.inputs.brief import Brief, load_brief, parse_overrides
from drafting.inputs.letter import Letter, load_letter
from drafting.inputs.library import Library, load_library
from drafting.inputs.meeting import load_meeting
from drafting.inputs.people import People, Protocol, load_people, load_protocol
from drafting.inputs.sources import Map
from drafting.inputs.workspace import locate, templates_for

__all__ = ["Case", "load_case", "find_root", "DEFAULT_CASE", "list_cases", "case_folder"]

DEFAULT_CASE = "2021-11-25-uk-pm"


def find_root(start=None) -> Path:
    """The folder to read cases from: the nearest workspace from `start` (default: the
    current folder) upward, else the data shipped in the package (the embedded case).
    See drafting/inputs/workspace.py."""
    return locate(start=start).root


def list_cases(root: Path):
    return sorted(p.name for p in (root / "letters").glob("*/letter.yaml") for p in [p.parent])


def case_folder(root: Path, name=None) -> Path:
    """The folder of case `name` (default: the embedded case); a clear error naming the
    closest case when there is none."""
    name = name or DEFAULT_CASE
    folder = Path(root) / "letters" / name
    if not (folder / "letter.yaml").exists():
        cases = list_cases(root)
        raise InputError(f"no case '{name}'", path=folder, hint=did_you_mean(
            name, cases, "cases: " + (", ".join(cases) or "none (see draft ingest)")))
    return folder


@dataclass
class Case:
    root: Path
    name: str
    folder: Path
    letter: Letter
    brief: Brief
    people: People
    protocol: Protocol
    library: Library
    meeting: Map | None = None
    # --position KEY=POSITION pairs of this run (already applied to brief.positions;
    # kept so the selection can say where a position came from)
    overrides: dict = field(default_factory=dict)
    # Built documents by (kind, lang, options), when a caller reads the same documents
    # several times (draft check, the matrix): None means no memo.
    memo: dict | None = None

    # True for the data shipped in the package (no workspace): nothing may be written there
    read_only: bool = False

    @property
    def templates(self) -> Path:
        """The workspace's own templates/, else the shipped ones."""
        return templates_for(self.root)

    def person(self, key, where=None):
        return self.people.person(key, where or key)

    @property
    def answers_for_principal(self) -> bool:
        """True when the signatory answers a letter addressed to someone else."""
        return str(self.brief.signatory) != str(self.letter.addressee)


def _positions_problems(letter, brief, library, overrides):
    problems = []
    proposal_keys = set(letter.keys)
    for key, pos in list(brief.positions.items()) + list(overrides.items()):
        path = getattr(pos, "path", None) or brief.path
        line = getattr(pos, "line", None)
        if key not in proposal_keys and key not in library:
            problems.append(Problem(f"unknown proposal '{key}'", path, line, hint=did_you_mean(
                key, list(proposal_keys) + list(library), "proposals: " + ", ".join(letter.keys))))
            continue
        if key not in library:
            problems.append(Problem(f"proposal '{key}' has no clause in the library", path, line,
                                    hint=f"add clauses/{key}.yaml"))
            continue
        clause = library[key]
        if pos not in clause.positions:
            problems.append(Problem(f"unknown position '{pos}' for '{key}'", path, line,
                                    hint=did_you_mean(pos, clause.positions, "positions: "
                                                      + ", ".join(clause.positions), also=True)))
    return problems


def load_case(root=None, case=None, brief=None, overrides=(), keys=None, library=None) -> Case:
    """Load and cross-check a case. `overrides` are --position KEY=POSITION pairs;
    `library`, one already loaded (draft check parses every file once)."""
    if root:
        root, read_only = Path(root), False
    else:
        where = locate()
        root, read_only = where.root, where.embedded
    name = case or DEFAULT_CASE
    folder = case_folder(root, name)
    letter = load_letter(folder)
    brief_obj = load_brief(Path(brief) if brief else folder / "brief.yaml")
    over = parse_overrides(overrides) if not isinstance(overrides, dict) else overrides
    # the clauses the case names; any other is read when a document asks for it
    wanted = (list(keys or ()) + list(brief_obj.positions) + list(brief_obj.order) + list(over)
              + list(letter.keys))
    if library is None:
        library = load_library(root / "clauses", wanted, lazy=True, overlay=folder / "clauses")
    problems = _positions_problems(letter, brief_obj, library, over)
    if problems:
        raise Problems(problems)
    brief_obj.positions.update(over)
    people = load_people(root / "clauses" / "people.yaml")
    if (folder / "people.yaml").exists():  # people of this case only (e.g. from draft ingest)
        people.update(load_people(folder / "people.yaml"))
    for who in (brief_obj.signatory, brief_obj.addressee, letter.sender, letter.addressee,
                *(brief_obj.copies), *(k for k in [brief_obj.principal] if k)):
        people.person(who, who)
    protocol = load_protocol(root / "clauses" / "protocol.yaml")
    meeting = load_meeting(folder / "meeting.yaml") if (folder / "meeting.yaml").exists() else None
    return Case(root=root, name=name, folder=folder, letter=letter, brief=brief_obj,
                people=people, protocol=protocol, library=library, meeting=meeting,
                overrides=dict(over), read_only=read_only)
