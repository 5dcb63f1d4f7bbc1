"""People of a case and the protocol formulas that depend on them (data: people.yaml,
protocol.yaml); code only chooses between forms, it never spells one out."""
from __future__ import annotations

from pathlib import Path

from drafting.errors import InputError, closest
from drafting.inputs.sources import Map, load_yaml

__all__ = ["People", "Person", "Protocol", "load_people", "load_protocol"]


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

    def suscription(self, lang):
        return list(self.get("suscription", lang) or [self.courtesy_name(lang),
                                                      self.get("office", lang)])


class People(dict):
    """Person by key; an unknown key is an input error naming the closest one."""

    path = None

    def person(self, key, where=None):
        if key in self:
            return self[key]
        hint = closest(key, self)
        path, line = (getattr(where, "path", None), getattr(where, "line", None))
        raise InputError(f"unknown person '{key}'", path=path or self.path, line=line,
                         hint=f"did you mean '{hint}'?" if hint else
                         f"add '{key}' to {self.path}")


def load_people(path: Path) -> People:
    data = load_yaml(path)
    people = People()
    people.path = str(path)
    for key, value in data.items():
        if not isinstance(value, Map):
            raise InputError(f"person '{key}' must be a mapping of fields", path=path,
                             line=data.key_line(key), hint="see clauses/people.yaml")
        people[key] = Person(key, value)
    return people


class Protocol:
    """Salutations, closes and labels by register and language (protocol.yaml)."""

    def __init__(self, data: Map, path):
        self.data, self.path = data, str(path)

    def registers(self):
        return list(self.data.get("registers", {}))

    def formula(self, register, lang, which):
        regs = self.data["registers"]
        if register not in regs:
            hint = closest(register, regs)
            raise InputError(f"unknown register '{register}'", path=getattr(register, "path", None),
                             line=getattr(register, "line", None),
                             hint=f"did you mean '{hint}'?" if hint else
                             "use one of: " + ", ".join(regs))
        return regs[register][lang][which]

    def label(self, lang, name):
        return self.data["labels"][lang][name]

    def vocative(self, register, person: Person, lang):
        """The forms of address that fill {address}, {familiar}, {familiar_inline}."""
        familiar = person.get("familiar", lang) or person.get("address", lang) or ""
        inline = familiar[:1].lower() + familiar[1:] if lang == "fr" else familiar
        return {"address": person.get("address", lang) or person.name(lang),
                "familiar": familiar, "familiar_inline": inline}


def load_protocol(path: Path) -> Protocol:
    return Protocol(load_yaml(path), path)
