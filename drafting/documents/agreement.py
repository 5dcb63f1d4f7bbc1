"""Skeletons of draft bilateral agreements (clauses/agreements/<kind>.yaml).

Positions drive the text: an accepted proposal gives the clean article, a
conditional one the article with unagreed words in attributed brackets, a declined
one the other side's bracketed text with our reservation as a reviewer note (or no
article, where the brief says so). Numbers and cross-references are computed here,
after articles drop out, so they stay right.
"""
from __future__ import annotations

import re
from pathlib import Path

from drafting.documents.compose import draft_line
from drafting.errors import InputError, closest
from drafting.inputs.library import LANGS, fill, paragraphs
from drafting.inputs.sources import load_yaml
from drafting.select import select

__all__ = ["context", "stem", "parse_stem", "variants", "agreement_context", "agreement_kinds",
           "STATE_OF", "COPIES", "REGISTERS"]

COPIES = ("fr", "uk")
REGISTERS = ("treaty", "mou")
# The text an article takes under each position of its proposal.
STATE_OF = {"welcome": "agreed", "accept": "agreed", "accept-with-conditions": "conditional",
            "counter": "conditional", "defer": "conditional", "decline": "declined",
            "refer-to-eu": "declined", "note": "declined"}
BRACKET = re.compile(r"\[(FR|UK): ([^\]]*)\]")
LABELS = {
    ("treaty", "fr"): {"article": "Article", "first": "premier", "para": "paragraphe",
                       "reservation": "Réserve", "omitted": "article omis"},
    ("treaty", "en"): {"article": "Article", "first": "1", "para": "", "reservation": "Reservation",
                       "omitted": "omitted article"},
    ("mou", "fr"): {"article": "Paragraphe", "first": "1", "para": "", "reservation": "Réserve",
                    "omitted": "paragraphe omis"},
    ("mou", "en"): {"article": "Paragraph", "first": "1", "para": "", "reservation": "Reservation",
                    "omitted": "omitted paragraph"},
}


def agreement_kinds(root: Path):
    return sorted(p.stem for p in (Path(root) / "clauses" / "agreements").glob("*.yaml")
                  if p.stem != "common")


def _load(root, kind):
    folder = Path(root) / "clauses" / "agreements"
    kinds = agreement_kinds(root)
    if kind not in kinds:
        hint = closest(kind, kinds)
        raise InputError(f"unknown agreement kind '{kind}'", path=folder,
                         hint=f"did you mean '{hint}'?" if hint else "kinds: " + ", ".join(kinds))
    return load_yaml(folder / "common.yaml"), load_yaml(folder / f"{kind}.yaml")


def _pick(node, register, lang, what):
    try:
        return node[register][lang]
    except (KeyError, TypeError):
        path, line = getattr(node, "path", None), getattr(node, "line", None)
        raise InputError(f"{what}: no {register} text in {lang}", path=path, line=line,
                         hint=f"add {register}: {{{lang}: ...}}") from None


def _segments(text):
    """Split a paragraph into plain and bracketed pieces: [FR: ...] / [UK: ...]."""
    out, pos = [], 0
    for m in BRACKET.finditer(text):
        if m.start() > pos:
            out.append({"text": text[pos:m.start()], "bracket": ""})
        out.append({"text": m.group(0), "bracket": m.group(1)})
        pos = m.end()
    if pos < len(text):
        out.append({"text": text[pos:], "bracket": ""})
    return out


def _ref_label(register, lang, number, para=None):
    lab = LABELS[(register, lang)]
    word = lab["article"] if lang == "en" else lab["article"].lower()
    num = lab["first"] if (number == 1 and register == "treaty") else str(number)
    if para is None:
        return f"{word} {num}"
    if register == "treaty":
        return f"{word} {number}({para})" if lang == "en" else f"{word} {num}, {lab['para']} {para}"
    return f"{word} {number}.{para}"


