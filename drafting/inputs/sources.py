"""Reading the project's text and YAML files, keeping where every value came from.

YAML is read event by event with libyaml's C parser: anchors, aliases and tags are
refused (alias bombs, `!!python/object`), duplicate keys are refused with both
lines named, every scalar stays a string (PyYAML's resolver would turn `1.10` into
1.1 and `no` into False) and carries its file, line and column so that a later
check can say `path:line: problem`. Files are decoded as UTF-8 (a BOM is accepted).
"""
from __future__ import annotations

import datetime as _dt
import pickle
import re

from drafting.errors import InputError, Problem, Problems
from drafting.store.yamlfile import VALUE_BAD

__all__ = ["Str", "Map", "Seq", "load_yaml", "read_text", "check_xml_chars",
           "as_int", "as_date", "converted", "NO_DATE", "located", "shape_problems", "tree_problems",
           "invisible_problem", "INVISIBLE", "field_reader", "report"]

# Characters XML 1.0 cannot hold (Word and the PDF tree would both choke on them).
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Str(str):
    """A string that remembers where it was read."""

    path: str | None = None
    line: int | None = None
    col: int | None = None


class Map(dict):
    """A mapping that remembers where it and each of its keys were read."""

    path = None
    line = None
    col = None

    def key_line(self, key):
        return self.keys_at.get(key, (self.line, self.col))[0]


class Seq(list):
    path = None
    line = None
    col = None


def located(value, path=None, line=None):
    """Where a value came from, as (path, line) - for values without a location too."""
    return (getattr(value, "path", None) or path, getattr(value, "line", None) or line)


def read_text(path) -> str:
    """Decode a text file as UTF-8 (BOM accepted); name the line of a bad byte."""
    return _decode(_read_bytes(path), path)


def _read_bytes(path) -> bytes:
    """A bounded read of a regular file (store/read.py): a device, a FIFO or a folder is
    refused at once, a file past the limit as it is read."""
    from drafting.store.read import read_bytes
    return read_bytes(path)


def _decode(data: bytes, path) -> str:
    from drafting.store.read import decode_utf8
    text = decode_utf8(data, path)
    check_xml_chars(text, path)
    return text


def check_xml_chars(text, path=None, line=1, col=1, raw=True, pattern=XML_BAD):
    """Refuse characters XML cannot hold, naming line and column."""
    m = pattern.search(text)
    if not m:
        return
    before = text[: m.start()]
    if raw:
        line = line + before.count("\n")
        col = m.start() - (before.rfind("\n") + 1) + 1 if "\n" in before else col + m.start()
    raise InputError(f"character U+{ord(m.group()):04X} cannot appear in a document",
                     path=path, line=line, col=col,
                     hint="delete it (it is invisible in most editors) or replace it")


_HINTS = [
    ("mapping values are not allowed", "a value containing ' : ' (French colon) must be "
     "quoted or written as a block scalar (>-)"),
    ("tab character", "YAML indents with spaces, not tabs"),
    ("cannot start any token", "YAML indents with spaces, not tabs"),
    ("found unexpected end of stream", "close the quote that opens this value"),
    ("while scanning a quoted scalar", "close the quote that opens this value"),
    ("did not find expected key", "check the indentation of this line and the one above"),
    ("did not find expected", "check the indentation and quotes around this line"),
]


