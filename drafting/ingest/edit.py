"""Edit an ingested case, and share what it learned with every case.

    add_proposal(root, case, line)        a sentence ingest left out becomes a proposal
    promote_clause(root, case, key)       a drafted, owned case clause moves to clauses/
    promote_person(root, case, key)       a completed person moves to clauses/people.yaml
    add_person(root, case, key, source)   a person of another case is copied into this one

Each refuses with `path:line: problem - hint` and changes nothing on bad input; every
file goes through the store's writers (atomic.write_atomic, yamlfile).
"""
from __future__ import annotations

from pathlib import Path

from drafting.errors import InputError, Problems, did_you_mean
from drafting.ingest.analyse import TO_BE_CHOSEN, TO_BE_DRAFTED, ClauseIndex, IngestedProposal, _people, analyse, settle
from drafting.ingest.write import position_for, proposal_item, stand_in_note, stub_clause

__all__ = ["add_proposal", "promote_clause", "promote_person", "add_person", "TODO"]

TODO = TO_BE_DRAFTED.split(":")[0]   # "[TO BE DRAFTED": the marker, whatever follows


def _case(root: Path, case: str) -> Path:
    from drafting.inputs.case import case_folder
    return case_folder(root, case)


def _text(path: Path) -> str:
    from drafting.inputs.sources import read_text
    return read_text(path)


def _todo_line(text: str):
    for number, line in enumerate(text.split("\n"), 1):
        if TODO in line:
            return number
    return None


def _write(path: Path, text: str) -> None:
    from drafting.store.atomic import write_atomic
    write_atomic(path, text)


# -- a proposal from a line of the letter ------------------------------------------------

def _ints(item: dict) -> dict:
    """A proposal read back (every scalar a string) with its numbers as numbers again."""
    out = dict(item)
    for name in ("paragraph", "bullet"):
        if name in out and str(out[name]).isdigit():
            out[name] = int(out[name])
    info = out.get("ingested")
    if isinstance(info, dict):
        info = dict(info)
        if str(info.get("line", "")).isdigit():
            info["line"] = int(info["line"])
        try:
            info["score"] = float(info["score"])
        except (KeyError, ValueError):
            pass
        out["ingested"] = info
    return out


