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
from drafting.validate.problems import line_of

__all__ = ["lifecycle_problems", "overrides_in", "check_lifecycle"]


def overrides_in(case):
    """(key, position, field, lang, paragraph, node) of each override in the brief (the
    records of which French an English renders, `en_renders_sha`, are none)."""
    from drafting.lifecycle.absorb import RENDERS, override_fields
    out = []
    for key, position, fld, node in override_fields(case.brief.overridden, case.library):
        if not fld:
            out.append((key, "", "", "", "", node))
            continue
        if not isinstance(node, dict):
            continue
        for lang, value in node.items():
            if str(lang) == RENDERS:
                continue
            if isinstance(value, dict):
                for para, text in value.items():
                    out.append((key, position, fld, str(lang), str(para), text))
            else:
                out.append((key, position, fld, str(lang), "", value))
    return out


def english_not_absorbed(case, brief_path, overrides):
    """The English courtesy translation of an overridden paragraph still renders an
    older French (errors, `english-not-absorbed`):

    - a French override (a reviewer's edit absorbed from a French DOCX, or written by
      hand) without the English of the same paragraph;
    - an English override whose record of the French it renders (`en_renders_sha`,
      written by absorb and by `draft override rehash`) is not the French the brief now
      has: the French was absorbed again, or edited by hand, since.

    An English override that records nothing while its French is overridden (written by
    hand, or absorbed before absorb kept the record) is a warning (`override-no-french-hash`):
    nothing says it is stale, and briefs that check clean today must not fail on it.
    `overrides`: overrides_in(case), which the caller has."""
    from drafting.lifecycle.absorb import override_fields
    english = {}
    for key, position, fld, lang, para, _node in overrides:
        if lang == "en":
            english.setdefault((key, position, fld), set()).add(para)
    out = []
    for key, position, fld, lang, para, node in overrides:
        if lang != "fr" or not fld:
            continue
        paras = english.get((key, position, fld), set())
        if "" in paras or para in paras or (para == "" and paras):
            continue
        out.append(Problem(
            f"'{key}' ({_where(fld, para, position)}): the French is overridden in this "
            "case's brief, not the English, so the English rendering is stale",
            brief_path, line_of(node), code="english-not-absorbed",
            hint=f"absorb the reviewed English DOCX (draft absorb {_english_docx(fld)}), or write "
                 f"the English under overrides: {key}: ... {fld}: en: and record it (draft "
                 f"override rehash {key})"))
    for key, position, fld, node in override_fields(case.brief.overridden, case.library):
        if not fld or not isinstance(node, dict) or node.get("fr") is None:
            continue
        out.extend(_stale_english(key, position, fld, node, brief_path))
    return out


def _stale_english(key, position, fld, node, brief_path):
    """The English of one overridden field against the record of the French it renders."""
    from drafting.lifecycle.absorb import RENDERS, french_rendered, record_of, renders_hash
    en, fr = node.get("en"), node.get("fr")
    if en is None:
        return []
    paras = [str(k) for k in en] if isinstance(en, dict) else [""]
    out = []
    rehash = f"draft override rehash {key}"
    for para in paras:
        recorded = record_of(node, para)
        where = _where(fld, para, position)
        if recorded is None:
            if french_rendered(fr, para):  # its French is overridden: which one is unknown
                out.append(Problem(
                    f"'{key}' ({where}): the English override does not record which French "
                    f"it renders ({RENDERS})", brief_path, line_of(_at(en, para)),
                    severity="warning", code="override-no-french-hash",
                    hint=f"once the English renders the French as the brief has it: {rehash}"))
            continue
        if recorded != renders_hash(fr, para):
            out.append(Problem(
                f"'{key}' ({where}): the French has changed since its English was absorbed "
                "or written, so the English rendering is stale", brief_path,
                line_of(_at(fr, para)) or line_of(fr), code="english-not-absorbed",
                hint=f"absorb the reviewed English DOCX (draft absorb {_english_docx(fld)}), or bring "
                     f"the English under overrides: {key}: ... {fld}: en: up to the French, "
                     f"then: {rehash}"))
    return out


def _english_docx(fld):
    """The English document that prints an overridden field (for the hint)."""
    head = str(fld).split(".", 1)[0]
    return {"reply": "reply.en.docx", "brief": "reply.en.docx", "agenda":
            "annotated-agenda.en.docx", "declaration": "declaration.en.docx"}.get(
        head, "the English DOCX")


def _at(node, para):
    """The paragraph `para` of an override ('' = the override itself)."""
    if para and isinstance(node, dict):
        for k, v in node.items():
            if str(k) == para:
                return v
    return node


def _where(fld, para, position):
    return ", ".join(x for x in (fld, f"\u00b6{para}" if para else "",
                                 position and f"under {position}") if x)


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
        problems.append(Problem(message, case.folder / SIGNOFFS, line_of(entry),
                                hint=f"ask {entry.get('role')} to clear the current text "
                                f"(draft signoff {entry.get('kind')} --by {entry.get('role')})",
                                severity="warning"))
    # overrides of library text, for the clauses' owners
    brief_keys = {str(p.get("key")) for p in case.brief.paragraphs if p.get("key")}
    overrides = overrides_in(case)
    for key, position, fld, lang, para, node in overrides:
        clause = case.library.get(key)
        if clause is None:
            if key not in brief_keys:
                problems.append(Problem(f"override of '{key}', which is neither a clause nor a "
                                        "paragraph of the brief", brief_path, line_of(node),
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
            brief_path, line_of(node),
            hint=f"tell its owner ({clause.owner}) whether the library text should change",
            severity="warning"))
    problems.extend(english_not_absorbed(case, brief_path, overrides))
    # divergence from released documents
    current = {b.stem: b for b in builts}
    latest = {}
    try:
        for rec in releases(case.folder):
            latest[rec["stem"]] = rec
    except DraftError:  # a record that cannot be read: check_released says so, once
        latest = {}
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
