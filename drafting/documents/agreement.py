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

from drafting.errors import InputError, did_you_mean
from drafting.inputs.library import LANGS, fill, paragraphs
from drafting.inputs.sources import load_yaml, tree_problems
from drafting.select import select

__all__ = ["context", "stem", "parse_stem", "variants", "agreement_context", "agreement_kinds",
           "STATE_OF", "COPIES", "REGISTERS", "omits_declined", "omissions",
           "unresolved_references"]

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
# The note that says what --omit-declined took out (the reviewer note, the run's output).
for (_register, _lang), _lab in LABELS.items():
    _unit = {"treaty": ("articles", "article"), "mou": ("paragraphes", "paragraphe")}[_register] \
        if _lang == "fr" else {"treaty": ("articles", "article"),
                               "mou": ("paragraphs", "paragraph")}[_register]
    _lab.update({
        "note": "Projet établi sans les propositions déclinées." if _lang == "fr" else
                "Drafted without the declined proposals.",
        "omitted_many": f"{_unit[0].capitalize()} omis" if _lang == "fr" else
                        f"{_unit[0].capitalize()} omitted",
        "omitted_one": f"{_unit[1].capitalize()} omis" if _lang == "fr" else
                       f"{_unit[1].capitalize()} omitted",
        "terms_gone": "Définitions retirées (plus employées)" if _lang == "fr" else
                      "Definitions removed (no longer used)",
        "rewritten": "Texte reformulé sans les articles omis" if _lang == "fr" else
                     "Text reworded without the omitted articles",
    })


def agreement_kinds(root: Path):
    return sorted(p.stem for p in (Path(root) / "clauses" / "agreements").glob("*.yaml")
                  if p.stem != "common")


# The schema of clauses/agreements/*.yaml (inputs/sources.tree_problems): a text is one
# value in each language ({fr: ..., en: ...}); '*' stands for the registers (treaty, mou)
# and the sides (fr, uk).
_TERM = {"fr": "text", "en": "text", "with": "name", "without": "name", "used_by": ["name"]}
_PARA = {**_TERM, "terms": [_TERM]}
_VARIANTS = {"heading": "text-map", "agreed": [_PARA], "conditional": [_PARA],
             "declined": [_PARA]}
_ARTICLE = {"id": "name", "heading": "text-map", "proposal": "name", "requires": ["name"],
            "reservation": "text-map", "treaty": _VARIANTS, "mou": _VARIANTS}
SHAPES = {**dict.fromkeys(("kind", "owner", "version", "en_renders", "en_renders_sha"), "text"),
          "cleared": {"version": "text", "date": "text"},
          "title": {"*": "text-map"},
          "preamble": {"parties_line": {"*": "text-map"}, "recitals": [{"*": "text-map"}]},
          "articles": [_ARTICLE], "final": [_ARTICLE],
          "parties": {"*": {"*": "names"}},
          **dict.fromkeys(("agreed_as_follows", "done_at", "signature", "testimonium"),
                          {"*": "text-map"})}


def _load_checked(path):
    """One agreement file, every field of the shape SHAPES wants (else every problem of
    the file at once, path:line)."""
    from drafting.errors import Problems
    data = load_yaml(path)
    problems = tree_problems(data, SHAPES, "", str(path), data.line)
    if problems:
        raise Problems(problems)
    return data


def _load(root, kind):
    folder = Path(root) / "clauses" / "agreements"
    kinds = agreement_kinds(root)
    if kind not in kinds:
        raise InputError(f"unknown agreement kind '{kind}'", path=folder,
                         hint=did_you_mean(kind, kinds, "kinds: " + ", ".join(kinds)))
    return _load_checked(folder / "common.yaml"), _load_checked(folder / f"{kind}.yaml")


def _pick(node, register, lang, what):
    try:
        return node[register][lang]
    except (KeyError, TypeError):
        path, line = getattr(node, "path", None), getattr(node, "line", None)
        raise InputError(f"{what}: no {register} text in {lang}", path=path, line=line,
                         hint=f"add {register}: {{{lang}: ...}}") from None


# A cross-reference ({ref:ID} / {ref:ID:N}) stays a mark in the filled text until the
# paragraphs are cut into segments: REF_MARK.format(target, paragraph or ''). Then it
# becomes its words and, for the number, a link to the article's heading (or to the
# numbered paragraph) the tree carries: the DOCX makes a REF field of it to the heading's
# bookmark (Word numbering renumbers both), the PDF a link; plain text elsewhere.
REF_MARK = "\ue000{}\ue001{}\ue002"
_REF = re.compile("\ue000([^\ue001]*)\ue001([^\ue002]*)\ue002")


