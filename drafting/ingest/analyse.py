"""Ingest an incoming letter: find its proposals and map them to the clause library.

    read_letter_text(path)        -> (text, source kind)          see ingest_readers
    analyse(text, library_dir)    -> Ingested                      pure: no writing
    ingest(path, case_name, root) -> Path of the new case folder   writes the case

How proposals are found (for the genre of letters between heads of government and
ministers, not for one letter):
  * a list under an announcing sentence ("I would like us to consider:", "we could
    consider:", "I propose the following:") gives one proposal per item;
  * a sentence that proposes, requests, offers or invites ("I propose", "I am formally
    requesting", "I stand ready to", "I would be glad to host", "I hope ... can be
    reached", "we should", "let us" ...) opens a proposal; courtesy, condolence, thanks
    and narrative sentences never do;
  * weaker undertakings ("I will make sure ...", "my officials are ready to ...") open
    one only where the paragraph has no stronger trigger;
  * a sentence that refers back ("this meeting", "such an agreement") brings in the
    sentence before it; the sentences that continue it ("This could include ...",
    "We are ready to begin such patrols") are added to its quote.

How a proposal is matched: BM25-like lexical scoring over each clause's title, key,
`keywords`, background and other English (and French) texts, with a light stemmer
and stop words, plus a bonus for title words. A match is confident only with enough
score, two or more distinctive (not generic diplomatic) words in common, one of them
in the clause's title, key or keywords, and no clash of subject (a fisheries proposal
never goes to a migration clause). Everything is reported: score and matched words.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

import yaml

from drafting.errors import InputError
from drafting.ingest.readers import read_letter_text

__all__ = ["read_letter_text", "analyse", "ingest", "Ingested", "IngestedProposal",
           "Paragraph", "Match", "ClauseIndex", "MATCH_THRESHOLD", "TO_BE_DRAFTED",
           "TO_BE_CHOSEN"]

TO_BE_DRAFTED = "[TO BE DRAFTED: {}]"
TO_BE_CHOSEN = "TO-BE-CHOSEN"
MATCH_THRESHOLD = 12.0         # calibrated on the 25 November letter and tests/letters
DEFAULT_SIGNATORY = "castex"
NONCOMMITTAL = ("defer", "note")
STUB_POSITIONS = ("welcome", "accept-with-conditions", "decline", "defer")
SHARED_ONLY_POSITIONS = {"standard", "familiar", "direct"}


# ---------------------------------------------------------------------------------
# data

@dataclass
class Paragraph:
    number: int
    text: str                      # the prose of the paragraph (lines joined)
    bullets: list = field(default_factory=list)   # item texts, markers removed


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


@dataclass
class Ingested:
    text: str
    language: str
    sender: str | None = None          # people key, when recognised
    sender_name: str | None = None     # as stated
    addressee: str | None = None
    addressee_name: str | None = None
    date: Date | None = None
    date_text: str | None = None
    place: str | None = None
    salutation: str | None = None
    close: str | None = None
    copies: list = field(default_factory=list)        # people keys
    copies_stated: list = field(default_factory=list)  # as stated
    paragraphs: list = field(default_factory=list)
    proposals: list = field(default_factory=list)


# ---------------------------------------------------------------------------------
# words

_STOP_EN = """a about above after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if
in into is it its itself just let me more most my myself no nor not now of off on once only
or other our ours ourselves out over own same she should so some such than that the their
theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours
yourself yourselves may might must shall per via upon within without across along among
amongst around towards toward etc including include includes included perhaps therefore
thereafter however well still yet already even ever much many every either neither whether
would like wish want hope trust believe think know see seen make made ready stand stands
glad happy pleased delighted willing prepared keen formally request requesting requested
propose proposing proposed proposal proposals suggest suggesting suggestion consider
considering invite inviting ask asking urge welcome offer offering dear letter write writing
sir madam mr mrs ms rt hon excellency please kindly""".split()

_STOP_FR = """le la les un une des du de d l au aux et ou mais donc or ni car que qu qui quoi
dont où ce cet cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs je
tu il elle nous vous ils elles on me te se lui y en ne pas plus moins très tout tous toute
toutes dans par pour sur sous avec sans entre vers chez est sont être été avoir a ont ai
avons avez fait faire comme ainsi aussi également si non oui propose proposons suggère
souhaite souhaiterais souhaitons voudrais invite demande prie envisager pourrions devrions
serait sera cher chère monsieur madame président ministre""".split()

STOP = set(_STOP_EN) | set(_STOP_FR)

# Diplomatic vocabulary that says nothing about a subject: it may add to a score but
# never makes a match on its own.
_GENERIC = """joint jointly bilateral multilateral cooperation cooperate cooperating
cooperative work working works together close closely partner partners partnership
agreement agreements agree agreed arrangement arrangements framework mechanism
meeting meetings meet summit leaders leader level minister ministers ministerial
ministry official officials government governments country countries nation national
international both two side sides new further progress effort efforts step steps
measure measures action actions plan plans idea ideas initiative initiatives programme
program project group groups team teams dialogue discussion discussions talks talk
support supporting help shared share sharing common mutual reciprocal relationship
relations commitment commitments priority priorities issue issues matter matters
question questions time week weeks month months year years day days today future
current recent early soon next first second last good better best great important
strong stronger deep deepen deeper urgent urgently rapid rapidly immediate effective
european europe union eu uk united kingdom britain british france french england
english paris london prime president secretary state states office department
ambassador embassy counterpart counterparts colleague colleagues official
establish establishing set setting create creating put place build building develop
developing launch launching begin start continue continuing increase increasing
improve improving strengthen strengthening enhance expand extend deliver delivering
ensure ensuring provide providing take taking use using bring bringing way ways
area areas part parts number range basis view views point end order case cases
include possible possibility option options""".split()

# Words that leave a sentence vague: "Let us continue to work closely together" or
# "I would be happy to discuss these ideas" propose nothing.
_VAGUE = set("""work working together close closely continue continuing discuss discussing
discussion discussions idea ideas proposal proposals matter matters issue issues progress
touch contact talk talks speak soon forward look looking more further view views thought
thoughts cooperation cooperate efforts effort step steps way ways thing things everything
support help both country countries two all any time these those them this that
relationship partnership friendship""".split())

# Subjects, each recognised by a few unmistakable words (stems computed below).
_DOMAINS = {
    "migration": "migrant migrants migration immigration asylum smuggler smugglers smuggling "
                 "trafficking traffickers trafficked readmission readmissions refugee refugees "
                 "crossings deportation",
    "fisheries": "fish fishing fisheries fishery fishermen fisherman trawler trawlers quota "
                 "quotas scallop scallops landings catches seafood stocks",
    "energy": "energy electricity gas nuclear reactor reactors interconnector "
              "interconnectors grid renewable renewables wind solar hydrogen lng oil "
              "decarbonisation",
    "trade": "trade trading tariff tariffs export exports exporters exporter import imports "
             "importers customs goods procurement investment investors market markets wto "
             "phytosanitary",
    "defence": "defence defense military armed nato army navy missile missiles weapons troops "
               "warship warships",
    "health": "health vaccine vaccines pandemic hospital hospitals medical medicines patients",
    "climate": "climate biodiversity emissions pollution environmental",
    "culture": "culture cultural museum museums heritage education students universities "
               "schools youth language",
    "transport": "rail railway railways aviation airport airports airline airlines hauliers "
                 "lorries ferry ferries",
    "digital": "digital cyber telecoms telecommunications semiconductors",
    "space": "space satellite satellites launcher rocket",
    "agriculture": "agriculture agricultural farmers farming crops livestock",
    "finance": "tax taxation financial banking banks debt budget",
}


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return text


_SUFFIXES = (("ational", "ate"), ("izations", "ize"), ("ization", "ize"), ("isations", "ise"),
             ("isation", "ise"), ("ations", "ate"), ("ation", "ate"), ("ements", ""),
             ("ement", ""), ("ments", ""), ("ment", ""), ("ness", ""), ("ingly", ""), ("ically", "ic"), ("ical", "ic"),
             ("ings", ""), ("ing", ""), ("edly", ""), ("ally", "al"), ("ies", "y"),
             ("ied", "y"), ("ers", "er"), ("ed", ""), ("ly", ""), ("es", ""), ("s", ""))


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English (and rough French) stemmer: enough to join patrol/patrols/
    patrolling, readmission/readmissions, deploy/deploying/deployment."""
    w = word.lower()
    if len(w) <= 3:
        return w
    if w.endswith(("ss", "us", "is", "ous")):
        return w
    for suffix, rep in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) + len(rep) >= 3:
            if suffix == "es" and not re.search(r"(sh|ch|x|z|ss)es$", w):
                continue
            w = w[: len(w) - len(suffix)] + rep
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]
    return w


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text, lower-case, hyphenated words split too."""
    out = []
    for m in _WORD_RE.finditer(_fold(text).lower().replace("'", " ")):
        w = m.group(0)
        parts = w.split("-")
        out.extend(p for p in parts if p)
    return out


def terms(text: str) -> list[tuple[str, str]]:
    """(stem, surface word) pairs of the content words of a text."""
    return [(stem(w), w) for w in words(text) if len(w) > 2 and w not in STOP]


GENERIC = {stem(w) for w in _GENERIC}
VAGUE = {stem(w) for w in _VAGUE}
DOMAIN_STEMS = {name: {stem(w) for w in ws.split()} for name, ws in _DOMAINS.items()}


def domains_of(text: str, minimum: int = 1) -> set[str]:
    found = {}
    for s, _ in terms(text):
        for name, stems in DOMAIN_STEMS.items():
            if s in stems:
                found.setdefault(name, set()).add(s)
    return {name for name, hits in found.items() if len(hits) >= minimum}


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


class ClauseIndex:
    """The clause library as a small search index (built once per analyse)."""

    FIELD_WEIGHTS = {"title": 3.0, "key": 3.0, "keywords": 3.0, "background": 2.0, "other": 1.0}
    K1, B, TITLE_BONUS = 1.2, 0.5, 1.5

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
        by_key = {c.key: c for c in self.clauses}
        for case in sorted(letters.glob("*/letter.yaml")):
            try:
                data = yaml.load(case.read_text(encoding="utf-8-sig"), Loader=yaml.CSafeLoader)
                text = (case.parent / str(data.get("text") or "letter.txt")).read_text(encoding="utf-8-sig")
            except (OSError, yaml.YAMLError, UnicodeDecodeError, AttributeError):
                continue
            subject = domains_of(text, minimum=3)
            for item in data.get("proposals") or []:
                clause = by_key.get(str(item.get("key"))) if isinstance(item, dict) else None
                if clause is not None and not clause.domains:
                    clause.domains = set(subject)

    @staticmethod
    def _load(path: Path) -> _Clause | None:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = yaml.load(fh, Loader=yaml.CSafeLoader)
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return None       # the library's own validation reports broken files
        if not isinstance(data, dict) or not data.get("key") or not isinstance(data.get("title"), dict):
            return None
        key = str(data["key"])
        tf: dict[str, float] = {}
        title_terms: set[str] = set()

        def add(text, weight, into_title=False):
            if not isinstance(text, str):
                return
            text = re.sub(r"\{[^{}]*\}", " ", text)
            for s, _ in terms(text):
                tf[s] = tf.get(s, 0.0) + weight
                if into_title:
                    title_terms.add(s)

        w = ClauseIndex.FIELD_WEIGHTS
        for lang in ("en", "fr"):
            add(data["title"].get(lang), w["title"], True)
        add(key.replace("-", " "), w["key"], True)
        for kw in data.get("keywords") or []:
            add(str(kw), w["keywords"], True)
        agenda = data.get("agenda") or {}
        background = agenda.get("background") if isinstance(agenda, dict) else None
        if isinstance(background, dict):
            for lang in ("en", "fr"):
                add(background.get(lang), w["background"])
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
        all_text = " ".join(texts + [str(v) for v in data["title"].values()] +
                            ([str(background.get("en", ""))] if isinstance(background, dict) else []))
        return _Clause(key=key, title=dict(data["title"]), path=path, positions=positions, tf=tf,
                       length=sum(tf.values()), title_terms=title_terms,
                       domains=domains_of(all_text, minimum=2), matchable=matchable)

    def idf(self, t: str) -> float:
        n = max(self.n, 20)   # a small library must not make every word look common
        df = self.df.get(t, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def distinctive(self, t: str) -> bool:
        return t not in GENERIC and self.df.get(t, 0) <= max(2, self.n // 3)

    def match(self, text: str, context_domains: set | None = None) -> Match:
        q = {}
        for s, w in terms(text):
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
                elif t in c.title_terms:
                    s += idf * self.TITLE_BONUS
                score += s
                contrib.append((s, t, surface))
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
        elif not in_title:
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
    r"madam president|prime minister|minister)\b", re.IGNORECASE)
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
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m: i + 1 for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())})
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12})
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RES = [
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?P<m>{_MONTH_ALT})\s*,?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH_ALT})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
]
_POSTCODE_RE = re.compile(r"^(?:\d{5}\s+(?P<fr>[A-Za-zÀ-ÿ' -]+?)(?:\s+cedex.*)?|"
                          r"(?P<uk>[A-Za-z][A-Za-z .'-]*?)\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
_PLACE_DATE_RE = re.compile(r"^(?P<place>[A-ZÀ-Ý][\w' -]+?),\s+(?:le\s+)?(?:\w+\s+)?\d{1,2}", re.I)


def _parse_date(text: str):
    for rx in _DATE_RES:
        m = rx.search(text)
        if m:
            month = m.group("m")
            month = int(month) if month.isdigit() else _MONTHS.get(month.lower())
            try:
                return Date(int(m.group("y")), month, int(m.group("d"))), m.group(0)
            except (ValueError, TypeError):
                continue
    return None, None


def _is_item(line: str) -> bool:
    return bool(re.match(r"^\s*(?:[-–—•◦▪●*·]\s+|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)", line))


def _strip_item(line: str) -> str:
    return re.sub(r"^\s*(?:[-–—•◦▪●*·]\s+|\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+)", "", line).strip()


def _is_noise(block: list[str]) -> bool:
    text = " ".join(block).strip()
    return bool(_SIGNATURE_RE.match(text) or _MARKING_RE.match(text) or
                re.match(r"^(-\s*\d+\s*-|page \d+( of \d+)?)$", text, re.I))


def _blocks(text: str) -> list[list[str]]:
    return [[ln.strip() for ln in b.split("\n") if ln.strip()]
            for b in re.split(r"\n\s*\n", text) if b.strip()]


_ABBREV = r"(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bM)(?<!\bMM)(?<!\bMme)(?<!\bvs)(?<!\bcf)"
_SENT_RE = re.compile(_ABBREV + r"(?<=[.!?])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-Ý0-9])")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(text) if s.strip()]


def _people(library_dir: Path) -> dict:
    path = Path(library_dir) / "people.yaml"
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = yaml.load(fh, Loader=yaml.CSafeLoader)
        return data if isinstance(data, dict) else {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", _fold(text)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^\w' -]", " ", text.lower()).split())


def _values(node, lang=None):
    if isinstance(node, dict):
        return [str(v) for k, v in node.items() if v and (lang is None or k == lang)]
    return [str(node)] if node else []


def _find_person(text: str, people: dict, fields=("name",)) -> str | None:
    if not text:
        return None
    hay = f" {_norm(text)} "
    found = []
    for key, person in people.items():
        if not isinstance(person, dict):
            continue
        for f in fields:
            for value in _values(person.get(f)):
                v = _norm(value)
                if v and f" {v} " in hay:
                    found.append((len(v), key))
    return max(found)[1] if found else None


# ---------------------------------------------------------------------------------
# proposals: triggers

_I = r"\b(?:i|we)\s+"
_ADV = r"(?:(?:would|should|do|therefore|also|now|further|again|respectfully|strongly|warmly|" \
       r"hereby|formally|very\s+much|really|sincerely|equally|finally|first|secondly|thirdly|" \
       r"in\s+addition|urgently)\s+)*"
_STRONG_EN = [
    _I + _ADV + r"(?:like\s+to\s+|wish\s+to\s+|want\s+to\s+|wish\s+us\s+to\s+)?(?:propose|suggest|recommend|request|invite|urge|encourage|call\s+(?:on|upon)|put\s+forward|ask\s+(?:that|you|your|for|our|the))\b",
    r"\bi\s+(?:am|'m)\s+" + _ADV + r"(?:formally\s+)?(?:requesting|proposing|suggesting|asking|inviting|urging|calling\s+(?:on|for))\b",
    r"\b(?:i|we)\s+(?:am|are)\s+writing\s+to\s+(?:propose|suggest|request|ask|invite)\b",
    r"\bi\s+write\s+to\s+(?:propose|suggest|request|ask|invite)\b",
    r"\bmy\s+(?:proposal|suggestion|request)\s+(?:is|would\s+be)\b",
    _I + r"(?:also\s+)?(?:stand|remain|am|are)\s+(?:also\s+|now\s+|fully\s+)?(?:ready|willing|prepared|available)\s+to\b",
    _I + r"(?:would|should|'d)\s+(?:also\s+)?(?:be\s+)?(?:very\s+)?(?:glad|happy|delighted|pleased|honoured|honored|willing|keen|ready|prepared)\s+(?:to|if)\b",
    _I + r"(?:am|are)\s+(?:also\s+)?(?:glad|happy|delighted|pleased|keen)\s+to\s+(?:offer|host|invite|propose|provide|extend|fund|contribute|organise|organize|convene|make\s+available|second|send)\b",
    _I + r"(?:would|can|could)\s+(?:also\s+)?(?:offer|host|provide|make\s+available|fund|contribute|second)\b",
    _I + r"(?:also\s+)?offer\s+to\b",
    r"\bi\s+(?:very\s+much\s+|sincerely\s+|also\s+|therefore\s+|would\s+)?(?:hope|trust)\s+(?:that\s+)?(?!you\b[^.]*\bwell\b).{0,200}?\b(?:can|could|will|would|might|may)\s+(?:\w+\s+)?(?:be\s+)?\w+",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+|very\s+much\s+|warmly\s+)?welcome\b",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+)?(?:like|love|want)\s+(?:us|you|our|your|the|both|officials|ministers|them)\b",
    r"\b(?:i|we)\s+(?:would|should|'d)\s+(?:also\s+)?like\s+to\s+see\b",
    r"\b(?:we|our\s+(?:two\s+)?(?:governments|countries|officials|ministers|teams|services|agencies|departments|experts|regulators|operators))\s+(?:should|could|might|must|ought\s+to|can)\s+(?:also\s+|now\s+|together\s+|jointly\s+|therefore\s+|urgently\s+|then\s+|perhaps\s+|usefully\s+|quickly\s+)*(?:consider|explore|look\s+at|examine|study|establish|set\s+up|create|launch|agree|hold|convene|organise|organize|develop|expand|extend|deepen|strengthen|pool|coordinate|co-ordinate|begin|start|meet|task|ask|commission|sign|conclude|negotiate|introduce|deploy|fund|invest|draw\s+up|prepare|build|work\s+(?:on|towards|toward)|aim|put\s+in\s+place|join|share|exchange|map|review|identify|open|increase|reduce|double|set|designate|appoint|mandate|instruct|co-operate|cooperate|host)\b",
    r"\blet\s+us\b|\blet's\b",
    r"\bi\s+(?:would|should|'d)\s+(?:be\s+)?(?:grateful|obliged)\s+(?:if|for)\b",
    r"\bi\s+(?:would|should|'d)\s+appreciate\b",
    r"^(?:could|would|might)\s+(?:you|your)\b",
    r"^please\s+(?:consider|confirm|let|ensure|ask|share|instruct|send|agree|support|join|accept)\b",
    r"\bit\s+would\s+be\s+(?:very\s+|most\s+|particularly\s+)?(?:helpful|useful|valuable|good|important|sensible|worthwhile|timely|right|wise|welcome)\s+(?:if|to|for)\b",
    r"\bi\s+(?:count|rely)\s+on\s+you\b|\bi\s+look\s+to\s+you\s+to\b",
    r"\b(?:i|we)\s+(?:would\s+)?seek\s+your\s+(?:support|agreement|approval|backing)\b",
]
# "Belgium is prepared to ...", "My Government stands ready to ...": a country or a
# government offering (case-sensitive: a proper noun).
_STRONG_CASED = [re.compile(
    r"(?:\b(?:[Mm]y|[Oo]ur)\s+(?:[Gg]overnment|country|administration)|\b(?!(?:It|This|That|There|He|She|Which)\b)"
    r"(?:[Tt]he\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?:\s+[Gg]overnment)?)\s+(?:is|stands|remains)\s+"
    r"(?:also\s+|now\s+|fully\s+)?(?:ready|willing|prepared)\s+to\b")]
_STRONG_FR = [
    r"\bje\s+(?:vous\s+)?(?:propose|suggère|suggere|demande|sollicite|recommande|invite)\b",
    r"\bje\s+(?:souhaiterais|souhaite|voudrais|désire|forme\s+le\s+vœu)\s+(?:que|qu'|vous|proposer|suggérer|inviter|que\s+nous)",
    r"\bje\s+(?:me\s+tiens|suis|reste)\s+(?:\w+\s+)?(?:prêt|prête|disposé|disposée|heureux|heureuse)\s+(?:à|d')",
    r"\bje\s+serais\s+(?:très\s+)?(?:heureux|heureuse|ravi|ravie|prêt|prête|disposé|disposée|reconnaissant|reconnaissante)\s+(?:de|d'|à|si)",
    r"\bnous\s+(?:pourrions|devrions|pourrons|devons)\s+(?:également\s+|aussi\s+|ensemble\s+)?(?:envisager|examiner|étudier|créer|mettre|lancer|renforcer|organiser|établir|convenir|développer|travailler|engager|ouvrir|réunir|tenir)",
    r"\bil\s+(?:serait|me\s+semblerait|me\s+paraîtrait)\s+(?:\w+\s+)?(?:utile|souhaitable|opportun|judicieux|important)",
    r"\bj'espère\s+que\b.{0,200}\b(?:pourra|pourront|puisse|puissent|sera|seront)\b",
    r"\bpourriez-vous\b|\bje\s+vous\s+saurais\s+gré\b",
]
_WEAK = [
    r"\b(?:i|we)\s+will\s+(?:also\s+)?(?:make\s+sure|ensure|keep\s+you|send|share|host|provide|instruct|ask\s+my|write\s+to|arrange|propose)\b",
    r"\bmy\s+(?:officials|ministers|government|team|teams|department|services|ambassador|experts|staff)\b.*\b(?:will|are\s+ready\s+to|stand\s+ready\s+to|would\s+be\s+(?:ready|glad|happy)|are\s+willing\s+to|are\s+prepared\s+to|are\s+available\s+to)\b",
    r"\bmes\s+(?:services|équipes|ministres)\b.*\b(?:se\s+tiennent|sont\s+prêts|transmettront)\b",
]
_COURTESY = re.compile(
    r"condolence|sympath|thoughts are with|our thoughts|my thoughts|prayers|tribute|\bthank|"
    r"grateful for (your|the) (letter|message|call|kind)|gratitude|congratulat|best wishes|warm wishes|"
    r"greetings|keeping well|finds you well|you are well|your family are|solidarity|"
    r"welcome your (views|thoughts|comments|reply|response|reaction|feedback|ideas)|"
    r"look forward to (hearing|your reply|your response|seeing you|meeting you|our next)|"
    r"condoléances|sympathie|pensées|hommage|remercie|remerciements|félicit|agréer|"
    r"l'expression de ma|l'assurance de ma|mes amitiés", re.IGNORECASE)
_STRONG_RES = [re.compile(p, re.IGNORECASE) for p in _STRONG_EN + _STRONG_FR]
_WEAK_RES = [re.compile(p, re.IGNORECASE) for p in _WEAK]
_ANNOUNCE_RE = re.compile(
    r"\b(consider|propose|proposing|suggest|suggesting|ideas|proposals|steps|measures|actions|"
    r"priorities|following|areas|options|would|could|should|invite|request|ask|urge|recommend|"
    r"envisager|propose|proposer|suggère|pistes|mesures|propositions|suivantes|suivants|"
    r"pourrions|souhaiterais|souhaite|demande)\b", re.IGNORECASE)
_NARRATIVE_LIST_RE = re.compile(
    r"\b(have|has)\s+(already\s+)?(achieved|agreed|delivered|done|made|taken|introduced|"
    r"included|covered|been)\b|\balready\b|\bso far\b|\bincluded\b|\bwere\b|\bwas\b|"
    r"\bavons\s+(déjà\s+)?(obtenu|conclu|adopté|pris)\b|\bdéjà\b", re.IGNORECASE)
_BACKREF_RE = re.compile(
    r"\b(?:such|this|these|those|the\s+latter)\b(?!\s+(?:letter|morning|evening|week|weekend|"
    r"month|year|summer|winter|spring|autumn|time|day|afternoon|moment|regard|respect|"
    r"challenge|context|spirit|way)\b)|\b(?:on|of|to|for|with|about)\s+(?:these|them|it)\s*[.;,]",
    re.IGNORECASE)
_CONTINUE_RE = re.compile(
    r"^(?:this|these|that|it|they|such|in particular|for example|for instance|to that end|"
    r"to this end|as part of this|specifically|ceci|cela|cette|ces|il|elle|à cette fin)\b",
    re.IGNORECASE)


def _fold_sentence(s: str) -> str:
    return _fold(s).replace("\u00a0", " ").replace("\u202f", " ")


def trigger_strength(sentence: str) -> int:
    """2: a sentence that proposes, requests, offers or invites; 1: a weaker
    undertaking; 0: anything else (courtesy, narrative, thanks)."""
    s = _fold_sentence(sentence)
    if _COURTESY.search(s):
        return 0
    strong = any(rx.search(s) for rx in _STRONG_RES) or any(rx.search(s) for rx in _STRONG_CASED)
    weak = not strong and any(rx.search(s) for rx in _WEAK_RES)
    if not (strong or weak):
        return 0
    substance = [t for t, _ in terms(s) if t not in VAGUE]
    if len(substance) < 2:
        return 0
    return 2 if strong else 1


def _is_announcing(sentence: str) -> bool:
    s = _fold_sentence(sentence).rstrip()
    if not s.endswith(":"):
        return False
    if _COURTESY.search(s):
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
must let lead run help keep ensure work take bring begin""".split())
_TITLE_BREAK = set("""to which that who whom so in on at by with from including such where
wherever when whenever if as because while between within across through during before
after until unless into onto over under twice once held made given taken used based
related concerned linked linking including""".split())
_DETERMINERS = {"a", "an", "the", "our", "your", "their", "its", "this", "these", "each", "both"}