def agreement_context(case, kind, lang, copy="fr", register="treaty", omit_declined=None,
                      audience="internal", final=False):
    if copy not in COPIES:
        raise InputError(f"unknown copy '{copy}'", hint="--copy fr or --copy uk")
    if register not in REGISTERS:
        hint = closest(register, REGISTERS)
        raise InputError(f"unknown register '{register}'", hint=f"did you mean '{hint}'?" if hint else "treaty or mou")
    common, spec = _load(case.root, kind)
    settings = case.brief.data.get("agreements") or {}
    if omit_declined is None:
        omit_declined = str(settings.get("omit_declined", "")).lower() in ("yes", "true", "1")
    order = ("fr", "uk") if copy == "fr" else ("uk", "fr")
    party_names = [str(common["parties"][side][register][lang]) for side in order]
    base = {"party1": party_names[0], "party2": party_names[1],
            "done_place": "[...]", "done_date": "[...]"}

    # 1. choose articles and their variants, then number what remains
    selection = select(case, audience)
    chosen = []
    for art in list(spec.get("articles") or []) + list(common.get("final") or []):
        proposal = art.get("proposal")
        state, position = "agreed", None
        if proposal:
            choice = selection.get(proposal)
            position = choice.position if choice is not None and choice.answered else None
            state = STATE_OF.get(position, "agreed") if position else "declined"
        reg = art.get(register)
        if reg is None:
            raise InputError(f"article '{art.get('id')}' has no {register} text", path=art.path,
                             line=art.line, hint=f"add '{register}:' with agreed paragraphs")
        if state == "declined" and omit_declined:
            continue
        variant = reg.get(state) or reg.get("agreed")
        chosen.append((art, reg, state, position, variant))
    numbers = {str(a.get("id")): n for n, (a, *_rest) in enumerate(chosen, 1)}
    lab = LABELS[(register, lang)]

    def ref(target, para, where):
        n = numbers.get(target)
        if n is None:
            return f"[{lab['omitted']}: {target}]"
        return _ref_label(register, lang, n, int(para) if para else None)

    vals = dict(base, ref=ref)
    articles = []
    for n, (art, reg, state, position, variant) in enumerate(chosen, 1):
        heading_node = reg.get("heading") or art.get("heading")
        heading = str(heading_node[lang]) if heading_node else ""
        label = f"{lab['article']} {lab['first'] if (n == 1 and register == 'treaty') else n}"
        paras = []
        numbered = len(variant) > 1
        for i, para in enumerate(variant, 1):
            text = fill(para[lang], vals)
            for j, sub in enumerate(paragraphs(text)):
                prefix = ""
                if j == 0 and numbered:
                    prefix = f"{i}. " if register == "treaty" else f"{n}.{i} "
                paras.append({"segments": _segments(prefix + sub)})
        reservation = ""
        if state == "declined" and art.get("reservation") and audience == "internal":
            reservation = fill(art["reservation"][lang], vals)
        articles.append({"id": str(art.get("id")), "label": label, "heading": heading,
                         "paras": paras, "state": state, "proposal": str(art.get("proposal") or ""),
                         "position": str(position or ""), "reservation": reservation})
    preamble = spec.get("preamble") or {}
    parties_line = fill(_pick(preamble.get("parties_line"), register, lang, "parties_line"), vals)
    parties_line = parties_line[:1].upper() + parties_line[1:]
    signature = [fill(_pick(common["signature"], register, lang, "signature"), {"party": name})
                 for name in party_names]
    return {
        "kind": "agreement", "agreement_kind": kind, "lang": lang, "register": register,
        "copy": copy, "audience": audience, "internal": audience == "internal",
        "title": fill(_pick(spec["title"], register, lang, "title"), vals),
        "parties_line": parties_line,
        "recitals": [fill(_pick(r, register, lang, "recital"), vals) for r in preamble.get("recitals") or []],
        "agreed_as_follows": fill(_pick(common["agreed_as_follows"], register, lang, "agreed_as_follows"), vals),
        "articles": articles,
        "testimonium": (fill(common["testimonium"][register][lang], vals)
                        if register == "treaty" and common.get("testimonium") else ""),
        "done_at": fill(_pick(common["done_at"], register, lang, "done_at"), vals),
        "signatures": signature,
        "owner": str(spec.get("owner") or ""), "version": str(spec.get("version") or ""),
    }


