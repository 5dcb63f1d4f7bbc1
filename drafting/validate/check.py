"""`draft check`: validate a case and the clause library, reporting every problem at once.

Each problem is a `Problem` with a path (relative to the project folder), a line and a
severity ("error" or "warning"). Loaders that fail are caught and their problems
collected, so one run lists everything a drafter has to mend. This module runs the
checks in order; each concern lives in its own module:

- library.py: every clause and agreement file parses; parity (every {fr, en} text
  complete with the same placeholders) and the English records the French version it
  renders (`en_renders`); metadata: owner, version, cleared version and date; a clause
  changed since it was cleared, or still holding "[TO BE DRAFTED", is a warning;
- coverage.py: every proposal of the letter has a position in the brief or a reason
  under `no_answer`; no position names an unknown proposal or position; a positioned
  proposal is in the brief's `order` when the brief gives one;
- documents.py: every document kind renders (StrictUndefined) in every language in use;
- consistency.py: every document carries each proposal under the position the
  selection (drafting.select) chose, the documents that should carry an answered
  proposal do, and both languages of a document carry the same clauses;
- leaks.py: no internal-only text (clause `internal`, `ladder`, `agenda.if_raised`,
  `agenda.expected`, agreement reservations, brief `notes`) appears in a document built
  for a wider audience; internal-only kinds refuse that audience;
- editorial.py: what a reviewer finds reading each document as one text - a phrase
  or argument said twice, openings alike, words of the other language, calques,
  straight quotes in English, facts against dates (warnings; data: clauses/editorial/);
- lifecycle.py: stale clearances, overridden clauses, divergence from released
  documents (warnings);
- translation.py (run by library.py): the English renders the French as it is now
  (`en_renders_sha`, a hash of the French) and paragraph for paragraph;
- stubs.py: no "[TO BE DRAFTED" (or other stub marker) in anything a document prints;
- anchors.py: a brief paragraph's `after:`/`before:` names something in the reply;
- gaps.py: no document drops a proposal because the position chosen has no text for it
  where another position has; an agenda clause has its line;
- released.py: every released file still has the bytes its release record hashed;
- omissions.py: an agreement reads right whatever --omit-declined leaves out (every
  reference to an article that can go says what it becomes without it);
- problems.py: how the problems are collected, sorted (by file and line), coded and
  printed.
"""
from __future__ import annotations

from pathlib import Path

from drafting.documents.registry import KINDS
from drafting.errors import DraftError
from drafting.inputs.library import LANGS
from drafting.inputs.sources import load_yaml
from drafting.validate.anchors import check_anchors
from drafting.validate.built import check_built
from drafting.validate.consistency import check_consistency
from drafting.validate.correspondents import check_correspondents
from drafting.validate.coverage import blocked_keys, check_coverage
from drafting.validate.documents import document_jobs, needs_meeting, run_jobs
from drafting.validate.editorial import check_editorial
from drafting.validate.gaps import check_gaps
from drafting.validate.library import check_library, todos
from drafting.validate.lifecycle import check_lifecycle
from drafting.validate.omissions import check_omissions
from drafting.validate.problems import Found, as_json, finish, format_problem, summary
from drafting.validate.released import check_released
from drafting.validate.stubs import check_stubs

__all__ = ["check_case", "check_built", "summary", "format_problem", "as_json"]


