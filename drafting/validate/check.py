"""`draft check`: validate a case and the clause library, reporting every problem at once.

Each problem is a `Problem` with a path (relative to the project folder), a line and a
severity ("error" or "warning"). Loaders that fail are caught and their problems
collected, so one run lists everything a drafter has to mend:

- coverage: every proposal of the letter has a position in the brief or a reason under
  `no_answer`; no position names an unknown proposal or position; a positioned
  proposal is in the brief's `order` when the brief gives one;
- parity: every {fr, en} text complete with the same placeholders (the library's own
  check), and the English records the French version it renders (`en_renders`);
- metadata: owner, version, cleared version and date; a clause changed since it was
  cleared, or still holding "[TO BE DRAFTED", is a warning;
- templates: every document kind renders (StrictUndefined) in every language in use;
- consistency: every document carries each proposal under the brief's position, the
  documents that should carry an answered proposal do, and both languages of a
  document carry the same clauses;
- audiences: no internal-only text (clause `internal`, `ladder`, `agenda.if_raised`,
  `agenda.expected`, agreement reservations, brief `notes`) appears in a document
  built for the external audience; internal-only kinds refuse that audience.
"""
from __future__ import annotations

import functools
import os
import re
from pathlib import Path

from drafting.documents.build import build
from drafting.documents.registry import KINDS, kind_of
from drafting.errors import DraftError, InputError, Problem
from drafting.inputs.library import LANGS, Library, NOT_CLAUSES, _check_texts, parse_clause
from drafting.inputs.sources import Map, as_date, as_int, load_yaml

__all__ = ["check_case", "check_built", "summary", "format_problem",
           "TODO_MARK"]

TODO_MARK = "[TO BE DRAFTED"
TO_BE_CHOSEN = "TO-BE-CHOSEN"
# Internal texts shorter than this (normalised) are not searched for: a ladder rung
# ("opening") or a two-word note would match ordinary words of any document.
MIN_LEAK = 20


# -- collecting ---------------------------------------------------------------------------

class _Found(list):
    """Problems in discovery order, without duplicates, with paths relative to root."""

    def __init__(self, root: Path):
        super().__init__()
        self.root = Path(root).resolve()
        self.seen = set()

    def rel(self, path):
        if not path:
            return path
        text = str(path)
        if text.startswith("--"):  # --position, --brief on the command line
            return text
        try:
            return Path(text).resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            return text

    def add(self, problem, path=None, line=None, hint=None, severity="error", col=None):
        if isinstance(problem, Problem):
            p = problem
        else:
            p = Problem(problem, path, line, col=col, hint=hint, severity=severity)
        p.path = self.rel(p.path)
        key = (p.path, p.line, p.problem)
        if key not in self.seen:
            self.seen.add(key)
            self.append(p)
        return p

    def extend_from(self, exc):
        for p in getattr(exc, "problems", None) or [Problem(str(exc))]:
            self.add(p)

    def attempt(self, func, *args, **kwargs):
        """Call a loader; on a DraftError keep its problems and return None."""
        try:
            return func(*args, **kwargs)
        except DraftError as exc:
            self.extend_from(exc)
            return None


def _line(node, key=None):
    if key is not None and isinstance(node, Map):
        value = node.get(key)
        if getattr(value, "line", None):
            return value.line
        return node.key_line(key)
    return getattr(node, "line", None)


def _walk_pairs(node, dotted=""):
    """Every {fr, en} text pair under a node, with its dotted path."""
    if isinstance(node, dict):
        if set(node) & set(LANGS) and set(node) <= set(LANGS) | {"version", "renders"}:
            yield dotted, node
            return
        for key, value in node.items():
            yield from _walk_pairs(value, f"{dotted}.{key}" if dotted else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node, 1):
            yield from _walk_pairs(value, f"{dotted}[{i}]")


