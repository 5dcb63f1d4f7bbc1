"""Reading the project's text and YAML files, keeping where every value came from.

YAML is read event by event with libyaml's C parser: anchors, aliases and tags are
refused (alias bombs, `!!python/object`), duplicate keys are refused with both
lines named, every scalar stays a string (PyYAML's resolver would turn `1.10` into
1.1 and `no` into False) and carries its file, line and column so that a later
check can say `path:line: problem`. Files are decoded as UTF-8 (a BOM is accepted).
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import yaml

from .errors import InputError, Problem

__all__ = ["Str", "Map", "Seq", "load_yaml", "read_text", "check_xml_chars",
           "as_int", "as_date", "located"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=path, hint="check the path or the --case name")
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=path)
    except OSError as exc:
        from .errors import EnvironmentProblem
        raise EnvironmentProblem(f"cannot read: {exc.strerror}", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"not UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line,
                         col=col, hint="save the file as UTF-8 (it looks like cp1252/Latin-1)")
    check_xml_chars(text, path)
    return text


def check_xml_chars(text, path=None, line=1, col=1, raw=True):
    """Refuse characters XML cannot hold, naming line and column."""
    m = XML_BAD.search(text)
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
    ("cannot start any token", "YAML indents with spaces, not tabs"),
    ("found unexpected end of stream", "close the quote that opens this value"),
    ("while scanning a quoted scalar", "close the quote that opens this value"),
    ("did not find expected key", "check the indentation of this line and the one above"),
    ("did not find expected", "check the indentation and quotes around this line"),
]


def _yaml_error(exc, path):
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    text = f"{problem} {getattr(exc, 'context', '') or ''}"
    hint = next((h for key, h in _HINTS if key in text), "fix the YAML syntax at this line")
    return InputError(f"YAML syntax error: {problem}", path=path,
                      line=mark.line + 1 if mark else None,
                      col=mark.column + 1 if mark else None, hint=hint)


def load_yaml(path, text=None, expect="mapping"):
    """Parse one YAML file into Map/Seq/Str with locations; refuse what is unsafe."""
    path = str(path)
    if text is None:
        text = read_text(path)
    if not text.strip():
        raise InputError("empty file", path=path, line=1,
                         hint=f"a {expect} of keys and values is expected here")
    try:
        events = iter(yaml.parse(text, Loader=_Loader))
        root = _build(events, path)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path) from None
    if expect == "mapping" and not isinstance(root, Map):
        raise InputError(f"a mapping (key: value) is expected, found a {_kind(root)}",
                         path=path, line=getattr(root, "line", 1) or 1,
                         hint="start the file with 'key: value' lines")
    return root


def _kind(value):
    return {Map: "mapping", Seq: "list"}.get(type(value), "single value")


def _mark(node, ev, path):
    node.path, node.line, node.col = path, ev.start_mark.line + 1, ev.start_mark.column + 1
    return node


def _refuse(ev, path, what, hint):
    raise InputError(what, path=path, line=ev.start_mark.line + 1,
                     col=ev.start_mark.column + 1, hint=hint)


def _build(events, path):
    """Build the document from the event stream (one document per file)."""
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
        if tag and tag != "!" and not (cls is yaml.ScalarEvent and ev.implicit[0] is True
                                      and tag is None):
            _refuse(ev, path, f"YAML tag {tag} is not accepted",
                    "remove the tag: values are plain text")
        if cls is yaml.ScalarEvent:
            value = ev.value
            if not value and ev.style is None:
                node = None
            else:
                node = _mark(Str(value), ev, path)
                if XML_BAD.search(value):
                    check_xml_chars(value, path, node.line, node.col, raw=False)
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