def anchor(lang, article_id, para=None) -> str:
    """The id of an article's heading (`art-fr-own-nationals`) or of its numbered
    paragraph (`art-fr-own-nationals.2`) in the tree; a reference links to it."""
    name = re.sub(r"[^A-Za-z0-9_-]", "-", str(article_id))
    return f"art-{lang}-{name}" + (f".{para}" if para is not None else "")


def _segments(text, refs=None, anchors=()):
    """Split a paragraph into plain and bracketed pieces: [FR: ...] / [UK: ...]; each
    segment's `pieces` are its text and its cross-references ({"text", "href"}), `refs`
    (target id -> number) saying what the marks are; `anchors`, the ids the document
    has (a reference to a paragraph it does not number is text)."""
    out, pos = [], 0

    def add(piece, bracket):
        pieces = _ref_pieces(piece, refs or {}, anchors)
        out.append({"text": "".join(x["text"] for x in pieces), "bracket": bracket,
                    "pieces": pieces})

    for m in BRACKET.finditer(text):
        if m.start() > pos:
            add(text[pos:m.start()], "")
        add(m.group(0), m.group(1))
        pos = m.end()
    if pos < len(text):
        add(text[pos:], "")
    return out


def _ref_pieces(text, refs, anchors) -> list:
    """Text and links ({"text", "href"}) of a piece of text holding reference marks."""
    register, lang, numbers = refs.get("register"), refs.get("lang"), refs.get("numbers", {})
    out, pos = [], 0

    def plain(piece):
        if not piece:
            return
        if out and not out[-1]["href"]:
            out[-1]["text"] += piece
        else:
            out.append({"text": piece, "href": ""})

    for m in _REF.finditer(text):
        plain(text[pos:m.start()])
        target, para = m.group(1), int(m.group(2)) if m.group(2) else None
        for words, kind in _ref_parts(register, lang, numbers[target], para):
            href = anchor(lang, target) if kind == "article" else \
                anchor(lang, target, para) if kind == "para" else ""
            if href and href in anchors:
                out.append({"text": words, "href": "#" + href})
            else:
                plain(words)
        pos = m.end()
    plain(text[pos:])
    return out


def _plain(text, refs) -> str:
    """A text with its reference marks as words (a note, a title: no link)."""
    return _REF.sub(lambda m: _ref_label(refs["register"], refs["lang"],
                                         refs["numbers"][m.group(1)],
                                         int(m.group(2)) if m.group(2) else None), str(text))


def _ref_parts(register, lang, number, para=None) -> list:
    """A reference's words as (text, kind) pieces: kind 'article' for the article's label
    as its heading shows it ('article 5': what a REF field to the heading gives, in the
    running text's case), 'para' for a numbered paragraph's number, None for the words
    between ('l'article 5, paragraphe 2' / 'Article 5(2)' / 'paragraph 5.2')."""
    lab = LABELS[(register, lang)]
    word = lab["article"] if lang == "en" else lab["article"].lower()
    num = _article_number(register, lab, number)
    if para is None:
        return [(f"{word} {num}", "article")]
    if register == "treaty":
        if lang == "en":
            return [(f"{word} {num}", "article"), ("(", None), (str(para), "para"), (")", None)]
        return [(f"{word} {num}", "article"), (f", {lab['para']} ", None), (str(para), "para")]
    return [(f"{word} {num}", "article"), (f".{para}", None)]


def _article_number(register, lab, number) -> str:
    """An article's number as its heading says it: 'premier' / 'first' for a treaty's first."""
    return lab["first"] if (number == 1 and register == "treaty") else str(number)


def _ref_label(register, lang, number, para=None):
    return "".join(text for text, _kind in _ref_parts(register, lang, number, para))


# -- what --omit-declined takes out, and the text around it -------------------------------
#
# An article of a declined proposal goes (with --omit-declined or the brief's
# `agreements: {omit_declined: yes}`), and so does an article that `requires:` one that
# went. A paragraph may say when it is printed: `with: ID` (only while article ID is in
# the agreement) or `without: ID` (only once it went), so a cross-reference never points
# at an article that is not there: the text is written again without it. A definitions
# article lists its terms (`- terms: [{fr, en, used_by: [ID, ...]}]`, after the paragraph
# that introduces them): a term whose articles all went goes too, and the tool letters
# the terms that remain (a), b) ... / (a), (b) ...) and ends each with ';' or '.'.