def _leaves(node):
    """Every string under a node."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from _leaves(value)


# -- the library ------------------------------------------------------------------------

def _header(found, data, path, what):
    """owner / version / en_renders / cleared of one clause or agreement file."""
    def num(name, node=data):
        value = node.get(name) if isinstance(node, Map) else None
        if value is None:
            return None
        try:
            return as_int(value)
        except InputError as exc:
            found.extend_from(exc)
            return None

    owner = data.get("owner")
    if owner and str(owner).strip() == TO_BE_CHOSEN:
        found.add(f"{what} has no owner yet ({TO_BE_CHOSEN})", path, _line(data, "owner"),
                  hint="name the owning department")
    elif not owner:
        found.add(f"{what} has no 'owner'", path, data.line,
                  hint="add 'owner:' (the owning department)")
    version = num("version")
    if version is None and not data.get("version"):
        found.add(f"{what} has no 'version'", path, data.line, hint="add 'version: 1'")
    en_renders = num("en_renders")
    if version is not None:
        if not data.get("en_renders"):
            found.add(f"{what} does not record which French version its English renders",
                      path, _line(data, "version"), hint=f"add 'en_renders: {version}' once "
                      "the English texts render French version " + str(version))
        elif en_renders is not None and en_renders < version:
            _stale_english(found, data, path, version, en_renders)
        elif en_renders is not None and en_renders > version:
            found.add(f"en renders fr v{en_renders}, but fr is only v{version}", path,
                      _line(data, "en_renders"), hint=f"set en_renders: {version}")
    cleared = data.get("cleared")
    if not isinstance(cleared, Map) or not cleared.get("date") or not cleared.get("version"):
        missing = [n for n in ("version", "date")
                   if not (isinstance(cleared, Map) and cleared.get(n))]
        found.add(f"{what} has no cleared {' and '.join(missing)}", path,
                  _line(data, "cleared") if cleared else data.line,
                  hint="add 'cleared: {version: N, date: YYYY-MM-DD}' once the owner has "
                  "cleared the text")
        return
    cleared_version = num("version", cleared)
    try:
        cleared_date = as_date(cleared["date"])
    except InputError as exc:
        found.extend_from(exc)
        return
    if version is not None and cleared_version is not None and cleared_version < version:
        found.add(f"{what} v{version} changed since cleared (v{cleared_version} on "
                  f"{cleared_date.isoformat()})", path, _line(cleared, "version"),
                  hint=f"have the owner clear v{version}, then update 'cleared:'",
                  severity="warning")
    elif version is not None and cleared_version is not None and cleared_version > version:
        found.add(f"{what} cleared v{cleared_version}, but its version is only v{version}",
                  path, _line(cleared, "version"), hint=f"set cleared.version: {version}")


def _todo(found, data, path, what, positions=None):
    """A warning per text pair still marked [TO BE DRAFTED (only the positions in use)."""
    for dotted, pair in _walk_pairs(data):
        parts = dotted.split(".")
        if positions is not None and parts[0] == "positions" and len(parts) > 1 \
                and parts[1] not in positions:
            continue
        langs = [lang for lang in LANGS if TODO_MARK in str(pair.get(lang) or "")]
        if langs:
            found.add(f"{what} {dotted}: still to draft ({', '.join(langs)})", path,
                      _line(pair, langs[0]), hint="write the text and have it cleared",
                      severity="warning")


def _cache_name(folder: Path) -> str:
    """The cache entry holding the per-file results of one library's checks."""
    import hashlib
    digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"check-{digest}.json"


_CACHE_VERSION = "check-1"


def _library(found, root: Path, needed=None):
    """Every clause file, each problem collected; returns the clauses that parsed.

    A file unchanged since the last check (same size and modification time) that the
    case does not use is not parsed again: its problems come from a cache, so checking
    a large library costs what the case uses plus one stat per file."""
    folder = root / "clauses"
    lib = Library()
    lib.folder = str(folder)
    from drafting.store.cache import load_json, save_json
    cache_name = _cache_name(folder)
    cache = load_json(cache_name, {})
    if cache.get("tool") != _CACHE_VERSION:
        cache = {"tool": _CACHE_VERSION}
    files = cache.setdefault("files", {})
    seen = set()
    changed = False
    names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml")
                   and e.name not in NOT_CLAUSES and e.is_file())
    for name in names:
        path = folder / name
        st = path.stat()
        stamp = [st.st_mtime_ns, st.st_size]
        entry = files.get(str(path))
        seen.add(str(path))
        if (needed is not None and entry and entry["stamp"] == stamp
                and entry["key"] not in needed and path.stem not in needed):
            for d in entry["problems"]:
                found.add(Problem(d["problem"], d["path"], d["line"], col=d["col"],
                                  hint=d["hint"], severity=d["severity"]))
            continue
        sub = _Found(root)
        problems = []
        clause = parse_clause(path, problems)
        for p in problems:
            sub.add(p)
        if clause is not None:
            lib[clause.key] = clause
            _header(sub, clause.data, str(path), f"clause '{clause.key}'")
        for p in sub:
            found.add(p)
        result = {"stamp": stamp, "key": clause.key if clause else path.stem,
                  "problems": [p.as_dict() for p in sub]}
        if entry != result:
            files[str(path)] = result
            changed = True
    for stale in set(files) - seen:
        del files[stale]
        changed = True
    if changed:
        save_json(cache_name, cache)
    agreements = folder / "agreements"
    for path in sorted(agreements.glob("*.yaml")) if agreements.is_dir() else ():
        try:
            data = load_yaml(path)
        except InputError as exc:
            found.extend_from(exc)
            continue
        problems = []
        _check_texts(data, "", problems)
        for p in problems:
            found.add(p)
        _header(found, data, str(path), f"agreement '{path.stem}'")
    return lib


