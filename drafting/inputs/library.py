"""The clause library (clauses/*.yaml): the approved texts per proposal and position.

Loading validates each file and collects every problem before failing once, so a
drafter mends the whole library in one pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError, Problem, Problems, did_you_mean
from drafting.inputs.sources import Map, as_date, as_int, converted, load_yaml, shape_problems
from drafting.store.read import read_bytes

__all__ = ["Clause", "Library", "load_library", "POSITIONS", "LANGS", "PLACEHOLDERS",
           "fill", "paragraphs", "PAIR_META"]

POSITIONS = ("welcome", "accept", "accept-with-conditions", "counter", "decline",
             "refer-to-eu", "defer", "note", "standard", "direct", "familiar")
LANGS = ("fr", "en")
PLACEHOLDERS = ("incoming_date", "sender", "sender_office", "principal", "address",
                "meeting_place", "meeting_date", "reply_date", "party1", "party2", "party",
                "done_place", "done_date")
PLACEHOLDER_RE = re.compile(r"\{([a-z_][a-z0-9_]*)(?::([a-z0-9-]+)(?::(\d+))?)?\}")
# What the tool writes where a person has still to write the text (draft ingest, draft
# clause new, a case with no meeting yet): TO_BE_DRAFTED.format("closing paragraph").
TO_BE_DRAFTED = "[TO BE DRAFTED: {}]"
# ... and where nobody has yet said who owns a text (a clause's `owner:`)
TO_BE_CHOSEN = "TO-BE-CHOSEN"
# A brief's note, still to draft, on a position that only stands in (draft ingest, when the
# matched clause has no non-committal position); draft set position removes it.
POSITION_TO_CHOOSE = TO_BE_DRAFTED.format("position to choose - '{position}' only stands in: "
                                          "the library's clause has no non-committal position "
                                          "({positions}){also}; draft set position {key} POSITION")
# The markers of text still to write: "[TO BE DRAFTED: ...]" (what the tool writes)
# and the usual others, in English and French (validate/stubs.py, lifecycle/decide.py).
STUB = re.compile(
    r"\[\s*(?:TO BE DRAFTED|TO DRAFT|TO COMPLETE|TO BE COMPLETED|TBD|TODO|FIXME|XXX|"
    r"[AÀ] R[EÉ]DIGER|[AÀ] COMPL[EÉ]TER|[AÀ] PR[EÉ]CISER)\b[^\]\n]*\]?", re.IGNORECASE)
SHAPES = {**dict.fromkeys(("key", "owner", "version", "en_renders"), "text"),
          **dict.fromkeys(("title", "cleared", "positions"), "mapping")}
# What a {fr, en} text pair may say beside its texts: agreement paragraphs print `with:`
# or `without:` an article, a defined term while an article that `used_by:` names is there.
PAIR_META = ("version", "renders", "with", "without", "used_by")
# Files in clauses/ that are not clauses.
NOT_CLAUSES = {"people.yaml", "protocol.yaml"}


@dataclass
class Clause:
    key: str
    path: str
    data: Map
    title: dict
    owner: str
    version: int
    en_renders: int
    cleared_version: int | None
    cleared_date: object
    positions: dict = field(default_factory=dict)

    def position(self, name, where=None) -> Map:
        if name in self.positions:
            return self.positions[name]
        path, line = getattr(where, "path", None), getattr(where, "line", None)
        raise InputError(
            f"clause '{self.key}' has no position '{name}'", path=path or self.path,
            line=line, hint=did_you_mean(name, self.positions,
                                         "positions: " + ", ".join(self.positions), also=True))

    def text(self, position, dotted, lang):
        """The text at `dotted` (e.g. 'agenda.lines') for a position, or None."""
        return _pair_at(self.positions.get(position), dotted, lang)

    def common(self, dotted, lang):
        """A text of the clause whatever the position (e.g. 'agenda.background',
        'agenda.expected.be'), or None."""
        return _pair_at(self.data, dotted, lang)


def _pair_at(node, dotted, lang):
    """The `lang` text of the {fr, en} pair at the dotted path below `node`, or None."""
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node.get(lang) if isinstance(node, dict) else None


_KEY = re.compile(r"[a-z0-9][a-z0-9_-]*")


class Library(dict):
    """Clause by key. A lazy library (load_library(..., lazy=True)) reads a clause file
    the first time its key is asked for, so a run reads only the clauses it uses."""

    folder: str = ""
    # The case's own clauses (letters/<case>/clauses/, written by draft ingest): an
    # overlay read before the shared folder; "" when the case has none.
    overlay: str = ""
    lazy: bool = False

    def origin(self, key) -> str:
        """'case' for a clause of the case's own folder, else 'shared'."""
        clause = dict.get(self, key)
        return "case" if clause is not None and self.overlay and \
            Path(clause.path).parent == Path(self.overlay) else "shared"

    def _load(self, key):
        if not self.lazy or not isinstance(key, str) or not _KEY.fullmatch(key):
            return None
        path = Path(self.folder) / f"{key}.yaml"
        if self.overlay and (Path(self.overlay) / f"{key}.yaml").is_file():
            path = Path(self.overlay) / f"{key}.yaml"
        if path.name in NOT_CLAUSES or path.is_dir() or not (path.exists() or path.is_symlink()):
            return None  # a device or a pipe named like a clause is read, and refused
        problems = []
        clause = parse_clause(path, problems)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise Problems(errors)
        dict.__setitem__(self, key, clause)
        return clause

    def __missing__(self, key):
        clause = self._load(key)
        if clause is None:
            raise KeyError(key)
        return clause

    def __contains__(self, key):
        return dict.__contains__(self, key) or self._load(key) is not None

    def get(self, key, default=None):
        return self[key] if key in self else default

    def clause(self, key, where=None) -> Clause:
        if key in self:
            return self[key]
        path, line = getattr(where, "path", None), getattr(where, "line", None)
        raise InputError(f"no clause '{key}' in the library", path=path, line=line,
                         hint=did_you_mean(key, self, f"add {self.folder}/{key}.yaml"))