def _yaml_error(exc, path, source=""):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    cmark = getattr(exc, "context_mark", None)
    text = f"{problem} {context}"
    hint = next((h for key, h in _HINTS if key in text), "fix the YAML syntax at this line")
    lines = source.splitlines()
    at = lines[mark.line] if mark and mark.line < len(lines) else ""
    if mark and "invalid Unicode character escape" in problem:
        # a "\ud800" escape: name the character and where its escape starts
        start = at.rfind("\\", 0, mark.column + 1)
        size = {"x": 2, "u": 4, "U": 8}.get(at[start + 1:start + 2], 4)
        code = at[start + 2:start + 2 + size].upper().lstrip("0").rjust(4, "0")
        return InputError(f"character U+{code} cannot appear in a document",
                          path=path, line=mark.line + 1,
                          col=(start if start >= 0 else mark.column) + 1,
                          hint="delete it (a lone surrogate escape) or write the character itself")
    if mark and mark.column < len(at) and at[mark.column] == "\t" and "tab" not in problem:
        problem = f"a tab character where YAML expects spaces ({problem})"
        hint = "YAML indents with spaces, not tabs"
    if cmark and "quoted scalar" in context:  # the quote that is never closed
        mark = cmark
    elif cmark and mark and cmark.line != mark.line and "flow" in context:  # an unclosed [ or {
        what = context.removeprefix("while ").removeprefix("parsing ").removeprefix("a ")
        hint += f" (the {what} opened at line {cmark.line + 1})"
    return InputError(f"YAML syntax error: {problem}", path=path,
                      line=mark.line + 1 if mark else None,
                      col=mark.column + 1 if mark else None, hint=hint)


def load_yaml(path, text=None, expect="mapping"):
    """Parse one YAML file into Map/Seq/Str with locations; refuse what is unsafe.

    A file read from disk is parsed once per content: the tree is kept in the tool's
    cache under the file's path, with a digest of its bytes, so a 1,000-clause library
    costs a read and a hash per file, not a parse (a .pyc for data)."""
    path = str(path)
    if text is None:
        data = _read_bytes(path)
        digest = _digest(path, data)
        cached = _cached_tree(path, digest)
        if cached is not None:
            return cached
        text = _decode(data, path)
        root = _parse(path, text, expect)
        _keep_tree(path, digest, root)
        return root
    return _parse(path, text, expect)


def _parse(path, text, expect):
    if not text.strip():
        raise InputError("empty file", path=path, line=1,
                         hint=f"a {expect} of keys and values is expected here")
    import yaml  # here, not at the top: a run whose trees all come from the cache never needs it
    try:
        events = iter(yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        root = _build(events, path, text)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, text) from None
    if root is None:  # only comments, or an empty document
        raise InputError("empty file", path=path, line=1,
                         hint=f"a {expect} of keys and values is expected here")
    if expect == "mapping" and not isinstance(root, Map):
        raise InputError(f"a mapping (key: value) is expected, found a {_kind(root)}",
                         path=path, line=getattr(root, "line", 1) or 1,
                         hint="start the file with 'key: value' lines")
    return root


# -- the parsed-tree cache ---------------------------------------------------------------

_TREE_VERSION = b"tree-1"  # change when _build's output changes


def _digest(path: str, data: bytes) -> bytes:
    import hashlib
    return hashlib.blake2b(_TREE_VERSION + b"\0" + path.encode("utf-8", "surrogateescape")
                           + b"\0" + data, digest_size=20).digest()


def _tree_file(path: str):
    import hashlib

    from drafting.store.cache import cache_dir
    folder = cache_dir("trees")
    if folder is None:
        return None
    name = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return folder / f"{name}.pickle"


class _TreeUnpickler(pickle.Unpickler):
    """Only the three node classes come out of the cache."""

    _allowed = {("drafting.inputs.sources", "Str"), ("drafting.inputs.sources", "Map"),
                ("drafting.inputs.sources", "Seq")}  # pickled with NEWOBJ: no other global

    def find_class(self, module, name):
        if (module, name) not in self._allowed:
            raise pickle.UnpicklingError(f"{module}.{name} is not a tree node")
        return super().find_class(module, name)


def _cached_tree(path: str, digest: bytes):
    """The tree parsed from exactly these bytes at this path, or None."""
    file = _tree_file(path)
    if file is None:
        return None
    try:
        with open(file, "rb") as fh:
            if fh.read(len(digest)) != digest:
                return None
            return _TreeUnpickler(fh).load()
    except Exception:  # missing, truncated, foreign: parse again
        return None


def _keep_tree(path: str, digest: bytes, root) -> None:
    file = _tree_file(path)
    if file is None:
        return
    from drafting.store.cache import save_bytes
    save_bytes(file, digest + pickle.dumps(root, protocol=pickle.HIGHEST_PROTOCOL))


