"""What every document shares: placeholder values, draft marks, and the
paragraphs a clause gives under a position (with their provenance, for reviewer
notes and for absorbing a reviewer's edits)."""
from __future__ import annotations

from drafting.inputs.dates import long_date, weekday_date
from drafting.inputs.library import TO_BE_DRAFTED, fill, paragraphs
from drafting.select import Choice

__all__ = ["values", "clause_block", "library_block", "fixed", "draft_line", "working_draft_line", "release_date",
           "marking_for", "override_of", "override_at", "apply_override"]


def values(case, lang, extra=None) -> dict:
    """The fixed list of placeholder values, for one language."""
    letter, brief = case.letter, case.brief
    sender = case.person(letter.sender)
    addressee = case.person(brief.addressee)
    principal_key = brief.principal or letter.addressee
    principal = case.person(principal_key)
    vals = {
        "incoming_date": long_date(letter.date, lang),
        "sender": sender.courtesy_name(lang),
        "sender_office": sender.get("office_short", lang) or sender.get("office", lang),
        "principal": principal.with_article(lang),
        "address": case.protocol.address(addressee, lang),
        "reply_date": long_date(brief.date, lang),
    }
    if case.meeting:
        vals["meeting_place"] = str(case.meeting.get("place", {}).get(lang, ""))
        from drafting.inputs.sources import as_date
        vals["meeting_date"] = weekday_date(as_date(case.meeting["date"]), lang)
    else:  # a case with no meeting.yaml yet: visibly still to draft, found by draft check
        vals["meeting_place"] = TO_BE_DRAFTED.format("meeting place")
        vals["meeting_date"] = TO_BE_DRAFTED.format("meeting date")
    if extra:
        vals.update(extra)
    return vals


# -- the running heads: draft line and marking ---------------------------------------------
#
# The draft line follows the document's releases (`draft release`, lifecycle/release.py):
# - a released version N prints "PROJET - version N du <date of the release>", and so
#   does the working text as long as it still says what version N says (same signed
#   text): a reviewer holding it holds version N;
# - the working text before any release prints "PROJET - version de travail du <the
#   brief's date>", and once it says something else than the last release N, "... (après
#   la version N)": it is not version N + 1 until it is released as such, so no two
#   different texts ever carry the same version number.
# The working version's date is the brief's (the date the document is to bear): the same
# inputs give the same files.

def draft_line(case, lang, version=None, date=None, after=None) -> str:
    """The draft line, in the document's language: 'PROJET - version 2 du 3 décembre
    2021' (`version`, `date`), 'DRAFT - working version of 1 December 2021' (no
    version), '... (after version 2)' (`after`: the last release it differs from)."""
    p = case.protocol
    if version is not None:
        return (f"{p.label(lang, 'draft')} - {p.label(lang, 'version')} {version} "
                f"{p.label(lang, 'of')} {long_date(date or case.brief.date, lang)}")
    line = (f"{p.label(lang, 'draft')} - {p.label(lang, 'working_version')} "
            f"{p.label(lang, 'of')} {long_date(date or case.brief.date, lang)}")
    if after is not None:
        line += f" ({p.label(lang, 'after_version').format(n=after)})"
    return line


def release_date(record):
    """The date a release was made (release.json `released`; older records: `date`)."""
    import datetime as dt
    for name in ("released", "date"):
        value = str(record.get(name) or "")
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            continue
    return None


def working_draft_line(case, lang, stem, document) -> str:
    """The draft line of a document as built now, from its releases (see above)."""
    from drafting.store.released import records
    from drafting.tree.gate import signed_hash
    found = records(case.folder, stem) if case.folder else []
    own = document_date(document)  # the meeting's papers bear theirs, not the brief's
    if not found:
        return draft_line(case, lang, date=own)
    last = found[-1]
    if last.get("content_sha256") == signed_hash(document):
        return draft_line(case, lang, version=int(last["version"]), date=release_date(last))
    return draft_line(case, lang, date=own, after=int(last["version"]))


def document_date(document):
    """The date a document bears (its context's `created`, dcterms.created), or None."""
    import datetime as dt
    try:
        return dt.date.fromisoformat(str(document.meta.get("dcterms.created") or "")[:10])
    except ValueError:
        return None


