"""Stubs: no "[TO BE DRAFTED: ...]" (or other stub marker) in anything a document would
print.

Each text that is still a stub is reported where it is written, as an error when a
document of the case prints it:
- a clause the case uses: its texts outside `positions`, and those under the position
  chosen (texts under other positions are not printed: a warning, as before, for a
  clause the case does not use);
- a person the case names (signatory, addressee, sender, copies, principal, the
  meeting's chair and delegations), in clauses/people.yaml or the case's people.yaml;
- the brief (its paragraphs, notes, overrides ...), the meeting (meeting.yaml) and the
  proposals of the letter (titles and quotes: the matrix prints them);
- a placeholder whose value is still a stub (a case with no meeting.yaml fills
  {meeting_date} with "[TO BE DRAFTED: meeting date]"): at each text that uses it.
Then every document the check built is read: a marker it prints that none of these
explains is still reported, at the case's brief, so none goes unseen.
"""
from __future__ import annotations

import re

from drafting.errors import excerpt
from drafting.inputs.library import LANGS, PLACEHOLDER_RE, STUB
from drafting.inputs.sources import Map, load_yaml
from drafting.validate.library import _todo, leaves
from drafting.validate.problems import line_of

__all__ = ["STUB", "check_stubs", "stub_markers"]

_WORDS = re.compile(r"\w+")


def stub_markers(text) -> list:
    """The stub markers in a text: ['[TO BE DRAFTED: closing paragraph]']."""
    return [m.group(0) for m in STUB.finditer(str(text or ""))]


def _head(marker) -> str:
    """The words of a marker up to its first placeholder, casefolded: what the printed
    marker starts with whatever the placeholder's value."""
    return " ".join(_WORDS.findall(PLACEHOLDER_RE.split(str(marker))[0].casefold()))


class _Sources:
    """Located stub texts of the case, and the documents that print each."""

    def __init__(self):
        self.hits = []  # [what, path, line, marker, head, [stems]]

    def add(self, what, path, node, text=None, hint=None):
        for marker in stub_markers(text if text is not None else node):
            self.hits.append([what, path, getattr(node, "line", None), marker, _head(marker), [],
                              hint])

    def scan(self, node, what, path, skip=()):
        for dotted, text in leaves(node):
            if any(dotted == s or dotted.startswith(s + ".") for s in skip):
                continue
            self.add(f"{what} {dotted}".strip(), path, text)

    def explain(self, printed, stem) -> bool:
        """Mark the sources of a printed marker; False when none explains it."""
        head = _head(printed)
        hit = False
        for entry in self.hits:
            if head.startswith(entry[4]) and entry[4]:
                hit = True
                if stem not in entry[5]:
                    entry[5].append(stem)
        return hit


def _people_in_use(case):
    keys = [case.brief.signatory, case.brief.addressee, case.letter.sender,
            case.letter.addressee, *case.brief.copies]
    if case.brief.principal:
        keys.append(case.brief.principal)
    meeting = case.meeting
    if isinstance(meeting, Map):
        keys.append(meeting.get("chair"))
        for d in (meeting.get("delegations") or {}).values():
            if isinstance(d, Map):
                keys += list(d.get("members") or [])
    seen = []
    for key in keys:
        if key and str(key) in case.people and str(key) not in seen:
            seen.append(str(key))
    return [case.people[k] for k in seen]


def _stub_values(case):
    """{placeholder name: marker} for the placeholders whose value is still a stub."""
    from drafting.documents.compose import values
    from drafting.errors import DraftError

    out = {}
    for lang in LANGS:
        try:
            vals = values(case, lang)
        except DraftError:
            continue
        for name, value in vals.items():
            if isinstance(value, str) and stub_markers(value):
                out.setdefault(name, stub_markers(value)[0])
    return out