def short_title(text: str, bullet: bool = False) -> str:
    """A short English title for a new proposal: the noun phrase that carries most
    distinctive words, preferring the one right after a verb ("agree a joint emergency
    protocol" -> "Joint emergency protocol")."""
    s = _fold_sentence(text).strip()
    if not bullet:
        hits = [m for rx in _STRONG_RES + _WEAK_RES for m in [rx.search(s)] if m]
        if hits:
            m = min(hits, key=lambda m: m.start())
            if m.end() < len(s) - 3:
                s = s[m.end():]
    tokens = re.findall(r"[^\W_][\w'-]*|[,;:.()]", s)
    chunks = []     # (score, order, words)
    current, after_verb, prev_verb, start_at = [], False, False, 0

    def close():
        nonlocal current
        while current and (current[-1].lower() in ("of", "and", "or") or current[-1].lower() in _DETERMINERS):
            current.pop()
        if current:
            content = [w for w in current if w.lower() not in STOP and w.lower() not in ("of", "and", "or")]
            score = sum(1 for w in content if stem(w.lower()) not in GENERIC and stem(w.lower()) not in VAGUE)
            chunks.append((score + (1 if after_verb else 0), len(content), -len(chunks),
                           list(current), start_at))
        current = []

    for position, tok in enumerate(tokens):
        low = tok.lower()
        if tok in ",;:.()" or low in _TITLE_BREAK or low in _TITLE_VERBS or tok[0].isdigit():
            close()
            prev_verb = low in _TITLE_VERBS
            continue
        if low in ("of", "and", "or"):
            if current:
                current.append(tok)
            continue
        if low in _DETERMINERS:
            if current and current[-1].lower() == "of":
                current.append(tok)
            else:
                close()
            continue
        if low in STOP:
            close()
            prev_verb = prev_verb and low in ("more", "further", "new", "up", "in", "place")
            continue
        if not current:
            after_verb, start_at = prev_verb, position
        current.append(tok)
        prev_verb = False
    close()
    if not chunks:
        return "New proposal"
    chunks.sort(key=lambda c: (-c[0], -c[1], -c[2]))
    best = chunks[0][3][:8]
    if len(best) == 1:          # one word says too little: run on to the next words
        best = []
        for tok in tokens[chunks[0][4]:chunks[0][4] + 7]:
            if tok in ",;:.()":
                break
            best.append(tok)
    while best and best[-1].lower() in {"of", "and", "or"} | _DETERMINERS:
        best.pop()
    title = " ".join(best) or "New proposal"
    return title[0].upper() + title[1:]