# -- coverage ---------------------------------------------------------------------------

def _coverage(found, letter, brief, library, overrides, meeting=None):
    from drafting.inputs.case import _positions_problems

    chosen = dict(brief.positions)
    chosen.update(overrides)
    for proposal in letter.proposals:
        key = proposal.key
        if key not in chosen and key not in brief.no_answer:
            found.add(f"proposal '{key}' has no position in the brief", letter.path,
                      proposal.line, hint=f"add '{key}: POSITION' under positions or a reason "
                      "under no_answer")
    for p in _positions_problems(letter, brief, library, overrides):
        key = p.problem.split("'")[1] if "'" in p.problem else ""
        if "has no clause in the library" in p.problem and \
                (Path(library.folder) / f"{key}.yaml").exists():
            continue  # the clause file is there but broken: reported already
        found.add(p)
    raw_no_answer = brief.data.get("no_answer")
    for key, reason in brief.no_answer.items():
        line = raw_no_answer.key_line(key) if isinstance(raw_no_answer, Map) else None
        if key not in letter.keys:
            from drafting.errors import closest
            hint = closest(key, letter.keys)
            found.add(f"no_answer names unknown proposal '{key}'", brief.path, line,
                      hint=f"did you mean '{hint}'?" if hint else
                      "proposals: " + ", ".join(letter.keys))
        elif not str(reason or "").strip():
            found.add(f"no_answer for '{key}' gives no reason", brief.path, line,
                      hint="say why the reply leaves it unanswered")
        elif key in chosen:
            found.add(f"proposal '{key}' has both a position and a no_answer reason",
                      brief.path, line, hint="the reply will not answer it; remove one of "
                      "the two", severity="warning")
    if meeting is not None:
        for n, item in enumerate(meeting.get("items") or [], 1):
            for key in (item.get("proposals") or []) if isinstance(item, Map) else []:
                if key in brief.no_answer and key not in chosen:
                    found.add(f"agenda item {n} carries '{key}', which the brief leaves "
                              "unanswered", getattr(key, "path", None), getattr(key, "line", None),
                              hint="give it a position (the annotated agenda needs one) or "
                              "take it off the item")
    if brief.order:
        order = {str(k) for k in brief.order}
        raw_positions = brief.data.get("positions")
        for key in letter.keys:
            if key in chosen and key not in order and key not in brief.no_answer:
                pos = chosen[key]
                line = getattr(pos, "line", None) or (
                    raw_positions.key_line(key) if isinstance(raw_positions, Map) else None)
                found.add(f"proposal '{key}' has a position but is not in the brief's order - "
                          "the reply would not answer it", getattr(pos, "path", None) or
                          brief.path, line, hint=f"add '{key}' to order:")


# -- documents --------------------------------------------------------------------------

def _variants(case, kind):
    """The option sets a kind is built with (the registry's: one per agreement kind)."""
    return kind_of(kind).variants(case) or [{}]


def _needs_meeting(kind):
    return kind_of(kind).needs_meeting


