"""Hijri dates as Indonesian letters print them ("11 Jumadil Akhir 1441 H"), turned into the
Gregorian day they name with hijridate (the Umm al-Qura calendar).

A letter that prints both calendars ("Kudus, 11 Jumadil Akhir 1441 H / 5 Februari 2020 M")
states its date twice: the two readings agreeing confirm the Gregorian one, day included; far
apart, one of them was misread. Indonesian reckoning (rukyat, hisab) may differ from Umm
al-Qura by a day or two, so agreement allows HIJRI_TOLERANCE_DAYS.
"""

from __future__ import annotations

import re
from datetime import date

from hijridate import Hijri
from rapidfuzz import fuzz, process

HIJRI_TOLERANCE_DAYS = 2
MONTH_SPELLING_MIN = 80  # OCR: 'Jumadil Akhlr' is still the sixth month
# The months in order, each with the spellings Indonesian letters use (letters only, lower case).
HIJRI_MONTHS: tuple[tuple[str, ...], ...] = (
    ("muharram", "muharam", "suro", "sura"),
    ("safar", "shafar", "sapar"),
    ("rabiulawal", "rabiulawwal", "mulud", "maulud"),
    ("rabiulakhir", "rabiutsani", "rabiuttsani", "bakdamulud"),
    ("jumadilawal", "jumadilula", "jumadalula", "jumadilawwal"),
    ("jumadilakhir", "jumadilakhirah", "jumadaltsaniyah", "jumadatsaniyah", "jumadilakhiroh"),
    ("rajab", "rejeb"),
    ("syaban", "syakban", "syaaban", "ruwah"),
    ("ramadhan", "ramadan", "ramadlan", "pasa"),
    ("syawal", "syawwal"),
    ("dzulqadah", "dzulqodah", "zulkaidah", "dzulkaidah", "dzulqaidah", "dzulqoidah", "apit"),
    ("dzulhijjah", "dzulhijah", "zulhijah", "zulhijjah", "besar"),
)
_SPELLINGS = {name: number for number, names in enumerate(HIJRI_MONTHS, 1) for name in names}
HIJRI_DATE_RE = re.compile(
    r"(?P<day>\d{1,2})\s*(?P<month>[A-Za-z'’`\- ]{3,25}?)\s*(?P<year>1[34]\d\d)\s*H\b", re.I
)


def gregorian_of_hijri(text: str) -> date | None:
    """The Gregorian day of the first Hijri date in `text`; None when there is none, its
    month is no Hijri month or the day does not exist in the Umm al-Qura table."""
    found = HIJRI_DATE_RE.search(text)
    if found is None:
        return None
    month = _month(found.group("month"))
    if month is None:
        return None
    try:
        return Hijri(int(found.group("year")), month, int(found.group("day"))).to_gregorian()
    except (ValueError, OverflowError):
        return None


def hijri_agrees(text: str, gregorian: date) -> bool | None:
    """Whether the Hijri date printed in `text` names `gregorian` (within the tolerance);
    None when `text` holds no readable Hijri date."""
    named = gregorian_of_hijri(text)
    if named is None:
        return None
    return abs((named - gregorian).days) <= HIJRI_TOLERANCE_DAYS


def _month(name: str) -> int | None:
    letters = re.sub(r"[^a-z]", "", name.lower())
    found = process.extractOne(letters, _SPELLINGS.keys(), scorer=fuzz.ratio)
    if found is None or found[1] < MONTH_SPELLING_MIN:
        return None
    return _SPELLINGS[found[0]]