def _kind(value):
    return {Map: "mapping", Seq: "list"}.get(type(value), "single value")


def _mark(node, ev, path):
    node.path, node.line, node.col = path, ev.start_mark.line + 1, ev.start_mark.column + 1
    return node


def _refuse(ev, path, what, hint):
    raise InputError(what, path=path, line=ev.start_mark.line + 1,
                     col=ev.start_mark.column + 1, hint=hint)


_SHORT_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\x0b": "v", "\x0c": "f",
                  "\r": "r", "\x1b": "e"}


def _bad_char_at(source, ev, ch):
    """(line, col) of a bad character inside a scalar: where it is typed, or where the
    escape that makes it ("\\x1b", "\\e", "\\u0000") is; else where the value starts."""
    start, end = ev.start_mark, ev.end_mark
    lines = source.split("\n")[start.line:end.line + 1]
    o = ord(ch)
    needles = [ch] if ev.style != '"' else [
        f"\\x{o:02x}", f"\\u{o:04x}", f"\\U{o:08x}",
        *(["\\" + _SHORT_ESCAPES[ch]] if ch in _SHORT_ESCAPES else [])]
    for i, text in enumerate(lines):
        lo = start.column if i == 0 else 0
        hi = end.column if i == len(lines) - 1 else len(text)
        hits = [text.lower().find(n.lower(), lo, hi) if n != ch else text.find(n, lo, hi)
                for n in needles]
        hits = [h for h in hits if h >= 0]
        if hits:
            return start.line + i + 1, min(hits) + 1
    return start.line + 1, start.column + 1


def _build(events, path, source=""):
    """Build the document from the event stream (one document per file)."""
    import yaml
    root = None
    stack = []  # (container, pending_key)
    for ev in events:
        cls = type(ev)
        if cls in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
            continue
        if cls is yaml.DocumentStartEvent:
            if root is not None:
                _refuse(ev, path, "more than one YAML document in the file",
                        "remove the '---' separator: one document per file")
            continue
        if cls is yaml.AliasEvent:
            _refuse(ev, path, "YAML aliases (*name) are not accepted",
                    "write the value out in full")
        if getattr(ev, "anchor", None):
            _refuse(ev, path, "YAML anchors (&name) are not accepted",
                    "write the value out in full")
        tag = getattr(ev, "tag", None)
        if tag and tag != "!":  # an untagged node has no tag; "!" only forces a string
            _refuse(ev, path, f"YAML tag {tag} is not accepted",
                    "remove the tag: values are plain text")
        if cls is yaml.ScalarEvent:
            value = ev.value
            if not value and ev.style is None:
                node = None
            else:
                node = _mark(Str(value), ev, path)
                bad = VALUE_BAD.search(value)
                if bad:
                    line, col = _bad_char_at(source, ev, bad.group())
                    check_xml_chars(value, path, line, col, raw=False, pattern=VALUE_BAD)
        elif cls is yaml.MappingStartEvent:
            node = _mark(Map(), ev, path)
            node.keys_at = {}
            _attach(stack, node, ev, path)
            stack.append([node, _NOKEY])
            if root is None:
                root = node
            continue
        elif cls is yaml.SequenceStartEvent:
            node = _mark(Seq(), ev, path)
            _attach(stack, node, ev, path)
            stack.append([node, _NOKEY])
            if root is None:
                root = node
            continue
        elif cls in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            continue
        else:  # pragma: no cover - libyaml emits nothing else
            continue
        if not stack:
            root = node
            continue
        _attach(stack, node, ev, path)
    return root


_NOKEY = object()