def _build(found, case, kind, lang, blocked=(), **opts):
    try:
        return build(case, kind, lang, **opts)
    except DraftError as exc:
        for p in exc.problems:
            if not any(f"'{key}'" in p.problem for key in blocked):
                found.add(p)
    except Exception as exc:  # a bug in a kind is still reported, never a traceback
        found.add(f"{kind}.{lang} does not build: {type(exc).__name__}: {exc}",
                  case.templates / f"{kind}.html.j2", None,
                  hint="run the document's own command with --debug")
    return None


def _proposal_attrs(tree, keys):
    """(element, key, position, field) for elements carrying a proposal of the letter."""
    for el in tree.iter():
        key = el.get("data-clause") if isinstance(el.tag, str) else None
        if key in keys:
            yield el, key, el.get("data-position") or "", el.get("data-field") or ""


def _position_line(case, key):
    pos = case.brief.positions.get(key)
    if getattr(pos, "path", None) and getattr(pos, "line", None):
        return pos.path, pos.line
    raw = case.brief.data.get("positions")
    return case.brief.path, raw.key_line(key) if isinstance(raw, Map) and key in raw else None


def _consistency(found, case, builts):
    keys = set(case.letter.keys)
    brief = case.brief
    # What the reply answers, and how.
    answered = {}
    for built in builts:
        if built.kind != "reply":
            continue
        for el, key, pos, fld in _proposal_attrs(built.document.root, keys):
            if fld == "reply":
                answered.setdefault(key, pos)
    missing = {}  # (key, document without language) -> [languages], hint
    for built in builts:
        carried, fields = {}, set()
        for el, key, pos, fld in _proposal_attrs(built.document.root, keys):
            if pos:
                carried.setdefault(key, pos)
                if fld:
                    fields.add(fld)
            want = brief.positions.get(key)
            if pos and want is not None and pos != want:
                path, line = _position_line(case, key)
                found.add(f"{built.stem} carries '{key}' as '{pos}', the brief's position is "
                          f"'{want}'", path, line, hint="every document must read the brief's "
                          "position")
            if pos and key in brief.no_answer:
                path, line = _position_line(case, key)
                found.add(f"{built.stem} carries '{key}', which the brief leaves unanswered",
                          path, line, hint="remove it from positions or from no_answer")
        if built.kind == "reply" or not fields:
            continue
        for key, pos in answered.items():
            if key in carried:
                continue
            clause = case.library.get(key)
            has = sorted(f for f in fields if clause and clause.text(pos, f, built.lang))
            if has:
                hint = ("put it on an item of meeting.yaml" if built.kind.endswith("agenda")
                        else f"its position '{pos}' has {', '.join(has)} text")
                entry = missing.setdefault((key, pos, built.stem.rsplit(".", 1)[0]), [[], hint])
                entry[0].append(built.lang)
    for (key, pos, doc), (langs, hint) in missing.items():
        path, line = _position_line(case, key)
        found.add(f"proposal '{key}' is answered in the reply ({pos}) but not carried "
                  f"by the {doc} ({', '.join(langs)})", path, line, hint=hint)
    # Both languages of a document carry the same clauses.
    by_doc = {}
    for built in builts:
        base = built.stem.rsplit(".", 1)[0]
        carried = {(el.get("data-clause"), el.get("data-field") or "",
                    el.get("data-position") or "")
                   for el in built.document.root.iter()
                   if isinstance(el.tag, str) and el.get("data-clause")}
        by_doc.setdefault(base, []).append((built, carried))
    for base, docs in by_doc.items():
        for (b1, c1), (b2, c2) in zip(docs, docs[1:]):
            for clause_key, fld, pos in sorted(c1 ^ c2):
                has, lacks = (b1, b2) if (clause_key, fld, pos) in c1 else (b2, b1)
                clause = case.library.get(clause_key)
                found.add(f"{lacks.stem} lacks '{clause_key}' ({fld or 'text'}) that "
                          f"{has.stem} carries", clause.path if clause else None, None,
                          hint=f"add the {lacks.lang} text")


_WORD = re.compile(r"\w+")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009](?=\d)")


