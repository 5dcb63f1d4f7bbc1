"""Write a new case from an incoming letter, all or nothing, into the case's own folder.

    ingest(path, case_name, root) -> Path of letters/<case>/

The case holds everything ingest writes: letter.txt, letter.yaml, brief.yaml, the
people the shared library does not know (people.yaml), a stub clause for every new
proposal (clauses/<key>.yaml) and the ingest report (ingest.md). The shared library
(clauses/) and every other case are never written: the case's clauses and people
overlay the shared ones when the case is loaded, and a drafted clause or a person
reaches the shared library only through `draft clause promote` / `draft people
promote` (edit.py). The folder is made in a temporary folder beside it and renamed
into place once complete (store/atomic.create_folder).
"""
from __future__ import annotations

import re
from datetime import date as Date
from pathlib import Path

from drafting.errors import EnvironmentProblem, InputError
from drafting.ingest.analyse import (
    TO_BE_CHOSEN,
    TO_BE_DRAFTED,
    ClauseIndex,
    Ingested,
    IngestedProposal,
    _people,
    analyse,
    read_mapping,
    slug,
)
from drafting.ingest.metadata import COUNTERPART_WORDS, COURTESY_RE, PersonRead, norm
from drafting.ingest.readers import read_letter_text
from drafting.inputs.library import POSITION_TO_CHOOSE
from drafting.store.read import read_utf8
from drafting.store.yamlfile import dump  # the store's one emitter: checks the text reads back

__all__ = ["ingest", "ingest_case", "IngestResult", "person_entry", "stub_clause",
           "known_people", "NONCOMMITTAL", "STUB_POSITIONS", "position_for", "proposal_item",
           "stand_in_note"]

NONCOMMITTAL = ("defer", "note")
# A salutation on first-name terms ("Monsieur le Ministre, cher Gérald,", "Dear Boris,").
_FIRST_NAME_TERMS = re.compile(
    r"\b(?:[Cc]her|[Cc]hère|[Dd]ear)\s+(?!(?:Minist|Presid|Présid|Commiss|Ambassad|Secretar|"
    r"Colleague|Collègue|Sir|Madam|Ami|Amie|Friend)\w*\b)[A-ZÀ-Ý][a-zà-ÿ-]+\s*,?\s*$")
# Where a clause has neither: the position that stands in, the least binding first.
STAND_IN = ("refer-to-eu", "counter", "accept-with-conditions", "welcome", "accept", "decline")
STUB_POSITIONS = ("welcome", "accept-with-conditions", "decline", "defer")
_CASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


# -- people ---------------------------------------------------------------------------

_FEMININE = re.compile(r"^(?:madame|mme|mrs|ms|miss|mlle|dame|frau|señora|signora)\b|^(?:her|sa)\s", re.I)
_MASCULINE = re.compile(r"^(?:monsieur|mr|sir|herr|señor|signor)\b|^m\.(?:\s|$)|^(?:his|son)\s", re.I)
_RANKS = [
    ("head-of-institution", r"president of the european (?:council|commission)|président(?:e)? du conseil européen|"
                            r"président(?:e)? de la commission"),
    ("commissioner", r"commissioner|commissaire"),
    ("head-of-state", r"^(?:the\s+|le\s+|la\s+)?(?:president|président|présidente|king|queen|roi|reine|"
                      r"grand[- ]duke|grand-duc)\b"),
    ("head-of-government", r"prime minister|premier ministre|première ministre|chancellor|chancelier|"
                           r"taoiseach|presidente del consiglio"),
    ("ambassador", r"ambassador|ambassadeur|ambassadrice"),
    ("minister", r"minist|secretary of state|secrétaire d'état|state secretary|staatssekretär|"
                 r"minister of state"),
]
_COURTESY_FORMS = {"f": {"fr": "Mme", "en": "Ms"}, "m": {"fr": "M.", "en": "Mr"}}


def _gender(who: PersonRead, salutation: str | None) -> str | None:
    for text in (who.courtesy or "", who.stated or ""):
        if _FEMININE.search(text):
            return "f"
        if _MASCULINE.search(text):
            return "m"
    if salutation and who.source in ("addressee block", "addressee block at the foot", "To field",
                                     "salutation"):
        if re.match(r"^(?:chère|madame|dear madam|ma chère)\b", salutation, re.I):
            return "f"
        if re.match(r"^(?:cher|monsieur|dear sir|mon cher)\b", salutation, re.I):
            return "m"
    return None