def slug(text: str, max_words: int = 5) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ws = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in STOP or w in ("uk", "eu")]
    return "-".join(ws[:max_words]) or "proposal"


# ---------------------------------------------------------------------------------
# analyse

def _language(text: str) -> str:
    ws = words(text)
    fr = sum(w in ("le", "la", "les", "des", "du", "et", "nous", "vous", "je", "est", "une", "pour")
             for w in ws)
    en = sum(w in ("the", "and", "of", "to", "we", "you", "is", "our", "for", "that", "with") for w in ws)
    return "fr" if fr > en else "en"


def _structure(text: str):
    """Split the letter into header blocks, body blocks and tail blocks."""
    blocks = _blocks(text)
    sal = next((i for i, b in enumerate(blocks)
                if len(b) == 1 and len(b[0]) <= 80 and _SALUTATION_RE.match(b[0])
                and (b[0].rstrip().endswith((",", ":", "!")) or re.match(r"^(dear|cher|chère)\b", b[0], re.I))),
               None)
    start = sal + 1 if sal is not None else None
    if start is None:   # no salutation: the body starts at the first real sentence
        start = next((i for i, b in enumerate(blocks)
                      if len(" ".join(b)) > 100 and re.search(r"[.!?]", " ".join(b))), 0)
    close, tail_from = None, len(blocks)
    for i in range(start, len(blocks)):
        first = blocks[i][0]
        limit = 300 if re.match(r"^(je vous prie|veuillez|recevez|croyez)", first, re.I) else 80
        if len(first) <= limit and _CLOSE_RE.match(first.rstrip(",. ")) and not _is_item(first):
            close, tail_from = i, i
            break
    if close is None:   # the body ends before the signature or the suscription
        for i in range(start, len(blocks)):
            if _SIGNATURE_RE.match(" ".join(blocks[i])):
                tail_from = i
                break
    header = blocks[:sal if sal is not None else start]
    body = [b for b in blocks[start:tail_from] if not _is_noise(b)]
    tail = blocks[tail_from:]
    salutation = blocks[sal][0] if sal is not None else None
    close_line = blocks[close][0] if close is not None else None
    if close is not None and len(blocks[close]) > 1:
        tail = [blocks[close][1:]] + tail[1:]
    elif close is not None:
        tail = tail[1:]
    return header, body, tail, salutation, close_line


