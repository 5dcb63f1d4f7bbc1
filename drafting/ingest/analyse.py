"""Analyse an incoming letter: its structure, people, proposals and their match in the
clause library. Pure: nothing is written here (see write.py).

    analyse(text, library_dir) -> Ingested

How proposals are found (for the genre of letters between heads of government and
ministers, in English and in French, not for one letter):
  * a list under an announcing sentence ("I would like us to consider:", "nous
    pourrions :", "I propose the following:") gives one proposal per item; a list run
    into one paragraph ("... : - item ; - item ; et - item") is split into its items;
  * a sentence that proposes, requests, offers or invites ("I propose", "I am formally
    requesting", "we could also", "je propose", "nous pourrions", "il serait utile
    que", "Belgium is prepared to", "le Luxembourg est prêt à" ...) opens a proposal.
    Explicit proposal language is kept whatever courtesy words the sentence also holds
    ("By way of solidarity, I propose ..."); a softer trigger ("I would be grateful if")
    in a courtesy sentence ("... to pass on my condolences") is not a proposal;
  * weaker undertakings ("I will make sure ...", "my officials are ready to ...") open
    one only where the paragraph has no stronger trigger, and not when they only offer
    to follow up the proposals above ("mes services se tiennent à la disposition des
    vôtres pour préparer ces propositions");
  * a sentence that refers back ("this meeting", "such an agreement") brings in the
    sentence before it; the sentences that continue it are added to its quote.
Every sentence that looked like a proposal and was not kept is in `dropped`, with the
reason, so a drafter can restore it (`draft proposal add --from-line N`).

How a proposal is matched: BM25-like lexical scoring over each clause's title, key,
`keywords`, background and other English and French texts, on stems without accents,
French words mapped to English ones (lexicon.py), plus a bonus for title words. A
match is confident only with enough score, two or more distinctive (not generic
diplomatic) words in common, one of them in the clause's title, key or keywords, and
no clash of subject (a fisheries or drugs proposal never goes to a migration clause).
Everything is reported: score and matched words.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from drafting.errors import InputError
from drafting.ingest.lexicon import (
    CROSS,
    DOMAIN_STEMS,
    GENERIC,
    STOP,
    VAGUE,
    deaccent,
    domains_in,
    domains_of,
    stem,
    terms,
    words,
)
from drafting.ingest.metadata import Metadata, read_metadata
from drafting.ingest.readers import read_letter_text
from drafting.inputs.library import TO_BE_CHOSEN, TO_BE_DRAFTED
from drafting.inputs.sources import load_yaml
from drafting.store.read import read_utf8

__all__ = ["read_letter_text", "analyse", "Ingested", "IngestedProposal", "Dropped",
           "Paragraph", "Match", "ClauseIndex", "MATCH_THRESHOLD", "TO_BE_DRAFTED",
           "TO_BE_CHOSEN", "sentences", "trigger_strength", "classify", "short_title", "slug", "settle",
           "domains_of", "stem", "words", "terms", "CROSS", "DOMAIN_STEMS"]

MATCH_THRESHOLD = 12.0         # calibrated on the 25 November letter and tests/letters
SHARED_ONLY_POSITIONS = {"standard", "familiar", "direct"}


# ---------------------------------------------------------------------------------
# data

@dataclass
class Paragraph:
    number: int
    text: str                      # the prose of the paragraph (lines joined)
    bullets: list = field(default_factory=list)   # item texts, markers removed
    line: int = 0                  # line of the prose in the text (1-based)
    bullet_lines: list = field(default_factory=list)


@dataclass
class Match:
    key: str | None                # library key when confident, else None
    score: float
    words: list                    # words of the proposal that matched
    best: str | None = None        # best candidate even when not confident
    reason: str = ""


@dataclass
class IngestedProposal:
    key: str
    title: dict
    quote: str
    paragraph: int
    bullet: int | None
    sentence: str                  # the sentence (or item) that makes it a proposal
    match: Match
    line: int = 0                  # line of the text it starts on
    why: str = ""                  # what made it a proposal


@dataclass
class Dropped:
    """A sentence or item that looked like a proposal and was not kept."""
    paragraph: int
    bullet: int | None
    line: int
    text: str
    reason: str


@dataclass
class Ingested:
    text: str
    language: str
    salutation: str | None = None
    close: str | None = None
    meta: Metadata = field(default_factory=Metadata)
    paragraphs: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    dropped: list = field(default_factory=list)

    # short names for what the command line and the tests read most (the rest: meta)
    @property
    def sender(self):
        return self.meta.sender.key

    @property
    def addressee(self):
        return self.meta.addressee.key

    @property
    def date(self):
        return self.meta.date

    @property
    def place(self):
        return self.meta.place

    @property
    def copies(self):
        return [c.key for c in self.meta.copies if c.key]


# ---------------------------------------------------------------------------------
# the clause library

@dataclass
class _Clause:
    key: str
    title: dict
    path: Path
    positions: list
    tf: dict               # stem -> weighted frequency
    length: float
    title_terms: set
    domains: set
    matchable: bool
    title_pairs: set = field(default_factory=set)   # neighbouring title words, unordered


def _pairs(found) -> set:
    """Unordered pairs of neighbouring content words (stems)."""
    stems = [s for s, _ in found]
    return {frozenset((a, b)) for a, b in zip(stems, stems[1:]) if a != b}


class ClauseIndex:
    """The clause library as a small search index (built once per analyse)."""

    FIELD_WEIGHTS = {"title": 3.0, "key": 3.0, "keywords": 3.0, "background": 2.0, "other": 1.0}
    K1, B, TITLE_BONUS, PAIR_BONUS = 1.2, 0.5, 1.5, 2.5

    def __init__(self, library_dir):
        self.dir = Path(library_dir)
        self.clauses: list[_Clause] = []
        self.all_keys: set[str] = set()
        if self.dir.is_dir():
            for path in sorted(self.dir.glob("*.yaml")):
                self.all_keys.add(path.stem)
                clause = self._load(path)
                if clause:
                    self.clauses.append(clause)
        self.by_key = {c.key: c for c in self.clauses}
        self.df: dict[str, int] = {}
        for c in self.clauses:
            for t in c.tf:
                self.df[t] = self.df.get(t, 0) + 1
        self._inherit_domains()
        self.n = len(self.clauses)
        self.avg = sum(c.length for c in self.clauses) / self.n if self.n else 1.0

    def _inherit_domains(self) -> None:
        """A clause that names no subject itself takes the subject of the letters whose
        proposals it answers (letters/*/letter.yaml beside the library)."""
        letters = self.dir.parent / "letters"
        if not letters.is_dir():
            return
        for case in sorted(letters.glob("*/letter.yaml")):
            data = read_mapping(case)
            if data is None:
                continue
            try:
                text = read_utf8(case.parent / str(data.get("text") or "letter.txt"))
            except InputError:
                continue
            if data.get("ingested"):   # a case ingest wrote: its matches are guesses
                continue
            subject = domains_of(text, minimum=3)
            for item in data.get("proposals") or []:
                clause = self.by_key.get(str(item.get("key"))) if isinstance(item, dict) else None
                if clause is not None:
                    clause.domains |= set(subject)

    @staticmethod
    def _load(path: Path) -> _Clause | None:
        data = read_mapping(path)   # None: the library's own validation reports it
        if data is None or not data.get("key") or not isinstance(data.get("title"), dict):
            return None
        key = str(data["key"])
        tf: dict[str, float] = {}
        title_terms: set[str] = set()

        title_pairs: set = set()
        subject: list = []     # the terms of the texts that say what the clause is about

        def add(text, weight, into_title=False, about=True):
            if not isinstance(text, str):
                return
            text = re.sub(r"\{[^{}]*\}", " ", text)
            found = terms(text)
            if about:
                subject.extend(found)
            for s, _ in found:
                tf[s] = tf.get(s, 0.0) + weight
                if into_title:
                    title_terms.add(s)
            if into_title:
                title_pairs.update(_pairs(found))

        w = ClauseIndex.FIELD_WEIGHTS
        for lang in ("en", "fr"):
            add(data["title"].get(lang), w["title"], True)
        add(key.replace("-", " "), w["key"], True, about=False)
        for kw in data.get("keywords") or []:
            add(str(kw), w["keywords"], True, about=False)
        agenda = data.get("agenda") or {}
        background = agenda.get("background") if isinstance(agenda, dict) else None
        if isinstance(background, dict):
            for lang in ("en", "fr"):
                add(background.get(lang), w["background"], about=lang == "en")
        skip = {id(data["title"]), id(background)}
        texts: list[str] = []

        def walk(node):
            if id(node) in skip:
                return
            if isinstance(node, dict):
                for k, v in node.items():
                    if k in ("en", "fr") and isinstance(v, str):
                        texts.append(v)
                    else:
                        walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)

        walk({k: v for k, v in data.items() if k not in ("title", "key", "keywords")})
        for t in texts:
            add(t, w["other"])
        positions = list((data.get("positions") or {}).keys()) if isinstance(data.get("positions"), dict) else []
        matchable = bool(positions) and not set(positions) <= SHARED_ONLY_POSITIONS
        return _Clause(key=key, title=dict(data["title"]), path=path, positions=positions, tf=tf,
                       title_pairs=title_pairs,
                       length=sum(tf.values()), title_terms=title_terms,
                       domains=domains_in(subject, minimum=2), matchable=matchable)

    def idf(self, t: str) -> float:
        n = max(self.n, 20)   # a small library must not make every word look common
        df = self.df.get(t, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def distinctive(self, t: str) -> bool:
        return t not in GENERIC and self.df.get(t, 0) <= max(2, self.n // 3)

    def match(self, text: str, context_domains: set | None = None) -> Match:
        found = terms(text)
        query_pairs = _pairs(found)
        q = {}
        for s, w in found:
            q.setdefault(s, w)
        ranked = []
        for c in self.clauses:
            if not c.matchable:
                continue
            score, contrib = 0.0, []
            for t, surface in q.items():
                tf = c.tf.get(t)
                if not tf:
                    continue
                idf = self.idf(t)
                s = idf * tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * c.length / self.avg))
                if t in GENERIC:
                    s *= 0.25
                    if t in c.title_terms:   # "the UK-EU returns agreement": a little more
                        s += idf * self.TITLE_BONUS * 0.25
                elif t in c.title_terms:
                    s += idf * self.TITLE_BONUS
                score += s
                contrib.append((s, t, surface))
            # words side by side in the title and in the proposal, in either language
            # ("Union européenne", "European Union"): a phrase weighs more than its words
            score += self.PAIR_BONUS * len(c.title_pairs & query_pairs)
            contrib.sort(key=lambda x: -x[0])
            ranked.append((score, c, contrib))
        if not ranked:
            return Match(None, 0.0, [], None, "the library has no proposal clauses")
        ranked.sort(key=lambda r: -r[0])
        score, c, contrib = ranked[0]
        matched = [surface for _, _, surface in contrib]
        distinct = [t for _, t, _ in contrib if self.distinctive(t)]
        in_title = [t for t in distinct if t in c.title_terms]
        best = c.key if score > 0 else None
        reason = ""
        if score < MATCH_THRESHOLD:
            reason = f"score below {MATCH_THRESHOLD:g}"
        elif len(distinct) < 2:
            reason = "fewer than two distinctive words in common"
        elif not in_title and not any(pair - GENERIC for pair in c.title_pairs & query_pairs):
            # a phrase of the title ("Royaume-Uni", "Union européenne") counts as a title
            # word: "accord de réadmission entre l'UE et le RU" is the UK-EU returns agreement
            reason = "no distinctive word in common with the clause's title or keywords"
        elif context_domains and c.domains and not (context_domains & c.domains):
            reason = (f"other subject: the proposal is about {', '.join(sorted(context_domains))}, "
                      f"the clause about {', '.join(sorted(c.domains))}")
        key = None if reason else c.key
        return Match(key, round(score, 2), matched, best, reason)