def _rank(office: str | None) -> str | None:
    for rank, words in _RANKS:
        if office and re.search(words, office, re.I):
            return rank
    return None


def _office_lang(office: str) -> str | None:
    """The language an office is written in: fr, en, or None (another: "Il Ministro")."""
    if re.search(r"\b(ministre|secrétaire|premier ministre|président|chargé|auprès|"
                 r"de l'|de la|du|des|d'état|ambassadeur|commissaire)\b", office, re.I):
        return "fr"
    if re.search(r"\b(minister|secretary|of|for|the|and|state|president|prime|ambassador|"
                 r"commissioner|chancellor|delegate|deputy)\b", office, re.I):
        return "en"
    return None


def person_entry(who: PersonRead, role: str, salutation=None) -> tuple[dict, list]:
    """A people.yaml entry for a person the library does not know, with every field
    that could be read, the others marked [TO BE DRAFTED: ...]; and the list of what
    could not be read."""
    name = who.name or TO_BE_DRAFTED.format(role)
    missing = []
    entry: dict = {"name": {"fr": name, "en": name}}
    gender = _gender(who, salutation)
    if gender:
        entry["gender"] = gender
        entry["courtesy"] = dict(_COURTESY_FORMS[gender])
    else:   # never guessed: the forms that depend on it say so
        missing.append("gender (Monsieur / Madame)")
        entry["courtesy"] = {"fr": TO_BE_DRAFTED.format("M. or Mme"),
                             "en": TO_BE_DRAFTED.format("Mr or Ms")}
        entry["address"] = {"fr": TO_BE_DRAFTED.format("Monsieur le ... or Madame la ..."),
                            "en": TO_BE_DRAFTED.format("form of address")}
        entry["suscription"] = {"fr": [f"{TO_BE_DRAFTED.format('Monsieur or Madame')} {name}"],
                                "en": [f"{TO_BE_DRAFTED.format('Mr or Ms')} {name}"]}
    if who.country:
        entry["country"] = who.country
    else:
        missing.append("country")
    rank = _rank(who.office)
    if rank:
        entry["rank"] = rank
    else:
        missing.append("rank (head-of-state, head-of-government, minister, ambassador)")
    lang = _office_lang(who.office) if who.office else None
    if lang:
        other = "en" if lang == "fr" else "fr"
        office = who.office[:1].lower() + who.office[1:] if lang == "fr" else who.office
        entry["office"] = {lang: office, other: TO_BE_DRAFTED.format(f"office in {other}: {who.office}")}
        entry["office"] = {"fr": entry["office"]["fr"], "en": entry["office"]["en"]}
        missing.append(f"office in {'English' if other == 'en' else 'French'} (read: {who.office})")
    elif who.office:   # in a third language: both texts to write, never translated here
        entry["office"] = {lang: TO_BE_DRAFTED.format(f"office in {lang}: {who.office}") for lang in ("fr", "en")}
        missing.append(f"office in French and English (read: {who.office})")
    else:
        entry["office"] = {"fr": TO_BE_DRAFTED.format("office"), "en": TO_BE_DRAFTED.format("office")}
        missing.append("office")
    if "suscription" in entry:   # the addressee block: the name line, then the office
        for lang in ("fr", "en"):
            office = entry["office"][lang]
            entry["suscription"][lang].append(office[:1].upper() + office[1:])
        entry["suscription"] = entry.pop("suscription")
    if not who.name:
        missing.insert(0, "name")
    return entry, missing


def _person_key(who: PersonRead, role: str) -> str:
    # every word of a name, stop words too: "bruno-le-maire"
    return slug(COURTESY_RE.sub("", who.name or ""), 4, stop=()) or role


def known_people(root: Path, exclude: str | None = None) -> dict:
    """People written into earlier cases (letters/*/people.yaml): {key: (case, entry)}."""
    out = {}
    for path in sorted((Path(root) / "letters").glob("*/people.yaml")):
        case = path.parent.name
        if case == exclude:
            continue
        for key, entry in (read_mapping(path) or {}).items():
            if isinstance(entry, dict):
                out.setdefault(str(key), (case, entry))
    return out


def _earlier(who: PersonRead, earlier: dict):
    """(key, case, entry) of a person of an earlier case with the same name."""
    if not who.name:
        return None
    want = norm(who.name)
    for key, (case, entry) in earlier.items():
        names = entry.get("name") if isinstance(entry.get("name"), dict) else {"x": entry.get("name")}
        if any(norm(str(n)) == want for n in names.values() if n):
            return key, case, entry
    return None


