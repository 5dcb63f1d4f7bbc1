"""Round-trip edits of the case's YAML files (the brief, letter.yaml, clause files):
one value changed, everything else - comments, key order, blank lines, quoting, folded
text, indentation - kept as the person wrote it.

yamlfile.py emits whole files (and whole top-level sections) the tool makes; this module
changes what a person wrote, through ruamel.yaml's round-trip mode, configured to read
as the project's loader does: no implicit types (every scalar a string, an empty value
'' - inputs/sources.load_yaml's reading), so an untouched `version: 4` or `no` is never
re-quoted or converted. The layout of the file (indentation of mappings and lists, line
width) is found by dumping the file unchanged under a few settings and keeping the one
that gives it back byte for byte.

Every edit is checked before a byte is written:
- the file as ruamel read it is the file as the project reads it (yamlfile.read_back);
- the new text reads back, with the project's reader, as exactly the data meant (the
  old data with the change), and passes inputs/sources.load_yaml (duplicate keys,
  characters Word and PDF cannot hold: given as `reader` by the layer above, since
  the store imports nothing of the inputs);
otherwise ValueError (a bug here), never a file that says something else.

Values a person types go through `scalar()`: any Unicode text; U+0085, U+2028 and
U+2029 (which a YAML reader takes for line breaks) and a text of several lines are
written double-quoted with escapes; a value YAML 1.1 would read as another type
('no', '1.10', 'null') single-quoted, as yamlfile does; long prose folded (`>-`) at
about 80 columns. NUL and the other control characters are refused (InputError).

    text = edit_text(path, old_text, change)   # change(data) mutates the round-trip data
    atomic.write_atomic(path, text)            # or edit_file(path, change): both at once
"""
from __future__ import annotations

import io
import re

from drafting.errors import InputError
from drafting.store.atomic import write_atomic
from drafting.store.read import read_utf8
from drafting.store.yamlfile import VALUE_BAD

__all__ = ["edit_text", "edit_file", "scalar", "plain", "load", "check_value",
           "insert_key"]

_LAYOUTS = ((2, 4, 2, 4096), (2, 2, 0, 4096), (2, 4, 2, 80), (2, 2, 0, 80), (4, 4, 2, 4096),
            (4, 6, 4, 4096))
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
# what no value may hold (yamlfile.VALUE_BAD), and DEL, which a person never means to type
_BAD = re.compile(VALUE_BAD.pattern[:-1] + "\x7f]")
FOLD_AT = 80


def _yaml(mapping=2, sequence=4, offset=2, width=4096):
    from ruamel.yaml import YAML
    y = YAML(typ="rt")
    y.Resolver = _resolver()
    y.preserve_quotes = True
    y.allow_unicode = True
    y.width = width
    y.indent(mapping=mapping, sequence=sequence, offset=offset)
    return y


_RESOLVER = None


def _resolver():
    """No implicit types: every plain scalar a string, an empty one null (read as '')."""
    global _RESOLVER
    if _RESOLVER is None:
        from ruamel.yaml.resolver import VersionedResolver

        class StringsOnly(VersionedResolver):
            @property
            def versioned_resolver(self):
                return {"": [("tag:yaml.org,2002:null", re.compile("^$"))]}

        _RESOLVER = StringsOnly
    return _RESOLVER