def omits_declined(case, omit_declined=None) -> bool:
    """--omit-declined, else the brief's `agreements: {omit_declined: yes}`."""
    if omit_declined is not None:
        return bool(omit_declined)
    settings = case.brief.data.get("agreements")
    if not isinstance(settings, dict):  # `agreements: [kinds]` says only which ones
        return False
    return str(settings.get("omit_declined", "")).lower() in ("yes", "true", "1")


def _ids(value) -> set:
    if value is None or value == "":
        return set()
    return {str(v) for v in value} if isinstance(value, list) else {str(value)}


def _is_terms(para) -> bool:
    return isinstance(para, dict) and "terms" in para


def _shown(para, gone) -> bool:
    """A paragraph (or term) printed with the articles that went (`gone`)?"""
    if not isinstance(para, dict):
        return True
    with_ids, without_ids = _ids(para.get("with")), _ids(para.get("without"))
    return not (with_ids & gone) and without_ids <= gone


def _used(term, gone) -> bool:
    """A term is kept while one of the articles that use it is (`used_by`)."""
    users = _ids(term.get("used_by"))
    return not users or bool(users - gone)


def _lettered(text, k, count, lang) -> str:
    """'a) « visa » : ... ;' / '(a) "visa" means ...;' - the last term ends with '.'."""
    letter = "abcdefghijklmnopqrstuvwxyz"[k] if k < 26 else str(k + 1)
    text = text.rstrip().rstrip(";.").rstrip()
    end = "." if k == count - 1 else (" ;" if lang == "fr" else ";")
    return (f"{letter}) " if lang == "fr" else f"({letter}) ") + text + end


def _term_name(text) -> str:
    """The defined words of a term: « visa » / "visa"."""
    m = re.match(r"\s*(«[^»]*»|\"[^\"]*\"|\u201c[^\u201d]*\u201d)", str(text))
    return m.group(1) if m else " ".join(str(text).split()[:4])


def _plan(case, spec, common, register, omit_declined, audience) -> dict:
    """The articles printed, those omitted and why, and the ids that went."""
    selection = select(case, audience)
    rows, omitted = [], []
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
            omitted.append({"art": art, "reg": reg, "proposal": str(proposal),
                            "position": str(position or "no position"), "because": None})
            continue
        variant = reg.get(state) or reg.get("agreed")
        rows.append((art, reg, state, position, variant))
    gone = {str(o["art"].get("id")) for o in omitted}
    changed = True
    while changed:  # an article that requires one that went goes too
        changed = False
        for row in list(rows):
            needs = _ids(row[0].get("requires")) & gone
            if needs:
                rows.remove(row)
                omitted.append({"art": row[0], "reg": row[1], "proposal": "", "position": "",
                                "because": sorted(needs)[0]})
                gone.add(str(row[0].get("id")))
                changed = True
    return {"rows": rows, "omitted": omitted, "gone": gone}


def _numbers(plan) -> dict:
    """{article id: its number} once the omitted articles are out."""
    return {str(a.get("id")): n for n, (a, *_rest) in enumerate(plan["rows"], 1)}


def describe_omissions(plan, lang, register, numbers) -> list:
    """Sentences saying what --omit-declined took out and rewrote, in `lang`."""
    if not plan["omitted"]:
        return []
    headings = {}
    for o in plan["omitted"]:
        node = o["reg"].get("heading") or o["art"].get("heading")
        headings[str(o["art"].get("id"))] = str(node[lang]) if node else str(o["art"].get("id"))
    fr = lang == "fr"
    out = []
    for o in plan["omitted"]:
        what = f"« {headings[str(o['art'].get('id'))]} »" if fr else \
            f"\u201c{headings[str(o['art'].get('id'))]}\u201d"
        if o["because"]:
            why = (f"qui suppose « {headings.get(o['because'], o['because'])} »" if fr else
                   f"which depends on \u201c{headings.get(o['because'], o['because'])}\u201d")
        else:
            why = (f"{o['proposal']} : {o['position']}" if fr else
                   f"{o['proposal']}: {o['position']}")
        out.append(f"{what} ({why})")
    lab = LABELS[(register, lang)]
    said = [(f"{lab['omitted_many'] if len(out) > 1 else lab['omitted_one']} : " if fr else
             f"{lab['omitted_many'] if len(out) > 1 else lab['omitted_one']}: ") +
            "; ".join(out) + "."]
    rewritten, terms = [], []
    for art, _reg, _state, _position, variant in plan["rows"]:
        n = numbers.get(str(art.get("id")))
        label = _ref_label(register, lang, n) if n else str(art.get("id"))
        for para in variant:
            if _is_terms(para):
                for term in para["terms"]:
                    if _shown(term, plan["gone"]) and not _used(term, plan["gone"]):
                        terms.append(_term_name(term[lang]))
            elif isinstance(para, dict) and _ids(para.get("without")) and \
                    _shown(para, plan["gone"]) and label not in rewritten:
                rewritten.append(label)
    if terms:
        said.append((f"{lab['terms_gone']} : " if fr else f"{lab['terms_gone']}: ") +
                    ", ".join(terms) + ".")
    if rewritten:
        said.append((f"{lab['rewritten']} : " if fr else f"{lab['rewritten']}: ") +
                    ", ".join(rewritten) + ".")
    return said