# -- the case's files -------------------------------------------------------------------

class IngestResult:
    """What ingest wrote and found, for the command line."""

    def __init__(self, folder, ingested, report, people_notes, stubs):
        self.folder, self.ingested, self.report = folder, ingested, report
        self.people_notes, self.stubs = people_notes, stubs


def _case_name(path: Path, ing: Ingested) -> str:
    base = ing.date.isoformat() if ing.date else "undated"
    who = ing.sender or slug(ing.meta.sender.name or "", 2) or slug(path.stem, 3)
    return f"{base}-{who}" if who else base


def _people_of(ing: Ingested, library_people: dict, earlier: dict):
    """Keys of sender, addressee and copies; entries for this case's people.yaml; notes."""
    entries, notes, keys = {}, [], {}
    taken = set(library_people)
    roles = [("sender", ing.meta.sender), ("addressee", ing.meta.addressee)]
    roles += [(f"copy {i}", c) for i, c in enumerate(ing.meta.copies, 1)]
    for role, who in roles:
        if who.key:
            keys[role] = who.key
            continue
        if role.startswith("copy") and not who.name:
            continue    # a copy to an office, with no name: kept as stated, not a person
        found = _earlier(who, earlier)
        if found:
            key, case, entry = found
            if key in taken and key not in entries:
                key = f"{key}-{case}"
            entries[key] = entry
            keys[role] = key
            notes.append((role, key, f"known from case {case}: its entry is copied here; "
                          f"`draft people promote {found[0]} --case {case}` shares it with every case",
                          []))
            taken.add(key)
            continue
        key = _person_key(who, role.split()[0])
        base, n = key, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        entry, missing = person_entry(who, role.split()[0], ing.salutation)
        entries[key] = entry
        keys[role] = key
        taken.add(key)
        notes.append((role, key, f"not in clauses/people.yaml: read from the {who.source or 'letter'}"
                      + (f" (\u201c{who.stated}\u201d)" if who.stated else ""), missing))
    return keys, entries, notes


def position_for(clause) -> str:
    """The brief's safe default for a proposal: its clause's most non-committal
    position (defer, note), "defer" for a new proposal (clause None); for a clause with
    neither, the least binding it has (STAND_IN), which stand_in_note flags."""
    if clause is None:
        return "defer"
    for pos in NONCOMMITTAL + STAND_IN:
        if pos in clause.positions:
            return pos
    return clause.positions[0] if clause.positions else "defer"


def stand_in_note(key, clause, other=None) -> str | None:
    """The brief's note on a position that only stands in (its clause has no non-committal
    one): text still to draft, so draft check reports it and no document goes out with it
    until a drafter chooses (draft set position removes the note). It also says when the
    clause's text was written for another counterpart than the letter's (`other`, what
    written_for found)."""
    if clause is None or not clause.positions or any(p in clause.positions for p in NONCOMMITTAL):
        return None
    also = (f"; its text was written for {other[0]} (named {other[1]} times), this letter "
            f"comes from {other[2]}: check that it fits") if other else ""
    return POSITION_TO_CHOOSE.format(position=position_for(clause), key=key, also=also,
                                     positions=", ".join(clause.positions))


def written_for(clause, sender_country) -> tuple | None:
    """(name, times, the letter's country) of the foreign country a library clause's file
    names most, at
    least four times (its texts are in two languages), when that is not the letter's
    country: a France-UK text matched by a letter from Madrid. None when it fits, or
    when the letter's country is not known."""
    if clause is None or not sender_country or sender_country == "fr":
        return None
    text = read_utf8(clause.path, what="clause file").lower()
    counts = {code: len(re.findall(rf"\b(?:{words})\b", text))
              for code, (words, _name) in COUNTERPART_WORDS.items()}
    code, times = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if times < 4 or code == sender_country:
        return None
    letter = COUNTERPART_WORDS[sender_country][1] if sender_country in COUNTERPART_WORDS \
        else str(sender_country)
    return COUNTERPART_WORDS[code][1], times, letter