def check_stubs(found, case, builts, used=None):
    """Report every stub a document of the case prints (errors) and the stubs of clause
    texts no document prints (warnings). `used`: clause keys in use (default: those the
    selection answers and those the built documents carry)."""
    from drafting.select import choices

    chosen = choices(case)
    carried = {el.get("data-clause") for b in builts for el in b.document.root.iter()
               if isinstance(el.tag, str) and el.get("data-clause")}
    if used is None:  # what the documents carry, and the answers (a document that
        # failed to build carries nothing)
        used = carried | {c.key for c in chosen.values() if c.answered and c.proposal}
    sources = _Sources()
    stub_values = _stub_values(case)
    for key, clause in case.library.items():
        choice = chosen.get(key)
        position = choice.position if choice is not None else None
        if key not in used:
            _todo(found, clause.data, clause.path, f"clause '{key}'",
                  positions={str(position)} if position is not None else None)
            continue
        skip = [f"positions.{p}" for p in clause.positions if p != position]
        skip += ["key", "owner", "version", "en_renders", "en_renders_sha", "cleared"]
        sources.scan(clause.data, f"clause '{key}'", clause.path, skip)
        for dotted, text in leaves(clause.data):
            if any(dotted == s or dotted.startswith(s + ".") for s in skip):
                continue
            for m in PLACEHOLDER_RE.finditer(text):
                if m.group(1) in stub_values:
                    sources.add(f"clause '{key}' {dotted} uses {{{m.group(1)}}}", clause.path,
                                text, stub_values[m.group(1)], _placeholder_hint(m.group(1)))
    for person in _people_in_use(case):
        sources.scan(person.data, f"person '{person.key}'",
                     getattr(person.data, "path", None) or case.people.path)
    brief = case.brief
    sources.scan(brief.data, "brief", brief.path)
    for item in brief.paragraphs:
        for lang in LANGS:
            for m in PLACEHOLDER_RE.finditer(str(item.get(lang) or "")):
                if m.group(1) in stub_values:
                    sources.add(f"brief paragraph '{item.get('key') or ''}' {lang} uses "
                                f"{{{m.group(1)}}}", brief.path, item.get(lang),
                                stub_values[m.group(1)], _placeholder_hint(m.group(1)))
    if isinstance(case.meeting, Map):
        sources.scan(case.meeting, "meeting",
                     getattr(case.meeting, "path", None) or case.folder / "meeting.yaml")
    try:
        letter = load_yaml(case.letter.path)
    except Exception:  # reported by the letter's own check  # noqa: BLE001
        letter = None
    for item in (letter.get("proposals") or []) if isinstance(letter, Map) else []:
        if isinstance(item, Map):
            for name in ("title", "quote"):
                sources.scan(item.get(name), f"proposal '{item.get('key')}' {name}",
                             case.letter.path)
    # what the documents print
    unexplained = {}
    for built in builts:
        doc = built.document
        texts = [doc.text(), doc.title or "", *(str(v) for v in doc.meta.values())]
        texts += [el.get("data-note") for el in doc.root.iter()
                  if isinstance(el.tag, str) and el.get("data-note")]
        for text in texts:
            for marker in stub_markers(text):
                if not sources.explain(marker, built.stem):
                    unexplained.setdefault(" ".join(marker.split()), []).append(built.stem)
    merged = {}  # one problem per text pair: "... reply (fr, en)"
    for what, path, line, marker, head, stems, hint in sources.hits:
        base, lang = what, ""
        for code in LANGS:
            if what.endswith(f".{code}") or f".{code} uses " in what:
                base, lang = what.replace(f".{code}", "", 1), code
        entry = merged.setdefault((str(path), base), [what, path, line, marker, [], [], hint,
                                                      []])
        if lang and lang not in entry[4]:
            entry[4].append(lang)
        entry[5] += [s for s in stems if s not in entry[5]]
        entry[7].append(head)
    heads = [h for entry in merged.values() for h in set(entry[7])]
    for (_p, base), (_w, path, line, marker, langs, stems, hint, own) in merged.items():
        said = f"{base} ({', '.join(langs)})" if langs else base
        # which documents print it, when no other text has the same marker
        printed = f", printed in {', '.join(sorted(stems))}" if stems and \
            all(heads.count(h) == 1 for h in set(own)) else ""
        found.add(f"{said}: still to draft: {excerpt(marker)}{printed}", path, line,
                  hint=hint or "write the text (and have it cleared) before the documents go "
                  "out", code="stub")
    for marker, stems in unexplained.items():
        found.add(f"{', '.join(sorted(set(stems)))} prints {excerpt(marker)}, still to draft",
                  brief.path, line_of(brief.data), hint="find the text that says it and "
                  "write it", code="stub")


def _placeholder_hint(name) -> str:
    if name.startswith("meeting_"):
        return (f"give the case its meeting.yaml (which fills {{{name}}}), or write the text "
                f"without {{{name}}}")
    return f"give {{{name}}} its value in the case, or write the text without it"