def omissions(case, agreement_kind="readmission", lang="en", copy="fr", register="treaty",
              omit_declined=None, audience="internal", **_opts) -> list:
    """What --omit-declined takes out of this agreement and rewrites around it, as
    sentences in `lang` (the run's output lists them; [] when nothing is omitted): the
    plan of the agreement, without filling its texts again."""
    common, spec = _load(case.root, agreement_kind)
    plan = _plan(case, spec, common, register, omits_declined(case, omit_declined), audience)
    return describe_omissions(plan, lang, register, _numbers(plan))


def unresolved_references(data, register=None) -> list:
    """(article id, register, state, paragraph number, target id, text node) of each
    paragraph that refers to an article --omit-declined can take out (one tied to a
    proposal, or requiring one) and is printed whether or not it is there (no `with:`
    for it, and its article neither goes with it nor requires it): its reference would
    be left dangling."""
    articles = list(data.get("articles") or []) + list(data.get("final") or [])
    omittable = {str(a.get("id")) for a in articles if isinstance(a, dict) and a.get("proposal")}
    changed = True
    while changed:
        changed = False
        for a in articles:
            if isinstance(a, dict) and str(a.get("id")) not in omittable and \
                    _ids(a.get("requires")) & omittable:
                omittable.add(str(a.get("id")))
                changed = True
    proposal_of = {str(a.get("id")): str(a.get("proposal") or "") for a in articles
                   if isinstance(a, dict)}
    out = []
    for a in articles:
        if not isinstance(a, dict):
            continue
        # articles that go whenever this one goes: same proposal, or required by it
        same = {t for t, p in proposal_of.items() if p and p == proposal_of[str(a.get("id"))]}
        same |= _ids(a.get("requires"))
        for reg in ([register] if register else list(REGISTERS)):
            node = a.get(reg)
            if not isinstance(node, dict):
                continue
            for state in ("agreed", "conditional", "declined"):
                variant = node.get(state) or []
                items = []
                for i, para in enumerate(variant, 1):
                    if _is_terms(para):
                        items += [(i, t) for t in para["terms"] if isinstance(t, dict)]
                    elif isinstance(para, dict):
                        items.append((i, para))
                for i, para in items:
                    shields = _ids(para.get("with")) | _ids(para.get("used_by"))
                    for lang in LANGS:
                        for m in re.finditer(r"\{ref:([a-z0-9-]+)", str(para.get(lang) or "")):
                            target = m.group(1)
                            if target in omittable and target not in same and \
                                    target != str(a.get("id")) and target not in shields:
                                out.append((str(a.get("id")), reg, state, i, target,
                                            para.get(lang)))
    seen, unique = set(), []
    for row in out:
        key = row[:5]
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


