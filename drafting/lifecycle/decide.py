"""The drafter's decisions, as edits of the case's files that keep their comments and
layout (store/edit.py), each refused with `path:line: problem - hint` before anything is
written when it names something that is not there.

Each function returns a Change: the new text of every file it touches (and the files it
removes), not yet written. `commit(change)` writes them (atomic.write_atomic, the brief
last). Checking a Change against the whole of `draft check` (a change that would make the
case fail it is refused) is validate/trial.py's, which the commands and the preview call:

    change = set_position(root, case, "joint-patrols", "accept-with-conditions")
    trial.verify(root, case, change)      # the case's new errors, refused (Problems)
    commit(change)

    set_position(root, case, KEY, POSITION | None)     brief positions: (None: removed)
    set_field(root, case, NAME, VALUE)                  signatory addressee register date
                                                        marking audience
    add_paragraph / remove_paragraph / paragraphs      the brief's case-specific paragraphs
    drop_proposal / rename_proposal / new_proposal     letter.yaml, brief, the case's clause
    new_clause(root, case, KEY, positions, ...)        a skeleton clause file
    set_order(root, case, KEYS)                        the brief's order
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError, did_you_mean
from drafting.inputs.library import POSITION_TO_CHOOSE, STUB
from drafting.inputs.library import TO_BE_DRAFTED as TO_DRAFT
from drafting.store import edit as yedit

# What marks ingest's note on a position that only stands in (inputs/library.py).
_STAND_IN = POSITION_TO_CHOOSE.split(" - ")[0]

__all__ = ["Change", "commit", "set_position", "set_field", "add_paragraph", "remove_paragraph",
           "paragraphs", "drop_proposal", "rename_proposal", "new_proposal", "new_clause",
           "set_order", "FIELDS", "brief_path", "TO_DRAFT"]

FIELDS = ("signatory", "addressee", "register", "date", "marking", "audience")
KEY_RE = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass
class Change:
    """What a decision writes: {path: new text}, paths to remove, and what it says."""
    said: str
    texts: dict = field(default_factory=dict)
    removed: list = field(default_factory=list)
    brief: Path | None = None
    # keys of the skeleton clauses it brings: what draft check then asks to draft for
    # them (texts, owner, clearance, the agenda) is work to do, not a refusal
    to_draft: set = field(default_factory=set)
    # {old key: new key}: what draft check said of the old key it now says of the new
    renames: dict = field(default_factory=dict)

    def paths(self) -> list:
        return list(self.texts) + list(self.removed)


def commit(change: Change) -> list:
    """Write the change: every file but the brief, then the brief (which names the rest);
    each file atomically. Returns the paths written or removed."""
    from drafting.store.atomic import unlink, write_atomic
    done = []
    for path, text in sorted(change.texts.items(), key=lambda kv: kv[0] == change.brief):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
        done.append(Path(path))
    for path in change.removed:
        unlink(path)
        done.append(Path(path))
    return done


# -- reading the case -------------------------------------------------------------------

def _folder(root, case) -> Path:
    from drafting.inputs.case import case_folder
    return case_folder(Path(root), case)


def brief_path(root, case, brief=None) -> Path:
    return Path(brief) if brief else _folder(root, case) / "brief.yaml"


def _text(path) -> str:
    from drafting.inputs.sources import read_text
    return read_text(path)


def _data(path):
    from drafting.inputs.sources import load_yaml
    return load_yaml(path)


def _letter_keys(folder) -> list:
    from drafting.inputs.letter import load_letter
    return [p.key for p in load_letter(folder).proposals]


def _library(root, folder, keys=None):
    from drafting.inputs.library import load_library
    return load_library(Path(root) / "clauses", keys, lazy=True, overlay=folder / "clauses")


def _edit(path, change, text=None):
    from drafting.inputs.sources import load_yaml
    return yedit.edit_text(path, _text(path) if text is None else text, change,
                           reader=load_yaml)


def _proposal(folder, key, what="proposal"):
    keys = _letter_keys(folder)
    if key not in keys:
        raise InputError(f"the letter has no {what} '{key}'", path=folder / "letter.yaml",
                         hint=did_you_mean(key, keys, "its proposals: " + ", ".join(keys),
                                           also=True))
    return keys


def _check_key(key, what="key"):
    if not isinstance(key, str) or not KEY_RE.fullmatch(key):
        raise InputError(f"'{key}' is not a {what}", hint="lower-case letters, digits and "
                         "hyphens, e.g. night-trains")
    return key


def _mapping(data, name):
    from ruamel.yaml.comments import CommentedMap
    node = data.get(name)
    if not isinstance(node, dict):
        node = CommentedMap()
        yedit.insert_key(data, name, node)  # a new top-level key goes last: comments
    return node                              # above the next key stay with it


def _list(data, name):
    from ruamel.yaml.comments import CommentedSeq
    node = data.get(name)
    if not isinstance(node, list):
        node = CommentedSeq()
        yedit.insert_key(data, name, node)
    return node


# -- positions ----------------------------------------------------------------------------

def set_position(root, case, key, position, brief=None) -> Change:
    """The brief's position for proposal `key` (None: the entry removed, so the proposal
    has none until one is chosen)."""
    folder = _folder(root, case)
    path = brief_path(root, case, brief)
    _proposal(folder, key)
    if position is not None:
        lib = _library(root, folder, [key])
        clause = lib.clause(key)
        position = yedit.check_value(position, "the position")
        if position not in clause.positions:
            raise InputError(f"clause '{key}' has no position '{position}'", path=clause.path,
                             hint=did_you_mean(position, clause.positions, "its positions: "
                                               + ", ".join(clause.positions), also=True))
        _position_gaps(clause, position, (folder / "meeting.yaml").exists())

    def change(data):
        positions = _mapping(data, "positions")
        if position is None:
            if key in positions:
                yedit.delete(positions, key)
        else:
            positions[key] = yedit.scalar(position)
            notes = data.get("notes")  # a drafter chose: ingest's stand-in note has done its job
            if isinstance(notes, dict) and _STAND_IN in str(notes.get(key) or ""):
                yedit.delete(notes, key)
                if not notes:
                    yedit.delete(data, "notes")
    text = _edit(path, change)
    said = f"{key}: {position}" if position else f"{key}: no position (cleared)"
    return Change(said, {path: text}, brief=path)


def _position_gaps(clause, position, meeting=True):
    """What draft check would refuse in the position chosen: a text to draft, or a
    document text (reply, line, declaration) another position has and this one lacks."""
    node = clause.positions.get(position) or {}

    def stubs(value, where):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from stubs(v, f"{where}.{k}")
        elif isinstance(value, list):
            for v in value:
                yield from stubs(v, where)
        elif isinstance(value, str) and STUB.search(value):
            yield where, value
    for where, value in stubs(node, position):
        raise InputError(f"clause '{clause.key}', position '{position}': {where} is still to "
                         "draft", path=getattr(value, "path", clause.path),
                         line=getattr(value, "line", None),
                         hint="draft the text first (draft check lists what is left), or "
                         "choose another position")
    skipped = set(node.get("no_text") or []) if isinstance(node, dict) else set()
    for name in ("reply", "line", "declaration"):
        if name in node or name in skipped:
            continue
        others = [p for p, n in clause.positions.items() if isinstance(n, dict) and name in n]
        if name == "declaration" and not meeting:
            continue  # no meeting, no declaration
        if others:
            raise InputError(f"clause '{clause.key}' has no {name} text under '{position}' "
                             f"({', '.join(others)} {'has' if len(others) == 1 else 'have'} one)",
                             path=clause.path, line=getattr(node, "line", None),
                             hint=f"write positions.{position}.{name} (fr and en), or say it "
                             f"has none on purpose (no_text: [{name}]), or choose "
                             f"{' or '.join(others)}")


# -- the brief's single fields --------------------------------------------------------------

def set_field(root, case, name, value, brief=None) -> Change:
    """One of the brief's fields (FIELDS) set to `value` ('' clears a marking)."""
    from drafting.inputs.brief import AUDIENCES, REGISTERS
    from drafting.inputs.sources import as_date
    path = brief_path(root, case, brief)
    if name not in FIELDS:
        raise InputError(f"'{name}' is not a field draft set changes",
                         hint=did_you_mean(name, FIELDS, ", ".join(FIELDS), also=True))
    value = yedit.check_value(str(value), name).strip()
    choices = {"register": REGISTERS, "audience": AUDIENCES}.get(name)
    if choices and value not in choices:
        raise InputError(f"unknown {name} '{value}'", path=path,
                         hint=did_you_mean(value, choices, "choose from: " + ", ".join(choices),
                                           also=True))
    if name == "date":
        try:
            value = str(as_date(value))
        except InputError as exc:
            raise InputError(f"draft set date: {exc.problems[0].problem}", path=path,
                             hint=exc.problems[0].hint) from None
    if name in ("signatory", "addressee"):
        _person(root, _folder(root, case), value, path)
    if not value and name != "marking":
        raise InputError(f"the brief's {name} cannot be empty", path=path,
                         hint=f"give a value: draft set {name} VALUE")

    def change(data):
        yedit.insert_key(data, name, yedit.scalar(value))
    return Change(f"{name}: {value or '(none)'}", {path: _edit(path, change)}, brief=path)


