"""What `draft check` reports about versions, clearances and overrides (warnings):

- a clearance whose document has changed since ("reply.fr: cleared by legal on v2;
  content changed since");
- a clause the case's brief overrides (the library's owner should hear of it);
- divergence: the current brief puts a proposal at a position other than the one a
  released document carries (e.g. the reply now accepts what the released annotated
  agenda declines).

Where a proposal stands now is read from the selection (drafting.select), as the
documents read it; a shared clause's default position (one the brief does not take) is
not the brief's choice.
"""
from __future__ import annotations

from drafting.errors import DraftError, Problem
from drafting.select import choices

__all__ = ["lifecycle_problems", "overrides_in", "check_lifecycle"]


def overrides_in(case):
    """(key, position, field, lang, paragraph, node) of each override in the brief."""
    out = []
    library = case.library

    def walk_field(key, position, fld, node):
        if not isinstance(node, dict):
            return
        for lang, value in node.items():
            if isinstance(value, dict):
                for para, text in value.items():
                    out.append((key, position, fld, str(lang), str(para), text))
            else:
                out.append((key, position, fld, str(lang), "", value))

    for key, node in (case.brief.overridden or {}).items():
        if not isinstance(node, dict):
            out.append((str(key), "", "", "", "", node))
            continue
        clause = library.get(str(key))
        positions = set(clause.positions) if clause else set()
        for name, sub in node.items():
            if name in positions and isinstance(sub, dict):
                for fld, langs in sub.items():
                    walk_field(str(key), str(name), str(fld), langs)
            else:
                walk_field(str(key), "", str(name), sub)
    return out


def english_not_absorbed(case, brief_path):
    """A French override (a reviewer's edit absorbed from a French DOCX, or written by
    hand) without the English of the same paragraph: the English courtesy translation
    still renders the old French. Errors until the English is absorbed or written."""
    english = {}
    for key, position, fld, lang, para, _node in overrides_in(case):
        if lang == "en":
            english.setdefault((key, position, fld), set()).add(para)
    out = []
    for key, position, fld, lang, para, node in overrides_in(case):
        if lang != "fr" or not fld:
            continue
        paras = english.get((key, position, fld), set())
        if "" in paras or para in paras or (para == "" and paras):
            continue
        where = ", ".join(x for x in (fld, f"\u00b6{para}" if para else "",
                                      position and f"under {position}") if x)
        out.append(Problem(
            f"'{key}' ({where}): the French is overridden in this case's brief, not the "
            "English, so the English rendering is stale",
            brief_path, _line(node), code="english-not-absorbed",
            hint="absorb the reviewed English DOCX (draft absorb reply.en.docx), or write "
                 f"the English under overrides: {key}: ... {fld}: en:"))
    return out


def _line(node):
    return getattr(node, "line", None)


def check_lifecycle(found, case, builts):
    """Stale clearances, overridden clauses, divergence from released documents:
    warnings, added to `found`."""
    try:
        for p in lifecycle_problems(case, builts):
            found.add(p)
    except DraftError as exc:
        found.extend_from(exc)


def _brief_choice(chosen, key):
    """The position the brief (or --position) takes for `key`: None when it takes none."""
    choice = chosen.get(key)
    if choice is None or choice.source == "default":
        return None
    return choice


def lifecycle_problems(case, builts) -> list:
    from drafting.lifecycle.release import content_hash, releases
    from drafting.lifecycle.signoff import SIGNOFFS, stale_clearances

    problems = []
    chosen_by_key = choices(case)
    brief_path = case.brief.path
    # clearances of content that has changed since
    try:
        stale = stale_clearances(case, builts)
    except DraftError as exc:  # signoffs.yaml that cannot be read: an error, never ignored
        problems.extend(exc.problems)
        stale = []
    for entry, message in stale:
        problems.append(Problem(message, case.folder / SIGNOFFS, _line(entry),
                                hint=f"ask {entry.get('role')} to clear the current text "
                                f"(draft signoff {entry.get('kind')} --by {entry.get('role')})",
                                severity="warning"))
    # overrides of library text, for the clauses' owners
    brief_keys = {str(p.get("key")) for p in case.brief.paragraphs if p.get("key")}
    for key, position, fld, lang, para, node in overrides_in(case):
        clause = case.library.get(key)
        if clause is None:
            if key not in brief_keys:
                problems.append(Problem(f"override of '{key}', which is neither a clause nor a "
                                        "paragraph of the brief", brief_path, _line(node),
                                        hint="check the key under overrides:",
                                        severity="warning"))
            continue
        where = ", ".join(x for x in (fld, lang, f"\u00b6{para}" if para else "",
                                      position and f"under {position}") if x)
        choice = _brief_choice(chosen_by_key, key)
        chosen = choice.position if choice is not None else None
        unused = position and chosen is not None and str(chosen) != position
        problems.append(Problem(
            f"clause '{key}' overridden in this case's brief ({where})"
            + (f"; not in use (the brief chose {chosen})" if unused else ""),
            brief_path, _line(node),
            hint=f"tell its owner ({clause.owner}) whether the library text should change",
            severity="warning"))
    problems.extend(english_not_absorbed(case, brief_path))
    # divergence from released documents
    current = {b.stem: b for b in builts}
    latest = {}
    for rec in releases(case.folder):
        latest[rec["stem"]] = rec
    for stem, rec in sorted(latest.items()):
        released = {c: p for c, _f, p in rec.get("positions") or [] if p}
        built = current.get(stem)
        if built is not None and content_hash(built.document) == rec.get("content_sha256"):
            continue
        for key, was in sorted(released.items()):
            choice = _brief_choice(chosen_by_key, key)
            now = choice.position if choice is not None else None
            if now is None or str(now) == was:
                continue
            problems.append(Problem(
                f"the brief now puts '{key}' at {now}, but {stem} v{rec['version']} (released, "
                f"{rec.get('date')}) says {was}", choice.path or brief_path,
                choice.line, hint=f"release a new version of {stem} (draft release), or keep "
                f"the line it took", severity="warning"))
    return problems