def _located(problems, msg, node, hint=None, severity="error"):
    problems.append(Problem(msg, getattr(node, "path", None), getattr(node, "line", None),
                            hint=hint, severity=severity))


def _check_texts(node, path_desc, problems, placeholders=PLACEHOLDERS):
    """Every {fr, en} pair complete, placeholders known and the same in both."""
    if isinstance(node, Map):
        keys = set(node)
        if keys & set(LANGS) and keys <= set(LANGS) | set(PAIR_META):
            for lang in LANGS:
                value = node.get(lang)
                if value is not None and not isinstance(value, str):
                    found = "list" if isinstance(value, list) else "mapping"
                    _located(problems, f"{path_desc}.{lang}: must be a text, found a {found}",
                             value if getattr(value, "line", None) else node,
                             hint=f"write '{lang}: >-' then the text, indented, on the next lines")
                    node[lang] = None  # read as missing: never printed as "['a']"
            for lang in LANGS:
                if not node.get(lang):
                    _located(problems, f"{path_desc}: missing the {lang} text", node,
                             hint=f"add '{lang}:' beside the other language")
            found = {lang: sorted(m.group(0) for m in PLACEHOLDER_RE.finditer(str(node.get(lang) or "")))
                     for lang in LANGS}
            for lang in LANGS:
                for m in PLACEHOLDER_RE.finditer(str(node.get(lang) or "")):
                    if m.group(1) not in placeholders and m.group(1) != "ref":
                        _located(problems, f"{path_desc}: unknown placeholder {{{m.group(1)}}}",
                                 node.get(lang), hint="use one of: " + ", ".join(placeholders))
            if node.get("fr") and node.get("en") and found["fr"] != found["en"]:
                _located(problems, f"{path_desc}: French and English use different placeholders "
                         f"({', '.join(found['fr']) or 'none'} / {', '.join(found['en']) or 'none'})",
                         node, hint="both texts must carry the same placeholders")
            return
        for key, value in node.items():
            _check_texts(value, f"{path_desc}.{key}" if path_desc else key, problems, placeholders)
    elif isinstance(node, list):
        for i, value in enumerate(node, 1):
            _check_texts(value, f"{path_desc}[{i}]", problems, placeholders)


def parse_clause(path: Path, problems: list) -> Clause | None:
    try:
        data = load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    shapes = shape_problems(data, SHAPES)
    if shapes:  # the rest of the file is still checked; the clause is not loaded
        problems.extend(shapes)
        whole, data = data, Map(data)  # a copy without the fields of the wrong shape
        data.path, data.line, data.col = whole.path, whole.line, whole.col
        data.keys_at = getattr(whole, "keys_at", {})
        for name, shape in SHAPES.items():
            if shape_problems(whole, {name: shape}):
                del data[name]
    key = data.get("key") or path.stem
    if str(key) != path.stem:
        _located(problems, f"key '{key}' differs from the file name '{path.stem}'", key,
                 hint=f"rename the file to {key}.yaml or change the key")
    for name in ("title", "owner", "version", "positions"):
        if not data.get(name):
            problems.append(Problem(f"clause '{key}' has no '{name}'", str(path), data.line,
                                    hint=f"add '{name}:' (see clauses/README.md)"))
    positions = data.get("positions") or Map()
    if not isinstance(positions, Map):
        _located(problems, "'positions' must be a mapping of position names", positions)
        positions = Map()
    for name in positions:
        if name not in POSITIONS:
            problems.append(Problem(f"unknown position '{name}'", str(path),
                                    positions.key_line(name),
                                    hint=did_you_mean(name, POSITIONS, "positions: " + ", ".join(POSITIONS))))
    _check_texts(data, "", problems)
    cleared = data.get("cleared") or Map()
    failed = []  # every bad number and date of the header, each reported
    version = converted(as_int, data.get("version") or 0, failed, 0)
    en_renders = converted(as_int, data.get("en_renders") or version, failed, version)
    cleared_version = converted(as_int, cleared["version"], failed, None) if cleared.get("version") else None
    cleared_date = converted(as_date, cleared["date"], failed, None) if cleared.get("date") else None
    problems.extend(failed)
    if failed or shapes:
        return None
    return Clause(key=str(key), path=str(path), data=data, title=dict(data.get("title") or {}),
                  owner=str(data.get("owner") or ""), version=version, en_renders=en_renders,
                  cleared_version=cleared_version, cleared_date=cleared_date,
                  positions=dict(positions))