def _paragraphs(body: list[list[str]]) -> list[Paragraph]:
    paras: list[Paragraph] = []
    for block in body:
        prose, items, after = [], [], []
        for line in block:
            if _is_item(line) and not after:
                items.append(_strip_item(line))
            elif items and not after and not re.search(r"[.;:!?]$", items[-1]):
                items[-1] += " " + line       # a hard-wrapped item
            elif items:
                after.append(line)
            else:
                prose.append(line)
        if prose:
            paras.append(Paragraph(len(paras) + 1, " ".join(prose)))
        if items:
            if paras and not prose and not paras[-1].bullets and paras[-1].text.rstrip().endswith(":") \
                    or prose:
                paras[-1].bullets.extend(items)
            elif paras and paras[-1].bullets and not prose:
                paras[-1].bullets.extend(items)      # a list broken by blank lines
            elif paras and not prose:
                paras[-1].bullets.extend(items)      # a list belongs to the paragraph before it
            else:
                paras.append(Paragraph(len(paras) + 1, "", items))
        if after:
            paras.append(Paragraph(len(paras) + 1, " ".join(after)))
    return paras


def _metadata(result: Ingested, header, tail, body_paras, people):
    header_text = "\n".join("\n".join(b) for b in header)
    tail_text = "\n".join("\n".join(b) for b in tail)
    # date
    for source in (header_text, tail_text):
        d, raw = _parse_date(source)
        if d:
            result.date, result.date_text = d, raw
            break
    # place: "London, 25 November 2021" / "Paris, le ..."; else the letterhead's postcode line
    for line in header_text.split("\n") + tail_text.split("\n"):
        m = _PLACE_DATE_RE.match(line)
        if m and _parse_date(line)[0]:
            result.place = m.group("place").strip().title()
            break
    if not result.place:
        for line in header_text.split("\n"):
            m = _POSTCODE_RE.match(line.strip())
            if m:
                result.place = (m.group("fr") or m.group("uk")).strip().title()
                break
    # sender: the signature block after the close
    sender_name = None
    for line in tail_text.split("\n"):
        quoted = re.search(r"signature.*?['\"‘“]([^'\"’”]{3,60})['\"’”]", line, re.I)
        if quoted:
            sender_name = sender_name or quoted.group(1).strip()
            continue
        if _SIGNATURE_RE.match(line) or re.match(r"^(his|her|their|son|sa)\s+(excellency|excellence)", line, re.I):
            continue
        if re.match(r"^(?:(?:the\s+)?rt\.?\s+hon\.?\s+|dr\.?\s+|sir\s+|dame\s+)?[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){1,3}(?:\s+(?:MP|QC|KC))?$", line) \
                and not re.search(r"\b(secretary|minister|president|ministre|street|road|avenue|rue)\b", line, re.I):
            sender_name = line.strip()
            break
    result.sender_name = sender_name
    result.sender = _find_person(sender_name or "", people) or _find_person(tail_text, people)
    if not result.sender:
        for line in header_text.split("\n"):
            if re.search(r"\b(rt\.?\s+hon|from the)\b", line, re.I):
                result.sender = _find_person(line, people)
                if result.sender:
                    result.sender_name = result.sender_name or line.strip()
                    break
    # addressee: the suscription (after the signature), an address block, the salutation
    candidates = [ln for ln in tail_text.split("\n")
                  if re.match(r"^(his|her|son|sa)\s+(excellency|excellence)|^(monsieur|madame|mr|mrs|ms|the rt)\b", ln, re.I)]
    candidates += [ln for ln in header_text.split("\n")
                   if re.match(r"^(his|her|son|sa)\s+(excellency|excellence)|^(monsieur|madame|mr|mrs|ms)\b", ln, re.I)]
    for line in candidates:
        key = _find_person(line, people)
        if key and key != result.sender:
            result.addressee, result.addressee_name = key, line.strip()
            break
    if not result.addressee_name and candidates:
        result.addressee_name = candidates[0].strip()
    if not result.addressee and result.salutation:
        key = _find_person(result.salutation.rstrip(",:! "), people, fields=("familiar",))
        if key and key != result.sender:
            result.addressee = key
    # copies: a copy line in the body, or cc: lines after the signature
    copy_texts = []
    for para in body_paras:
        m = re.search(r"\b(?:i am|i'm|i have|we are)\s+(?:also\s+)?(?:copying|sending (?:a )?cop(?:y|ies) of)\s+"
                      r"(?:this letter|this|it)\s+to\s+(.+?)[.]?$", _fold(para.text), re.I)
        m = m or re.search(r"\b(?:copie de (?:la présente|cette lettre) (?:est adressée|à)|j'adresse copie de cette lettre)\s+(?:à\s+)?(.+?)[.]?$", para.text, re.I)
        if m:
            copy_texts.append(m.group(1))
    for line in tail_text.split("\n"):
        m = re.match(r"^(?:cc|c\.c\.|copy to|copies to|copie à|copies à)\s*:?\s*(.+)$", line, re.I)
        if m:
            copy_texts.append(m.group(1))
    for raw in copy_texts:
        parts = re.split(r",\s*|\s+and\s+|\s+et\s+|;\s*", raw)
        for part in [raw] + parts:
            key = _find_person(part, people, fields=("name", "office", "with_article", "office_short"))
            if key and key not in result.copies:
                result.copies.append(key)
                break
        result.copies_stated.append(raw.strip())