def _person(root, folder, key, path):
    from drafting.inputs.people import load_people
    people = load_people(Path(root) / "clauses" / "people.yaml")
    if (folder / "people.yaml").exists():
        people.update(load_people(folder / "people.yaml"))
    if key not in people:
        raise InputError(f"no person '{key}' in clauses/people.yaml or the case's people.yaml",
                         path=path, hint=did_you_mean(key, people, "add the person first (draft "
                                                      "people add, or clauses/people.yaml)"))


# -- case-specific paragraphs -------------------------------------------------------------------

def paragraphs(root, case, brief=None) -> list:
    """The brief's paragraphs: [(key, side, anchor, fr, en, line)]."""
    data = _data(brief_path(root, case, brief))
    out = []
    for item in data.get("paragraphs") or []:
        if not isinstance(item, dict):
            continue
        side = "after" if item.get("after") else "before" if item.get("before") else ""
        out.append((str(item.get("key") or ""), side, str(item.get(side) or "") if side else "",
                    str(item.get("fr") or ""), str(item.get("en") or ""), item.line))
    return out


def _anchors(folder, data) -> list:
    keys = [str(k) for k in data.get("order") or []] or _letter_keys(folder)
    own = [str(i.get("key")) for i in data.get("paragraphs") or [] if isinstance(i, dict)
           and i.get("key")]
    return keys + own + ["start", "end"]