def _claimed_keys(paths, skip):
    """{key: [paths]} for the `key:` line of clause files not loaded, read as text (a
    thousand files in milliseconds), so a second file defining a key is still found."""
    found = {}
    for p in paths:
        if p in skip:
            continue
        try:
            head = read_bytes(p, what="clause file")[:4096].decode("utf-8-sig", "replace")
        except (OSError, InputError):
            continue
        m = re.search(r"^key:[ \t]*['\"]?([^'\"\s#]+)", head, re.M)
        if m:
            found.setdefault(m.group(1), []).append(p)
    return found


def load_library(folder: Path, keys=None, lazy=False, overlay=None) -> Library:
    """Load the clause files (all, or only `keys` for speed) and validate them. With
    `lazy`, other clauses are loaded when first asked for (Library.lazy). `overlay`:
    a case's own clause folder, whose clauses are read too and stand before the
    shared ones of the same key."""
    folder = Path(folder)
    lib = Library()
    lib.folder = str(folder)
    lib.lazy = lazy
    problems = []
    own = []
    if overlay is not None and Path(overlay).is_dir():
        lib.overlay = str(overlay)
        own = sorted(p for p in Path(overlay).glob("*.yaml") if p.name not in NOT_CLAUSES)
    if keys is None:
        paths = sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_CLAUSES)
    else:
        paths = []
        for key in dict.fromkeys(keys):
            p = folder / f"{key}.yaml"
            if isinstance(key, str) and _KEY.fullmatch(key) and p.exists():
                paths.append(p)
        # a file that defines one of these keys under another name: read it too
        wanted = {str(k) for k in keys}
        everything = sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_CLAUSES)
        for key, others in _claimed_keys(everything, set(paths)).items():
            if key in wanted:
                paths += others
    own_stems = {p.stem for p in own}
    paths = [p for p in paths if p.stem not in own_stems]
    parsed = [c for c in (parse_clause(p, problems) for p in paths) if c is not None]
    mine = [c for c in (parse_clause(p, problems) for p in own) if c is not None]
    # the file named after its key owns it; where two files give one key, say where both are
    parsed.sort(key=lambda c: Path(c.path).stem != c.key)
    for clause in parsed:
        first = dict.get(lib, clause.key)
        if first is not None:
            key = clause.data.get("key")
            problems[:] = [p for p in problems if not (
                str(p.path) == clause.path and p.problem.startswith(f"key '{clause.key}' differs"))]
            problems.append(Problem(
                f"clause '{clause.key}' is defined twice (also in {first.path}:"
                f"{first.data.key_line('key')})", clause.path, getattr(key, "line", None),
                hint="keep one of the two files, or give this one its own key"))
            continue
        lib[clause.key] = clause
    for clause in mine:   # the case's own: before a shared clause of the same key
        lib[clause.key] = clause
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise Problems(errors)
    return lib


def fill(text, values, where=None):
    """Replace {placeholders} from a fixed list; clause text is never a template."""
    if text is None:
        return None

    def sub(m):
        name = m.group(1)
        if name == "ref":
            ref = values.get("ref")
            if ref is None:
                return m.group(0)
            return ref(m.group(2), m.group(3), where)
        if name not in values:
            path, line = getattr(text, "path", None), getattr(text, "line", None)
            raise InputError(f"placeholder {{{name}}} has no value here", path=path, line=line,
                             hint="use one of: " + ", ".join(sorted(k for k in values if k != "ref")))
        return str(values[name])

    return PLACEHOLDER_RE.sub(sub, str(text))


def paragraphs(text):
    """Split a folded block into paragraphs (a blank line in YAML is a newline)."""
    return [p.strip(" ") for p in str(text).split("\n") if p.strip(" ")]