def analyse(text: str, library_dir) -> Ingested:
    """Analyse a letter's text (the common form of read_letter_text) against a library."""
    library_dir = Path(library_dir)
    header, body, tail, salutation, close = _structure(text)
    paras = _paragraphs(body)
    result = Ingested(text=text, language=_language(" ".join(p.text for p in paras)),
                      salutation=salutation, close=close, paragraphs=paras)
    people = _people(library_dir)
    _metadata(result, header, tail, paras, people)
    index = ClauseIndex(library_dir)
    letter_domains = domains_of(" ".join(p.text + " " + " ".join(p.bullets) for p in paras), minimum=2)

    found = []   # (paragraph, bullet, quote, sentence, context)
    for para in paras:
        sents = sentences(para.text) if para.text else []
        announcing = None
        if para.bullets and sents and _is_announcing(sents[-1]):
            announcing = len(sents) - 1
            for i, item in enumerate(para.bullets, 1):
                quote = _clean_item(item)
                if len(words(quote)) >= 2 and not _COURTESY.search(quote):
                    found.append((para.number, i, quote, quote, para.text + " " + item))
        strengths = [0 if i == announcing else trigger_strength(s) for i, s in enumerate(sents)]
        level = 2 if 2 in strengths else 1
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
                if strengths[j] >= 1 or _CONTINUE_RE.match(s) or re.match(r"^(?:we|i)\s+(?:are|am)\s+ready\b", s, re.I):
                    end = j
                    j += 1
                    continue
                break
            quote = " ".join(sents[start:end + 1])
            found.append((para.number, None, quote, sents[i], para.text))
            i = end + 1
    found.sort(key=lambda f: (f[0], f[1] or 0))

    used: set[str] = set()
    for number, bullet, quote, sentence, context in found:
        ctx_domains = domains_of(quote) or domains_of(context) or letter_domains
        match = index.match(quote, ctx_domains)
        if match.key and match.key not in used:
            clause = next(c for c in index.clauses if c.key == match.key)
            key = match.key
            title = {"en": str(clause.title.get("en") or key), "fr": str(clause.title.get("fr") or key)}
        else:
            if match.key:   # the same clause twice: the second is new
                match = Match(None, match.score, match.words, match.best,
                              "its clause is already matched by an earlier proposal")
            en = short_title(sentence, bullet is not None)
            base = slug(en)
            key, n = base, 2
            while key in used or key in index.all_keys:
                key, n = f"{base}-{n}", n + 1
            title = {"en": en, "fr": TO_BE_DRAFTED.format(en)}
        used.add(key)
        result.proposals.append(IngestedProposal(key=key, title=title, quote=quote,
                                                 paragraph=number, bullet=bullet,
                                                 sentence=sentence, match=match))
    return result