def _attach(stack, node, ev, path):
    if not stack:
        return
    top = stack[-1]
    container = top[0]
    if isinstance(container, Seq):
        container.append(node)
        return
    if top[1] is _NOKEY:
        if not isinstance(node, (Str, type(None))):
            _refuse(ev, path, "a key must be a plain word", "write 'key: value'")
        key = str(node) if node is not None else ""
        if key in container.keys_at:
            first = container.keys_at[key][0]
            raise InputError(f"duplicate key '{key}' (first defined at line {first})",
                             path=path, line=ev.start_mark.line + 1,
                             hint=f"keep one of lines {first} and {ev.start_mark.line + 1}")
        container.keys_at[key] = (ev.start_mark.line + 1, ev.start_mark.column + 1)
        top[1] = key
    else:
        container[top[1]] = node
        top[1] = _NOKEY


_SHAPES = {"text": Str, "list": Seq, "mapping": Map, "texts": Seq, "text-map": Map}
_EXAMPLES = {"text": "write 'key: value'", "list": "write 'key: [fr, en]' or one '- item' a line",
             "mapping": "write 'key:' then indented 'fr: ...' / 'en: ...' lines",
             "texts": "write 'key: [fr, en]' or one '- item' a line, each a single value",
             "text-map": "write 'key:' then indented 'name: value' lines, each a single value"}
_NAMES = {"text": "single value", "texts": "list",
          "text-map": "mapping"}

# Characters that change how a text reads without being seen: bidi controls (U+202E turns
# "gpj.exe" around), zero-width spaces and joiners, the BOM inside a text, the soft hyphen.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def invisible_problem(value, what="a name", path=None, line=None):
    """A Problem for a value holding an invisible or direction-changing character, or None."""
    m = INVISIBLE.search(str(value or ""))
    if not m:
        return None
    p, ln = located(value, path, line)
    return Problem(f"{what} holds the invisible character U+{ord(m.group()):04X} "
                   f"({_INVISIBLE_NAMES.get(m.group(), 'format control')}): "
                   f"{str(value)[:m.start()]!r} + U+{ord(m.group()):04X}", p, ln,
                   hint="delete it: it changes how the text reads or sorts without being seen")


_INVISIBLE_NAMES = {"\u202e": "right-to-left override", "\u202d": "left-to-right override",
                    "\u200b": "zero-width space", "\ufeff": "zero-width no-break space",
                    "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
                    "\u200e": "left-to-right mark", "\u200f": "right-to-left mark",
                    "\u2066": "left-to-right isolate", "\u2067": "right-to-left isolate",
                    "\u2068": "first strong isolate", "\u2069": "pop directional isolate"}


def shape_problems(data, shapes: dict) -> list:
    """Problems for the fields of `data` that are not of the shape the schema wants:
    'text', 'list', 'mapping', 'texts' (a list of single values) or 'text-map' (a
    mapping whose values are single values): a list where a mapping belongs, a list
    inside a list of names, and so on - each at its own line."""
    problems = []
    for key, want in shapes.items():
        value = data.get(key) if isinstance(data, Map) else None
        if value is None:
            continue
        if not isinstance(value, _SHAPES[want]):
            found = _kind(value)
            problems.append(Problem(
                f"'{key}' must be a {_NAMES.get(want, want)}, found a {found}",
                getattr(value, "path", None) or data.path, getattr(value, "line", None) or data.line,
                hint=_EXAMPLES[want]))
            continue
        if want in ("texts", "text-map"):
            items = value.items() if isinstance(value, Map) else enumerate(value, 1)
            for name, item in items:
                if item is None or isinstance(item, Str):
                    continue
                found = _kind(item)
                where = f"{key}.{name}" if isinstance(value, Map) else f"{key}[{name}]"
                line = getattr(item, "line", None) or (
                    value.key_line(name) if isinstance(value, Map) else value.line)
                problems.append(Problem(f"'{where}' must be a single value, found a {found}",
                                        getattr(item, "path", None) or data.path, line,
                                        hint=_EXAMPLES[want]))
                break
    return problems