def _norm(text) -> str:
    """The words of a text, casefolded, one space apart: quotes, apostrophes,
    punctuation and the spaces French typography adds ("1 000", "texte :") cannot hide
    a match."""
    text = str(text).casefold().replace("\u00ad", "")
    return " ".join(_WORD.findall(_DIGIT_GAP.sub("", text)))


def _internal_texts(case):
    """(normalised text, description, path, line) of every internal-only text in use."""
    from drafting.documents.compose import values
    from drafting.inputs.library import fill, paragraphs

    out = []
    vals = {}
    for lang in LANGS:
        try:
            vals[lang] = values(case, lang)
        except DraftError:
            vals[lang] = {}

    def add(text, what, path, lang=None):
        if text is None:
            return
        try:
            filled = fill(text, vals.get(lang, {})) if lang else str(text)
        except DraftError:
            filled = str(text)
        for para in paragraphs(filled):
            for piece in re.split(r"\{[a-z_:0-9-]+\}", para):
                n = _norm(piece)
                if len(n) >= MIN_LEAK:
                    out.append((n, what, path, getattr(text, "line", None)))

    def pairs(node, what, path):
        for dotted, pair in _walk_pairs(node, what):
            for lang in LANGS:
                add(pair.get(lang), dotted, path, lang)

    in_use = {str(k) for k in (*case.letter.keys, *case.brief.positions, *case.brief.order)}
    for key, clause in case.library.items():
        if key not in in_use:  # a clause no document draws on cannot leak into one
            continue
        data = clause.data
        pairs((data.get("agenda") or {}).get("expected"), f"{key} agenda.expected", clause.path)
        for pos, node in clause.positions.items():
            if not isinstance(node, dict):
                continue
            pairs(node.get("internal"), f"{key} positions.{pos}.internal", clause.path)
            pairs((node.get("agenda") or {}).get("if_raised"),
                  f"{key} positions.{pos}.agenda.if_raised", clause.path)
            if node.get("ladder"):
                add(node["ladder"], f"{key} positions.{pos}.ladder", clause.path)
    for key, note in case.brief.notes.items():
        for text in _leaves(note):
            add(text, f"brief notes.{key}", case.brief.path)
    agreements = case.root / "clauses" / "agreements"
    for path in sorted(agreements.glob("*.yaml")) if agreements.is_dir() else ():
        try:
            data = load_yaml(path)
        except DraftError:
            continue
        for art in data.get("articles") or []:
            if isinstance(art, Map) and art.get("reservation"):
                pairs(art["reservation"], f"{path.stem} article {art.get('id')} reservation",
                      str(path))
    return out


def _document_jobs(case, kinds, langs):
    """What the check builds: every kind in every language, the reply's fair copy, and
    every kind again for the widest audience (the leak scan)."""
    from drafting.inputs.brief import AUDIENCES

    wider = [a for a in AUDIENCES if a != "internal"]
    widest = wider[-1] if wider else "external"
    variants = [(kind, opts) for kind in kinds for opts in _variants(case, kind)]
    jobs = [("doc", kind, lang, opts) for kind, opts in variants for lang in langs]
    if "reply" in kinds:  # the fair copy takes another path through the template
        jobs += [("final", "reply", lang, {"final": True}) for lang in langs]
    jobs += [("wider", kind, lang, dict(opts, audience=widest))
             for kind, opts in variants for lang in langs]
    return jobs


def _run_job(case, job, blocked, secrets):
    """(problems, built) of one job; the built tree only for the documents the
    consistency and lifecycle checks read."""
    what, kind, lang, opts = job
    found = _Found(case.root)
    if what == "wider" and kind_of(kind).internal_only:
        try:
            built = build(case, kind, lang, **opts)
        except Exception:  # refused, as it must be (or reported by the internal build)
            return list(found), None
        found.add(f"{built.stem} builds for the {opts['audience']} audience, but it is "
                  "internal only", case.templates / f"{kind}.html.j2", None,
                  hint="refuse any audience but internal in its context")
    else:
        built = _build(found, case, kind, lang, blocked=blocked, **opts)
    if what == "wider":
        if built is not None:
            _leaks(found, built, secrets(), opts["audience"])
        return list(found), None
    return list(found), built if what == "doc" else None