# ---------------------------------------------------------------------------------
# writing the case

def dump_yaml(data, header: str = "") -> str:
    """YAML of a new case file: the store's one emitter (store/yamlfile.py), which
    checks that the text reads back as `data`."""
    from drafting.store.yamlfile import dump
    return dump(data, header)


def _write_atomic(path: Path, text: str) -> None:
    from drafting.store.atomic import write_atomic
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)


def _case_name(path: Path, ingested: Ingested) -> str:
    base = ingested.date.isoformat() if ingested.date else "undated"
    who = ingested.sender or slug(ingested.sender_name or "", 2) or slug(path.stem, 3)
    return f"{base}-{who}" if who else base


_TITLE_PREFIX = re.compile(r"(madame|monsieur|mme\.?|m\.|mrs\.?|mr\.?|ms\.?|the rt\.? hon\.?)\s+",
                       re.IGNORECASE)
_TITLE_FORMS = {
    "madame": {"fr": "Mme", "en": "Mrs"}, "mme": {"fr": "Mme", "en": "Mrs"},
    "mrs": {"fr": "Mme", "en": "Mrs"}, "ms": {"fr": "Mme", "en": "Ms"},
    "monsieur": {"fr": "M.", "en": "Mr"}, "m": {"fr": "M.", "en": "Mr"},
    "mr": {"fr": "M.", "en": "Mr"}, "the rt hon": {"fr": "", "en": "The Rt Hon"},
    "the rt. hon": {"fr": "", "en": "The Rt Hon"},
}


