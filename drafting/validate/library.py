"""The clause library's own checks: every clause and agreement file parses, its {fr, en}
texts are complete with the same placeholders, its header names an owner, a version, the
French version its English renders and a clearance; a text still holding a stub marker
("[TO BE DRAFTED", "[À RÉDIGER" ...) is a warning.

The per-file results are cached (the tool's cache, keyed by the library folder): a file
unchanged since the last check that the case does not use is not parsed again.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from drafting.errors import InputError, Problem
from drafting.inputs.library import (
    LANGS,
    NOT_CLAUSES,
    STUB,
    TO_BE_CHOSEN,
    Library,
    _check_texts,
    parse_clause,
)
from drafting.inputs.sources import Map, as_date, as_int, load_yaml
from drafting.validate.problems import Found, line_of
from drafting.validate.translation import check_translation, text_pairs

__all__ = ["TO_BE_CHOSEN", "check_library", "check_header", "stale_english",
           "todos", "text_pairs", "leaves"]



def leaves(node, dotted=""):
    """(dotted path, string) of every string under a parsed YAML node."""
    if isinstance(node, str):
        yield dotted, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{dotted}.{key}" if dotted else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node, 1):
            yield from leaves(value, f"{dotted}[{i}]")


# -- one file's header ------------------------------------------------------------------

def check_header(found, data, path, what):
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
        found.add(f"{what} has no owner yet ({TO_BE_CHOSEN})", path, line_of(data, "owner"),
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
                      path, line_of(data, "version"), hint=f"add 'en_renders: {version}' once "
                      "the English texts render French version " + str(version))
        elif en_renders is not None and en_renders < version:
            stale_english(found, data, path, version, en_renders)
        elif en_renders is not None and en_renders > version:
            found.add(f"en renders fr v{en_renders}, but fr is only v{version}", path,
                      line_of(data, "en_renders"), hint=f"set en_renders: {version}")
    cleared = data.get("cleared")
    if not isinstance(cleared, Map) or not cleared.get("date") or not cleared.get("version"):
        missing = [n for n in ("version", "date")
                   if not (isinstance(cleared, Map) and cleared.get(n))]
        found.add(f"{what} has no cleared {' and '.join(missing)}", path,
                  line_of(data, "cleared") if cleared else data.line,
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
                  f"{cleared_date.isoformat()})", path, line_of(cleared, "version"),
                  hint=f"have the owner clear v{version}, then update 'cleared:'",
                  severity="warning")
    elif version is not None and cleared_version is not None and cleared_version > version:
        found.add(f"{what} cleared v{cleared_version}, but its version is only v{version}",
                  path, line_of(cleared, "version"), hint=f"set cleared.version: {version}")


def stale_english(found, data, path, version, en_renders):
    """The English renders an older French text: "en renders fr v3, fr is v4"."""
    found.add(f"en renders fr v{en_renders}, fr is v{version}", path,
              line_of(data, "en_renders"),
              hint=f"bring the English texts up to French v{version}, then set "
              f"en_renders: {version}")


# -- text still to draft ----------------------------------------------------------------

def _todo(found, data, path, what, positions=None):
    """A warning per text pair still holding a stub marker ([TO BE DRAFTED, [À RÉDIGER ...:
    the stub check's), only the positions in use."""
    for dotted, pair in text_pairs(data):
        parts = dotted.split(".")
        if positions is not None and parts[0] == "positions" and len(parts) > 1 \
                and parts[1] not in positions:
            continue
        langs = [lang for lang in LANGS if STUB.search(str(pair.get(lang) or ""))]
        if langs:
            found.add(f"{what} {dotted}: still to draft ({', '.join(langs)})", path,
                      line_of(pair, langs[0]), hint="write the text and have it cleared",
                      severity="warning")


def todos(found, library, positions):
    """The [TO BE DRAFTED texts of every clause: of a clause the brief positions, only
    those under that position (the others are not in use)."""
    for key, clause in library.items():
        chosen = positions.get(key)
        _todo(found, clause.data, clause.path, f"clause '{key}'",
              positions={str(chosen)} if chosen is not None else None)


# -- every file, with the cache ---------------------------------------------------------

def _cache_name(folder: Path) -> str:
    """The cache entry holding the per-file results of one library's checks."""
    import hashlib
    digest = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"check-{digest}.json"


_CACHE_VERSION = "check-2"  # check-2: the translation checks (validate/translation.py)


def check_library(found, root: Path, needed=None, case=None):
    """Every clause file, each problem collected; returns the clauses that parsed (with
    `broken` set when one does not load).
    `case`: a case folder whose own clauses (clauses/ in it, from draft ingest) are
    checked too and stand before the shared ones (the case's overlay).

    A file unchanged since the last check (same size and modification time) that the
    case does not use is not parsed again: its problems come from a cache, so checking
    a large library costs what the case uses plus one stat per file."""
    folder = root / "clauses"
    lib = Library()
    lib.folder = str(folder)
    lib.broken = False
    from drafting.store.cache import load_json, save_json
    cache_name = _cache_name(folder)
    cache = load_json(cache_name, {})
    if cache.get("tool") != _CACHE_VERSION:
        cache = {"tool": _CACHE_VERSION}
    files = cache.setdefault("files", {})
    seen = set()
    changed = False
    # every entry but a folder: a device, a pipe or a dangling link named like a clause is
    # read, and refused for what it is (store/read), not skipped as if it were not there
    names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml")
                   and e.name not in NOT_CLAUSES and not e.is_dir())
    for name in names:
        path = folder / name
        try:
            st = path.stat()
            stamp = [st.st_mtime_ns, st.st_size] if stat.S_ISREG(st.st_mode) else None
        except OSError:
            stamp = None
        entry = files.get(str(path))
        seen.add(str(path))
        if (needed is not None and entry and stamp and entry["stamp"] == stamp
                and entry["key"] not in needed and path.stem not in needed):
            for d in entry["problems"]:
                found.add(Problem(d["problem"], d["path"], d["line"], col=d["col"],
                                  hint=d["hint"], severity=d["severity"], code=d.get("code")))
            continue
        sub = Found(root)
        clause = _read_clause(sub, path, lib, "clause")
        if clause is not None:
            check_translation(sub, clause.data, str(path), f"clause '{clause.key}'")
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
        check_header(found, data, str(path), f"agreement '{path.stem}'")
        check_translation(found, data, str(path), f"agreement '{path.stem}'")
    own = Path(case) / "clauses" if case is not None else None
    if own is not None and own.is_dir():
        lib.overlay = str(own)
        for path in sorted(p for p in own.glob("*.yaml") if p.name not in NOT_CLAUSES):
            _read_clause(found, path, lib, "case clause")
    return lib


def _read_clause(found, path, lib, what):
    """One clause file into `lib`, its problems and its header's into `found`; the clause
    or None. `lib.broken` records a file that does not load (an error, or a key another
    file of its folder gives too): loading the case again is what reports it fully."""
    problems = []
    clause = parse_clause(path, problems)
    for p in problems:
        found.add(p)
    if any(p.severity == "error" for p in problems):
        lib.broken = True
    if clause is not None:
        other = dict.get(lib, clause.key)
        if other is not None and Path(other.path).parent == Path(path).parent:
            lib.broken = True
        lib[clause.key] = clause
        check_header(found, clause.data, str(path), f"{what} '{clause.key}'")
    return clause