def add_paragraph(root, case, fr, en, after=None, before=None, key=None, note=None,
                  brief=None) -> Change:
    """A case-specific paragraph of the reply, in both languages (written by the drafter:
    the English renders the French), placed after or before a clause or paragraph."""
    path = brief_path(root, case, brief)
    folder = _folder(root, case)
    data = _data(path)
    fr = yedit.check_value(fr or "", "the French text").strip()
    en = yedit.check_value(en or "", "the English text").strip()
    if not fr or not en:
        raise InputError("a case-specific paragraph needs both texts", path=path,
                         hint="give --fr and --en (the English renders the French)")
    if bool(after) == bool(before):
        raise InputError("say where the paragraph goes: --after KEY or --before KEY",
                         hint="KEY: a clause of the reply (draft proposals), another "
                         "paragraph's key, start or end")
    side, anchor = ("after", after) if after else ("before", before)
    anchors = _anchors(folder, data)
    if anchor not in anchors:
        raise InputError(f"--{side} '{anchor}' names nothing in the reply", path=path,
                         hint=did_you_mean(anchor, anchors, "anchors: " + ", ".join(anchors),
                                           also=True))
    taken = {str(i.get("key")) for i in data.get("paragraphs") or [] if isinstance(i, dict)}
    if key is None:
        base = f"{anchor}-note" if anchor not in ("start", "end") else "case-paragraph"
        key, n = base, 2
        while key in taken or key in anchors:
            key, n = f"{base}-{n}", n + 1
    _check_key(key, "paragraph key")
    if key in taken or key in anchors:
        raise InputError(f"the key '{key}' is taken", path=path,
                         hint="give the paragraph another --key")

    def change(doc):
        from ruamel.yaml.comments import CommentedMap
        items = _list(doc, "paragraphs")
        item = CommentedMap()
        item["key"] = key
        item[side] = anchor
        item["fr"] = yedit.scalar(fr, 4, "the French text")
        item["en"] = yedit.scalar(en, 4, "the English text")
        if note:
            item["note"] = yedit.scalar(yedit.check_value(note, "the note"), 4)
        items.append(item)
    return Change(f"paragraph {key} ({side} {anchor})", {path: _edit(path, change)}, brief=path)