def add_proposal(root, case: str, line: int, key: str | None = None) -> list:
    """Make the sentence(s) ingest left out on `line` of the case's letter.txt (or the
    whole paragraph or item there) a proposal: letter.yaml, the brief's positions and
    order, and a stub clause of the case (or the library clause it matches). Returns
    the proposals added (IngestedProposal)."""
    from drafting.store.yamlfile import read_back, replace_section
    root = Path(root)
    folder = _case(root, case)
    letter_path, brief_path = folder / "letter.yaml", folder / "brief.yaml"
    letter_text, brief_text = _text(letter_path), _text(brief_path)
    letter, brief = read_back(letter_text) or {}, read_back(brief_text) or {}
    text_path = folder / str(letter.get("text") or "letter.txt")
    text = _text(text_path)
    lines = text.split("\n")
    if not 1 <= line <= len(lines) or not lines[line - 1].strip():
        raise InputError(f"line {line} of the letter holds no text", path=text_path,
                         line=line if 1 <= line <= len(lines) else None,
                         hint="give the line of a paragraph or list item (ingest.md lists "
                         "the sentences left out with their lines)")
    library = root / "clauses"
    people = _people(library)
    existing = list(letter.get("proposals") or [])
    keys = {str(p.get("key")) for p in existing if isinstance(p, dict)}
    index = ClauseIndex(library)
    ing = analyse(text, library, people=people, exclude_keys=keys, index=index)
    para = next((p for p in ing.paragraphs if p.line == line and p.text), None)
    bullet = None
    if para is None:
        for p in ing.paragraphs:
            if line in p.bullet_lines:
                para, bullet = p, p.bullet_lines.index(line) + 1
                break
    if para is None:
        body = [p.line for p in ing.paragraphs]
        raise InputError(f"line {line} is not a paragraph or list item of the letter's body",
                         path=text_path, line=line,
                         hint=f"the body runs from line {min(body)} to line {max(body)}" if body else
                         "the letter has no body paragraphs")
    quoted = {" ".join(str(p.get("quote", "")).split()) for p in existing if isinstance(p, dict)}
    dropped = [d for d in ing.dropped if d.line == line and d.bullet == bullet
               and " ".join(d.text.split()) not in quoted]
    if dropped:
        wanted = [(d.text, "restored by hand: " + d.reason) for d in dropped]
    else:
        whole = para.bullets[bullet - 1] if bullet else para.text
        if any(" ".join(whole.split()) in q or q in " ".join(whole.split()) for q in quoted if q):
            taken = [p.get("key") for p in existing if isinstance(p, dict)
                     and int(str(p.get("paragraph") or 0)) == para.number
                     and (str(p.get("bullet") or "") == str(bullet or ""))]
            raise InputError(f"line {line} is already proposal {', '.join(map(str, taken)) or 'of the letter'}",
                             path=text_path, line=line, hint="draft proposals lists the case's proposals")
        wanted = [(whole, "added by hand")]
    own_clauses = folder / "clauses"
    taken_keys = keys | index.all_keys | ({p.stem for p in own_clauses.glob("*.yaml")}
                                          if own_clauses.is_dir() else set())
    lang = str(letter.get("language") or ing.language)
    added = []
    for quote, why in wanted:
        new_key, title, match = settle(index, index.match(quote), quote, bullet is not None, lang,
                                       keys, taken_keys, key)
        if key and len(wanted) == 1:
            if key in taken_keys and key != match.key:
                raise InputError(f"the key '{key}' is taken", path=letter_path,
                                 hint="choose another with --key")
            new_key = key
        taken_keys.add(new_key)
        keys.add(new_key)
        added.append(IngestedProposal(new_key, title, " ".join(quote.split()), para.number, bullet,
                                      quote, match, line, why))
    # the letter's proposals, in the letter's order
    items = [_ints(p) for p in existing] + [proposal_item(p) for p in added]
    items.sort(key=lambda i: (int(i.get("paragraph") or 0), int(i.get("bullet") or 0)))
    new_letter = replace_section(letter_text, "proposals", items)
    positions = dict(brief.get("positions") or {})
    order = list(brief.get("order") or [])
    notes = dict(brief.get("notes") or {})
    for p in added:
        positions[p.key] = position_for(index.by_key.get(p.match.key) if p.match.key else None)
        note = stand_in_note(p.key, index.by_key.get(p.match.key)) if p.match.key else None
        if note and p.key not in notes:
            notes[p.key] = note
        if p.key not in order:
            at = order.index("closing") if "closing" in order else len(order)
            order.insert(at, p.key)
    new_brief = replace_section(replace_section(brief_text, "positions", positions), "order", order)
    if notes != dict(brief.get("notes") or {}):
        new_brief = replace_section(new_brief, "notes", notes)
    stubs = {p.key: stub_clause(p, case, lang) for p in added if not p.match.key}
    if stubs:
        own_clauses.mkdir(exist_ok=True)
    for k, stub in stubs.items():
        if not (own_clauses / f"{k}.yaml").exists():
            _write(own_clauses / f"{k}.yaml", stub)
    _write(brief_path, new_brief)
    _write(letter_path, new_letter)
    report = folder / "ingest.md"
    if report.exists():
        lines_added = [f"- line {p.line}: proposal **{p.key}** ({p.why})" for p in added]
        old = _text(report)
        head = "" if "\n## Restored by hand\n" in old else "\n## Restored by hand\n\n"
        _write(report, old + head + "\n".join(lines_added) + "\n")
    return added


# -- promoting a clause ---------------------------------------------------------------------