def plain(node):
    """The data as the project's reader reads it: dicts, lists, strings ('' for empty)."""
    if isinstance(node, dict):
        return {plain(k): plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [plain(v) for v in node]
    if node is None:
        return ""
    return str(node)


def _dump(y, data) -> str:
    out = io.StringIO()
    y.dump(data, out)
    return out.getvalue()


def load(text: str):
    """(round-trip data, the YAML object whose layout gives `text` back)."""
    best = None
    for layout in _LAYOUTS:
        y = _yaml(*layout)
        data = y.load(text)
        if data is None:
            return data, _yaml()
        out = _dump(y, data)
        if out == text:
            return y.load(text), y
        score = sum(a != b for a, b in zip(out.splitlines(), text.splitlines())) + abs(
            out.count("\n") - text.count("\n"))
        if best is None or score < best[0]:
            best = (score, layout)
    y = _yaml(*best[1])
    return y.load(text), y


def _read_back(text):
    from drafting.store.yamlfile import read_back
    return read_back(text)


def edit_text(path, text: str, change, empty=None, reader=None) -> str:
    """`text` (the YAML file at `path`) with `change(data)` applied to its round-trip
    data, the rest as it was; checked to read back as meant. `change` may return a new
    root. An empty file starts as `empty` (a dict or list). `reader(path, text=...)`:
    the project's loader (inputs/sources.load_yaml, which the layer above passes), run
    on the new text before it is returned."""
    if text.strip():
        data, y = load(text)
        if plain(data) != plain(_read_back(text)):
            raise ValueError(f"{path}: the round-trip reader does not read the file as the "
                             "project does")
    else:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        data, y = (CommentedSeq() if isinstance(empty, list) else CommentedMap()), _yaml()
    new_root = change(data)
    if new_root is not None:
        data = new_root
    new = _dump(y, data)
    if plain(_read_back(new)) != plain(data):
        raise ValueError(f"{path}: the edited YAML does not read back as the data meant")
    if reader is not None:
        reader(path, text=new, expect="list" if isinstance(data, list) else "mapping")
    return new


def edit_file(path, change, empty=None, reader=None):
    """Edit the YAML file at `path` in place (atomically); returns the new text."""
    from pathlib import Path
    path = Path(path)
    text = read_utf8(path) if path.exists() else ""
    new = edit_text(path, text, change, empty, reader)
    write_atomic(path, new)
    return new


def check_value(value: str, what: str = "the value") -> str:
    """A value a person typed: refused (InputError) when it holds a character the files
    and documents cannot carry."""
    if not isinstance(value, str):
        raise InputError(f"{what} must be text")
    m = _BAD.search(value)
    if m:
        raise InputError(f"{what} holds the control character U+{ord(m.group()):04X} at "
                         f"position {m.start() + 1}", hint="remove it (it cannot be written "
                         "in a document)")
    return value


def _resolves_to_other(value: str) -> bool:
    import yaml
    resolver = yaml.resolver.Resolver()
    return resolver.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str"


def _fold_positions(value: str, indent: int) -> list:
    """Spaces at which a folded scalar may break: single spaces between two non-spaces,
    about every FOLD_AT - indent characters."""
    room = max(40, FOLD_AT - indent)
    out, start = [], 0
    while len(value) - start > room:
        cut = None
        for i in range(start + room, start, -1):
            if i < len(value) - 1 and value[i] == " " and value[i - 1] != " " and value[i + 1] != " ":
                cut = i
                break
        if cut is None:
            break
        out.append(cut)
        start = cut + 1
    return out


def scalar(value: str, indent: int = 2, what: str = "the value"):
    """A typed value as the scalar to write: plain, quoted or folded as it needs, so that
    the project's reader reads it back equal."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        FoldedScalarString,
        SingleQuotedScalarString,
    )
    check_value(value, what)
    if value == "":
        return SingleQuotedScalarString("")
    if _BREAKS.search(value) or "\t" in value or value != value.strip() or "\ufeff" in value:
        return DoubleQuotedScalarString(value)
    if _resolves_to_other(value):
        return SingleQuotedScalarString(value)
    if len(value) > 70:
        folded = FoldedScalarString(value)
        folded.fold_pos = _fold_positions(value, indent)
        if _read_back(_dump(_yaml(), {"k": folded})) == {"k": value}:
            return folded
        return DoubleQuotedScalarString(value)
    probe = _dump(_yaml(), {"k": value})
    if _read_back(probe) != {"k": value} or "'" in probe.split(":", 1)[1][:3] or '"' in probe[3:5]:
        return DoubleQuotedScalarString(value)
    return value


def insert_key(mapping, key, value, after=None):
    """Set `key` in a round-trip mapping: in its place when present, else right after
    the key `after` (when the mapping has it), else last."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    if after is not None and after in mapping:
        mapping.insert(keys.index(after) + 1, key, value)
    else:
        mapping[key] = value


def delete(container, key) -> None:
    """Remove `key` (a mapping's key, a list's index) from a round-trip container, the
    comment lines written after it (which ruamel keeps with it: they are the next entry's)
    moved to the entry before it."""
    ca = getattr(container, "ca", None)
    items = list(container) if isinstance(container, dict) else list(range(len(container)))
    at = items.index(key)
    slot = 2 if isinstance(container, dict) else 0
    after = ca.items.get(key) if ca is not None else None
    comment = after[slot] if after and len(after) > slot else None
    del container[key]
    if ca is not None and not isinstance(container, dict):  # the list's comments shift down
        moved = {}
        for i, value in ca.items.items():
            if isinstance(i, int) and i > at:
                moved[i - 1] = value
            elif i != at:
                moved[i] = value
        ca.items.clear()
        ca.items.update(moved)
    if comment is None or ca is None:
        return
    if at == 0:
        return
    prev = items[at - 1]
    entry = ca.items.setdefault(prev, [None] * 4 if isinstance(container, dict) else [None, None])
    while len(entry) <= slot:
        entry.append(None)
    if entry[slot] is None:
        entry[slot] = comment
    else:
        from ruamel.yaml.tokens import CommentToken
        keep = entry[slot]
        text = keep.value + (comment.value if not comment.value.startswith("\n")
                             else comment.value[1:])
        entry[slot] = CommentToken(text, keep.start_mark, None)