def stub_clause(p: IngestedProposal, case: str, lang: str) -> str:
    """A stub clause of the case for a new proposal: every text visibly still to draft."""
    own = p.title.get(lang) or p.key
    mark = TO_BE_DRAFTED.format(own)
    both = lambda: {"fr": mark, "en": mark}  # noqa: E731 - fresh dicts: no YAML anchors
    positions = {}
    for pos in STUB_POSITIONS:
        positions[pos] = {"line": both(), "reply": both(),
                          "agenda": {"objective": both(), "lines": both()}}
    data = {"key": p.key, "title": dict(p.title), "owner": TO_BE_CHOSEN, "version": 1,
            "en_renders": 1, "agenda": {"purpose": "discussion", "background": both()},
            "positions": positions}
    header = (f"# Stub clause of case {case}, written by `draft ingest` (paragraph {p.paragraph}"
              f"{f', item {p.bullet}' if p.bullet else ''}, line {p.line} of letter.txt).\n# Quote: "
              + " ".join(p.quote.split())[:300] + "\n# Every text is still to be drafted; not "
              "cleared. Once drafted and owned: draft clause promote " + p.key + " --case "
              + case + "\n")
    return dump(data, header)


def proposal_item(p: IngestedProposal) -> dict:
    """A proposal of letter.yaml, with how ingest found and matched it."""
    item = {"key": p.key, "title": dict(p.title), "paragraph": p.paragraph}
    if p.bullet:
        item["bullet"] = p.bullet
    item["quote"] = p.quote
    found = {"match": p.match.key or "new", "score": p.match.score,
             "matched_words": list(p.match.words[:12]), "line": p.line, "why": p.why}
    if not p.match.key and p.match.best:
        found["closest"] = p.match.best
        found["why_not"] = p.match.reason
    item["ingested"] = found
    return item


def _letter_yaml(case: str, source: Path, kind: str, ing: Ingested, keys: dict) -> str:
    data = {"case": case, "text": "letter.txt", "sender": keys["sender"],
            "addressee": keys["addressee"]}
    if ing.date:
        data["date"] = ing.date
    if ing.place:
        data["place"] = ing.place
    data["language"] = ing.language
    if ing.salutation:
        data["salutation"] = ing.salutation
    if ing.close:
        data["close"] = ing.close
    data["copies"] = [keys[r] for r in keys if r.startswith("copy")]
    info = {"from": source.name, "kind": kind, "sender_stated": ing.meta.sender.stated or None,
            "addressee_stated": ing.meta.addressee.stated or None, "date_stated": ing.meta.date_text,
            "place_from": ing.meta.place_from or None,
            "copies_stated": [c.stated for c in ing.meta.copies],
            "paragraphs": len(ing.paragraphs)}
    data["ingested"] = {k: v for k, v in info.items() if v not in (None, [], "")}
    data["proposals"] = [proposal_item(p) for p in ing.proposals]
    header = ("# The incoming letter of the case, written by `draft ingest` from "
              f"{source.name}.\n# Check every field (ingest.md says how each was read): proposals "
              "marked 'match: new' have a\n# stub clause in clauses/ to draft; paragraphs are "
              "counted from the first after the salutation.\n")
    return dump(data, header)


def _brief_yaml(case: str, ing: Ingested, index: ClauseIndex, keys: dict, reply_date,
                others=None) -> str:
    # The addressee of the letter answers it himself unless the brief says otherwise.
    data = {"case": case, "version": 1, "date": reply_date, "place": "Paris",
            "signatory": keys["addressee"], "addressee": keys["sender"]}
    data.update({"register": "formal", "languages": ["fr", "en"], "marking": "Diffusion Restreinte",
                 "audience": "internal", "copies": [keys[r] for r in keys if r.startswith("copy")]})
    data["positions"] = {p.key: position_for(index.by_key.get(p.key) if p.match.key else None)
                         for p in ing.proposals}
    notes = {p.key: stand_in_note(p.key, index.by_key.get(p.key), (others or {}).get(p.key))
             for p in ing.proposals if p.match.key}
    if any(notes.values()):
        data["notes"] = {k: v for k, v in notes.items() if v}
    data["order"] = [p.key for p in ing.proposals]
    data["paragraphs"] = [
        {"key": "reference", "after": "start",
         "fr": TO_BE_DRAFTED.format("reference to the letter of {incoming_date}"),
         "en": TO_BE_DRAFTED.format("reference to the letter of {incoming_date}")},
        {"key": "closing",
         "fr": TO_BE_DRAFTED.format("closing paragraph"),
         "en": TO_BE_DRAFTED.format("closing paragraph")}]
    data["documents"] = ["reply"]
    header = ("# Brief written by `draft ingest` with safe defaults: every position is the\n"
              "# library's most non-committal one (defer / note), new proposals are 'defer'\n"
              "# with a stub clause of this case marked [TO BE DRAFTED: ...]; where a clause\n"
              "# has neither, its least binding position stands in, with a note to draft that\n"
              "# draft check reports until you choose (draft set position). The addressee of\n"
              "# the letter signs the reply, dated the day of the ingest (--reply-date): choose\n"
              "# the positions, the signatory and the date before drafting. The pack holds the\n"
              "# reply only: add a meeting or agreements (documents:, agreements: {kinds: [...]})\n"
              "# when the case needs them.\n")
    return dump(data, header)


