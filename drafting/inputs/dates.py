"""Dates in running text, by babel (CLDR), with the French rules babel lacks ("1er").

The month and weekday names come from babel's locale data. Loading that data costs a
run more than the rest of a DOCX reply, so the names a language needs are kept in a
small cache (drafting/cache.py), keyed by the babel data they came from, and babel is
loaded only when that cache is missing or stale.
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["long_date", "weekday_date", "time_of_day"]

_NAMES: dict = {}


def _babel_stamp(lang):
    """Where babel's data for `lang` lives and when it changed, without importing babel."""
    from importlib.util import find_spec
    spec = find_spec("babel")
    data = Path(spec.origin).parent / "locale-data" / f"{lang}.dat" if spec and spec.origin else None
    if data is None or not data.exists():
        return None
    st = data.stat()
    return f"{data}:{st.st_mtime_ns}:{st.st_size}"


def _from_babel(lang):
    from babel import Locale
    loc = Locale.parse(lang)
    months = [loc.months["format"]["wide"][m] for m in range(1, 13)]
    days = [loc.days["format"]["wide"][d] for d in range(7)]  # 0 = Monday
    return {"months": months, "days": days}


def _names(lang):
    """Month and weekday names of `lang`, from babel (through the cache)."""
    if lang in _NAMES:
        return _NAMES[lang]
    from drafting.store.cache import load_json, save_json
    stamp = _babel_stamp(lang)
    cache = load_json("date-names.json", {})
    entry = cache.get(lang)
    if not entry or entry.get("stamp") != stamp or stamp is None:
        entry = dict(_from_babel(lang), stamp=stamp)
        cache[lang] = entry
        save_json("date-names.json", cache)
    _NAMES[lang] = entry
    return entry


def month_names(lang: str) -> list:
    """January to December in `lang`, as babel writes them ('janvier', 'January')."""
    return list(_names(lang)["months"])


def long_date(d, lang: str) -> str:
    """'1er décembre 2021' / '1 December 2021' (no ordinal, no comma in English)."""
    text = f"{d.day} {_names(lang)['months'][d.month - 1]} {d.year}"  # CLDR "d MMMM y"
    if lang == "fr" and d.day == 1:
        text = "1er" + text[1:]
    return text


def weekday_date(d, lang: str) -> str:
    """'dimanche 28 novembre 2021' / 'Sunday 28 November 2021'."""
    day = _names(lang)["days"][d.weekday()]
    return f"{day} {long_date(d, lang)}"


def time_of_day(hhmm: str, lang: str) -> str:
    """'10 h 30' (French) / '10.30' (English); input '10:30'."""
    h, _, m = str(hhmm).partition(":")
    h, m = int(h), int(m or 0)
    if lang == "fr":
        return f"{h}\u00a0h\u00a0{m:02d}" if m else f"{h}\u00a0h"
    return f"{h}.{m:02d}"