def context(case, lang, agreement_kind="readmission", copy="fr", register="treaty",
            parallel=False, omit_declined=None, audience="internal", final=False) -> dict:
    """The registry's entry: one language's text, or both side by side (`parallel`, in
    the copy's order: the alternat)."""
    args = dict(copy=copy, register=register, omit_declined=omit_declined, audience=audience)
    if parallel:
        first, second = LANGS if copy == "fr" else LANGS[::-1]
        left = agreement_context(case, agreement_kind, first, **args)
        right = agreement_context(case, agreement_kind, second, **args)
        rows = list(zip(left["articles"], right["articles"]))
        return dict(left, left=left, right=right, rows=rows, lang="fr", orientation="landscape",
                    template="agreement-parallel.html.j2",
                    **_doc_meta(case, "fr", left["title"]))
    ctx = agreement_context(case, agreement_kind, lang, **args)
    return dict(ctx, **_doc_meta(case, lang, ctx["title"]))


def _doc_meta(case, lang, title):
    """Head fields every document carries (marking, draft line, properties)."""
    return {"marking": case.brief.marking, "draft": draft_line(case, lang),
            "translation_heading": "", "author": "", "subject": title,
            "created": case.brief.date.isoformat()}


def stem(lang, agreement_kind="readmission", copy="fr", register="treaty", parallel=False,
         **_opts) -> str:
    """agreement-readmission.fr, agreement-readmission.uk-copy.mou.en, ....parallel."""
    parts = [f"agreement-{agreement_kind}"]
    if copy != "fr":
        parts.append(f"{copy}-copy")
    if register != "treaty":
        parts.append(register)
    parts.append("parallel" if parallel else lang)
    return ".".join(parts)


def parse_stem(stem, parts, last) -> dict:
    """The options the middle of a stem names: 'uk-copy', 'mou'; 'parallel' for last."""
    opts = {}
    for part in parts:
        if part.endswith("-copy"):
            opts["copy"] = part[:-len("-copy")]
        elif part in REGISTERS:
            opts["register"] = part
        else:
            raise InputError(f"'{stem}' is not a document name",
                             hint="e.g. agreement-readmission.fr")
    if last == "parallel":
        opts["parallel"] = True
        opts["lang"] = LANGS[0] if opts.get("copy", "fr") == "fr" else LANGS[1]
    return opts


def variants(case) -> list[dict]:
    """One draft per agreement kind the brief asks for (`agreements: {kinds: [readmission,
    ...]}`, or `agreements: [readmission, ...]`), for draft pack and draft check; none
    when the brief names none: a case's pack holds only the agreements it is about."""
    asked = case.brief.data.get("agreements") if hasattr(case.brief, "data") else None
    if isinstance(asked, dict):
        asked = asked.get("kinds")
    if not asked:
        return []
    path = getattr(asked, "path", None) or case.brief.path
    if not isinstance(asked, list):
        raise InputError("'agreements: kinds:' must be a list of agreement kinds", path=path,
                         line=getattr(asked, "line", None),
                         hint="e.g. agreements: {kinds: [readmission]}")
    kinds = agreement_kinds(case.root)
    out = []
    for kind in asked:
        if str(kind) not in kinds:
            hint = closest(str(kind), kinds)
            raise InputError(f"unknown agreement kind '{kind}' in agreements:", path=path,
                             line=getattr(kind, "line", None),
                             hint=f"did you mean '{hint}'?" if hint else "kinds: " + ", ".join(kinds))
        if {"agreement_kind": str(kind)} not in out:
            out.append({"agreement_kind": str(kind)})
    return out