# ---------------------------------------------------------------------------------
# the letter's structure

_SALUTATION_RE = re.compile(
    r"^(dear|my dear|dearest|cher|chère|chers|chères|mon cher|ma chère|monsieur|madame|"
    r"mesdames|messieurs|excellency|your excellency|excellence|sir|madam|mr\.? president|"
    r"madam president|prime minister|minister|hello|bonjour)\b", re.IGNORECASE)
_CLOSE_RE = re.compile(
    r"^(yours\b.*|with (my |our )?(very )?(best|kind|kindest|warm|warmest|warmest personal|"
    r"every good|all good)\b.*|(best|kind|warm|warmest) (regards|wishes)\b.*|sincerely\b.*|"
    r"respectfully\b.*|regards\b.*|bien (à vous|amicalement|cordialement)\b.*|amitiés\b.*|"
    r"(très )?(cordialement|amicalement)\b.*|avec (mes|toute mon|ma|l'expression)\b.*|"
    r"(je vous prie|veuillez|recevez|croyez)\b.*(agréer|assurance|expression|considération|"
    r"sentiments|salutations|amitié)\b.*)$", re.IGNORECASE)
_SIGNATURE_RE = re.compile(
    r"^(\[?\(?(a |an )?(hand-?written|manuscript|handwritten|illegible)?\s*signature\b.*|"
    r"\(?signed\)?\b.*|\[signature\]|signé\b.*)$", re.IGNORECASE)
