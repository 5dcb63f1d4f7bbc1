"""The editorial check: what a reviewer finds reading each document as one text.

Warnings (`draft check --strict` makes them errors), each at the file and line of the
clause text (or brief paragraph) that causes it, read from the built documents, whose
paragraphs carry their provenance (data-clause, data-field, data-position, data-para):

- the same phrase (normalised word n-grams) in two paragraphs of one document, and the
  same argument (the expressions of `arguments`) made in two paragraphs;
- three paragraphs in a row opening with the same words;
- English words in a French text, French words in an English one (word lists);
- known calques of each language;
- straight quotes and apostrophes in English;
- facts against dates: papers dated after the meeting they prepare; a future tense
  about a date that is not after the document's own date.

What counts (word lists, calques, arguments, the documents read as one text, the
length of a repeated phrase) is data: clauses/editorial/*.yaml of the workspace, else
the copy shipped with the tool. The rules themselves are in clauses/README.md.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError
from drafting.inputs.dates import month_names
from drafting.inputs.library import STUB
from drafting.inputs.sources import load_yaml
from drafting.store.read import read_utf8

__all__ = ["check_editorial", "load_rules", "Rules", "CODES"]

CODES = {"repeat": "editorial-repetition", "argument": "editorial-argument",
         "opening": "editorial-opening", "foreign": "editorial-foreign-word",
         "calque": "editorial-calque", "quotes": "editorial-straight-quotes",
         "date": "editorial-date"}
MEETING_PAPERS = ("agenda", "annotated-agenda", "declaration")
@functools.cache
def _date_re(lang):
    """A day, a month name (any case) and perhaps a year: '1er décembre', '1 December 2021'."""
    months = "|".join(map(re.escape, month_names(lang)))
    return re.compile(r"(?<![\w])(1er|\d{1,2})[ \u00a0\u202f]+(" + months
                      + r")(?:[ \u00a0\u202f]+(\d{4}))?\b", re.IGNORECASE)
# The future tense: French endings of the simple future (survolera, seront, pourra,
# viendra, aura ...), English auxiliaries.
_FUTURE = {
    "fr": re.compile(r"\b[a-zà-ÿ]*(?:era|erai|eront|erons|ira|iront|irons|dra|dront|tra|"
                     r"tront|ura|uront|rra|rront|vra|vront)\b"),
    "en": re.compile(r"\b(?:will|shall|is to|are to|going to)\b"),
}
_NOT_FUTURE = {"extra", "contra", "ultra", "intra", "mantra", "sutra", "era", "opera",
               "camera", "algebra", "cobra", "zebra", "tiara", "sierra", "terra"}
_SENTENCE = re.compile(r"(?<=[.;!?])[ \u00a0\u202f]+")


# -- the data -------------------------------------------------------------------------------

@dataclass
class Rules:
    prose_kinds: tuple = ("reply", "declaration")
    ngram: int = 6
    fixed: list = field(default_factory=list)          # token lists that may recur
    opening_words: int = 2
    prose_classes: tuple = ("body", "case-specific")
    arguments: dict = field(default_factory=dict)      # name -> {lang: [regex]}
    words: dict = field(default_factory=dict)          # text lang -> {foreign word}
    calques: dict = field(default_factory=dict)        # lang -> [(regex, instead)]


def _folder(root) -> Path:
    folder = Path(root) / "clauses" / "editorial"
    if folder.is_dir():
        return folder
    from drafting.inputs.workspace import embedded
    return Path(embedded()) / "clauses" / "editorial"


def _compile(pattern, node, what):
    from drafting.errors import InputError
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise InputError(f"{what}: '{pattern}' is not a regular expression ({exc})",
                         path=getattr(node, "path", None), line=getattr(node, "line", None),
                         hint="see https://docs.python.org/3/library/re.html") from None


def load_rules(root) -> Rules:
    """The editorial data of a workspace (clauses/editorial/), or the shipped copy."""
    folder = _folder(root)
    rules = Rules()
    if not folder.is_dir():
        return rules
    if (folder / "rules.yaml").is_file():
        data = load_yaml(folder / "rules.yaml")
        rules.prose_kinds = tuple(str(k) for k in data.get("prose_kinds") or rules.prose_kinds)
        rules.ngram = max(3, int(str(data.get("ngram") or rules.ngram)))
        rules.fixed = [_tokens(str(f)) for f in data.get("fixed") or []]
        rules.opening_words = max(1, int(str(data.get("opening_words") or 2)))
        rules.prose_classes = tuple(str(c) for c in data.get("prose_classes")
                                    or rules.prose_classes)
        for name, by_lang in (data.get("arguments") or {}).items():
            rules.arguments[str(name)] = {
                str(lang): [_compile(p, p, f"argument {name}") for p in patterns or []]
                for lang, patterns in by_lang.items()}
    if (folder / "words.yaml").is_file():
        data = load_yaml(folder / "words.yaml")
        rules.words = {"fr": {str(w).casefold() for w in data.get("english_in_french") or []},
                       "en": {str(w).casefold() for w in data.get("french_in_english") or []}}
    if (folder / "calques.yaml").is_file():
        data = load_yaml(folder / "calques.yaml")
        for lang, entries in data.items():
            rules.calques[str(lang)] = [
                (_compile(e["find"], e["find"], "calque"), str(e.get("instead") or ""))
                for e in entries or [] if isinstance(e, dict) and e.get("find")]
    return rules


# -- text ----------------------------------------------------------------------------------

class _Folded(dict):
    """str.translate's table for _fold, filled as characters are met."""

    def __missing__(self, code):
        base = unicodedata.normalize("NFKD", chr(code))[:1].casefold() or " "
        self[code] = base = base if base.isalnum() else " "
        return base


