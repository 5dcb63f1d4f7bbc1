"""Who wrote a letter, to whom, where and when, and who has a copy: each from its block.

    read_metadata(header, tail, body, people) -> Metadata

The blocks of a letter, as the analysis splits it (analyse._structure):
  * the head, before the salutation: the letterhead (the sender's office, address and
    country), an addressee block (a line with a form of address: "Monsieur", "Mr",
    "His Excellency" ..., then the office and the address), the date line ("Paris, le
    3 février 2022", "The Hague, 8 November 2021"), a subject line, and in an e-mail
    the From/To/Cc/Date fields (De/À/Cc/Envoyé in French);
  * the tail, after the complimentary close: the signature block (a signature note,
    the name, the office, an address), an addressee block at the foot (the
    suscription), and the copy lines ("Cc:", "Copie :").

Rules: the sender comes from the signature block, the letterhead or the From field,
never from an addressee block; the addressee from the addressee block, the To field
or the salutation; the place from the date line, else the sender's letterhead or
signature address, never from the addressee's address; copies from the copy lines
and a body sentence ("I am copying this letter to ..."). A person the library does
not know comes out with what could be read (name, courtesy, office, country) and the
list of what could not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.ingest.lexicon import deaccent

__all__ = ["Metadata", "PersonRead", "read_metadata", "parse_date", "find_person", "norm"]


@dataclass
class PersonRead:
    key: str | None = None          # the people key, when the library knows the person
    name: str | None = None         # as stated, without the form of address
    courtesy: str | None = None     # Monsieur, Mr, Mme ... as stated
    office: str | None = None
    country: str | None = None
    stated: str = ""                # the line(s) it was read from
    source: str = ""                # where: signature block, letterhead, From field ...
    known_from: str | None = None   # a case whose people file has this person

    @property
    def missing(self) -> list:
        return [f for f in ("name", "office", "country") if not getattr(self, f)]


@dataclass
class Metadata:
    date: object = None
    date_text: str | None = None
    place: str | None = None
    place_from: str = ""
    sender: PersonRead = field(default_factory=PersonRead)
    addressee: PersonRead = field(default_factory=PersonRead)
    copies: list = field(default_factory=list)     # PersonRead
    subject: str | None = None


# -- words ------------------------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m: i + 1 for i, m in enumerate(
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split())})
_MONTHS.update({"fevrier": 2, "aout": 8, "decembre": 12, "sept": 9, "jan": 1, "feb": 2, "mar": 3,
                "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12})
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_RES = [
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?:of\s+)?(?P<m>{_MONTH_ALT})\.?\s*,?\s+"
               rf"(?P<y>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH_ALT})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    re.compile(r"\b(?P<d>\d{1,2})[./](?P<m>\d{1,2})[./](?P<y>\d{4})\b"),
]
COURTESY_RE = re.compile(
    r"^(?:(?:his|her|their|son|sa|leurs?)\s+(?:excellency|excellence)\s+|s\.\s?e\.\s+|h\.\s?e\.\s+)?"
    r"(?:(?:the\s+)?rt\.?\s+hon\.?|monsieur(?:\s+le|\s+la)?|madame(?:\s+la|\s+le)?|mme\.?|mlle\.?|"
    r"m\.|mr\.?|mrs\.?|ms\.?|dr\.?|sir|dame|herr|frau|señor|señora|signor|signora)\s+",
    re.IGNORECASE)
_SIGNATURE_NOTE_RE = re.compile(
    r"^(\[?\(?(a |an )?(hand-?written|manuscript|handwritten|illegible)?\s*signature\b.*|"
    r"\(?signed\)?\.?|\(?signé\)?\.?|\[signature\]|\(s\.\))$", re.IGNORECASE)
_COPY_RE = re.compile(r"^(?:cc|c\.c\.|copy to|copies to|copie à|copies à|copie|copies|"
                      r"pour information|copy)\s*:\s*(.+)$|^cc\s+(.+)$", re.IGNORECASE)
_FIELD_RE = re.compile(r"^(from|de|to|à|a|cc|bcc|cci|sent|envoyé|date|subject|objet|re|réf|"
                       r"ref|our ref|your ref|n/réf|v/réf)\s*:\s*(.*)$", re.IGNORECASE)
_SUBJECT_RE = re.compile(r"^(?:objet|subject|re|concerne)\s*:", re.IGNORECASE)
_NAME_RE = re.compile(
    r"^(?:(?:the\s+)?rt\.?\s+hon\.?\s+|dr\.?\s+|sir\s+|dame\s+|prof\.?\s+)?"
    r"[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:(?:van|von|der|den|de|du|da|di|del|della|le|la|ter|ten|af|bin|al)\s+)*"
    r"[A-ZÀ-Ý][\w'’.-]*){1,3}(?:\s+(?:MP|QC|KC|MdB))?$")
_OFFICE_WORDS = re.compile(
    r"\b(secretary|minister|ministre|président|president|premier|prime|chancellor|commissioner|"
    r"commissaire|ambassador|ambassadeur|director|directeur|directrice|state|état|secrétaire|"
    r"head|chef|governor|taoiseach|tánaiste|chair|chairman|chairwoman|deputy|"
    r"ministro|ministra|minister-president|bundesminister|staatssekretär|cabinet|office|bureau)\b",
    re.IGNORECASE)
_ADDRESS_WORDS = re.compile(
    r"\b(street|road|avenue|place|square|lane|house|building|quai|quay|rue|boulevard|bd|allée|"
    r"chemin|impasse|strasse|straße|straat|plein|laan|weg|plaza|piazza|via|calle|green|"
    r"palais|hôtel|hotel|castle|downing|whitehall|ministry|ministère|department|département|"
    r"bp|cedex|postbus|po box)\b", re.IGNORECASE)
_POSTCODE_RES = [
    ("fr", re.compile(r"^(?:F-)?\d{5}\s+(?P<city>[A-Za-zÀ-ÿ' -]+?)(?:\s+cedex.*)?$", re.I)),
    ("uk", re.compile(r"^(?P<city>[A-Za-z][A-Za-z .'-]*?),?\s+[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$")),
    ("nl", re.compile(r"^\d{4}\s?[A-Z]{2}\s+(?P<city>[A-Za-z' -]+)$")),
    ("be", re.compile(r"^(?:[BL]-)?\d{4}\s+(?P<city>[A-Za-zÀ-ÿ' -]+)$")),
    # "Dublin 2", "Dublin 2, D02 HK52" (an Eircode: routing key, then four characters)
    ("ie", re.compile(r"^(?P<city>Dublin|Cork|Galway|Limerick)(?:\s+\d{1,2}W?)?"
                      r"(?:,?\s+[AC-FHKNPRTV-Y]\d[\dW]\s?[\dAC-FHKNPRTV-Y]{4})?$", re.I)),
    # any other: "Valletta VLT 2000", "1010 Wien", "00-950 Warszawa", "Madrid 28012"
    ("", re.compile(r"^(?P<city>[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]+(?:\s[A-ZÀ-Ý][a-zà-ÿ'-]+)?)\s+"
                    r"(?:[A-Z]{1,3}[\s-]?\d{3,4}|(?!(?:19|20)\d\d$)\d{4,5})$")),
    ("", re.compile(r"^(?:[A-Z]{1,2}-)?\d{2}-?\d{3}\s+(?P<city>[A-ZÀ-Ý][A-Za-zÀ-ÿ' -]+)$")),
]
_STREET_POSTCODE_RE = re.compile(r"(?:^|[,–—-]\s*)(?:[BLF]-)?(?P<code>\d{4,5})\s+"
                                 r"(?P<city>[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]+(?:\s+[A-ZÀ-Ý][A-Za-zÀ-ÿ'-]+)?)")
_PLACE_DATE_RE = re.compile(r"^(?P<place>[A-ZÀ-Ý][\w'’ -]*?(?:\s+\w+)?),\s+(?:le\s+|the\s+|on\s+)?"
                            r"(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|"
                            r"wednesday|thursday|friday|saturday|sunday)\s+)?\d{1,2}", re.I)

# Countries, from the words of a letterhead or signature, and from cities.
COUNTRY_WORDS = [
    ("uk", r"united kingdom|downing street|whitehall|his majesty's|her majesty's|\bhm government|"
           r"foreign,? commonwealth|\bdefra\b|\bbeis\b|department for|home office|\bmp\b|rt\.? hon"),
    ("fr", r"république française|french republic|\bfrance\b|élysée|matignon|quai d'orsay|beauvau"),
    ("be", r"belgi(?:que|um|ë)|royaume de belgique|kingdom of belgium|belgian|belge"),
    ("lu", r"luxembourg"),
    ("nl", r"netherlands|pays-bas|nederland|dutch|néerlandais"),
    ("de", r"germany|deutschland|allemagne|federal ministry|bundesminister|german\b|allemand"),
    ("ie", r"ireland|irlande|éire|an roinn|taoiseach|tánaiste"),
    ("it", r"ital(?:y|ie|ia)|ministero|ministro|italian|italien"),
    ("es", r"spain|españa|espagne|ministerio"),
    ("eu", r"european commission|commission européenne|european council|conseil européen|"
           r"europol|frontex|council of the european union"),
]
# A country as a clause's text names it (noun or adjective, French and English), and as a
# note names it: which counterpart a library text was written for (ingest.write).
COUNTERPART_WORDS = {
    "uk": (r"royaume-uni|united kingdom|britanni\w*|british|londres|london", "the United Kingdom"),
    "es": (r"espagn\w*|spain|spanish", "Spain"),
    "be": (r"belgi\w*|belge\w*", "Belgium"),
    "nl": (r"pays-bas|netherlands|néerlandais\w*|dutch", "the Netherlands"),
    "de": (r"allemagne|allemand\w*|germany|german", "Germany"),
    "it": (r"itali\w*", "Italy"),
    "ie": (r"irlande|irlandais\w*|ireland|irish", "Ireland"),
    "lu": (r"luxembourg\w*", "Luxembourg"),
}
CITY_COUNTRY = {"paris": "fr", "london": "uk", "londres": "uk", "brussels": "be", "bruxelles": "be",
                "brussel": "be", "berlin": "de", "bonn": "de", "the hague": "nl", "la haye": "nl",
                "den haag": "nl", "amsterdam": "nl", "dublin": "ie", "rome": "it", "roma": "it",
                "luxembourg": "lu", "madrid": "es", "edinburgh": "uk", "cardiff": "uk",
                "belfast": "uk", "calais": "fr", "lisbon": "pt", "lisbonne": "pt", "vienna": "at",
                "vienne": "at", "warsaw": "pl", "varsovie": "pl", "copenhagen": "dk", "oslo": "no",
                "stockholm": "se", "bern": "ch", "berne": "ch", "athens": "gr", "athènes": "gr",
                "valletta": "mt", "la valette": "mt", "wien": "at", "warszawa": "pl", "prague": "cz",
                "praha": "cz", "budapest": "hu", "bucharest": "ro", "bucarest": "ro", "sofia": "bg",
                "zagreb": "hr", "ljubljana": "si", "bratislava": "sk", "tallinn": "ee", "riga": "lv",
                "vilnius": "lt", "nicosia": "cy", "nicosie": "cy", "helsinki": "fi", "lisboa": "pt",
                "washington": "us", "ottawa": "ca", "geneva": "ch", "genève": "ch"}


def norm(text: str) -> str:
    text = deaccent(text.replace("’", "'").replace("‘", "'"))
    return " ".join(re.sub(r"[^\w' -]", " ", text.lower()).split())


def parse_date(text: str):
    from datetime import date as Date
    for rx in _DATE_RES:
        for m in rx.finditer(text):
            month = m.group("m")
            month = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
            try:
                return Date(int(m.group("y")), month, int(m.group("d"))), m.group(0)
            except (ValueError, TypeError):
                continue
    return None, None


def _values(node):
    if isinstance(node, dict):
        return [str(v) for v in node.values() if v]
    return [str(node)] if node else []


def find_person(text: str, people: dict, fields=("name",)) -> str | None:
    """The key of the person of `people` whose name (or other field) the text holds."""
    if not text:
        return None
    hay = f" {norm(text)} "
    found = []
    for key, person in people.items():
        if not isinstance(person, dict):
            continue
        for f in fields:
            for value in _values(person.get(f)):
                v = norm(value)
                if v and f" {v} " in hay:
                    found.append((len(v), key))
    return max(found)[1] if found else None


def country_of(text: str) -> str | None:
    low = text.lower()
    for code, words in COUNTRY_WORDS:
        if re.search(words, low):
            return code
    return None


def _city_country(city: str | None) -> str | None:
    return CITY_COUNTRY.get((city or "").strip().lower()) if city else None


def _postcode_city(line: str):
    """(city, country) of a postcode line ("75007 Paris", "London SW1A 2AA",
    "2515 XP The Hague", "Dublin 2"), else (None, None)."""
    line = line.strip()
    for code, rx in _POSTCODE_RES:
        m = rx.match(line)
        if m:
            city = m.group("city").strip(" ,")
            city = " ".join(w if w.isupper() and len(w) <= 3 else w.title() if w.isupper() else w
                            for w in city.split())
            return city, _city_country(city) or (code if code not in ("be", "") else None)
    m = _STREET_POSTCODE_RE.search(line)
    if m and _ADDRESS_WORDS.search(line):
        return m.group("city"), _city_country(m.group("city"))
    return None, None


def _split_person(line: str) -> tuple[str | None, str]:
    """('Monsieur', 'Jean Castex') from 'Monsieur Jean Castex' (and 'His Excellency Mr ...')."""
    text = " ".join(line.split())
    m = COURTESY_RE.match(text)
    if not m:
        return None, text
    rest = text[m.end():]
    # "Monsieur le Président Emmanuel Macron": the office words before the name go
    rest = re.sub(r"^(?:(?:le|la|the)\s+)?(?:président|president|premier ministre|ministre|minister|"
                  r"prime minister)\s+(?=[A-ZÀ-Ý])", "", rest, flags=re.I)
    return m.group(0).strip(), rest.strip()


def _clean_name(text: str) -> str:
    text = re.sub(r"<[^>]*>", "", text)           # an e-mail address
    text = re.sub(r"\[[^\]]*\]|\([^)]*\)", "", text)
    text = text.strip(" ,;:'\"")
    text = re.sub(r"\s+(?:MP|QC|KC|MdB)$", "", text)
    text = re.sub(r"^(?:the\s+)?rt\.?\s+hon\.?\s+", "", text, flags=re.I)
    return " ".join(text.split())


def _looks_like_name(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > 60 or re.search(r"\d", line):
        return False
    courtesy, rest = _split_person(line)
    rest = _clean_name(rest)
    if not rest or _OFFICE_WORDS.search(rest) and not courtesy or _ADDRESS_WORDS.search(rest):
        return False
    return bool(_NAME_RE.match(rest)) or (courtesy is not None and 1 <= len(rest.split()) <= 5)


def _is_office(line: str) -> bool:
    return bool(_OFFICE_WORDS.search(line)) and not re.search(r"\d", line) and len(line) < 160


def _is_address(line: str) -> bool:
    return bool(_ADDRESS_WORDS.search(line) or re.search(r"\d", line) or _postcode_city(line)[0]
                or re.fullmatch(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?", line.strip())
                and (line.strip().lower() in CITY_COUNTRY or country_of(line)))


# -- the blocks -------------------------------------------------------------------------

def _lines(blocks) -> list[tuple[int, str]]:
    """(block index, line) for every line of the blocks."""
    return [(i, ln.strip()) for i, b in enumerate(blocks) for ln in b if ln.strip()]


def _addressee_block(lines, start_at=0, skip=()) -> tuple[int, int] | None:
    """(first, last+1) of an addressee block among `lines`: a line with a form of
    address and a name, then office and address lines."""
    for i in range(start_at, len(lines)):
        if i in skip:
            continue
        _, text = lines[i]
        if _FIELD_RE.match(text) or _COPY_RE.match(text):
            continue
        courtesy, rest = _split_person(text)
        if courtesy is None or not rest or parse_date(text)[0]:
            continue
        if not _looks_like_name(text):
            continue
        end = i + 1
        while end < len(lines) and end - i < 8:
            t = lines[end][1]
            if (parse_date(t)[0] or _SUBJECT_RE.match(t) or _FIELD_RE.match(t) or _COPY_RE.match(t)
                    or len(t) > 110 or COURTESY_RE.match(t) and _looks_like_name(t)):
                break
            end += 1
        return i, end
    return None


def _read_person_block(lines, first, end, people, source) -> PersonRead:
    text = lines[first][1]
    courtesy, rest = _split_person(text)
    who = PersonRead(name=_clean_name(rest), courtesy=courtesy, stated=text, source=source)
    block = [t for _, t in lines[first:end]]
    for t in block[1:]:
        if _is_office(t) and not _postcode_city(t)[0] and not who.office:
            who.office = t.strip(" ,")
    for t in block[1:]:
        city, country = _postcode_city(t)
        if country and not who.country:
            who.country = country
        c = country_of(t) if len(t.split()) <= 3 else None
        if c and not who.country:
            who.country = c
    who.key = find_person(text, people) or find_person(" ".join(block[:2]), people)
    return who


def _fields(lines) -> dict:
    out = {}
    for _, text in lines:
        m = _FIELD_RE.match(text)
        if m:
            name = m.group(1).lower()
            name = {"de": "from", "à": "to", "a": "to", "envoyé": "sent", "objet": "subject",
                    "re": "subject", "cci": "bcc"}.get(name, name)
            out.setdefault(name, m.group(2).strip())
    return out


def _person_from_field(value: str, people, source) -> PersonRead:
    name = _clean_name(value.split(";")[0])
    courtesy, rest = _split_person(name)
    who = PersonRead(name=_clean_name(rest), courtesy=courtesy, stated=value, source=source)
    who.key = find_person(value, people)
    return who


def _copies(texts, people) -> list:
    out, seen = [], set()
    for raw in texts:
        parts = [p for p in re.split(r"\s*;\s*|\s+/\s+", raw) if p.strip()]
        if len(parts) == 1 and raw.count(",") and not _OFFICE_WORDS.search(raw.split(",")[0]):
            # "Ylva Johansson, Annelies Verlinden" or "Mr X, Minister of Y": names split on
            # commas only where each piece is a name
            pieces = [p.strip() for p in raw.split(",")]
            if all(_looks_like_name(p) for p in pieces):
                parts = pieces
        for part in parts:
            part = _clean_name(part.strip().rstrip("."))
            if not part:
                continue
            courtesy, rest = _split_person(part)
            name, _, office = rest.partition(",")
            name = _clean_name(name)
            key = find_person(part, people) or find_person(
                part, people, fields=("office", "with_article", "office_short"))
            who = PersonRead(key=key, courtesy=courtesy, stated=part, source="copy line")
            if _looks_like_name(name) and not _OFFICE_WORDS.search(name.split()[0] if name else ""):
                who.name = name
                who.office = office.strip() or None
            else:
                who.office = re.sub(r"^(?:the|le|la|l')\s*", "", part, flags=re.I).strip() or None
            marker = key or norm(part)
            if marker not in seen:
                seen.add(marker)
                out.append(who)
    return out


def read_metadata(header, tail, body_texts, salutation, people) -> Metadata:
    """Read the metadata from the head and tail blocks (lists of lines) and the body's
    paragraph texts."""
    meta = Metadata()
    head = _lines(header)
    foot = _lines(tail)
    fields = _fields(head)
    # -- date and place: the date line first ------------------------------------------
    date_line = None
    for source, lines in (("head", head), ("tail", foot)):
        for idx, (_, text) in enumerate(lines):
            if _FIELD_RE.match(text) and not text.lower().startswith(("date", "sent", "envoy")):
                continue
            d, raw = parse_date(text)
            if d:
                meta.date, meta.date_text = d, raw
                date_line = (source, idx, text)
                break
        if meta.date:
            break
    if date_line:
        m = _PLACE_DATE_RE.match(date_line[2])
        if m and not _FIELD_RE.match(date_line[2]):
            meta.place, meta.place_from = m.group("place").strip(), "date line"
    # -- the addressee: the addressee block (head, else foot), the To field ------------
    blocks, at = [], 0
    while True:
        found = _addressee_block(head, start_at=at)
        if not found:
            break
        blocks.append(found)
        at = found[1]
    block = None
    # -- the signature block: the tail up to an addressee block or the copy lines -------
    sig_end = len(foot)
    foot_block = None
    for i, (_, text) in enumerate(foot):
        if _COPY_RE.match(text):
            sig_end = min(sig_end, i)
            break
    fb = _addressee_block(foot, start_at=1)
    if fb and fb[0] < sig_end:
        foot_block, sig_end = fb, fb[0]
    elif fb:
        foot_block = fb
    sender = PersonRead(source="signature block")
    sig = [t for _, t in foot[:sig_end]]
    quoted = None
    for t in sig:
        q = re.search(r"signature.*?['\"‘“]([^'\"’”]{3,60})['\"’”]", t, re.I)
        if q:
            quoted = q.group(1).strip()
    name_at = None
    for i, t in enumerate(sig):
        if _SIGNATURE_NOTE_RE.match(t) or re.search(r"\bsignature\b", t, re.I):
            continue
        if _looks_like_name(t) and not _is_office(_split_person(t)[1]):
            name_at = i
            break
    if name_at is not None:
        courtesy, rest = _split_person(sig[name_at])
        sender.name, sender.courtesy, sender.stated = _clean_name(rest), courtesy, sig[name_at]
        rest_lines = sig[name_at + 1:]
    else:
        rest_lines = sig
        if quoted:
            sender.name, sender.stated = quoted, quoted
    for t in rest_lines:
        if _is_office(t) and not sender.office and not _postcode_city(t)[0]:
            sender.office = t.strip(" ,")
    for t in reversed(sig[:name_at or 0]):   # "Le ministre de l'Intérieur" above the name
        if _is_office(t) and not sender.office and not _SIGNATURE_NOTE_RE.match(t):
            sender.office = re.sub(r"^(?:the|le|la|l')\s+", "", t.strip(" ,"), flags=re.I)
    sig_place = None
    for t in rest_lines:
        city, country = _postcode_city(t)
        if city and not sig_place:
            sig_place = (city, country)
    # the addressee block of the head: of several blocks naming a person ("The Rt Hon
    # Kwasi Kwarteng MP / Secretary of State" under the letterhead, then "Madame Barbara
    # Pompili / Ministre ... / 75007 Paris"), the one that is not the signatory's and
    # holds an address; else the one at the foot (the suscription)
    signer = norm(sender.name or quoted or "")
    def _theirs(b, lines):
        return signer and signer in norm(" ".join(t for _, t in lines[b[0]:b[0] + 1]))
    own = [b for b in blocks if not _theirs(b, head)]
    with_address = [b for b in own if any(_is_address(t) for _, t in head[b[0] + 1:b[1]])]
    block = (with_address or own or [None])[0]
    if block:
        meta.addressee = _read_person_block(head, block[0], block[1], people, "addressee block")
    elif foot_block:
        meta.addressee = _read_person_block(foot, foot_block[0], foot_block[1], people,
                                            "addressee block at the foot")
    skip_head = set(range(*block)) if block else set()
    for b in blocks:
        if b is not block and _theirs(b, head) and not sender.office:
            sender.office = next((t for _, t in head[b[0] + 1:b[1]] if _is_office(t)), None)
    # the letterhead: the head's lines but the addressee block, the fields and the date
    letterhead = [t for i, (_, t) in enumerate(head) if i not in skip_head
                  and not _FIELD_RE.match(t) and not parse_date(t)[0] and not _SUBJECT_RE.match(t)]
    if not sender.name:
        for t in letterhead:
            if re.search(r"\brt\.?\s+hon\b", t, re.I) or (_looks_like_name(t) and COURTESY_RE.match(t)):
                courtesy, rest = _split_person(t)
                sender.name, sender.stated, sender.source = _clean_name(rest), t, "letterhead"
                break
    if fields.get("from"):
        from_person = _person_from_field(fields["from"], people, "From field")
        if not sender.name:
            sender = from_person
        elif not sender.key and from_person.key:
            sender.key = from_person.key
    sender.key = sender.key or find_person(sender.name or "", people) or (
        find_person(quoted or "", people))
    if not sender.key and not sender.name:
        for t in letterhead:       # "THE PRIME MINISTER" with a known name nowhere: leave it
            key = find_person(t, people)
            if key:
                sender.key, sender.stated, sender.source = key, t, "letterhead"
                break
    if not sender.office:
        offices = [t for t in letterhead if _is_office(t) and not re.match(r"^from\b", t, re.I)]
        if offices:
            sender.office = re.sub(r"^(?:the|le|la|l')\s+", "", offices[-1], flags=re.I).strip()
            if sender.office.isupper():
                sender.office = sender.office.title()
    # the place: the date line, else the letterhead's address, else the signature's
    if not meta.place:
        for t in letterhead:
            city, _country = _postcode_city(t)
            if city:
                meta.place, meta.place_from = city, "letterhead"
                break
    if not meta.place and sig_place:
        meta.place, meta.place_from = sig_place[0], "signature block"
    letterhead_text = "\n".join(letterhead + sig)
    sender.country = (country_of(letterhead_text) or _city_country(meta.place)
                      or (sig_place[1] if sig_place else None))
    if sender.key and isinstance(people.get(sender.key), dict):
        sender.country = sender.country or str(people[sender.key].get("country") or "") or None
    meta.sender = sender
    # the addressee from the To field or the salutation, when no block named one
    if not meta.addressee.name and not meta.addressee.key and fields.get("to"):
        meta.addressee = _person_from_field(fields["to"], people, "To field")
    if not meta.addressee.key and salutation:
        key = find_person(salutation.rstrip(",:! "), people, fields=("familiar",))
        if key and key != sender.key and (not meta.addressee.name or find_person(
                meta.addressee.name, people) in (None, key)):
            meta.addressee.key = key
            meta.addressee.source = meta.addressee.source or "salutation"
    if meta.addressee.key == sender.key and sender.key:
        meta.addressee.key = None
    if not meta.addressee.name and not meta.addressee.key and salutation:
        meta.addressee.stated = salutation
        meta.addressee.source = "salutation"
        m = re.match(r"^(?:dear|cher|chère|my dear|mon cher|ma chère)\s+(.+?)[,:!]?$", salutation, re.I)
        if m and not _OFFICE_WORDS.search(m.group(1)):
            meta.addressee.name = m.group(1)
    if not meta.addressee.country and meta.addressee.key and isinstance(people.get(meta.addressee.key), dict):
        meta.addressee.country = str(people[meta.addressee.key].get("country") or "") or None
    # copies
    texts = []
    if fields.get("cc"):
        texts.append(fields["cc"])
    for _, t in foot + [(0, t) for _, t in head if not _FIELD_RE.match(t)]:
        m = _COPY_RE.match(t)
        if m:
            texts.append(m.group(1) or m.group(2))
    for para in body_texts:
        m = re.search(r"\b(?:i am|i'm|i have|we are)\s+(?:also\s+)?(?:copying|sending (?:a )?cop(?:y|ies) of)\s+"
                      r"(?:this letter|this|it)\s+to\s+(.+?)[.]?$", para.replace("’", "'"), re.I)
        m = m or re.search(r"\b(?:copie de (?:la présente|cette lettre) (?:est adressée|à)|"
                           r"j'adresse (?:une )?copie de (?:la présente|cette lettre))\s+(?:à\s+)?(.+?)[.]?$",
                           para.replace("’", "'"), re.I)
        if m:
            texts.append(m.group(1))
    meta.copies = [c for c in _copies(texts, people)
                   if not (c.key and c.key in (sender.key, meta.addressee.key))]
    if fields.get("subject"):
        meta.subject = fields["subject"]
    return meta