def remove_paragraph(root, case, key, brief=None) -> Change:
    path = brief_path(root, case, brief)
    items = paragraphs(root, case, brief)
    keys = [k for k, *_ in items]
    if key not in keys:
        raise InputError(f"the brief has no paragraph '{key}'", path=path,
                         hint=did_you_mean(key, keys, "its paragraphs: " + ", ".join(keys)
                                           if keys else "it has none", also=True))

    def change(doc):
        items = doc["paragraphs"]
        at = next(i for i, item in enumerate(items) if str(item.get("key")) == key)
        gone = items[at]
        side = "after" if gone.get("after") else "before" if gone.get("before") else None
        yedit.delete(items, at)
        for item in items:  # a paragraph anchored to this one takes its place
            for s in ("after", "before"):
                if str(item.get(s) or "") == key:
                    if side:
                        del item[s]
                        yedit.insert_key(item, side, gone[side], "key")
                    else:
                        del item[s]
        if not items:
            del doc["paragraphs"]
    return Change(f"paragraph {key} removed", {path: _edit(path, change)}, brief=path)


# -- proposals ---------------------------------------------------------------------------

def _case_clause(folder, key) -> Path:
    return folder / "clauses" / f"{key}.yaml"


def _brief_without(doc, key):
    for name in ("positions", "notes", "no_answer", "overrides"):
        node = doc.get(name)
        if isinstance(node, dict) and key in node:
            yedit.delete(node, key)
    order = doc.get("order")
    if isinstance(order, list):
        while key in [str(k) for k in order]:
            yedit.delete(order, [str(k) for k in order].index(key))


def drop_proposal(root, case, key, brief=None) -> Change:
    """A proposal read by mistake leaves the case: letter.yaml's entry, the brief's
    position, order, notes, no_answer and overrides for it, the meeting's agenda items,
    and the case's own clause (a shared clause stays in the library)."""
    folder = _folder(root, case)
    path = brief_path(root, case, brief)
    _proposal(folder, key)
    letter = folder / "letter.yaml"
    texts = {}

    def letter_change(doc):
        items = doc["proposals"]
        yedit.delete(items, next(i for i, p in enumerate(items) if str(p.get("key")) == key))
    texts[letter] = _edit(letter, letter_change)
    bdata = _data(path)
    for item in bdata.get("paragraphs") or []:
        side = "after" if item.get("after") else "before"
        if str(item.get(side) or "") == key:
            raise InputError(f"paragraph '{item.get('key')}' of the brief is placed {side} "
                             f"'{key}'", path=path, line=item.line,
                             hint="move it first (draft paragraph remove, then add it "
                             "elsewhere)")
    texts[path] = _edit(path, lambda doc: _brief_without(doc, key))
    meeting = folder / "meeting.yaml"
    if meeting.exists() and _on_agenda(_data(meeting), key):
        def meeting_change(doc):  # the agenda item no longer carries it
            for item in doc.get("items") or []:
                props = item.get("proposals")
                if isinstance(props, list) and key in [str(k) for k in props]:
                    yedit.delete(props, [str(k) for k in props].index(key))
        texts[meeting] = _edit(meeting, meeting_change)
    removed = [_case_clause(folder, key)] if _case_clause(folder, key).exists() else []
    return Change(f"proposal {key} dropped", texts, removed, brief=path)


def _on_agenda(data, key) -> bool:
    return any(isinstance(i, dict) and key in [str(k) for k in i.get("proposals") or []]
               for i in data.get("items") or [])