_FOLDED = _Folded()


def _fold(text: str) -> str:
    """Lower case, accents off, apostrophes and punctuation to spaces: one character for
    one, so positions in the folded text are positions in the text."""
    return text.translate(_FOLDED)


def _token_spans(text: str) -> list:
    return [(m.group(), m.start(), m.end()) for m in re.finditer(r"[a-z0-9]+", _fold(text))]


def _tokens(text: str) -> list:
    return [t for t, _s, _e in _token_spans(text)]


@functools.lru_cache(maxsize=4096)
def _line_tokens(line: str) -> tuple:
    """The tokens of a source line (each warning's place is looked up in its lines)."""
    return tuple(_tokens(line))


def _plain(text: str) -> str:
    """For matching words and expressions: no-break spaces as spaces, ’ as '."""
    return re.sub("[\u00a0\u202f]", " ", text).replace("\u2019", "'").casefold()


def _outside_brackets(text: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)


# -- where a paragraph comes from ----------------------------------------------------------------

@dataclass
class Para:
    doc: str            # the document's stem (reply.fr)
    lang: str
    cls: str
    text: str
    path: str | None    # the clause file (or brief) and the line its text starts at
    line: int | None
    index: int          # paragraph number within that text (1 = first)

    def where(self, phrase: str | None = None) -> int | None:
        """The line of `phrase` (or of this paragraph) in its source file."""
        return _locate(self.path, self.line, self.index, phrase)


_LINES: dict = {}


def _source_lines(path):
    key = str(path)
    if key not in _LINES:
        try:
            _LINES[key] = read_utf8(key).split("\n")
        except (OSError, InputError):
            _LINES[key] = []
    return _LINES[key]