def agreement_context(case, kind, lang, copy="fr", register="treaty", omit_declined=None,
                      audience="internal"):
    if copy not in COPIES:
        raise InputError(f"unknown copy '{copy}'", hint="--copy fr or --copy uk")
    if register not in REGISTERS:
        raise InputError(f"unknown register '{register}'", hint=did_you_mean(register, REGISTERS, "treaty or mou"))
    common, spec = _load(case.root, kind)
    omit_declined = omits_declined(case, omit_declined)
    order = ("fr", "uk") if copy == "fr" else ("uk", "fr")
    party_names = [str(common["parties"][side][register][lang]) for side in order]
    base = {"party1": party_names[0], "party2": party_names[1],
            "done_place": "[...]", "done_date": "[...]"}

    # 1. choose articles and their variants, then number what remains
    plan = _plan(case, spec, common, register, omit_declined, audience)
    chosen, gone = plan["rows"], plan["gone"]
    numbers = _numbers(plan)
    lab = LABELS[(register, lang)]

    def ref(target, para, where):
        n = numbers.get(target)
        if n is None:  # a text with no version without that article: draft check says so
            return f"[{lab['omitted']}: {target}]"
        return REF_MARK.format(target, int(para) if para else "")

    refs = {"register": register, "lang": lang, "numbers": numbers}
    vals = dict(base, ref=ref)

    def text(node):  # a text with its references as words, for where no link goes
        return _plain(fill(node, vals), refs)

    articles, anchors = [], set()
    for n, (art, reg, state, position, variant) in enumerate(chosen, 1):
        heading_node = reg.get("heading") or art.get("heading")
        heading = str(heading_node[lang]) if heading_node else ""
        label = f"{lab['article']} {_article_number(register, lab, n)}"
        anchors.add(anchor(lang, art.get("id")))
        paras = []
        kept = [para for para in variant if _shown(para, gone)]
        numbered = sum(1 for para in kept if not _is_terms(para)) > 1
        i = 0
        for para in kept:
            if _is_terms(para):
                terms = [t for t in para["terms"] if _shown(t, gone) and _used(t, gone)]
                for k, term in enumerate(terms):
                    joined = " ".join(paragraphs(fill(term[lang], vals)))
                    paras.append({"raw": _lettered(joined, k, len(terms), lang), "anchor": ""})
                continue
            i += 1
            for j, sub in enumerate(paragraphs(fill(para[lang], vals))):
                prefix, para_anchor = "", ""
                if j == 0 and numbered:
                    prefix = f"{i}. " if register == "treaty" else f"{n}.{i} "
                    para_anchor = anchor(lang, art.get("id"), i)
                    anchors.add(para_anchor)
                paras.append({"raw": prefix + sub, "anchor": para_anchor})
        reservation = ""
        if state == "declined" and art.get("reservation") and audience == "internal":
            reservation = text(art["reservation"][lang])
        articles.append({"id": str(art.get("id")), "anchor": anchor(lang, art.get("id")),
                         "label": label, "heading": heading,
                         "paras": paras, "state": state, "proposal": str(art.get("proposal") or ""),
                         "position": str(position or ""), "reservation": reservation})
    for article in articles:  # every anchor known: the references become links
        for para in article["paras"]:
            para["segments"] = _segments(para.pop("raw"), refs, anchors)
    omissions = describe_omissions(plan, lang, register, numbers)
    preamble = spec.get("preamble") or {}
    parties_line = text(_pick(preamble.get("parties_line"), register, lang, "parties_line"))
    parties_line = parties_line[:1].upper() + parties_line[1:]
    signature = [fill(_pick(common["signature"], register, lang, "signature"), {"party": name})
                 for name in party_names]
    return {
        "kind": "agreement", "agreement_kind": kind, "lang": lang, "register": register,
        "copy": copy, "audience": audience, "internal": audience == "internal",
        "title": text(_pick(spec["title"], register, lang, "title")),
        "parties_line": parties_line,
        "recitals": [text(_pick(r, register, lang, "recital")) for r in preamble.get("recitals") or []],
        "agreed_as_follows": text(_pick(common["agreed_as_follows"], register, lang, "agreed_as_follows")),
        "articles": articles,
        "testimonium": (text(common["testimonium"][register][lang])
                        if register == "treaty" and common.get("testimonium") else ""),
        "done_at": text(_pick(common["done_at"], register, lang, "done_at")),
        "signatures": signature,
        "owner": str(spec.get("owner") or ""), "version": str(spec.get("version") or ""),
        # what --omit-declined took out: a reviewer note for the internal audience
        "omissions": omissions,
        "omissions_note": (f"{LABELS[(register, lang)]['note']} " + " ".join(omissions)
                           if omissions and audience == "internal" else ""),
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
                    **_doc_meta(case, left["title"]))
    ctx = agreement_context(case, agreement_kind, lang, **args)
    return dict(ctx, **_doc_meta(case, ctx["title"]))


def _doc_meta(case, title):
    """Head fields every document carries (its properties; the build sets the marking and
    the draft line)."""
    return {"translation_heading": "", "author": "", "subject": title,
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
            raise InputError(f"unknown agreement kind '{kind}' in agreements:", path=path,
                             line=getattr(kind, "line", None),
                             hint=did_you_mean(kind, kinds, "kinds: " + ", ".join(kinds)))
        if {"agreement_kind": str(kind)} not in out:
            out.append({"agreement_kind": str(kind)})
    return out