_MARKING_RE = re.compile(
    r"^(official(-sensitive)?|official sensitive|personal|personal and confidential|"
    r"restricted|confidential|secret|unclassified|diffusion restreinte|confidentiel|"
    r"non protégé|draft|projet)$", re.IGNORECASE)
_ITEM_RE = re.compile(r"^\s*(?:[-–—•◦▪●*·]\s+|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)")


def _is_item(line: str) -> bool:
    return bool(_ITEM_RE.match(line))


def _strip_item(line: str) -> str:
    return _ITEM_RE.sub("", line, count=1).strip()


def _is_noise(block) -> bool:
    text = " ".join(t for _, t in block).strip()
    return bool(_SIGNATURE_RE.match(text) or _MARKING_RE.match(text) or
                re.match(r"^(-\s*\d+\s*-|page \d+( of \d+)?)$", text, re.I))


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Blocks separated by blank lines: [(line number, line)], numbers 1-based."""
    blocks, current = [], []
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            current.append((number, line.strip()))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


_ABBREV = (r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)"
           r"(?<!\bM)(?<!\bMM)(?<!\bMme)(?<!\bvs)(?<!\bcf)")
_SENT_RE = re.compile(_ABBREV + r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-Ý0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(text) if s.strip()]


def read_mapping(path):
    """A YAML mapping read by the project's reader (inputs/sources.load_yaml: bounded,
    every scalar a string, parsed once per content), or None when it cannot be read:
    ingest only looks things up, and `draft check` reports a broken file."""
    try:
        return load_yaml(path)
    except InputError:
        return None


def _people(library_dir: Path) -> dict:
    return read_mapping(Path(library_dir) / "people.yaml") or {}


def _language(text: str) -> str:
    ws = words(text)
    fr = sum(w in ("le", "la", "les", "des", "du", "et", "nous", "vous", "je", "est", "une", "pour")
             for w in ws)
    en = sum(w in ("the", "and", "of", "to", "we", "you", "is", "our", "for", "that", "with") for w in ws)
    return "fr" if fr > en else "en"


def _structure(blocks):
    """Split the letter's blocks into head, body and tail; the salutation and close."""
    first = lambda b: b[0][1]  # noqa: E731
    sal = next((i for i, b in enumerate(blocks)
                if len(b) == 1 and len(first(b)) <= 80 and _SALUTATION_RE.match(first(b))
                and (first(b).rstrip().endswith((",", ":", "!"))
                     or re.match(r"^(dear|cher|chère)\b", first(b), re.I))),
               None)
    start = sal + 1 if sal is not None else None
    if start is None:   # no salutation: the body starts at the first real sentence
        start = next((i for i, b in enumerate(blocks)
                      if len(" ".join(t for _, t in b)) > 100
                      and re.search(r"[.!?]", " ".join(t for _, t in b))), 0)
    close, tail_from = None, len(blocks)
    for i in range(start, len(blocks)):
        line = first(blocks[i])
        limit = 300 if re.match(r"^(je vous prie|veuillez|recevez|croyez)", line, re.I) else 80
        if len(line) <= limit and _CLOSE_RE.match(line.rstrip(",. ")) and not _is_item(line):
            close, tail_from = i, i
            break
    if close is None:   # the body ends before the signature or the suscription
        for i in range(start, len(blocks)):
            if _SIGNATURE_RE.match(" ".join(t for _, t in blocks[i])):
                tail_from = i
                break
    header = blocks[:sal if sal is not None else start]
    body = [b for b in blocks[start:tail_from] if not _is_noise(b)]
    tail = blocks[tail_from:]
    salutation = first(blocks[sal]) if sal is not None else None
    close_line = first(blocks[close]) if close is not None else None
    if close is not None and len(blocks[close]) > 1:
        tail = [blocks[close][1:]] + tail[1:]
    elif close is not None:
        tail = tail[1:]
    return header, body, tail, salutation, close_line


# A list run into one paragraph: "we could: - a ...; - b ...; and - c ..."
_INLINE_FIRST = re.compile(r"[:：]\s*(?:[-–•]|\(?\d{1,2}\)|\(?[a-h]\))\s+")
_INLINE_NEXT = re.compile(r"[;,]\s*(?:(?:and|or|et|ou)\s+)?(?:[-–•]|\(?\d{1,2}\)|\(?[a-h]\))\s+")