def _locate(path, line, index, phrase):
    """The line of the `index`-th paragraph of the YAML text whose key is at `line`, and
    within it the line where `phrase` starts (by its first words)."""
    lines = _source_lines(path) if path and line else []
    if not lines or line > len(lines):
        return line
    key = lines[line - 1]
    indent = len(key) - len(key.lstrip())
    inline = key.split(":", 1)[1].strip() if ":" in key else ""
    if inline and not inline.startswith((">", "|")):
        return line  # a one-line text: its line
    block, n = [], line
    while n < len(lines) and (not lines[n].strip() or
                              len(lines[n]) - len(lines[n].lstrip()) > indent):
        block.append(n + 1)
        n += 1
    paras, current = [], []
    for number in block:
        if lines[number - 1].strip():
            current.append(number)
        elif current:
            paras.append(current)
            current = []
    if current:
        paras.append(current)
    if not paras:
        return line
    chosen = paras[min(max(index, 1), len(paras)) - 1]
    if phrase:
        want = _tokens(phrase)[:4]
        spans = []  # (token, line)
        for number in chosen:
            spans += [(t, number) for t in _line_tokens(lines[number - 1])]
        toks = [t for t, _ in spans]
        k = len(want)
        for i in range(len(toks) - k + 1):  # the phrase may end inside a word
            if want and toks[i:i + k - 1] == want[:-1] and toks[i + k - 1].startswith(want[-1]):
                return spans[i][1]
    return chosen[0]


def _paragraphs(case, built) -> list:
    """The paragraphs of a built document that come from the library or the brief."""
    out = []
    lang = built.document.lang
    for el in built.document.body.iter("p"):
        key = el.get("data-clause")
        if not key:
            continue
        # text still to draft is the stub check's: its words ("[TO BE DRAFTED: reference
        # to the letter of ...]") are no English in French, no repetition, no argument
        text = STUB.sub(lambda m: " " * len(m.group()), "".join(el.itertext()))
        if not text.strip():
            continue
        index = int(el.get("data-para") or 1)
        path, line = _source(case, key, el.get("data-position") or "",
                             el.get("data-field") or "", lang, bool(el.get("data-case-specific")))
        out.append(Para(doc=built.stem, lang=lang, cls=el.get("class") or "", text=text,
                        path=path, line=line, index=index))
    return out


def _source(case, key, position, field_name, lang, case_specific):
    """(path, line) of the text a paragraph was made from: the brief's override or
    paragraph, else the clause's text for that position and field."""
    from drafting.documents.compose import override_of
    brief = case.brief
    if case_specific or field_name == "brief":
        for item in brief.paragraphs:
            if str(item.get("key") or "case-specific") == key and item.get(lang) is not None:
                text = item[lang]
                return getattr(text, "path", None) or brief.path, getattr(text, "line", None)
        return brief.path, None
    override = override_of(brief.overridden, key, position, field_name, lang)
    if override is not None:
        return getattr(override, "path", None) or brief.path, getattr(override, "line", None)
    clause = case.library.get(key)
    if clause is None:
        return None, None
    text = clause.text(position, field_name, lang) if position else None
    if text is None:  # a field of the clause itself (agenda.background, agenda.expected.be)
        text = clause.common(field_name, lang)
    if text is None:
        return clause.path, None
    return getattr(text, "path", None) or clause.path, getattr(text, "line", None)


# -- the rules ------------------------------------------------------------------------------

def _segments(tokens, fixed):
    """Runs of tokens between the fixed phrases (an n-gram never spans one)."""
    cut = [False] * len(tokens)
    starting = {}  # first word -> the fixed phrases it starts
    for phrase in fixed:
        if phrase:
            starting.setdefault(phrase[0], []).append(phrase)
    for i, token in enumerate(tokens):
        for phrase in starting.get(token, ()):
            if tokens[i:i + len(phrase)] == phrase:
                cut[i:i + len(phrase)] = [True] * len(phrase)
    runs, run = [], []
    for i in range(len(tokens)):
        if cut[i]:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(i)
    if run:
        runs.append(run)
    return runs


def _ngrams(text, spans, n, fixed):
    """The n-grams of a text (tuple -> index of its first token), but those made only of
    names and short words ("de la France, de la Belgique"): an enumeration of names
    said twice is not an argument said twice."""
    tokens = [t for t, _s, _e in spans]
    names = [text[s:e][:1].isupper() or len(t) <= 3 for t, s, e in spans]
    grams = {}
    for run in _segments(tokens, fixed):
        for k in range(len(run) - n + 1):
            idx = run[k:k + n]
            if all(names[i] for i in idx):
                continue
            grams.setdefault(tuple(tokens[i] for i in idx), idx[0])
    return grams


