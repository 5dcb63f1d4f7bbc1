"""A document kind + a case -> its checked, typeset tree (the registry's one entry point)."""
from __future__ import annotations

from dataclasses import dataclass

from drafting.documents.compose import marking_for, working_draft_line
from drafting.documents.registry import kind_of
from drafting.errors import InputError, did_you_mean
from drafting.inputs.case import Case
from drafting.inputs.library import LANGS
from drafting.tree.audience import marking_of
from drafting.tree.document import Document, parse
from drafting.tree.gate import apply_gate, check_audience, set_meta
from drafting.tree.render import render_template

__all__ = ["Built", "build", "stem_of"]


@dataclass
class Built:
    kind: str
    lang: str
    document: Document
    stem: str           # output file name without extension: reply.fr


def stem_of(kind, lang, **opts) -> str:
    return kind_of(kind).stem(lang, **opts)


def build(case: Case, kind: str, lang: str, **opts) -> Built:
    """Render one document to its checked, typeset tree (memoised on the case when it
    carries a memo: draft check and the matrix read the same documents several times)."""
    if lang not in LANGS:
        raise InputError(f"unknown language '{lang}'", hint=did_you_mean(lang, LANGS, " or ".join(LANGS)))
    spec = kind_of(kind)
    opts.setdefault("audience", case.brief.audience)  # the brief's was checked as it was read
    check_audience(opts["audience"])
    memo_key = None
    if case.memo is not None:
        memo_key = (kind, lang, tuple(sorted((k, str(v)) for k, v in opts.items())))
        if memo_key in case.memo:
            return case.memo[memo_key]
    template, ctx = spec.context(case, lang, **opts)
    markup = render_template(case.templates, template, **ctx)
    document = parse(markup, template)
    stem = spec.stem(lang, **opts)
    # The gate (tree/gate.py) decides what this output carries; the running heads come
    # from the brief (the marking for this document, most restrictive of what it prints)
    # and the releases (the draft line), never from the template.
    set_meta(document, "marking", marking_of(case, document, ctx.get("markings", ()),
                                             base=marking_for(case, kind, opts)))
    final = bool(opts.get("final"))
    line = "" if final else working_draft_line(case, document.lang, stem, document)
    apply_gate(document, opts["audience"], final=final, draft_line=line)
    built = Built(kind=kind, lang=lang, document=document, stem=stem)
    if memo_key is not None:
        case.memo[memo_key] = built
    return built