def _inline_list(text: str):
    """(prose, items) of a paragraph that runs a list into itself, else None."""
    first = _INLINE_FIRST.search(text)
    if not first:
        return None
    rest = text[first.end():]
    items = _INLINE_NEXT.split(rest)
    if len(items) < 2:
        return None
    return text[:first.start() + 1].rstrip(), [i.strip() for i in items if i.strip()]


def _paragraphs(body) -> list[Paragraph]:
    paras: list[Paragraph] = []
    for block in body:
        prose, items, after = [], [], []
        for number, line in block:
            if _is_item(line) and not after:
                items.append((number, _strip_item(line)))
            elif items and not after and not re.search(r"[.;:!?]$", items[-1][1]):
                items[-1] = (items[-1][0], items[-1][1] + " " + line)   # a hard-wrapped item
            elif items:
                after.append((number, line))
            else:
                prose.append((number, line))
        if prose:
            text = " ".join(t for _, t in prose)
            inline = _inline_list(text) if not items else None
            if inline:
                paras.append(Paragraph(len(paras) + 1, inline[0], list(inline[1]), prose[0][0],
                                       [prose[0][0]] * len(inline[1])))
            else:
                paras.append(Paragraph(len(paras) + 1, text, line=prose[0][0]))
        if items:
            texts, lines = [t for _, t in items], [n for n, _ in items]
            if paras:       # a list belongs to the paragraph before it (or its own prose)
                paras[-1].bullets.extend(texts)
                paras[-1].bullet_lines.extend(lines)
            else:
                paras.append(Paragraph(len(paras) + 1, "", texts, lines[0], lines))
        if after:
            paras.append(Paragraph(len(paras) + 1, " ".join(t for _, t in after), line=after[0][0]))
    return paras


# ---------------------------------------------------------------------------------
# proposals: triggers

_I = r"\b(?:i|we)\s+"
_ADV = (r"(?:(?:would|should|do|therefore|also|now|further|again|respectfully|strongly|warmly|"
        r"hereby|formally|very\s+much|really|sincerely|equally|finally|first|secondly|thirdly|"
        r"in\s+addition|urgently)\s+)*")
_WE_VERBS = (r"(?:consider|explore|look\s+at|examine|study|establish|set\s+up|create|launch|agree|hold|"
             r"convene|organise|organize|develop|expand|extend|deepen|strengthen|pool|coordinate|"
             r"co-ordinate|begin|start|meet|task|ask|commission|sign|conclude|negotiate|introduce|"
             r"deploy|fund|invest|draw\s+up|prepare|build|work\s+(?:on|towards|toward)|aim|"
             r"put\s+in\s+place|join|share|exchange|map|review|identify|open|increase|reduce|double|"
             r"set|designate|appoint|mandate|instruct|co-operate|cooperate|host|align|agree)")