def promote_clause(root, case: str, key: str) -> Path:
    """Move letters/<case>/clauses/<key>.yaml into the shared clauses/, once drafted
    (no [TO BE DRAFTED left) and owned; returns the new path."""
    from drafting.inputs.library import parse_clause
    from drafting.store.atomic import unlink
    root = Path(root)
    folder = _case(root, case)
    own = folder / "clauses"
    src = own / f"{key}.yaml"
    if not src.is_file():
        have = sorted(p.stem for p in own.glob("*.yaml")) if own.is_dir() else []
        raise InputError(f"case '{case}' has no clause '{key}'", path=src, hint=did_you_mean(
            key, have, "its clauses: " + ", ".join(have) if have else "the case has no clauses of its own"))
    dst = root / "clauses" / f"{key}.yaml"
    if dst.exists():
        raise InputError(f"the shared library has a clause '{key}' already", path=dst,
                         hint="rename the case's clause (its key and file) or merge it by hand")
    text = _text(src)
    problems = []
    clause = parse_clause(src, problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise Problems(errors)
    todo = _todo_line(text)
    if todo:
        raise InputError("the clause still holds text to draft ([TO BE DRAFTED ...])", path=src,
                         line=todo, hint="draft every text (draft check --case " + case +
                         " lists them), then promote it")
    owner = str(clause.owner or "").strip()
    if not owner or owner == TO_BE_CHOSEN:
        line = next((n for n, ln in enumerate(text.split("\n"), 1) if ln.startswith("owner:")), None)
        raise InputError("the clause has no owner yet", path=src, line=line,
                         hint="name the owning department in 'owner:' before sharing the clause")
    _write(dst, text)
    unlink(src)
    return dst


# -- people -----------------------------------------------------------------------------------

def _people_text(path: Path):
    from drafting.store.yamlfile import read_back
    if not path.exists():
        return "", {}
    text = _text(path)
    return text, read_back(text) or {}


def _header(text: str) -> str:
    lines = []
    for ln in text.split("\n"):
        if ln.startswith("#"):
            lines.append(ln)
        else:
            break
    return "\n".join(lines) + ("\n" if lines else "")


def _remove(path: Path, text: str, data: dict, key: str) -> None:
    from drafting.store.atomic import unlink
    from drafting.store.yamlfile import dump
    rest = {k: v for k, v in data.items() if k != key}
    if rest:
        _write(path, dump(rest, _header(text)))
    else:
        unlink(path)


def promote_person(root, case: str, key: str) -> Path:
    """Move a person of the case's people.yaml into clauses/people.yaml (every field
    complete); the case then reads the shared entry."""
    from drafting.store.yamlfile import replace_section
    root = Path(root)
    folder = _case(root, case)
    path = folder / "people.yaml"
    text, data = _people_text(path)
    if key not in data:
        raise InputError(f"case '{case}' has no person '{key}'", path=path, hint=did_you_mean(
            key, data, "its people: " + ", ".join(data) if data else "the case has no people of its own"))
    shared = root / "clauses" / "people.yaml"
    shared_text, shared_data = _people_text(shared)
    if key in shared_data:
        raise InputError(f"clauses/people.yaml has a person '{key}' already", path=shared,
                         hint="rename the case's person (its key, and in letter.yaml and brief.yaml)")
    entry_text = _entry_lines(text, key)
    todo = _todo_line(entry_text[0]) if entry_text else None
    if todo:
        raise InputError(f"person '{key}' still has fields to complete ([TO BE DRAFTED ...])",
                         path=path, line=entry_text[1] + todo - 1,
                         hint="complete the entry, then promote it")
    new_shared = replace_section(shared_text, key, data[key])
    _write(shared, new_shared)
    _remove(path, text, data, key)
    return shared


def _entry_lines(text: str, key: str):
    """(text of a top-level entry, its first line number)."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if ln.startswith(f"{key}:")), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and (not lines[end] or lines[end][:1] in " #\t"):
        end += 1
    return "\n".join(lines[start:end]), start + 1


def add_person(root, case: str, key: str, source: str) -> Path:
    """Copy person `key` of case `source`'s people.yaml into case `case`'s people.yaml."""
    from drafting.store.yamlfile import replace_section
    root = Path(root)
    folder = _case(root, case)
    src_folder = _case(root, source)
    _src_text, src_data = _people_text(src_folder / "people.yaml")
    if key not in src_data:
        raise InputError(f"case '{source}' has no person '{key}'", path=src_folder / "people.yaml",
                         hint=did_you_mean(key, src_data, "its people: " + ", ".join(src_data)
                                           if src_data else "it has no people of its own"))
    path = folder / "people.yaml"
    text, data = _people_text(path)
    if key in data:
        raise InputError(f"case '{case}' has a person '{key}' already", path=path,
                         hint="edit it there, or remove it first")
    header = "# People of this case that clauses/people.yaml does not know.\n" if not text.strip() else ""
    _write(path, replace_section(text, key, src_data[key], header=f"# (from case {source})\n" if not header
                                 else header + f"# (from case {source})\n"))
    return path