def _people_yaml(entries: dict, notes) -> str:
    lines = ["# People of this case that clauses/people.yaml does not know, written by draft ingest",
             "# with every field it could read; complete the fields marked [TO BE DRAFTED: ...],",
             "# then share a person with every case: draft people promote KEY --case <this case>."]
    for role, key, note, missing in notes:
        if key in entries:
            lines.append(f"#   {key} ({role}): {note}")
            if missing:
                lines.append(f"#     not read: {'; '.join(missing)}")
    return dump(entries, "\n".join(lines) + "\n")


def _elsewhere(others) -> list:
    """Report lines: each matched clause whose text was written for another counterpart."""
    return [f"- **{key}**: its library text names {other[0]} {other[1]} times; this letter "
            f"comes from {other[2]}: read it before choosing its position"
            for key, other in others.items() if other]


def _report(case, source, kind, ing: Ingested, keys, notes, reply_date, elsewhere=()) -> str:
    """ingest.md: how each field was read, every proposal and why, every candidate
    dropped and why, with the line to restore it from."""
    def who(role, read):
        key = keys.get(role)
        said = f"**{key}**" if key else "(none)"
        bits = [f"{read.name}" if read.name else None, read.office, read.country]
        stated = ", ".join(b for b in bits if b)
        return f"- {role}: {said}" + (f" — {stated}" if stated else "") + \
            (f" (from the {read.source})" if read.source else "")
    out = [f"# Ingest report: case {case}", "",
           f"Read from `{source.name}` ({kind}), {len(ing.paragraphs)} paragraphs, language "
           f"{ing.language}. Line numbers are those of `letter.txt`.", "", "## Letter", ""]
    out.append(f"- date: {ing.date.isoformat() if ing.date else '(not found)'}"
               + (f" (\u201c{ing.meta.date_text}\u201d)" if ing.meta.date_text else ""))
    out.append(f"- place: {ing.place or '(not found)'}"
               + (f" (from the {ing.meta.place_from})" if ing.meta.place_from else ""))
    out.append(who("sender", ing.meta.sender))
    out.append(who("addressee", ing.meta.addressee))
    for i, c in enumerate(ing.meta.copies, 1):
        key = keys.get(f"copy {i}")
        out.append(f"- copy: {f'**{key}**' if key else '(an office, no person)'} — \u201c{c.stated}\u201d")
    out.append(f"- salutation: {ing.salutation or '(not found)'}; close: {ing.close or '(not found)'}")
    if ing.salutation and _FIRST_NAME_TERMS.search(ing.salutation):
        out.append("  - the letter calls its reader by the first name: the brief's register is "
                   "formal (the safe default); `draft set register familiar` answers in kind")
    out.append(f"- reply: signed by **{keys['addressee']}**, addressed to **{keys['sender']}**, "
               f"dated {reply_date.isoformat()} (brief.yaml)")
    if notes:
        out += ["", "## People to complete (people.yaml)", ""]
        for role, key, note, missing in notes:
            out.append(f"- {key} ({role}): {note}")
            for m in missing:
                out.append(f"  - not read: {m}")
    out += ["", "## Proposals", "", "| # | key | where | line | match | why |", "|---|---|---|---|---|---|"]
    for n, p in enumerate(ing.proposals, 1):
        where = f"§{p.paragraph}" + (f".{p.bullet}" if p.bullet else "")
        if p.match.key:
            match = f"{p.match.key} (score {p.match.score:g}: {', '.join(p.match.words[:6])})"
        else:
            match = "new: stub in clauses/" + (f" (closest {p.match.best}: {p.match.reason})"
                                               if p.match.best else "")
        out.append(f"| {n} | {p.key} | {where} | {p.line} | {match} | {p.why} |".replace("\n", " "))
    if elsewhere:
        out += ["", "## Library texts written for another counterpart", "", *elsewhere]
    out += ["", "## Not kept", ""]
    if ing.dropped:
        out.append("Sentences that looked like proposals and were left out, with the reason. "
                   "To restore one: `draft proposal add --case " + case + " --from-line N`.")
        out.append("")
        for d in ing.dropped:
            where = f"§{d.paragraph}" + (f".{d.bullet}" if d.bullet else "")
            out.append(f"- line {d.line} ({where}): \u201c{' '.join(d.text.split())}\u201d — {d.reason}")
    else:
        out.append("Nothing: every sentence that looked like a proposal is one above.")
    return "\n".join(out) + "\n"


