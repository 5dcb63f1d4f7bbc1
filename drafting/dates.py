"""Dates in running text, with the French rules babel lacks ("1er").

French and English names are here (they are what babel's CLDR data says, checked by
tests/test_dates.py): loading babel's locale data costs a run more than the rest of
a DOCX reply. Another language goes through babel.
"""
from __future__ import annotations

__all__ = ["long_date", "weekday_date", "time_of_day"]

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
_WEEKDAYS = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def _format(d, pattern, lang):
    from babel.dates import format_date
    return format_date(d, pattern, locale=lang)


def long_date(d, lang: str) -> str:
    """'1er décembre 2021' / '1 December 2021' (no ordinal, no comma in English)."""
    if lang in _MONTHS:
        text = f"{d.day} {_MONTHS[lang][d.month - 1]} {d.year}"
    else:
        text = _format(d, "d MMMM y", lang)
    if lang == "fr" and d.day == 1:
        text = "1er" + text[1:]
    return text


def weekday_date(d, lang: str) -> str:
    """'dimanche 28 novembre 2021' / 'Sunday 28 November 2021'."""
    day = _WEEKDAYS[lang][d.weekday()] if lang in _WEEKDAYS else _format(d, "EEEE", lang)
    return f"{day} {long_date(d, lang)}"


def time_of_day(hhmm: str, lang: str) -> str:
    """'10 h 30' (French) / '10.30' (English); input '10:30'."""
    h, _, m = str(hhmm).partition(":")
    h, m = int(h), int(m or 0)
    if lang == "fr":
        return f"{h}\u00a0h\u00a0{m:02d}" if m else f"{h}\u00a0h"
    return f"{h}.{m:02d}"