# Explicit proposal language: never dropped for a courtesy word beside it.
_EXPLICIT_EN = [
    _I + _ADV + r"(?:like\s+to\s+|wish\s+to\s+|want\s+to\s+|wish\s+us\s+to\s+)?(?:propose|suggest|"
    r"recommend|request|invite|urge|encourage|call\s+(?:on|upon)|put\s+forward|ask\s+(?:that|you|your|"
    r"for|our|the))\b",
    r"\bi\s+(?:am|'m)\s+" + _ADV + r"(?:formally\s+)?(?:requesting|proposing|suggesting|asking|inviting|"
    r"urging|calling\s+(?:on|for))\b",
    r"\b(?:i|we)\s+(?:am|are)\s+writing\s+to\s+(?:propose|suggest|request|ask|invite)\b",
    r"\bi\s+write\s+to\s+(?:propose|suggest|request|ask|invite)\b",
    r"\bmy\s+(?:proposal|suggestion|request)\s+(?:is|would\s+be)\b",
    r"\b(?:we|our\s+(?:two\s+)?(?:governments|countries|officials|ministers|ministries|teams|services|"
    r"agencies|departments|experts|regulators|operators))\s+(?:should|could|might|must|ought\s+to|can)\s+"
    r"(?:also\s+|now\s+|together\s+|jointly\s+|therefore\s+|urgently\s+|then\s+|perhaps\s+|usefully\s+|"
    r"quickly\s+|further\s+)*" + _WE_VERBS + r"\b",
    r"\blet\s+us\b|\blet's\b",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+)?(?:like|love|want)\s+(?:us|you|our|your|the|both|"
    r"officials|ministers|them)\b",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+)?like\s+to\s+see\b",
    r"^(?:could|would|might)\s+(?:you|your)\b",
    r"^please\s+(?:consider|confirm|let|ensure|ask|share|instruct|send|agree|support|join|accept)\b",
    r"\bit\s+would\s+be\s+(?:very\s+|most\s+|particularly\s+)?(?:helpful|useful|valuable|good|important|"
    r"sensible|worthwhile|timely|right|wise|welcome)\s+(?:if|to|for)\b",
    r"\b(?:i|we)\s+(?:would\s+)?seek\s+your\s+(?:support|agreement|approval|backing)\b",
    # offers
    _I + r"(?:also\s+)?(?:stand|remain|am|are)\s+(?:also\s+|now\s+|fully\s+)?(?:ready|willing|prepared|"
    r"available)\s+to\b",
    _I + r"(?:would|should|'d)\s+(?:also\s+)?(?:be\s+)?(?:very\s+)?(?:glad|happy|delighted|pleased|honoured|"
    r"honored|willing|keen|ready|prepared)\s+to\s+(?:host|offer|organise|organize|convene|receive|"
    r"welcome|invite|send|provide|fund|contribute|second|make\s+available|extend|share)\b",
    _I + r"(?:am|are)\s+(?:also\s+)?(?:glad|happy|delighted|pleased|keen)\s+to\s+(?:offer|host|invite|"
    r"propose|provide|extend|fund|contribute|organise|organize|convene|make\s+available|second|send)\b",
    _I + r"(?:would|can|could)\s+(?:also\s+)?(?:offer|host|provide|make\s+available|fund|contribute|second)\b",
    _I + r"(?:also\s+)?offer\s+to\b",
]
_EXPLICIT_FR = [
    r"\bje\s+(?:vous\s+)?(?:propose|suggère|suggere|demande|sollicite|recommande|invite)\b",
    r"\bnous\s+(?:vous\s+)?(?:proposons|suggérons|demandons|recommandons)\b",
    r"\bje\s+(?:souhaiterais|souhaite|voudrais|désire|forme\s+le\s+vœu)\s+(?:(?:enfin|également|aussi|"
    r"donc|vivement|ardemment|en\s+outre|par\s+ailleurs)\s+)?(?:que|qu'|vous|proposer|suggérer|inviter|"
    r"que\s+nous)",
    r"\bnous\s+(?:pourrions|devrions|pourrons|devons|pouvons)\s+(?:(?:également|aussi|ensemble|enfin|"
    r"donc|en\s+outre|par\s+ailleurs|dès\s+à\s+présent)\s+)*(?::|envisager|examiner|étudier|créer|mettre|"
    r"lancer|renforcer|organiser|établir|convenir|développer|travailler|engager|ouvrir|réunir|tenir|"
    r"étendre|signer|conclure|financer|cofinancer|confier|demander|charger|désigner|instituer|installer|"
    r"partager|échanger|coordonner|harmoniser|prévoir|accueillir|associer|définir|élaborer|arrêter)",
    r"\bil\s+(?:serait|me\s+semblerait|me\s+paraîtrait|me\s+semble|paraît)\s+(?:\w+\s+)?(?:utile|"
    r"souhaitable|opportun|judicieux|important|nécessaire)",
    r"\bpourriez-vous\b|\bje\s+vous\s+saurais\s+gré\b",
    r"\bje\s+(?:me\s+tiens|suis|reste)\s+(?:\w+\s+)?(?:prêt|prête|disposé|disposée)\s+(?:à|d')",
    r"\bje\s+serais\s+(?:très\s+|particulièrement\s+)?(?:heureux|heureuse|ravi|ravie|prêt|prête|disposé|"
    r"disposée)\s+(?:de|d'|à)\s+(?:vous\s+)?(?:accueillir|recevoir|organiser|réunir|inviter|proposer|"
    r"financer|mettre|envoyer|fournir)",
]
# "Belgium is prepared to ...", "le Luxembourg est prêt à ...": a country or a government
# offering (case-sensitive: a proper noun).
_EXPLICIT_CASED = [
    r"(?:\b(?:[Mm]y|[Oo]ur)\s+(?:[Gg]overnment|country|administration)|\b(?!(?:It|This|That|There|He|She|"
    r"Which)\b)(?:[Tt]he\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+[Gg]overnment)?)\s+(?:is|stands|remains)\s+"
    r"(?:also\s+|now\s+|fully\s+)?(?:ready|willing|prepared)\s+to\b",
    r"(?:\b(?:[Mm]on|[Nn]otre)\s+(?:[Gg]ouvernement|pays)|\b(?:[Ll]e|[Ll]a|[Ll]')\s*[A-ZÀ-Ý][\w-]+(?:\s+[A-ZÀ-Ý]"
    r"[\w-]+)?)\s+(?:est|se\s+tient|reste)\s+(?:également\s+|aussi\s+|tout\s+)?(?:prêt|prête|disposé|"
    r"disposée)\s+(?:à|d')",
]
# Softer triggers: a courtesy word beside one means a courtesy sentence.
_SOFT = [
    _I + r"(?:would|should|'d)\s+(?:also\s+)?(?:be\s+)?(?:very\s+)?(?:glad|happy|delighted|pleased|honoured|"
    r"honored|willing|keen|ready|prepared)\s+(?:to|if)\b",
    r"\bi\s+(?:very\s+much\s+|sincerely\s+|also\s+|therefore\s+|would\s+)?(?:hope|trust)\s+(?:that\s+)?"
    r"(?!you\b[^.]*\bwell\b).{0,200}?\b(?:can|could|will|would|might|may)\s+(?:\w+\s+)?(?:be\s+)?\w+",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+|very\s+much\s+|warmly\s+)?welcome\b",
    r"\bi\s+(?:would|should|'d)\s+(?:be\s+)?(?:grateful|obliged)\s+(?:if|for)\b",
    r"\bi\s+(?:would|should|'d)\s+appreciate\b",
    r"\bi\s+(?:count|rely)\s+on\s+you\b|\bi\s+look\s+to\s+you\s+to\b",
    r"\bje\s+serais\s+(?:très\s+)?(?:heureux|heureuse|ravi|ravie|reconnaissant|reconnaissante)\s+(?:de|d'|à|si)",
    r"\bj'espère\s+que\b.{0,200}\b(?:pourra|pourront|puisse|puissent|sera|seront)\b",
]
_WEAK = [
    r"\b(?:i|we)\s+will\s+(?:also\s+)?(?:make\s+sure|ensure|keep\s+you|send|share|host|provide|instruct|"
    r"ask\s+my|write\s+to|arrange|propose)\b",
    r"\bmy\s+(?:officials|ministers|government|team|teams|department|services|ambassador|experts|staff)\b.*"
    r"\b(?:will|are\s+ready\s+to|stand\s+ready\s+to|would\s+be\s+(?:ready|glad|happy)|are\s+willing\s+to|"
    r"are\s+prepared\s+to|are\s+available\s+to)\b",
    r"\b(?:mes|nos)\s+(?:services|équipes|ministres|collaborateurs|administrations)\b.*\b(?:se\s+tiennent|"
    r"sont\s+prêts|sont\s+prêtes|transmettront|prendront|se\s+rapprocheront)\b",
    r"\bje\s+(?:veillerai|m'assurerai|vous\s+tiendrai)\b",
]
# Courtesy words: a sentence holding one proposes nothing unless it says so explicitly.
_COURTESY = re.compile(
    r"condolence|sympath|thoughts are with|our thoughts|my thoughts|prayers|tribute|\bthank|"
    r"grateful for (your|the) (letter|message|call|kind)|gratitude|congratulat|best wishes|warm wishes|"
    r"greetings|keeping well|finds you well|you are well|your family are|solidarity|"
    r"condoléances|sympathie|pensées|hommage|remercie|remerciements|félicit|solidarité|"
    r"reconnaissance|amitiés", re.IGNORECASE)