def _person_stub(stated: str | None, role: str) -> tuple[str, dict]:
    """A person of this case only, for a name the library does not know: every form
    of address visibly still to draft, so the reply renders and draft check lists it."""
    name = " ".join((stated or "").split()) or f"[TO BE DRAFTED: {role}]"
    courtesy = {"fr": "", "en": ""}
    m = _TITLE_PREFIX.match(name)
    if m:  # "Madame Annick Girardin": the courtesy is a form, not part of the name
        courtesy = _TITLE_FORMS[m.group(1).lower().rstrip(".")]
        name = name[m.end():].strip() or name
    key = slug(name, 4) or role
    todo = lambda what: {"fr": TO_BE_DRAFTED.format(f"{what} ({name})"),  # noqa: E731
                         "en": TO_BE_DRAFTED.format(f"{what} ({name})")}
    return key, {"name": {"fr": name, "en": name}, "courtesy": courtesy,
                 "office": todo("office"), "address": todo("form of address"),
                 "familiar": todo("first-name form"), "signature_title": todo("title"),
                 "suscription": {"fr": [name, TO_BE_DRAFTED.format("address")],
                                 "en": [name, TO_BE_DRAFTED.format("address")]}}


def _case_people(ing: Ingested) -> tuple[str, str, dict]:
    """Keys of the letter's sender and addressee, and stub entries for unknown ones."""
    stubs = {}
    sender, addressee = ing.sender, ing.addressee
    if not sender:
        sender, stubs_entry = _person_stub(ing.sender_name, "sender")
        stubs[sender] = stubs_entry
    if not addressee:
        addressee, stubs_entry = _person_stub(ing.addressee_name, "addressee")
        if addressee == sender:
            addressee += "-addressee"
        stubs[addressee] = stubs_entry
    return sender, addressee, stubs