def _run_jobs(case, jobs, blocked):
    """Every job's (problems, built), in job order, on both cores: this process takes
    jobs from the front, a forked one from the back, until they meet, so the work is
    shared whatever the documents' sizes. Trees the other process built come back as
    markup (Document pickles that way)."""
    from drafting.writers.forked import Child, can_fork

    secrets = functools.cache(lambda: _internal_texts(case))  # computed where needed, once
    if not can_fork() or len(jobs) < 2:
        return [_run_job(case, job, blocked, secrets) for job in jobs]
    import multiprocessing
    ends = multiprocessing.get_context("fork").Array("i", [0, len(jobs) - 1])
    child = Child(_take_from_back, case, jobs, blocked, ends)
    results, theirs = [None] * len(jobs), None
    try:
        for i in _take(ends, front=True):
            results[i] = _run_job(case, jobs[i], blocked, secrets)
        theirs = child.recv()[1]
    finally:
        child.finish(wait=5 if theirs is not None else 0)
    for i, result in theirs.items():
        results[i] = result
    return results


def _take_from_back(send, case, jobs, blocked, ends):
    secrets = functools.cache(lambda: _internal_texts(case))
    send.send(("done", {i: _run_job(case, jobs[i], blocked, secrets)
                        for i in _take(ends, front=False)}))


def _take(ends, front):
    """The next job index from the front or the back of the shared [first, last]
    pair, until the two ends meet."""
    while True:
        with ends.get_lock():
            if ends[0] > ends[1]:
                return
            end = 0 if front else 1
            i = ends[end]
            ends[end] = i + 1 if front else i - 1
        yield i


def _leaks(found, built, secrets, audience):
    """Report each internal text (from _internal_texts) found in a document built for
    a wider audience: its text, title and metadata are searched. A text is looked for
    only where its first three words occur, so thousands of texts cost one pass."""
    doc = built.document
    text = f" {_norm(doc.text() + ' ' + ' '.join(doc.meta.values()) + ' ' + (doc.title or ''))} "
    words = text.split()
    starts = set(zip(words, words[1:], words[2:]))
    for n, what, path, line in secrets:
        first = tuple(n.split(" ", 3)[:3])
        if (len(first) < 3 or first in starts) and f" {n} " in text:
            found.add(f"internal text ({what}) reaches {built.stem} built for the "
                      f"{audience} audience", path, line,
                      hint="internal fields must stay out of outputs for a wider audience")


def _stale_english(found, data, path, version, en_renders):
    """The English renders an older French text: "en renders fr v3, fr is v4"."""
    found.add(f"en renders fr v{en_renders}, fr is v{version}", path, _line(data, "en_renders"),
              hint=f"bring the English texts up to French v{version}, then set "
              f"en_renders: {version}")


def check_built(case, builts, audience=None) -> list:
    """The checks one command's documents need before writing: the clauses they carry
    are current (English renders the French version, no [TO BE DRAFTED text in an
    external output), they agree with the brief, and nothing internal reaches a wider
    audience (`audience`, else each document's own audience meta). Returns the problems
    (relative paths); the caller decides."""
    found = _Found(case.root)
    used = {el.get("data-clause") for b in builts for el in b.document.root.iter()
            if isinstance(el.tag, str) and el.get("data-clause")}
    english = any(b.lang == "en" for b in builts)
    for key in sorted(k for k in used if k in case.library and english):
        clause = case.library[key]
        data = clause.data
        if data.get("en_renders") and clause.en_renders < clause.version:
            _stale_english(found, data, clause.path, clause.version, clause.en_renders)
    _consistency(found, case, builts)
    wider = [(b, audience or b.document.meta.get("audience") or "internal") for b in builts]
    wider = [(b, a) for b, a in wider if a != "internal"]
    if wider:
        secrets = _internal_texts(case)
        for built, seen in wider:
            if TODO_MARK in built.document.text():
                found.add(f"{built.stem} for the {seen} audience still has text to draft "
                          f"({TODO_MARK}...])", case.brief.path, None,
                          hint="draft the clause texts first (draft check lists them)")
            _leaks(found, built, secrets, seen)
    return list(found)


# -- the whole check --------------------------------------------------------------------