# Formulas that are never proposals, whatever they say.
_FORMULA = re.compile(
    r"welcome your (views|thoughts|comments|reply|response|reaction|feedback|ideas)|"
    r"look forward to (hearing|your reply|your response|seeing you|meeting you|our next|continuing)|"
    r"agréer|l'expression de ma|l'assurance de ma|mes amitiés|reste à votre disposition|"
    r"remercie de l'attention|do not hesitate|n'hésitez pas", re.IGNORECASE)
_EXPLICIT_RES = [re.compile(p, re.IGNORECASE) for p in _EXPLICIT_EN + _EXPLICIT_FR] + \
    [re.compile(p) for p in _EXPLICIT_CASED]
_SOFT_RES = [re.compile(p, re.IGNORECASE) for p in _SOFT]
_WEAK_RES = [re.compile(p, re.IGNORECASE) for p in _WEAK]
_STRONG_RES = _EXPLICIT_RES + _SOFT_RES
_ANNOUNCE_RE = re.compile(
    r"\b(consider|propose|proposing|suggest|suggesting|ideas|proposals|steps|measures|actions|"
    r"priorities|following|areas|options|would|could|should|invite|request|ask|urge|recommend|welcome|"
    r"envisager|propose|proposer|suggère|pistes|mesures|propositions|suivantes|suivants|"
    r"pourrions|souhaiterais|souhaite|demande|devrions)\b", re.IGNORECASE)
_NARRATIVE_LIST_RE = re.compile(
    r"\b(have|has)\s+(already\s+)?(achieved|agreed|delivered|done|made|taken|introduced|"
    r"included|covered|been)\b|\balready\b|\bso far\b|\bincluded\b|\bwere\b|\bwas\b|"
    r"\bavons\s+(déjà\s+)?(obtenu|conclu|adopté|pris)\b|\bdéjà\b", re.IGNORECASE)
_BACKREF_RE = re.compile(
    r"\b(?:such|this|these|those|the\s+latter)\b(?!\s+(?:letter|morning|evening|week|weekend|"
    r"month|year|summer|winter|spring|autumn|time|day|afternoon|moment|regard|respect|"
    r"challenge|context|spirit|way)\b)|\b(?:on|of|to|for|with|about)\s+(?:these|them|it)\s*[.;,]",
    re.IGNORECASE)
_REQUEST_RE = re.compile(r"\b(?:propos|suggest|request|ask|invite|urge|recommend|demand|sugg|sollicit)",
                         re.IGNORECASE)
_CONTINUE_RE = re.compile(
    r"^(?:this|these|that|it|they|such|in particular|for example|for instance|to that end|"
    r"to this end|as part of this|specifically|ceci|cela|cette|ces|il|elle|à cette fin)\b",
    re.IGNORECASE)