def _letter_yaml(case: str, source: Path, kind: str, ing: Ingested) -> tuple[str, dict]:
    sender, addressee, _ = _case_people(ing)
    data = {"case": case, "text": "letter.txt", "sender": sender, "addressee": addressee}
    if ing.date:
        data["date"] = ing.date
    if ing.place:
        data["place"] = ing.place
    data["language"] = ing.language
    if ing.salutation:
        data["salutation"] = ing.salutation
    if ing.close:
        data["close"] = ing.close
    data["copies"] = list(ing.copies)
    data["ingested"] = {"from": source.name, "kind": kind,
                        "sender_stated": ing.sender_name, "addressee_stated": ing.addressee_name,
                        "date_stated": ing.date_text, "copies_stated": list(ing.copies_stated),
                        "paragraphs": len(ing.paragraphs)}
    data["ingested"] = {k: v for k, v in data["ingested"].items() if v not in (None, [])}
    proposals = []
    for p in ing.proposals:
        item = {"key": p.key, "title": dict(p.title), "paragraph": p.paragraph}
        if p.bullet:
            item["bullet"] = p.bullet
        item["quote"] = p.quote
        info = {"match": p.match.key or "new", "score": p.match.score,
                "matched_words": list(p.match.words[:12])}
        if not p.match.key and p.match.best:
            info["closest"] = p.match.best
            info["why_not"] = p.match.reason
        item["ingested"] = info
        proposals.append(item)
    data["proposals"] = proposals
    header = ("# The incoming letter of the case, written by `draft ingest` from "
              f"{source.name}.\n# Check every field: proposals marked 'match: new' have a stub clause\n"
              "# to draft; paragraphs are counted from the first after the salutation.\n")
    if not ing.sender:
        header += (f"# Sender not found in clauses/people.yaml (stated: {ing.sender_name or 'nothing'}):"
                   " see this case's people.yaml.\n")
    if not ing.addressee:
        header += (f"# Addressee not found in clauses/people.yaml (stated: {ing.addressee_name or 'nothing'}):"
                   " see this case's people.yaml.\n")
    return dump_yaml(data, header), data


def _position_for(clause: _Clause | None) -> str:
    if clause is None:
        return "defer"
    for pos in NONCOMMITTAL:
        if pos in clause.positions:
            return pos
    return clause.positions[0] if clause.positions else "defer"


def _brief_yaml(case: str, ing: Ingested, index: ClauseIndex) -> str:
    by_key = {c.key: c for c in index.clauses}
    sender, addressee, _ = _case_people(ing)
    # The addressee of the letter answers it himself unless the brief says otherwise.
    data = {"case": case, "version": 1, "date": ing.date or Date.today(), "place": "Paris",
            "signatory": addressee, "addressee": sender}
    data.update({"register": "formal", "languages": ["fr", "en"], "marking": "Diffusion Restreinte",
                 "audience": "internal", "copies": list(ing.copies)})
    data["positions"] = {p.key: _position_for(by_key.get(p.key) if p.match.key else None)
                         for p in ing.proposals}
    data["order"] = [p.key for p in ing.proposals]
    # Opening and closing are this letter's own: case-specific, still to draft.
    data["paragraphs"] = [
        {"key": "reference", "after": "start",
         "fr": TO_BE_DRAFTED.format("reference to the letter of {incoming_date}"),
         "en": TO_BE_DRAFTED.format("reference to the letter of {incoming_date}")},
        {"key": "closing",
         "fr": TO_BE_DRAFTED.format("closing paragraph"),
         "en": TO_BE_DRAFTED.format("closing paragraph")}]
    header = ("# Brief written by `draft ingest` with safe defaults: every position is the\n"
              "# library's most non-committal one (defer / note), new proposals are 'defer'\n"
              "# with a stub clause marked [TO BE DRAFTED: ...]. The addressee of the letter\n"
              "# signs the reply; choose the positions and the signatory before drafting.\n")
    return dump_yaml(data, header)


def _stub_clause(p: IngestedProposal, case: str) -> str:
    mark = TO_BE_DRAFTED.format(p.title["en"])
    both = lambda: {"fr": mark, "en": mark}  # noqa: E731 - fresh dicts: no YAML anchors
    positions = {}
    for pos in STUB_POSITIONS:
        positions[pos] = {"line": both(), "reply": both(),
                          "agenda": {"objective": both(), "lines": both()}}
    data = {"key": p.key, "title": {"fr": mark, "en": p.title["en"]},
            "owner": TO_BE_CHOSEN, "version": 1, "en_renders": 1,
            "agenda": {"purpose": "discussion", "background": both()},
            "positions": positions}
    header = (f"# Stub clause written by `draft ingest` for case {case} (paragraph {p.paragraph}"
              f"{f', bullet {p.bullet}' if p.bullet else ''}).\n# Quote: "
              + " ".join(p.quote.split())[:300] + "\n# Every text is still to be drafted; "
              "not cleared.\n")
    return dump_yaml(data, header)


def ingest(path, case_name=None, root=".") -> Path:
    """Read the letter at `path` and write the case folder root/letters/<case>/.

    Writes letter.txt, letter.yaml and brief.yaml, plus a stub clause
    root/clauses/<key>.yaml for every proposal with no library match (an existing
    clause file is never overwritten). Refuses to overwrite an existing case."""
    path, root = Path(path), Path(root)
    text, kind = read_letter_text(path)
    library = root / "clauses"
    ing = analyse(text, library)
    case = case_name or _case_name(path, ing)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", case) or case in (".", ".."):
        raise InputError(f"'{case}' is not a usable case name", hint="--case NAME: letters, "
                         "digits, '-', '_' and '.', e.g. --case 2022-03-14-trade")
    folder = root / "letters" / case
    if folder.exists():
        raise InputError(f"the case '{case}' exists already", path=folder,
                         hint="choose another name with --case NAME")
    if not ing.proposals:
        raise InputError("no proposal found in the letter", path=path,
                         hint="check the text; a case can also be written by hand")
    index = ClauseIndex(library)
    letter_text, _ = _letter_yaml(case, path, kind, ing)
    brief_text = _brief_yaml(case, ing, index)
    stubs = [(library / f"{p.key}.yaml", _stub_clause(p, case))
             for p in ing.proposals if not p.match.key]
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        raise InputError(f"the case '{case}' exists already", path=folder,
                         hint="choose another name with --case NAME") from None
    except OSError as exc:
        from drafting.errors import EnvironmentProblem
        raise EnvironmentProblem(f"cannot create the case folder ({exc.strerror})", path=folder) from None
    try:
        _write_atomic(folder / "letter.txt", text if text.endswith("\n") else text + "\n")
        _write_atomic(folder / "letter.yaml", letter_text)
        _write_atomic(folder / "brief.yaml", brief_text)
        people = _case_people(ing)[2]
        if people:
            _write_atomic(folder / "people.yaml", dump_yaml(people, (
                "# People of this case that the library does not know (written by draft ingest).\n"
                "# Complete their offices and forms of address, or move them to clauses/people.yaml.\n")))
        for stub_path, stub_text in stubs:
            if not stub_path.exists():
                _write_atomic(stub_path, stub_text)
    except OSError as exc:
        from drafting.errors import EnvironmentProblem
        raise EnvironmentProblem(f"cannot write the case ({exc.strerror})",
                                 path=getattr(exc, "filename", None) or folder) from None
    return folder
