"""Consistency: the built documents agree with the choices and with one another.

- every document carries each proposal under the position chosen for it (the
  selection, drafting.select: what the documents are built from), and none carries a
  proposal the brief leaves unanswered;
- the documents that should carry a proposal the reply answers do (the agendas, the
  declaration: when its position has text for them);
- both languages of a document carry the same clauses.
"""
from __future__ import annotations

from drafting.inputs.sources import Map
from drafting.select import choices

__all__ = ["check_consistency"]


def _proposal_attrs(tree, keys):
    """(element, key, position, field) for elements carrying a proposal of the letter."""
    for el in tree.iter():
        key = el.get("data-clause") if isinstance(el.tag, str) else None
        if key in keys:
            yield el, key, el.get("data-position") or "", el.get("data-field") or ""


def _position_line(case, choice, key):
    """Where the position of `key` was decided: its line in the brief (an override on the
    command line is reported at the brief's entry for the key)."""
    if choice is not None and choice.line:
        return choice.path, choice.line
    raw = case.brief.data.get("positions")
    return case.brief.path, raw.key_line(key) if isinstance(raw, Map) and key in raw else None


def check_consistency(found, case, builts):
    keys = set(case.letter.keys)
    chosen = choices(case)
    # What the reply answers, and how.
    answered = {}
    for built in builts:
        if built.kind != "reply":
            continue
        for _el, key, pos, fld in _proposal_attrs(built.document.root, keys):
            if fld == "reply":
                answered.setdefault(key, pos)
    missing = {}  # (key, document without language) -> [languages], hint
    for built in builts:
        carried, fields = {}, set()
        for _el, key, pos, fld in _proposal_attrs(built.document.root, keys):
            if pos:
                carried.setdefault(key, pos)
                if fld:
                    fields.add(fld)
            choice = chosen.get(key)
            want = choice.position if choice is not None else None
            if pos and want is not None and pos != want:
                path, line = _position_line(case, choice, key)
                found.add(f"{built.stem} carries '{key}' as '{pos}', the brief's position is "
                          f"'{want}'", path, line, hint="every document must read the brief's "
                          "position")
            if pos and choice is not None and choice.no_answer is not None:
                path, line = _position_line(case, choice, key)
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
        path, line = _position_line(case, chosen.get(key), key)
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
    for docs in by_doc.values():
        for (b1, c1), (b2, c2) in zip(docs, docs[1:]):
            for clause_key, fld, pos in sorted(c1 ^ c2):
                has, lacks = (b1, b2) if (clause_key, fld, pos) in c1 else (b2, b1)
                clause = case.library.get(clause_key)
                found.add(f"{lacks.stem} lacks '{clause_key}' ({fld or 'text'}) that "
                          f"{has.stem} carries", clause.path if clause else None,
                          _text_line(clause, pos, fld, has.lang),
                          hint=f"add the {lacks.lang} text")


def _text_line(clause, position, fld, lang):
    """The line of a clause's text (position, dotted field, language), or of the nearest
    thing there is: the position, the clause."""
    if clause is None:
        return None
    node = clause.data
    for part in ["positions", position, *str(fld or "").split(".")]:
        if not part:
            continue
        nxt = node.get(part) if isinstance(node, dict) else None
        if nxt is None:
            break
        node = nxt
    text = node.get(lang) if isinstance(node, dict) else None
    return getattr(text, "line", None) or getattr(node, "line", None) or clause.data.line