def _repeats(found, paras, rules):
    """The same phrase in two paragraphs: one warning per pair, at the later one."""
    n = rules.ngram
    data = []
    first_with = {}  # n-gram -> the first paragraph (index in data) that has it
    for j, pj in enumerate(paras):
        spans_j = _token_spans(pj.text)
        grams_j = _ngrams(pj.text, spans_j, n, rules.fixed)
        data.append((pj, grams_j))
        earlier = [first_with[g] for g in grams_j if g in first_with]
        for g in grams_j:
            first_with.setdefault(g, j)
        if not earlier:
            continue
        pi, grams_i = data[min(earlier)]  # the first paragraph sharing a phrase with this one
        start = min(grams_j[g] for g in grams_j if g in grams_i)
        end = start + n
        while end < len(spans_j) and tuple(
                t for t, _s, _e in spans_j[end - n + 1:end + 1]) in grams_i:
            end += 1
        phrase = pj.text[spans_j[start][1]:spans_j[end - 1][2]]
        first = f"{_rel(found, pi.path)}:{pi.where(phrase)}"
        found.add(f"{pj.doc}: the same phrase in two paragraphs (“{_show(phrase)}”), first at "
                  f"{first}", pj.path, pj.where(phrase), severity="warning",
                  hint="say it once: join the two answers or let the second refer to "
                  "the first", code=CODES["repeat"])


def _arguments(found, paras, rules):
    for name, by_lang in rules.arguments.items():
        seen = None
        for p in paras:
            text = _plain(p.text)
            hit = next((m for rx in by_lang.get(p.lang, []) for m in [rx.search(text)] if m),
                       None)
            if hit is None:
                continue
            phrase = p.text[hit.start():hit.end()]
            if seen is None:
                seen = (p, phrase)
                continue
            first = f"{_rel(found, seen[0].path)}:{seen[0].where(seen[1])}"
            found.add(f"{p.doc}: the argument '{name}' is made again (“{_show(phrase)}”), first at "
                      f"{first}", p.path, p.where(phrase),
                      severity="warning", hint="make each argument once in a document; "
                      "refer back to it instead", code=CODES["argument"])


def _openings(found, paras, rules):
    run = []
    prose = [p for p in paras if p.cls in rules.prose_classes]
    for p in prose + [None]:
        opening = tuple(_tokens(p.text)[:rules.opening_words]) if p else None
        if run and opening == run[0][1]:
            run.append((p, opening))
            continue
        if len(run) >= 3:
            third = run[2][0]
            words = " ".join(run[0][0].text.split()[:rules.opening_words])
            others = ", ".join(f"{_rel(found, q.path)}:{q.where()}" for q, _ in run[:2])
            found.add(f"{third.doc}: {len(run)} paragraphs in a row open with “{words}” "
                      f"(also {others})", third.path, third.where(), severity="warning",
                      hint="vary the openings: open on the subject, or with a transition",
                      code=CODES["opening"])
        run = [(p, opening)] if p else []


def _foreign(found, p, rules):
    words = rules.words.get(p.lang)
    if not words:
        return
    text = _outside_brackets(_plain(p.text))
    hits = []
    for m in re.finditer(r"[^\W\d_]+(?:'[^\W\d_]+)?", text):
        if m.group() in words and m.group() not in hits:
            hits.append(m.group())
    if hits:
        other = "English" if p.lang == "fr" else "French"
        own = "French" if p.lang == "fr" else "English"
        first = p.text[text.find(hits[0]):][:40]
        found.add(f"{p.doc}: {other} words in a {own} text: " + ", ".join(f"“{w}”" for w in hits),
                  p.path, p.where(first), severity="warning",
                  hint=("render the name in French, with the original in brackets"
                        if p.lang == "fr" else "write it in English (a French name keeps "
                        "its original in brackets)"), code=CODES["foreign"])


