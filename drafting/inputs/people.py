"""People of a case and the protocol formulas that depend on them (data: people.yaml,
protocol.yaml); code only chooses between forms, it never spells one out."""
from __future__ import annotations

from pathlib import Path

from drafting.errors import InputError, Problem, Problems, did_you_mean
from drafting.inputs.library import LANGS, TO_BE_DRAFTED, fill
from drafting.inputs.sources import Map, Seq, Str, invisible_problem, load_yaml, tree_problems

__all__ = ["People", "Person", "Protocol", "load_people", "load_protocol", "PROTOCOL"]


class Person:
    def __init__(self, key, data: Map):
        self.key, self.data = key, data

    def get(self, field, lang, default=None):
        value = self.data.get(field)
        if isinstance(value, dict):
            return value.get(lang, default)
        return value if value is not None else default

    def name(self, lang):
        return self.get("name", lang)

    def courtesy_name(self, lang):
        """'M. Boris Johnson' / 'Mr Boris Johnson'."""
        return f"{self.get('courtesy', lang, '')} {self.name(lang)}".strip()

    def with_article(self, lang):
        return self.get("with_article", lang) or self.get("office", lang)



class People(dict):
    """Person by key; an unknown key is an input error naming the closest one."""

    path = None

    def person(self, key, where=None):
        if key in self:
            return self[key]
        path, line = (getattr(where, "path", None), getattr(where, "line", None))
        raise InputError(f"unknown person '{key}'", path=path or self.path, line=line,
                         hint=did_you_mean(key, self, f"add '{key}' to {self.path}"))


# A person's fields that are one value (in each language), never lines.
_SINGLE = ("name", "courtesy", "office", "office_short", "gender", "country", "rank",
           "with_article", "first_name", "last_name")


def _person_problems(key, data: Map) -> list:
    """A person's fields: a single value, a {fr, en} pair of single values (or of lists of
    lines, as an address), never a list where a name belongs; no invisible or
    direction-changing character (U+202E, U+200B, U+FEFF ...) in any of them."""
    problems = []

    def leaf(value, where, lines=False):
        if isinstance(value, Str):
            p = invisible_problem(value, f"{key}.{where}")
            if p:
                problems.append(p)
        elif isinstance(value, Seq) and where.split(".")[0] not in _SINGLE and not lines:
            for item in value:  # lines (an address, a suscription): each a single value
                leaf(item, where, lines=True)
        elif value is not None:
            kind = "list" if isinstance(value, Seq) else "mapping"
            problems.append(Problem(f"'{key}.{where}' must be a single value, found a {kind}",
                                    getattr(value, "path", None), getattr(value, "line", None),
                                    hint="write 'field: value' or 'field: {fr: ..., en: ...}'"))

    for field, value in data.items():
        if isinstance(value, Map):
            for lang, text in value.items():
                leaf(text, f"{field}.{lang}")
        elif isinstance(value, Seq):
            for item in value:
                leaf(item, field)
        else:
            leaf(value, field)
    return problems


def load_people(path: Path) -> People:
    data = load_yaml(path)
    people = People()
    people.path = str(path)
    problems = []  # every person of the file, then one error
    for key, value in data.items():
        if not isinstance(value, Map):
            problems.append(Problem(f"person '{key}' must be a mapping of fields", str(path),
                                    data.key_line(key), hint="see clauses/people.yaml"))
            continue
        problems += _person_problems(key, value)
        people[key] = Person(key, value)
    if len(problems) == 1:
        raise InputError(problems[0].problem, path=path, line=problems[0].line,
                         hint=problems[0].hint)
    if problems:
        raise Problems(problems)
    return people


