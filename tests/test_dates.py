"""The French and English date names drafting/dates.py carries agree with babel's CLDR
data (they come from babel through a small cache: loading babel costs more than a DOCX reply)."""
from __future__ import annotations

import datetime as dt

import pytest

from drafting.inputs.dates import long_date, weekday_date


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_dates_match_babel(lang):
    from babel.dates import format_date
    for month in range(1, 13):
        for day in (1, 2, 9, 28):
            d = dt.date(2021, month, day)
            want = format_date(d, "d MMMM y", locale=lang)
            if lang == "fr" and day == 1:
                want = "1er" + want[1:]
            assert long_date(d, lang) == want
            assert weekday_date(d, lang) == f"{format_date(d, 'EEEE', locale=lang)} {want}"


def test_known_dates():
    assert long_date(dt.date(2021, 12, 1), "fr") == "1er décembre 2021"
    assert long_date(dt.date(2021, 11, 25), "en") == "25 November 2021"
    assert weekday_date(dt.date(2021, 11, 28), "fr") == "dimanche 28 novembre 2021"