def tree_problems(value, schema, where="", path=None, line=None) -> list:
    """Problems of a whole tree against a nested schema, every one of them, each at its
    own path:line. A schema is a kind of shape_problems ('text', 'list', 'mapping',
    'texts', 'text-map'), 'name' (a single value with no invisible or direction-changing
    character), 'names' (a mapping of names: a title {fr: ..., en: ...}), 'pair' (names
    with both fr and en), 'any'; a dict
    (a mapping whose fields have these schemas; '*' for every other field); or a
    one-item list (a list whose items all have that schema). An absent value (None) is
    not a problem here: whether a field is required is the loader's business."""
    if value is None or schema == "any":
        return []
    p, ln = located(value, path, line)
    label = where or "the file"
    if isinstance(schema, dict):
        kind, want = Map, "mapping"
    elif isinstance(schema, list):
        kind, want = Seq, "list"
    else:
        kind = {"name": Str, "names": Map, "pair": Map}.get(schema) or _SHAPES[schema]
        want = ({"name": "single value", "names": "mapping", "pair": "mapping"}.get(schema)
                or _NAMES.get(schema, schema))
    if not isinstance(value, kind):
        found = _kind(value)
        pairs = schema in ("names", "pair")
        hint = {
            "mapping": "write it as indented 'field: value' lines after the '-'"
                       if label.endswith("]") and not pairs else f"write '{label}:' then indented "
                       + ("'fr: ...' / 'en: ...' lines" if pairs else "'name: value' lines"),
            "list": f"write '{label}: [a, b]' or one '- item' a line",
            "single value": "write it as one '- value' of the list" if label.endswith("]")
                            else f"write one value, as in 'key: value' ({label.rsplit('.', 1)[-1]}: ...)"}[want]
        return [Problem(f"'{label}' must be a {want}, found a {found}", p, ln, hint=hint)]
    if schema == "name":
        found = invisible_problem(value, f"'{label}'", p, ln)
        return [found] if found else []
    problems = []
    if schema == "pair":  # a name or title in both languages: {fr: ..., en: ...}
        problems += [Problem(f"'{label}' has no {lang} text", p, ln,
                             hint=f"add '{lang}: ...' beside the other language")
                     for lang in ("fr", "en") if value.get(lang) in (None, "")]
    if schema in ("texts", "text-map", "names", "pair"):
        schema = ["name" if schema in ("names", "pair") else "text"] if kind is Seq else {
            "*": "name" if schema in ("names", "pair") else "text"}
    if isinstance(schema, list):
        for n, item in enumerate(value, 1):
            problems += tree_problems(item, schema[0], f"{where}[{n}]", p, ln)
    elif isinstance(schema, dict):
        for key, item in value.items():
            sub = schema.get(key, schema.get("*"))
            if sub is not None:
                problems += tree_problems(item, sub, f"{where}.{key}" if where else str(key),
                                          p, value.key_line(key))
    return problems


def as_int(value, what="a whole number"):
    """Schema conversion: a located string to int, with a clear error."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        path, line = located(value)
        raise InputError(f"'{value}' is not {what}", path=path, line=line,
                         hint="write digits only, e.g. 3") from None


def as_date(value):
    """Schema conversion: YYYY-MM-DD to a date, with a clear error."""
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        path, line = located(value)
        raise InputError(f"'{value}' is not a date", path=path, line=line,
                         hint="write it as YYYY-MM-DD, e.g. 2021-12-01") from None


def converted(convert, value, problems, default):
    """convert(value), or `default` with the conversion's problem added to `problems`:
    a loader that collects every problem of its file goes on past a bad value."""
    try:
        return convert(value)
    except InputError as exc:
        problems.extend(exc.problems)
        return default


# The date a file with no valid date is read with when its problems are collected
# (draft check): the documents built from it are checked, never written.
NO_DATE = as_date("2000-01-01")


def field_reader(data, wrong=()):
    """get(name, default): a field of `data`, or `default` when it is absent, empty or one
    of the fields found `wrong` (of the wrong shape: read as absent)."""
    def get(name, default=None):
        value = None if name in wrong else data.get(name)
        return value if value not in (None, "") else default
    return get


def report(found, problems=None) -> None:
    """The end of a loader that collects: every problem `found` at once (Problems), or,
    given a `problems` list (draft check), added to it so that the caller goes on."""
    if found and problems is None:
        raise Problems(found)
    if problems is not None:
        problems.extend(found)