class Protocol:
    """The forms of a letter by the pair of writer and reader (protocol.yaml): salutation,
    complimentary close, addressee block and signature block, in each language; and the
    labels of every document. Each form is written in the data; this class only picks the
    row for a pair of ranks and fills it from people.yaml."""

    def __init__(self, data: Map, path):
        self.data, self.path = data, str(path)

    def registers(self):
        return list(self.data.get("closes") or {})

    def label(self, lang, name):
        labels = self.data.get("labels") or Map()
        table = labels.get(lang) if isinstance(labels, dict) else None
        if not isinstance(table, dict) or name not in table:
            where = table if isinstance(table, dict) else labels
            raise InputError(f"protocol.yaml has no label '{name}' for {lang}", path=self.path,
                             line=getattr(where, "line", None) or getattr(self.data, "line", None),
                             hint=f"add '{name}: ...' under labels.{lang} (see the shipped "
                             "clauses/protocol.yaml)")
        return table[name]

    def _table(self, name):
        table = self.data.get(name)
        if not isinstance(table, dict):
            raise InputError(f"protocol.yaml has no '{name}' table", path=self.path,
                             hint=f"add '{name}:' (see the shipped clauses/protocol.yaml)")
        return table

    # -- ranks ---------------------------------------------------------------------
    def rank(self, person: Person):
        """The rank of the table a person writes and is written to as; None for a person
        with no rank (a stub from draft ingest: the `default` close)."""
        rank = person.data.get("rank")
        if rank is None:
            return None
        ranks = [str(r) for r in self.data.get("ranks") or []]
        treat_as = self.data.get("treat_as") or {}
        if rank in ranks:
            return str(rank)
        if rank in treat_as:
            return str(treat_as[rank])
        known = ranks + [str(k) for k in treat_as]
        raise InputError(f"person '{person.key}' has unknown rank '{rank}'",
                         path=getattr(rank, "path", None), line=getattr(rank, "line", None),
                         hint=did_you_mean(rank, known, "ranks (clauses/protocol.yaml): "
                                           + ", ".join(known), also=True))

    def _gendered(self, person, forms, lang, fill=str):
        """The form of `forms` ({m: {fr, en}, f: ...}) for the person's gender; where
        people.yaml does not say it and the two forms differ, both, still to draft
        ("[TO BE DRAFTED: Cher Fernando or Chère Fernando]"): never a guessed Monsieur."""
        gender = str(person.data.get("gender") or "")
        if gender in ("m", "f"):
            form = (forms.get(gender) or {}).get(lang)
            return fill(str(form)) if form else None
        m, f = ((forms.get(g) or {}).get(lang) for g in ("m", "f"))
        if not m or not f:
            return fill(str(m or f)) if (m or f) else None
        m, f = fill(str(m)), fill(str(f))
        return m if m == f else TO_BE_DRAFTED.format(f"{m} or {f}")

    # -- forms of address ---------------------------------------------------------------
    def address(self, person: Person, lang):
        """The formal form of address: the person's own, else the table's for the rank."""
        own = person.get("address", lang)
        if own:
            return str(own)
        rank = self.rank(person)
        forms = (self.data.get("address") or {}).get(rank) if rank else None
        if forms:
            return self._gendered(person, forms, lang)
        return person.courtesy_name(lang)

    def familiar(self, person: Person, lang):
        own = person.get("familiar", lang)
        if own:
            return str(own)
        first = (person.name(lang) or "").split(" ")[0]
        return self._gendered(person, self.data.get("familiar") or {}, lang,
                              lambda form: form.replace("{first}", first)) or first

    def vocative(self, person: Person, lang):
        """The values that fill {address}, {familiar}, {familiar_inline}: the familiar
        form inside a sentence starts lower case in both languages ("cher Boris",
        "dear Boris")."""
        familiar = self.familiar(person, lang)
        return {"address": self.address(person, lang), "familiar": familiar,
                "familiar_inline": familiar[:1].lower() + familiar[1:],
                "name": person.name(lang) or "", "office": person.get("office", lang) or ""}

    # -- the forms of one letter ------------------------------------------------------
    def close_name(self, writer: Person, reader: Person, register):
        """The name of the complimentary close for a pair and a register."""
        register = str(register)
        w, r = self.rank(writer), self.rank(reader)
        row = None
        if w and r:
            row = ((self.data.get("pairs") or {}).get(w) or {}).get(r)
        row = row or self.data.get("default") or {}
        name = row.get(register)
        if name is None:
            raise InputError(f"protocol.yaml gives no {register} close for a {w or 'person'} "
                             f"writing to a {r or 'person'}", path=self.path,
                             line=getattr(row, "line", None),
                             hint=f"add {register}: CLOSE under pairs.{w}.{r}")
        return str(name)

    def forms(self, writer: Person, reader: Person, register, lang) -> dict:
        """Salutation, close, addressee block and signature block of a letter from
        `writer` to `reader` in `lang` (the English ones are the courtesy translation's)."""
        register = str(register)
        vocative = self.vocative(reader, lang)
        salutation = self._table("salutation").get(register)
        closes = self._table("closes").get(register) or {}
        name = self.close_name(writer, reader, register)
        if salutation is None or name not in closes:
            raise InputError(f"protocol.yaml has no {register} close '{name}'", path=self.path,
                             hint=did_you_mean(name, closes, f"add it under closes.{register}"))
        signer = self.vocative(writer, lang)
        lines = (self.data.get("signature") or {}).get(self.rank(writer)) or ["{name}"]
        return {
            "salutation": fill(salutation[lang], vocative),
            "close": fill(closes[name][lang], vocative),
            "suscription": self.suscription(writer, reader, lang),
            "signature": [fill(line, signer) for line in lines if fill(line, signer)],
        }

    def suscription(self, writer: Person, reader: Person, lang) -> list:
        """The addressee block: the reader's own lines if people.yaml gives them whole
        (`suscription`), else the table's first line (Son Excellence for a foreign
        reader of a rank of the table), the office and the postal lines."""
        own = reader.get("suscription", lang)
        if own:
            return [str(line) for line in own]
        foreign = str(reader.data.get("country") or "") != str(writer.data.get("country") or "")
        table = (self.data.get("suscription") or {}).get(
            "foreign" if foreign and self.rank(reader) else "national") or {}
        first = self._gendered(reader, table, lang,
                               lambda form: form.replace("{name}", reader.name(lang)))
        lines = [first or reader.courtesy_name(lang)]
        office = str(reader.get("office", lang) or "")
        if office:
            lines.append(office[:1].upper() + office[1:])
        lines += [str(line) for line in reader.get("postal", lang) or []]
        return lines