def marking_for(case, kind, opts=None) -> str:
    """The brief's marking for one document: `markings:` by document name
    (agreement-readmission, then agreement, reply, agenda ...), else the brief's
    `marking`. A name that is no document of the case is an error, not a silent miss."""
    from drafting.documents.registry import KINDS, kind_name
    table = case.brief.markings or {}
    if not table:
        return case.brief.marking
    kinds = [k for k in KINDS if k != "agreement"]
    known = kinds + (["agreement"] if "agreement" in KINDS else [])
    if "agreement" in KINDS and any(str(key) not in known for key in table):
        # a name of the brief's own agreements (agreement-readmission): asked only then,
        # so a reply or an agenda does not import the agreements and list their files
        known += [kind_name("agreement", o) for o in KINDS["agreement"].variants(case)]
    for key in table:
        if str(key) not in known:
            from drafting.errors import InputError, did_you_mean
            raise InputError(f"markings: '{key}' is not a document of this case",
                             path=case.brief.path, line=case.brief.markings_line(key),
                             hint=did_you_mean(key, known, "documents: " + ", ".join(known), also=True))
    name = kind_name(kind, opts or {}) if kind in KINDS else str(kind)
    for key in (name, kind):
        if key in table:
            return str(table[key] or "")
    return case.brief.marking


def clause_block(case, choice, field, lang, vals, internal=False):
    """One clause's paragraphs under the position the selection chose, with where they
    came from; None when the clause has no such text."""
    key, position = choice.key, choice.position
    clause = case.library.clause(key)
    text = clause.text(position, field, lang)
    if text is None:
        return None
    override = override_of(case.brief.overridden, key, position, field, lang)
    return library_block(key, clause, position, field, apply_override(text, override, vals),
                         note=choice.note, overridden=override is not None, internal=internal)


def library_block(key, clause, position, field, paras, note="", overridden=False, internal=False):
    """The paragraphs of one field of clause `key`, with where they came from (the
    templates' provenance: data-clause, data-version ...)."""
    return {
        "key": key, "position": position, "field": field, "version": clause.version,
        "owner": clause.owner, "cleared": str(clause.cleared_date or ""),
        "paras": paras, "note": note, "overridden": overridden,
        "internal": internal, "case_specific": False,
    }


def fixed(key, position="standard"):
    """The choice for a document's own frame (a declaration's title, preamble, closing):
    library text that no decision selects."""
    return Choice(key=key, position=position, source="default")


# -- case-specific overrides of library text (brief.yaml `overrides:`) ----------------
#
#   overrides:
#     joint-patrols:              # clause key (or a brief paragraph's key)
#       decline:                  # optional: only under this position
#         reply:                  # field, dotted (agenda.lines)
#           fr: >-                # the whole field text in that language, or
#             ...
#           en:
#             1: >-               # paragraph 1 only (`draft absorb` writes these)
#               ...
#           en_renders_sha:       # the French each English paragraph renders (absorb,
#             1: 3f0c9a4e1b2d7c65 # draft override rehash; lifecycle/absorb.py): no text

def override_of(overridden, key, position, field, lang):
    """The brief's override of one clause field in one language: a text (the whole
    field), a {paragraph number: text} mapping, or None. A position-scoped override
    wins over one for any position."""
    return override_at(overridden, key, position, field, lang)[1]


def override_at(overridden, key, position, field, lang):
    """(where, override): override_of's override and its path in `overridden`
    (key, [position,] field or its dotted parts, lang); (None, None) when there is none."""
    node = overridden.get(key) if overridden else None
    if not isinstance(node, dict):
        return None, None
    for scope, where in ([(node.get(position), (key, position))] if position else []) + [(node, (key,))]:
        if not isinstance(scope, dict):
            continue
        target, path = scope.get(field), where + (field,)
        if target is None and "." in str(field):  # nested spelling: agenda: {lines: ...}
            target, path = scope, where + tuple(str(field).split("."))
            for part in str(field).split("."):
                target = target.get(part) if isinstance(target, dict) else None
        if isinstance(target, dict) and target.get(lang):
            return path + (lang,), target[lang]
    return None, None


def apply_override(text, override, vals) -> list:
    """The paragraphs of a field after the brief's override (placeholders filled)."""
    from drafting.errors import InputError

    if isinstance(override, str):
        return paragraphs(fill(override, vals))
    paras = paragraphs(fill(text, vals))
    if isinstance(override, dict):
        numbered = []
        for n, value in override.items():
            try:
                i = int(str(n))
            except ValueError:
                i = 0
            if not 1 <= i <= len(paras) + 1 or not isinstance(value, str):
                raise InputError(f"override paragraph '{n}' does not exist (the text has "
                                 f"{len(paras)} paragraph(s))", path=getattr(value, "path", None),
                                 line=getattr(value, "line", None),
                                 hint=f"number the paragraphs 1 to {len(paras)} "
                                 f"({len(paras) + 1} adds one)")
            numbered.append((i, value))
        for i, value in sorted(numbered, key=lambda item: -item[0]):
            paras[i - 1:i] = paragraphs(fill(value, vals))
    return paras