def _calques(found, p, rules):
    text = _plain(p.text)
    for rx, instead in rules.calques.get(p.lang, []):
        m = rx.search(text)
        if m:
            phrase = p.text[m.start():m.end()]
            found.add(f"{p.doc}: calque “{_show(phrase)}”", p.path, p.where(phrase), severity="warning",
                      hint=f"write: {instead}" if instead else "write it as the language does",
                      code=CODES["calque"])


def _quotes(found, p):
    if p.lang != "en":
        return
    m = re.search("['\"]", p.text)
    if m:
        left = re.search(r"(?:\S+\s+){0,2}\S*$", p.text[:m.start()]).group()
        around = left + re.match(r"\S*(?:\s+\S+){0,2}", p.text[m.start():]).group()
        found.add(f"{p.doc}: straight quote or apostrophe in English (“{_show(around)}”)",
                  p.path, p.where(around), severity="warning",
                  hint="use typographic quotes and apostrophes: ’ “ ”", code=CODES["quotes"])


def _doc_date(built):
    try:
        return dt.date.fromisoformat(str(built.document.meta.get("dcterms.created") or "")[:10])
    except ValueError:
        return None


def _dates_in(text, lang, year):
    months = [name.casefold() for name in month_names(lang)]
    for m in _date_re(lang).finditer(text):
        day = 1 if m.group(1) == "1er" else int(m.group(1))
        month = months.index(m.group(2).casefold()) + 1
        try:
            yield m, dt.date(int(m.group(3) or year), month, day)
        except ValueError:
            continue


def _futures(found, p, when):
    """A future tense about a date that is not after the document's date."""
    if when is None or p.lang not in _FUTURE:
        return
    for sentence in _SENTENCE.split(p.text):
        plain = _plain(sentence)
        future = [m for m in _FUTURE[p.lang].finditer(plain) if m.group() not in _NOT_FUTURE]
        if not future:
            continue
        for m, date in _dates_in(sentence, p.lang, when.year):
            if date <= when:
                verb = sentence[future[0].start():future[0].end()]
                found.add(f"{p.doc}: the future (“{verb}”) about {_show(m.group())}, which is not "
                          f"after the document's date ({when.isoformat()})", p.path,
                          p.where(sentence[m.start():]), severity="warning",
                          hint="say what is true on the document's date (past or present), "
                          "or date the document before the event", code=CODES["date"])
                break


def _papers(found, case, built):
    """Papers dated after the meeting they prepare."""
    if built.kind not in MEETING_PAPERS or not case.meeting:
        return
    from drafting.errors import DraftError
    from drafting.inputs.sources import as_date
    meeting = case.meeting
    try:
        held = as_date(meeting["date"])
    except (DraftError, KeyError):  # the meeting's own check reports it
        return
    when = _doc_date(built)
    if when is None or when <= held:
        return
    raw = meeting.get("documents_date")
    path = getattr(meeting, "path", None) or case.folder / "meeting.yaml"
    line = getattr(raw, "line", None) or meeting.key_line("date")
    found.add(f"{built.stem}: dated {when.isoformat()}, after the meeting it prepares "
              f"({held.isoformat()})", path, line, severity="warning",
              hint="date the meeting's papers before the meeting: documents_date in "
              "meeting.yaml", code=CODES["date"])


def _show(text) -> str:
    """A piece of a document for a message: its no-break spaces as plain spaces."""
    return re.sub("[\u00a0\u202f]", " ", text)


def _rel(found, path):
    return found.rel(path) if path else "?"


def check_editorial(found, case, builts, rules=None):
    """Every editorial warning of the built documents of a case."""
    rules = rules or load_rules(case.root)
    _LINES.clear()
    seen = set()
    for built in builts:
        if built.stem in seen:  # a document built for several audiences: once
            continue
        seen.add(built.stem)
        _papers(found, case, built)
        paras = _paragraphs(case, built)
        when = _doc_date(built)
        if built.kind in rules.prose_kinds:
            _repeats(found, paras, rules)
            _arguments(found, paras, rules)
            _openings(found, paras, rules)
        for p in paras:
            _foreign(found, p, rules)
            _calques(found, p, rules)
            _quotes(found, p)
            _futures(found, p, when)