# The schema of protocol.yaml, every field (sources.tree_problems): a formula is one value
# in each language ({fr: ..., en: ...}), a table maps ranks, genders and registers to them.
_FORMS = {"*": "text-map"}
PROTOCOL = {
    "president_capital": "text",
    "country": {"*": "names"},                        # country key -> its name {fr, en}
    "ranks": ["text"],
    "treat_as": {"*": "text"},                        # rank -> the rank of the table
    "address": {"*": _FORMS},                         # rank -> gender -> {fr, en}
    "familiar": _FORMS,                               # gender -> {fr, en}
    "salutation": _FORMS,                             # register -> {fr, en}
    "closes": {"*": _FORMS},                          # register -> close -> {fr, en}
    "pairs": {"*": {"*": {"*": "text"}}},             # writer -> reader -> register -> close
    "default": {"*": "text"},                         # register -> close
    "suscription": {"*": _FORMS},                     # foreign/national -> gender -> {fr, en}
    "signature": {"*": ["text"]},                     # rank -> lines
    "labels": {"*": {"*": "text", "matrix": "text-map", "position_names": "text-map",
                     "comment": "text-map"}},
    "markings": {"*": ["text"]},                      # copy -> its markings
}


# The tables whose formulas the letters print, and how deep their {fr, en} pairs lie.
_PAIRS = {"address": 2, "familiar": 1, "salutation": 1, "closes": 2, "suscription": 2,
          "country": 1}


def _missing_languages(data: Map, path) -> list:
    """A formula without its French or its English (a KeyError when a letter needs it)."""
    problems = []

    def walk(node, where, depth):
        if not isinstance(node, Map):
            return
        if depth == 0:
            for lang in LANGS:
                if node.get(lang) is None:
                    problems.append(Problem(f"'{where}' has no {lang} text", str(path), node.line,
                                            hint=f"add '{lang}: ...' beside the other language"))
            return
        for key, value in node.items():
            walk(value, f"{where}.{key}", depth - 1)

    for name, depth in _PAIRS.items():
        walk(data.get(name), name, depth)
    return problems


def load_protocol(path: Path) -> Protocol:
    """protocol.yaml, every field of the shape PROTOCOL wants and every formula in both
    languages; every problem of the file at once (Problems), each path:line."""
    data = load_yaml(path)
    problems = tree_problems(data, PROTOCOL, "", str(path), data.line)
    problems = problems or _missing_languages(data, path)
    if problems:
        raise Problems(problems)
    return Protocol(data, path)