def rename_proposal(root, case, old, new, brief=None) -> Change:
    """A proposal's key changed everywhere the case names it: letter.yaml, the brief
    (positions, order, notes, no_answer, overrides, paragraph anchors), the meeting's
    agenda items, the case's own clause (its file name and key)."""
    folder = _folder(root, case)
    path = brief_path(root, case, brief)
    keys = _proposal(folder, old)
    _check_key(new, "proposal key")
    if new in keys:
        raise InputError(f"the letter has a proposal '{new}' already", path=folder / "letter.yaml",
                         hint="choose another key")
    own = _case_clause(folder, old)
    lib = _library(root, folder, [old, new])
    if not own.exists() and new not in lib:
        raise InputError(f"'{old}' answers with the shared clause clauses/{old}.yaml; the "
                         f"library has no clause '{new}'", path=folder / "letter.yaml",
                         hint=f"a proposal's key names its clause: make clauses/{new}.yaml "
                         f"(draft clause new {new}) or rename the shared file first")
    if own.exists() and (new in lib or _case_clause(folder, new).exists()):
        raise InputError(f"a clause '{new}' exists already", path=own,
                         hint="choose another key")
    letter = folder / "letter.yaml"

    def letter_change(doc):
        for p in doc["proposals"]:
            if str(p.get("key")) == old:
                p["key"] = new

    def brief_change(doc):
        for name in ("positions", "notes", "no_answer", "overrides"):
            node = doc.get(name)
            if isinstance(node, dict) and old in node:
                at = list(node).index(old)
                value = node.pop(old)
                node.insert(at, new, value)
        order = doc.get("order")
        if isinstance(order, list):
            for i, k in enumerate(order):
                if str(k) == old:
                    order[i] = new
        for item in doc.get("paragraphs") or []:
            for side in ("after", "before"):
                if str(item.get(side) or "") == old:
                    item[side] = new
    texts = {letter: _edit(letter, letter_change), path: _edit(path, brief_change)}
    meeting = folder / "meeting.yaml"
    if meeting.exists() and _on_agenda(_data(meeting), old):
        def meeting_change(doc):
            for item in doc.get("items") or []:
                props = item.get("proposals") or []
                for i, k in enumerate(props):
                    if str(k) == old:
                        props[i] = new
        texts[meeting] = _edit(meeting, meeting_change)
    removed = []
    if own.exists():
        def clause_change(doc):
            doc["key"] = new
        texts[_case_clause(folder, new)] = _edit(own, clause_change)
        removed.append(own)
    return Change(f"proposal {old} renamed {new}", texts, removed, brief=path,
                  renames={old: new})


def new_proposal(root, case, key, quote, paragraph, title_fr=None, title_en=None,
                 position=None, bullet=None, brief=None) -> Change:
    """A proposal the drafter names by hand (ingest has `--from-line`): letter.yaml, the
    brief's position and order (before the closing clause), and, when the library has no
    clause of that key, a skeleton clause of the case to draft."""
    folder = _folder(root, case)
    path = brief_path(root, case, brief)
    _check_key(key, "proposal key")
    keys = _letter_keys(folder)
    if key in keys:
        raise InputError(f"the letter has a proposal '{key}' already", path=folder / "letter.yaml",
                         hint="choose another key, or draft set position")
    quote = yedit.check_value(quote or "", "the quote").strip()
    if not quote:
        raise InputError("a proposal needs its quote: the letter's own words",
                         hint="give --quote '...'")
    try:
        para = int(str(paragraph))
        assert para >= 1
    except (ValueError, AssertionError):
        raise InputError(f"--paragraph '{paragraph}' is not a paragraph number",
                         hint="the paragraph of the letter's body, from 1") from None
    lib = _library(root, folder, [key])
    texts = {}
    if key in lib:
        clause = lib[key]
        title_fr = title_fr or str(clause.title.get("fr") or key)
        title_en = title_en or str(clause.title.get("en") or key)
        positions = list(clause.positions)
    else:
        positions = ["defer"]
        title_fr = title_fr or TO_DRAFT.format(title_en or key)
        title_en = title_en or TO_DRAFT.format(key)
        skeleton = new_clause(root, case, key, positions, title_fr, title_en, case_only=True)
        texts.update(skeleton.texts)
    position = position or ("defer" if "defer" in positions else positions[0])
    if position not in positions:
        raise InputError(f"clause '{key}' has no position '{position}'",
                         hint=did_you_mean(position, positions, ", ".join(positions), also=True))
    letter = folder / "letter.yaml"

    def letter_change(doc):
        from ruamel.yaml.comments import CommentedMap
        items = _list(doc, "proposals")
        item = CommentedMap()
        item["key"] = key
        item["title"] = CommentedMap([("en", yedit.scalar(title_en, 6)),
                                      ("fr", yedit.scalar(title_fr, 6))])
        item["paragraph"] = str(para)
        if bullet:
            item["bullet"] = str(int(bullet))
        item["quote"] = yedit.scalar(quote, 4)
        at = len(items)
        for i, p in enumerate(items):
            if (int(str(p.get("paragraph") or 0)), int(str(p.get("bullet") or 0))) > (para, int(bullet or 0)):
                at = i
                break
        items.insert(at, item)

    def brief_change(doc):
        yedit.insert_key(_mapping(doc, "positions"), key, yedit.scalar(position))
        order = doc.get("order")
        if isinstance(order, list) and key not in order:
            names = [str(k) for k in order]
            order.insert(names.index("closing") if "closing" in names else len(order), key)
    texts[letter] = _edit(letter, letter_change)
    texts[path] = _edit(path, brief_change)
    return Change(f"proposal {key} added ({position})", texts, brief=path,
                  to_draft={key})