def check_case(root=None, case=None, brief=None, overrides=(), strict=False) -> list:
    """Every problem of a case and the library, errors and warnings, at once."""
    from drafting.inputs.brief import load_brief, parse_overrides
    from drafting.inputs.case import DEFAULT_CASE, find_root, load_case
    from drafting.inputs.letter import load_letter

    root = Path(root) if root else find_root()
    found = Found(root)
    name = case or DEFAULT_CASE
    folder = root / "letters" / name
    check_released(found, folder)  # released files are what their records say
    if not (folder / "letter.yaml").exists():
        check_library(found, root)
        found.attempt(load_case, root, name)  # the clear 'no case' error
        return finish(found, strict)
    # the letter and the brief are read leniently: a bad value is reported and read as
    # its default, so it hides none of the problems of the rest of the case
    letter = _lenient(found, load_letter, folder)
    brief_obj = _lenient(found, load_brief, Path(brief) if brief else folder / "brief.yaml")
    over = found.attempt(parse_overrides, overrides) if not isinstance(overrides, dict) \
        else overrides
    needed = None
    if letter is not None and brief_obj is not None:
        needed = _needed(letter, brief_obj, over)
    library = check_library(found, root, needed, case=folder)
    check_omissions(found, root)  # the agreements read right whatever is omitted
    meeting = None
    if (folder / "meeting.yaml").exists():
        meeting = found.attempt(load_yaml, folder / "meeting.yaml")
    if letter is not None and brief_obj is not None and over is not None:
        check_coverage(found, letter, brief_obj, library, over, meeting)
    loaded = None
    if over is not None:
        try:
            # the library read here, unless a clause file does not load: then the
            # case's own loading says why
            loaded = load_case(root, name, brief, over,
                               library=None if library.broken else library)
            loaded.memo = {}  # each document is built once, read by every check
        except DraftError as exc:
            found.extend_from(exc)
            if letter is not None and brief_obj is not None:
                loaded = _lenient_case(found, root, name, folder, letter, brief_obj, over,
                                       library)
    blocked = blocked_keys(loaded or brief_obj, letter, library, over or {})
    if loaded is None:
        todos(found, library, brief_obj.positions if brief_obj is not None else {})
        return finish(found, strict)
    langs = [str(lang) for lang in loaded.brief.languages if str(lang) in LANGS]
    kinds = [k for k in KINDS if loaded.meeting is not None or not needs_meeting(k)]
    jobs = document_jobs(loaded, kinds, langs)
    results = run_jobs(loaded, jobs, blocked)
    builts = []
    for job, (problems, built) in zip(jobs, results):
        if job[0] != "wider":
            for p in problems:
                found.add(p)
        if built is not None:
            builts.append(built)
    check_consistency(found, loaded, builts)
    check_correspondents(found, loaded)
    check_stubs(found, loaded, builts)  # and the library's other texts still to draft
    check_anchors(found, loaded)
    check_gaps(found, loaded)
    check_lifecycle(found, loaded, builts)
    found.attempt(check_editorial, found, loaded, builts)  # warnings: what a reviewer finds
    for job, (problems, _built) in zip(jobs, results):  # the leak scan's, last
        if job[0] == "wider":
            for p in problems:
                found.add(p)
    return finish(found, strict)


def _lenient(found, load, path):
    """load(path, problems): the object with its problems added to `found`, or None when
    the file cannot be read at all (YAML syntax, not a mapping)."""
    problems = []
    obj = found.attempt(load, path, problems)
    for p in problems:
        found.add(p)
    return obj


def _needed(letter, brief, over):
    """The clause files the case uses: they are parsed again even when the library
    check's cache holds their results."""
    from drafting.select import SHARED
    return {str(k) for k in (*letter.keys, *brief.positions, *brief.order,
                             *(over or {}), *SHARED, "declaration")}


def _lenient_case(found, root, name, folder, letter, brief, over, library):
    """The case without the positions the coverage check refused, so the document
    checks still run; None when something else (people, protocol) is broken."""
    import dataclasses

    from drafting.inputs.case import Case
    from drafting.inputs.people import load_people, load_protocol

    chosen = dict(brief.positions)
    chosen.update(over)
    valid = {k: v for k, v in chosen.items() if k in library and v in library[k].positions}
    brief = dataclasses.replace(brief, positions=valid)
    people = found.attempt(load_people, root / "clauses" / "people.yaml")
    protocol = found.attempt(load_protocol, root / "clauses" / "protocol.yaml")
    if people is None or protocol is None:
        return None
    for who in (brief.signatory, brief.addressee, letter.sender, letter.addressee,
                *brief.copies, *(k for k in [brief.principal] if k)):
        if found.attempt(people.person, who, who) is None:
            return None
    meeting = None
    if (folder / "meeting.yaml").exists():
        meeting = found.attempt(load_yaml, folder / "meeting.yaml")
        if meeting is None:
            return None
    return Case(root=root, name=name, folder=folder, letter=letter, brief=brief,
                people=people, protocol=protocol, library=library, meeting=meeting)
