"""Dates in running text, by babel, with the French rules babel lacks ("1er")."""
from __future__ import annotations

from babel.dates import format_date

__all__ = ["long_date", "weekday_date", "time_of_day"]


def long_date(d, lang: str) -> str:
    """'1er décembre 2021' / '1 December 2021' (no ordinal, no comma in English)."""
    text = format_date(d, "d MMMM y", locale=lang)
    if lang == "fr" and d.day == 1:
        text = "1er" + text[1:]
    return text


def weekday_date(d, lang: str) -> str:
    """'dimanche 28 novembre 2021' / 'Sunday 28 November 2021'."""
    return f"{format_date(d, 'EEEE', locale=lang)} {long_date(d, lang)}"


def time_of_day(hhmm: str, lang: str) -> str:
    """'10 h 30' (French) / '10.30' (English); input '10:30'."""
    h, _, m = str(hhmm).partition(":")
    h, m = int(h), int(m or 0)
    if lang == "fr":
        return f"{h}\u00a0h\u00a0{m:02d}" if m else f"{h}\u00a0h"
    return f"{h}.{m:02d}"