# -- a new clause -------------------------------------------------------------------------------

FIELDS_OF_POSITION = ("line", "reply")


def new_clause(root, case, key, positions, title_fr=None, title_en=None, owner=None,
               case_only=False) -> Change:
    """A clause file to draft, complete in its shape: title, owner, version, positions
    each with its matrix line and reply in both languages, every text marked
    [TO BE DRAFTED: ...] so that draft check lists each one at its line. In the case's
    own clauses (`case_only`, the default for a proposal of that case only) or in the
    shared clauses/."""
    from ruamel.yaml.comments import CommentedMap

    from drafting.inputs.library import POSITIONS
    _check_key(key, "clause key")
    folder = _folder(root, case) if case_only else None
    target = _case_clause(folder, key) if case_only else Path(root) / "clauses" / f"{key}.yaml"
    if target.exists() or (Path(root) / "clauses" / f"{key}.yaml").exists():
        raise InputError(f"a clause '{key}' exists already", path=target,
                         hint="edit it, or choose another key")
    positions = [p.strip() for p in positions for p in str(p).split(",") if p.strip()]
    if not positions:
        raise InputError("a clause needs at least one position", hint="--positions decline,counter")
    for p in positions:
        if p not in POSITIONS:
            raise InputError(f"unknown position '{p}'",
                             hint=did_you_mean(p, POSITIONS, ", ".join(POSITIONS), also=True))
    title_en = yedit.check_value(title_en or TO_DRAFT.format(f"English title of {key}"), "title")
    title_fr = yedit.check_value(title_fr or TO_DRAFT.format(f"titre français de {key}"), "title")
    header = (f"# Clause for the proposal '{key}'. Schema: clauses/README.md. French is the\n"
              "# original; English renders it. `draft check` lists every text still to draft.\n")

    def build(_data):
        doc = CommentedMap()
        doc["key"] = key
        doc["title"] = CommentedMap([("fr", yedit.scalar(title_fr, 2)), ("en", yedit.scalar(title_en, 2))])
        doc["owner"] = yedit.scalar(owner or TO_DRAFT.format("owning department"))
        doc["version"] = "1"
        doc["en_renders"] = "1"
        pos = CommentedMap()
        for p in positions:
            texts = CommentedMap()
            for name in FIELDS_OF_POSITION:
                texts[name] = CommentedMap([
                    ("fr", TO_DRAFT.format(f"{name} {p} (français)")),
                    ("en", TO_DRAFT.format(f"{name} {p} (English)"))])
            pos[p] = texts
        doc["positions"] = pos
        return doc
    text = header + _edit(target, build, text="")  # a new file
    return Change(f"clause {key}: {target}", {target: text}, to_draft={key})


# -- the order ----------------------------------------------------------------------------------

def set_order(root, case, keys, brief=None) -> Change:
    """The brief's order of the reply: every proposal answered and the shared clauses it
    prints, by key."""
    path = brief_path(root, case, brief)
    folder = _folder(root, case)
    keys = [k for k in (str(k).strip() for arg in keys for k in str(arg).split(",")) if k]
    seen = set()
    for k in keys:
        if k in seen:
            raise InputError(f"'{k}' is named twice in the order", hint="name each clause once")
        seen.add(k)
    lib = _library(root, folder)
    missing = [k for k in keys if k not in lib]
    if missing:
        raise InputError(f"no clause '{missing[0]}' in the library", path=path,
                         hint=did_you_mean(missing[0], list(lib), "draft clauses lists them"))
    data = _data(path)
    answered = [k for k in _letter_keys(folder) if k in (data.get("positions") or {})
                and k not in (data.get("no_answer") or {})]
    left = [k for k in answered if k not in keys]
    if left:
        raise InputError(f"the order leaves out {', '.join(left)}, which the brief answers",
                         path=path, hint="name every proposal with a position (or give it "
                         "no_answer:)")

    def change(doc):
        from ruamel.yaml.comments import CommentedSeq
        order = doc.get("order")
        if isinstance(order, list):
            del order[:]
            order.extend(keys)
        else:
            yedit.insert_key(doc, "order", CommentedSeq(keys))
    return Change("order: " + ", ".join(keys), {path: _edit(path, change)}, brief=path)