def _fold_sentence(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")


@dataclass
class Trigger:
    strength: int        # 2: proposes, requests, offers or invites; 1: weaker undertaking; 0: none
    kind: str            # explicit, soft, weak; '' when none
    words: str           # the words that made it one (or that unmade it)
    reason: str = ""     # why a sentence with a trigger is not a proposal


def classify(sentence: str) -> Trigger:
    """What a sentence is: a proposal (2), a weaker undertaking (1) or neither (0),
    with the words that decided and, for a trigger that does not count, the reason."""
    s = _fold_sentence(sentence)
    explicit = next((m for rx in _EXPLICIT_RES for m in [rx.search(s)] if m), None)
    soft = None if explicit else next((m for rx in _SOFT_RES for m in [rx.search(s)] if m), None)
    weak = None if explicit or soft else next((m for rx in _WEAK_RES for m in [rx.search(s)] if m), None)
    hit = explicit or soft or weak
    if hit is None:
        return Trigger(0, "", "")
    kind = "explicit" if explicit else "soft" if soft else "weak"
    said = hit.group(0).strip()
    formula = _FORMULA.search(s)
    if formula:
        return Trigger(0, kind, said, f"a courtesy formula (\u201c{formula.group(0)}\u201d)")
    courtesy = _COURTESY.search(s)
    if courtesy and kind != "explicit":
        return Trigger(0, kind, said, f"courtesy (\u201c{courtesy.group(0)}\u201d) with no explicit "
                       "proposal")
    substance = [t for t, _ in terms(s) if t not in VAGUE]
    if len(substance) < 2:
        return Trigger(0, kind, said, "too vague: it names nothing to do (it offers to follow up, "
                       "or to keep working together)")
    return Trigger(2 if kind != "weak" else 1, kind, said)


def trigger_strength(sentence: str) -> int:
    """2: a sentence that proposes, requests, offers or invites; 1: a weaker
    undertaking; 0: anything else (courtesy, narrative, thanks)."""
    return classify(sentence).strength


def _is_announcing(sentence: str) -> bool:
    s = _fold_sentence(sentence).rstrip()
    if not s.endswith(":"):
        return False
    if _COURTESY.search(s) and not any(rx.search(s) for rx in _EXPLICIT_RES):
        return False
    if _NARRATIVE_LIST_RE.search(s) and not any(rx.search(s) for rx in _STRONG_RES):
        return False
    return bool(_ANNOUNCE_RE.search(s) or any(rx.search(s) for rx in _STRONG_RES))


def _clean_item(text: str) -> str:
    text = text.strip()
    text = re.sub(r"(?:[;,]\s*(?:and|or|et|ou)|[;,.]|\s(?:and|or|et|ou))\s*$", "", text).strip()
    return text


# ---------------------------------------------------------------------------------
# short titles and keys

_TITLE_VERBS = set("""agree establish set create launch convene hold share clarify ask report
host consider explore develop build put make withdraw review meet begin start open deploy
deploying fund sign conclude negotiate introduce organise organize appoint designate upgrade
arrange study examine expand extend deepen deepening strengthen pool coordinate join support
provide offer send invite request propose suggest restrict allow verify resolve identify
remove reduce increase map prepare draw exchange maintain lift suspend reopen give grant
accept establishing creating setting launching developing building making holding bringing
be been being is are was were have has had do does will would could should can may might
must let lead run help keep ensure work take bring begin align commission confirm
créer mettre organiser étendre ouvrir signer signent réunir réunissions portions cofinancer
cofinancent financer examiner examinent participe participer demander demandent accélérer
établir lancer renforcer développer tenir arrêter prévoir confier engager instituer installer
partager échanger coordonner harmoniser accueillir associer définir élaborer retenir
permettre envisager étudier convenir travailler faire est sont soit serait être""".split())
_TITLE_BREAK = set("""to which that who whom so in at by with from including such where
wherever when whenever if as because while between within across through during before
after until unless into onto over under twice once held made given taken used based
related concerned linked linking including que qu qui dont afin avant après dès lors
lorsque comme si car où""".split())
_DETERMINERS = {"a", "an", "the", "our", "your", "their", "its", "this", "these", "each", "both",
                "le", "la", "les", "l", "un", "une", "des", "du", "ce", "cet", "cette", "ces",
                "nos", "notre", "vos", "votre", "leur", "leurs", "son", "sa", "ses", "d"}
_INNER = {"of", "and", "or", "on", "for", "de", "du", "des", "d", "et", "ou", "la", "le", "les", "l",
          "à", "au", "aux", "en", "pour", "sur", "entre"}
# What a title never ends on: those, and the prepositions that open a complement
# ("Second a Garda liaison officer to" [the port of Cherbourg]).
_DANGLING = _INNER | _DETERMINERS | {"to", "in", "at", "by", "with", "from", "into", "onto",
                                     "dans", "par", "avec", "vers", "chez"}


def short_title(text: str, bullet: bool = False) -> str:
    """A short title for a new proposal, in the letter's language: the noun phrase that
    carries most distinctive words, preferring the one right after a verb ("agree a
    joint emergency protocol" -> "Joint emergency protocol"; "créer un fonds commun
    pour financer des parkings relais" -> "Fonds commun pour financer des parkings
    relais")."""
    s = _fold_sentence(text).strip()
    stripped = False
    if not bullet:
        hits = [m for rx in _STRONG_RES + _WEAK_RES for m in [rx.search(s)] if m]
        if hits:
            m = min(hits, key=lambda m: m.start())
            if m.end() < len(s) - 3:
                s, stripped = s[m.end():], True
    tokens = re.findall(r"[^\W_][\w-]*|[,;:.()]", s.replace("'", "' "))
    tokens = [t for t in tokens if t]
    chunks = []     # (score, content, order, words, start)
    current, after_verb, prev_verb, start_at = [], False, bullet or stripped, 0

    def close():
        nonlocal current
        while current and current[-1].lower() in _DANGLING:
            current.pop()
        if current:
            content = [w for w in current if deaccent(w.lower()) not in STOP and w.lower() not in _INNER]
            score = sum(1 for w in content if stem(w.lower()) not in GENERIC and stem(w.lower()) not in VAGUE)
            chunks.append((score + (3 if after_verb else 0) - 0.5 * len(chunks), len(content), -len(chunks),
                           list(current), start_at))
        current = []

    for position, tok in enumerate(tokens):
        low = tok.lower().rstrip("'")
        if tok in ",;:.()" or low in _TITLE_BREAK or low in _TITLE_VERBS or tok[0].isdigit() and not current:
            close()
            prev_verb = low in _TITLE_VERBS
            continue
        if low in _INNER:
            if current:
                current.append(low + "'" if low in ("l", "d") else tok.rstrip("'"))
            continue
        if low in _DETERMINERS:
            if current and current[-1].lower() in _INNER:
                current.append(tok.rstrip("'") if low not in ("l", "d") else low + "'")
            else:
                close()
            continue
        if deaccent(low) in STOP and not tok[0].isupper():
            close()
            prev_verb = prev_verb and low in ("more", "further", "new", "up", "in", "place", "en")
            continue
        if not current:
            after_verb, start_at = prev_verb, position
        current.append(tok)
        prev_verb = False
    close()
    if not chunks:
        return "New proposal"
    chunks.sort(key=lambda c: (-c[0], -c[1], -c[2]))
    best = chunks[0][3][:9]
    # a long phrase cut inside a complement ("aux points | de passage"): cut where that
    # complement starts instead
    if len(chunks[0][3]) > 9 and chunks[0][3][9].lower().rstrip("'") in _INNER - {"et", "and", "ou", "or"}:
        cuts = [i for i in range(3, 9) if best[i].lower().rstrip("'") in _INNER]
        if cuts:
            best = best[:cuts[-1]]
    while best and best[-1].lower().rstrip("'") in _DANGLING:
        best.pop()
    if len(best) == 1:          # one word says too little: run on to the next words
        best = []
        for tok in tokens[chunks[0][4]:chunks[0][4] + 7]:
            if tok in ",;:.()":
                break
            best.append(tok)
        while best and best[-1].lower().rstrip("'") in _DANGLING:
            best.pop()
    title = " ".join(best).replace("' ", "'") or "New proposal"
    return title[0].upper() + title[1:]


def slug(text: str, max_words: int = 5, stop=STOP) -> str:
    """A key from a text: its first words, lower case, without accents and without the
    `stop` words; "" when it has none (the caller knows what to fall back on)."""
    ascii_text = deaccent(text).lower()
    ws = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in stop or w in ("uk", "eu")]
    return "-".join(ws[:max_words])