def check_case(root=None, case=None, brief=None, overrides=(), strict=False) -> list:
    """Every problem of a case and the library, errors and warnings, at once."""
    from drafting.inputs.brief import load_brief, parse_overrides
    from drafting.inputs.case import DEFAULT_CASE, find_root, load_case
    from drafting.inputs.letter import load_letter

    root = Path(root) if root else find_root()
    found = _Found(root)
    name = case or DEFAULT_CASE
    folder = root / "letters" / name
    if not (folder / "letter.yaml").exists():
        _library(found, root)
        found.attempt(load_case, root, name)  # the clear 'no case' error
        return _finish(found, strict)
    letter = found.attempt(load_letter, folder)
    brief_obj = found.attempt(load_brief, Path(brief) if brief else folder / "brief.yaml")
    over = found.attempt(parse_overrides, overrides) if not isinstance(overrides, dict) \
        else overrides
    needed = None
    if letter is not None and brief_obj is not None:
        from drafting.documents.reply import SHARED
        needed = {str(k) for k in (*letter.keys, *brief_obj.positions, *brief_obj.order,
                                   *(over or {}), *SHARED, "declaration")}
    library = _library(found, root, needed)
    meeting = None
    if (folder / "meeting.yaml").exists():
        meeting = found.attempt(load_yaml, folder / "meeting.yaml")
    if letter is not None and brief_obj is not None and over is not None:
        _coverage(found, letter, brief_obj, library, over, meeting)
    loaded = None
    if over is not None:
        try:
            loaded = load_case(root, name, brief, over, library=library if not any(
                p.severity == "error" for p in found) else None)
            loaded.memo = {}  # each document is built once, read by every check
        except DraftError as exc:
            found.extend_from(exc)
            if letter is not None and brief_obj is not None:
                loaded = _lenient_case(found, root, name, folder, letter, brief_obj, over,
                                       library)
    blocked = _blocked(loaded or brief_obj, letter, library, over or {})
    if loaded is None:
        _todos(found, library, brief_obj.positions if brief_obj is not None else {})
        return _finish(found, strict)
    _todos(found, library, loaded.brief.positions)
    langs = [str(lang) for lang in loaded.brief.languages if str(lang) in LANGS]
    kinds = [k for k in KINDS if loaded.meeting is not None or not _needs_meeting(k)]
    jobs = _document_jobs(loaded, kinds, langs)
    results = _run_jobs(loaded, jobs, blocked)
    builts = []
    for job, (problems, built) in zip(jobs, results):
        if job[0] != "wider":
            for p in problems:
                found.add(p)
        if built is not None:
            builts.append(built)
    _consistency(found, loaded, builts)
    _lifecycle(found, loaded, builts)
    for job, (problems, _built) in zip(jobs, results):  # the leak scan's, last
        if job[0] == "wider":
            for p in problems:
                found.add(p)
    return _finish(found, strict)


def _blocked(case_or_brief, letter, library, over):
    """Proposals whose position is missing or invalid (reported by the coverage check):
    a document's failure over one of them is the same problem, not a new one."""
    if case_or_brief is None or letter is None:
        return set()
    brief = getattr(case_or_brief, "brief", case_or_brief)
    chosen = dict(brief.positions)
    chosen.update(over)
    blocked = set()
    for key in letter.keys:
        pos = chosen.get(key)
        if key in brief.no_answer:
            if pos is None:  # the annotated agenda's complaint is the coverage check's
                blocked.add(key)
            continue
        if pos is None or key not in library or pos not in library[key].positions:
            blocked.add(key)
    return blocked


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


def _todos(found, library, positions):
    for key, clause in library.items():
        chosen = positions.get(key)
        _todo(found, clause.data, clause.path, f"clause '{key}'",
              positions={str(chosen)} if chosen is not None else None)


def _lifecycle(found, case, builts):
    """Stale clearances, overridden clauses, divergence from released documents
    (lifecycle.py): warnings."""
    from drafting.validate.lifecycle import lifecycle_problems
    try:
        for p in lifecycle_problems(case, builts):
            found.add(p)
    except DraftError as exc:
        found.extend_from(exc)


def _finish(found, strict):
    problems = list(found)
    if strict:
        for p in problems:
            p.severity = "error"
    return problems


def format_problem(p) -> str:
    return ("warning: " if p.severity == "warning" else "") + str(p)


def summary(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return (f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}")