MAX_PROPOSALS = 200  # a letter with more is not a letter (a 10 MB text made 14,760)


def ingest_case(path, case_name=None, root=".", reply_date=None) -> IngestResult:
    """Read the letter at `path` and write the case root/letters/<case>/ (all or
    nothing). Refuses an existing case and a letter with no proposal; errors name the
    input file (and its line where there is one)."""
    path, root = Path(path), Path(root)
    text, kind = read_letter_text(path)
    library = root / "clauses"
    people = _people(library)
    index = ClauseIndex(library)
    ing = analyse(text, library, people=people, index=index)
    case = case_name or _case_name(path, ing)
    if not _CASE_NAME.fullmatch(case) or case in (".", ".."):
        raise InputError(f"'{case}' is not a usable case name", hint="--case NAME: letters, "
                         "digits, '-', '_' and '.', e.g. --case 2022-03-14-trade")
    folder = root / "letters" / case
    if folder.exists():
        raise InputError(f"the case '{case}' exists already", path=folder,
                         hint="choose another name with --case NAME")
    if not ing.proposals:
        first = ing.paragraphs[0].line if ing.paragraphs else None
        raise InputError("no proposal found in the letter", path=path, line=first if kind == "txt" else None,
                         hint="check the text; a case can also be written by hand")
    if len(ing.proposals) > MAX_PROPOSALS:
        raise InputError(f"refused: {len(ing.proposals)} proposals found in the letter (the limit "
                         f"is {MAX_PROPOSALS})", path=path,
                         hint="a letter makes a few dozen proposals at most: is this the right "
                         "file? Split a long text into letters, or write the case by hand")
    reply_date = reply_date or max(Date.today(), ing.date or Date.today())
    earlier = known_people(root, exclude=case)
    keys, entries, notes = _people_of(ing, people, earlier)
    known = people.get(keys.get("sender")) if isinstance(people, dict) else None
    sender_country = ing.meta.sender.country or (
        str(known.get("country") or "") if isinstance(known, dict) else "") or None
    # each matched clause's file read once: for the brief's notes and for the report
    others = {p.key: written_for(index.by_key.get(p.match.key), sender_country)
              for p in ing.proposals if p.match.key}
    try:  # the emitter refuses what no case file can hold: named at the input, not the output
        files = {"letter.txt": text if text.endswith("\n") else text + "\n",
                 "letter.yaml": _letter_yaml(case, path, kind, ing, keys),
                 "brief.yaml": _brief_yaml(case, ing, index, keys, reply_date, others)}
    except ValueError as exc:
        raise InputError(f"the letter holds text a case cannot keep ({exc})", path=path,
                         hint="delete the character from the letter and ingest it again") from None
    if entries:
        files["people.yaml"] = _people_yaml(entries, notes)
    stubs = [p.key for p in ing.proposals if not p.match.key]
    for p in ing.proposals:
        if not p.match.key:
            files[f"clauses/{p.key}.yaml"] = stub_clause(p, case, ing.language)
    report = _report(case, path, kind, ing, keys, notes, reply_date,
                     _elsewhere(others))
    files["ingest.md"] = report
    from drafting.store.atomic import create_folder
    try:
        (root / "letters").mkdir(parents=True, exist_ok=True)
        create_folder(folder, {name: data.encode("utf-8") for name, data in files.items()}, mode=None)
    except FileExistsError:
        raise InputError(f"the case '{case}' exists already", path=folder,
                         hint="choose another name with --case NAME") from None
    except OSError as exc:
        raise EnvironmentProblem(f"cannot write the case ({exc.strerror})",
                                 path=getattr(exc, "filename", None) or folder) from None
    return IngestResult(folder, ing, report, notes, stubs)


def ingest(path, case_name=None, root=".", reply_date=None) -> Path:
    """Read the letter at `path` and write the case folder root/letters/<case>/."""
    return ingest_case(path, case_name, root, reply_date).folder