def settle(index: ClauseIndex, match: Match, text: str, item: bool, lang: str, matched,
           taken, key: str | None = None) -> tuple[str, dict, Match]:
    """(key, title, match) of a proposal found in `text` (a list item when `item`): its
    clause's key and titles when the match is confident and no other proposal has that
    clause (`matched`); else a new key (`key`, or a slug of the short title) not in
    `taken`, titled in the letter's language `lang`, the other language to draft."""
    if match.key and match.key not in matched:
        clause = index.by_key[match.key]
        return match.key, {lang: str(clause.title.get(lang) or match.key) for lang in ("en", "fr")}, match
    if match.key:   # the same clause twice: the second is new
        match = Match(None, match.score, match.words, match.best,
                      "its clause is already matched by another proposal")
    own = short_title(text, item)
    base = slug(key or own) or "proposal"
    new, n = base, 2
    while new in taken:
        new, n = f"{base}-{n}", n + 1
    title = {other: TO_BE_DRAFTED.format(own) for other in ("en", "fr")}
    title[lang] = own
    return new, title, match


# ---------------------------------------------------------------------------------
# analyse

def _candidates(paras):
    """(found, dropped): found = (paragraph, bullet, line, quote, sentence, context, why)."""
    found, dropped = [], []
    for para in paras:
        sents = sentences(para.text) if para.text else []
        announcing = None
        if para.bullets and sents and _is_announcing(sents[-1]):
            announcing = len(sents) - 1
            for i, item in enumerate(para.bullets, 1):
                quote = _clean_item(item)
                line = para.bullet_lines[i - 1] if i - 1 < len(para.bullet_lines) else para.line
                trig = classify(quote)
                if len(words(quote)) < 2:
                    dropped.append(Dropped(para.number, i, line, item, "a list item of fewer than two words"))
                elif (_COURTESY.search(quote) or _FORMULA.search(quote)) and trig.kind != "explicit":
                    dropped.append(Dropped(para.number, i, line, item, "a courtesy item in the list"))
                else:
                    found.append((para.number, i, line, quote, quote, para.text + " " + item,
                                  f"item {i} of the list announced by \u201c{sents[-1][-60:]}\u201d"))
        elif para.bullets:
            for i, item in enumerate(para.bullets, 1):
                trig = classify(item)
                line = para.bullet_lines[i - 1] if i - 1 < len(para.bullet_lines) else para.line
                if trig.strength:
                    found.append((para.number, i, line, _clean_item(item), item, para.text + " " + item,
                                  f"\u201c{trig.words}\u201d"))
                elif trig.kind:
                    dropped.append(Dropped(para.number, i, line, item, trig.reason))
        trigs = [Trigger(0, "", "") if i == announcing else classify(s) for i, s in enumerate(sents)]
        strengths = [t.strength for t in trigs]
        level = 2 if 2 in strengths else 1
        used = set()
        i = 0
        while i < len(sents):
            if strengths[i] < level or strengths[i] == 0:
                i += 1
                continue
            start, end = i, i
            if i > 0 and _BACKREF_RE.search(sents[i]) and strengths[i - 1] == 0 and i - 1 != announcing \
                    and not _COURTESY.search(sents[i - 1]):
                start = i - 1
            j = i + 1
            while j < len(sents) and j != announcing:
                s = sents[j]
                if strengths[j] == 2 and not (_CONTINUE_RE.match(s) or _BACKREF_RE.search(s)):
                    break
                if strengths[j] == 2 and _REQUEST_RE.search(trigs[j].words) and not _CONTINUE_RE.match(s):
                    break   # a request of its own, even about the same thing, is a proposal
                if strengths[j] >= 1 or _CONTINUE_RE.match(s) or re.match(
                        r"^(?:we|i)\s+(?:are|am)\s+ready\b", s, re.I):
                    end = j
                    j += 1
                    continue
                break
            quote = " ".join(sents[start:end + 1])
            used.update(range(start, end + 1))
            found.append((para.number, None, para.line, quote, sents[i], para.text,
                          f"\u201c{trigs[i].words}\u201d"))
            i = end + 1
        for k, trig in enumerate(trigs):
            if k in used or not trig.kind or k == announcing:
                continue
            reason = trig.reason or ("a weaker undertaking beside a stronger proposal in the same "
                                     "paragraph" if trig.strength < level else "not kept")
            dropped.append(Dropped(para.number, None, para.line, sents[k], reason))
    found.sort(key=lambda f: (f[0], f[1] or 0))
    return found, dropped


def analyse(text: str, library_dir, people: dict | None = None, exclude_keys=(),
            index: ClauseIndex | None = None) -> Ingested:
    """Analyse a letter's text (the common form of read_letter_text) against a library.
    `people`: the known people (default: the library's people.yaml); `exclude_keys`:
    keys a new proposal must not take (another file of the case's own); `index`: the
    library's ClauseIndex when the caller has built it already (it reads every clause)."""
    library_dir = Path(library_dir)
    blocks = _blocks(text)
    header, body, tail, salutation, close = _structure(blocks)
    paras = _paragraphs(body)
    body = " ".join(p.text + " " + " ".join(p.bullets) for p in paras)
    result = Ingested(text=text, language=_language(body), salutation=salutation, close=close,
                      paragraphs=paras)
    people = _people(library_dir) if people is None else people
    result.meta = read_metadata([[t for _, t in b] for b in header], [[t for _, t in b] for b in tail],
                                [p.text for p in paras], salutation, people)
    index = index if index is not None else ClauseIndex(library_dir)
    letter_domains = domains_of(body, minimum=2)
    found, result.dropped = _candidates(paras)
    used: set[str] = set(exclude_keys)
    for number, bullet, line, quote, sentence, context, why in found:
        ctx_domains = domains_of(quote) or domains_of(context) or letter_domains
        key, title, match = settle(index, index.match(quote, ctx_domains), sentence,
                                   bullet is not None, result.language, used,
                                   used | index.all_keys)
        used.add(key)
        result.proposals.append(IngestedProposal(key=key, title=title, quote=quote,
                                                 paragraph=number, bullet=bullet,
                                                 sentence=sentence, match=match, line=line, why=why))
    return result
