"""The one YAML emitter: every YAML file the tool writes (an ingested case, sign-offs,
the brief's overrides) is emitted here and checked to read back as written.

What it writes reads back equal with the project's loader (inputs/sources.load_yaml,
which keeps every scalar a string): block style, no anchors or aliases, keys in the
order given, prose longer than a line (or of several paragraphs) as a folded block
scalar (`>`), and anything a resolver would turn into another type (`no`, `1.10`,
`null`) quoted. `None` is refused: the loader reads an empty value as '' with libyaml
and as None without it, so the tool never writes one (write '' or leave the key out).
Before a byte is written, the text is parsed again and compared with what was meant,
node by node; a difference is a bug here, raised as ValueError, never a file that says
something else.

Two edits keep the rest of a file as it is, comments included:
- `append_items` adds entries to a file that is a YAML list (signoffs.yaml, only ever
  appended to);
- `replace_section` replaces one top-level key's section of a mapping (the brief's
  `overrides:`, written by absorb). The section's extent comes from the parser's marks,
  its text from this emitter, and the whole new file is read back and compared with the
  old one with that key replaced.
Files are put on disk by atomic.write_atomic.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping

from drafting.store.atomic import write_atomic

__all__ = ["dump", "write", "append_items", "replace_section", "read_back"]

WIDTH = 80  # PyYAML's default: a line breaks at the first space past it
# What no value may hold, read or written: control characters but tab and line feed (a
# carriage return only gets into a value through a "\r" escape, and XML would read it
# back as a line feed), surrogates and non-characters. The loader (inputs/sources.py)
# refuses them in what it reads; refused here too, before anything is written.
VALUE_BAD = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
# What a YAML reader may take for a line break (NEL, LINE and PARAGRAPH SEPARATOR: a
# reviewer's U+2028 must never start a new key), or what no one sees (BOM, bidi controls,
# zero-width characters): always written as a double-quoted escape.
_ESCAPE = re.compile("[\x85\u2028\u2029\ufeff\u200b-\u200f\u202a-\u202e\u2060-\u2069\x7f-\x9f]")
_DUMPER = None


def _dumper():
    global _DUMPER
    if _DUMPER is None:
        import yaml  # here: a run that writes no YAML never imports PyYAML

        class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
            def ignore_aliases(self, data):
                return True  # a repeated object is written out again, never as *alias

        def text(dumper, value):
            if _ESCAPE.search(value):  # line breaks YAML 1.1 readers see, invisible marks:
                style = '"'            # escaped (\L, \P, \N, \uFEFF), never written raw
            else:
                style = ">" if len(value) > 70 or "\n" in value else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        _DUMPER = Dumper
    return _DUMPER


def _plain(value):
    """Plain Python containers and strings (the loader's Map/Seq/Str are subclasses)."""
    if isinstance(value, Mapping):
        return {_plain(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        bad = VALUE_BAD.search(value)
        if bad:
            raise ValueError(f"character U+{ord(bad.group()):04X} cannot be written to a YAML "
                             "file the tool reads back (NUL, control characters, surrogates)")
        return str(value)
    if isinstance(value, (bool, int, float, _dt.date)):
        return value
    raise TypeError(f"cannot write a {type(value).__name__} as YAML"
                    + (" (write '' or leave the key out)" if value is None else ""))


def _expected(node):
    """What the loader reads for a node the representer made: every scalar a string."""
    import yaml
    if isinstance(node, yaml.MappingNode):
        return {_expected(k): _expected(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_expected(v) for v in node.value]
    return node.value


def _read(node):
    """What the loader reads for a parsed node: every scalar a string."""
    import yaml
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return {_read(k): _read(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_read(v) for v in node.value]
    return node.value


def read_back(text: str):
    """The data a YAML text holds as the project's loader reads it (every scalar a
    string), without locations; None for an empty file."""
    import yaml
    return _read(yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def _meant(data):
    import yaml
    return _expected(yaml.representer.SafeRepresenter().represent_data(data)
                     if not isinstance(data, str) else yaml.ScalarNode("tag:yaml.org,2002:str", data))


def _emit(data) -> str:
    import yaml
    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=WIDTH,
                     default_flow_style=False)


def _check_header(header: str) -> str:
    if header and not header.endswith("\n"):
        header += "\n"
    if any(line.strip() and not line.lstrip().startswith("#") for line in header.splitlines()):
        raise ValueError("a YAML header may hold only comments")
    return header


def dump(data, header: str = "") -> str:
    """`data` as YAML text, after `header` (comment lines); checked to read back."""
    data = _plain(data)
    text = _check_header(header) + _emit(data)
    if read_back(text) != _meant(data):
        raise ValueError("the YAML emitted does not read back as the data it was given")
    return text


def write(path, data, header: str = "", durable: bool = True):
    """Write `data` as a YAML file (atomically); returns the path."""
    return write_atomic(path, dump(data, header), durable=durable)


def append_items(text: str, items, header: str = "") -> str:
    """`text` (a YAML list, or a file of only comments) with `items` appended, the
    existing text kept byte for byte; `header` starts a file that had no content."""
    items = _plain(list(items))
    before = read_back(text) if text.strip() else None
    if before is not None and not isinstance(before, list):
        raise ValueError("the file is not a YAML list")
    if not text.strip():
        text = _check_header(header)
    elif not text.endswith("\n"):
        text += "\n"
    new = text + _emit(items)
    if read_back(new) != (before or []) + _meant(items):
        raise ValueError("the YAML appended does not read back as the items it was given")
    return new


def replace_section(text: str, key: str, value, header: str = "", after: str | None = None) -> str:
    """`text` (a YAML mapping) with its top-level `key` section replaced by `key: value`
    (added when absent: right after the `after` key's section if the file has one, else
    at the end, after the comment lines `header`). Everything else, comments and blank
    lines included, is kept byte for byte."""
    import yaml
    value = _plain(value)
    root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if text.strip() else None
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise ValueError("the file is not a YAML mapping")
    pairs = root.value if root is not None else []
    section = _emit({key: value})
    lines = text.splitlines(keepends=True)
    at = next((i for i, (k, _v) in enumerate(pairs) if k.value == key), None)
    prev = next((i for i, (k, _v) in enumerate(pairs) if after and k.value == after), None)
    if at is None and prev is not None:
        end = pairs[prev + 1][0].start_mark.line if prev + 1 < len(pairs) else len(lines)
        while end > pairs[prev][0].start_mark.line + 1 and (
                not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # blank lines and comments before the next key stay with it
        if end == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        new = "".join(lines[:end]) + section + "".join(lines[end:])
    elif at is None:
        sep = "" if not text or text.endswith("\n") else "\n"
        new = text + sep + _check_header(header) + section
    else:
        start = pairs[at][0].start_mark.line
        end = pairs[at + 1][0].start_mark.line if at + 1 < len(pairs) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1  # blank lines and comments before the next key stay with it
        new = "".join(lines[:start]) + section + "".join(lines[end:])
    meant = _read(root) if root is not None else {}
    if at is None and prev is not None:  # new, right after `after`
        items = list(meant.items())
        items.insert(prev + 1, (key, _meant(value)))
        meant = dict(items)
    else:
        meant[key] = _meant(value)  # in its place, or last when it is new
    got = read_back(new)
    if got != meant or list(got) != list(meant):
        raise ValueError(f"the YAML section '{key}' does not read back as the data it was given")
    return new
