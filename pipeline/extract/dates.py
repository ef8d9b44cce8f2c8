"""Indonesian dates as letters write them: "5 Oktober 2020", "05-10-2020", "Serang, 5 Okt. 2020".

Numeric dates are read day first (the Indonesian order); ISO dates year first. A date that does
not exist (31 Februari) is ``None``, never moved to a nearby day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

__all__ = [
    "DateMatch",
    "find_any_date",
    "find_place_date",
    "format_tanggal",
    "is_unfilled_date_line",
    "parse_tanggal",
]

# Every spelling maps to its month; abbreviations may carry a trailing dot ("Okt.").
_MONTHS: dict[str, int] = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "maret": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "agustus": 8,
    "agt": 8,
    "agu": 8,
    "agust": 8,
    "ags": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))

# "5 Oktober 2020"; also as typed in a hurry: "21Januari 2020", "07 Januari, 2020".
# A letter-spaced or justified text layer may break the year with one space ("201 8").
_TEXT_DATE = (
    rf"(?<!\d)(?P<day>\d{{1,2}})\s*(?P<month>{_MONTH_ALT})\.?,?\s+(?P<year>\d(?:[ ]?\d){{3}})"
)
_NUMERIC_DATE = r"(?P<nday>\d{1,2})(?P<sep>[-/.])(?P<nmonth>\d{1,2})(?P=sep)(?P<nyear>\d{4})"
_ISO_DATE = r"(?P<iyear>\d{4})-(?P<imonth>\d{2})-(?P<iday>\d{2})"
_ANY_DATE = rf"(?:{_TEXT_DATE}|{_NUMERIC_DATE}|{_ISO_DATE})"
# A date ends at a word boundary, or at a Gregorian year's era mark glued to it ("2023M").
_DATE_END = r"(?=M?(?!\w))"

_DATE_RE = re.compile(rf"\s*{_ANY_DATE}\s*", re.IGNORECASE)

# "Tanggal : 5 Oktober 2020", "Tgl. Surat: 05-10-2020".
_LABELLED_RE = re.compile(
    rf"(?<![A-Za-z])(?:tanggal|tgl\.?)(?:\s+surat)?\s*:?\s*(?P<date>{_ANY_DATE}){_DATE_END}",
    re.IGNORECASE,
)
# "Serang, 5 Oktober 2020": one to three capitalised words, a comma, the date.
_PLACE = r"[A-Z][A-Za-z'.\-]*(?:[ ][A-Za-z][A-Za-z'.\-]*){0,2}"
_PLACE_DATE_RE = re.compile(
    rf"(?<![\w.'\-])(?P<place>{_PLACE})[ \t]*,[ \t]*(?P<date>(?i:{_ANY_DATE})){_DATE_END}"
)
_DAY_NAMES = frozenset({"senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu"})


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A date found in a line: ``line[start:end]`` is ``text``; ``place`` as written, if any."""

    date: date
    text: str
    place: str | None
    start: int
    end: int


def parse_tanggal(text: str) -> date | None:
    """Read one date written the Indonesian way; ``None`` when it is not a real date."""
    match = _DATE_RE.fullmatch(text)
    return _date_from_match(match) if match else None


def find_place_date(line: str) -> DateMatch | None:
    """Find "Serang, 5 Oktober 2020" or "Tanggal : 5 Oktober 2020" anywhere in ``line``.

    A "Tanggal" label wins over a place-and-date; the first valid date of a kind is taken.
    """
    for match in _LABELLED_RE.finditer(line):
        found = _date_from_match(match)
        if found is not None:
            return DateMatch(found, match.group(), None, match.start(), match.end())
    for match in _PLACE_DATE_RE.finditer(line):
        found = _date_from_match(match)
        if found is not None:
            return DateMatch(found, match.group(), _place(match), match.start(), match.end())
    return None


def format_tanggal(d: date) -> str:
    """The date as Indonesians write it in letters: "5 Oktober 2020"."""
    return format_date(d, "d MMMM y", locale="id")


def _place(match: re.Match[str]) -> str | None:
    place = match.group("place")
    return None if place.lower() in _DAY_NAMES else place


def _date_from_match(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups["day"] is not None:
        year = groups["year"].replace(" ", "")
        parts = (year, str(_MONTHS[groups["month"].lower()]), groups["day"])
    elif groups["nday"] is not None:
        parts = (groups["nyear"], groups["nmonth"], groups["nday"])
    else:
        parts = (groups["iyear"], groups["imonth"], groups["iday"])
    return _safe_date(*(int(part) for part in parts))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


_ANY_DATE_RE = re.compile(rf"(?<![\w]){_ANY_DATE}{_DATE_END}", re.IGNORECASE)
# "Jepara,      Januari 2020": the date line of a letter whose day was never filled in.
_UNFILLED_RE = re.compile(rf"(?:^|[^\w.'\-]\s*)\W*{_PLACE}\s*,\s*(?i:{_MONTH_ALT})\.?\s+\d{{4}}\b")


def find_any_date(text: str) -> DateMatch | None:
    """The first real date anywhere in ``text``, with or without a place."""
    for match in _ANY_DATE_RE.finditer(text):
        found = _date_from_match(match)
        if found is not None:
            return DateMatch(found, match.group(), None, match.start(), match.end())
    return None


def is_unfilled_date_line(line: str) -> bool:
    """'Jepara,      Januari 2020', alone or beside the Nomor: a date whose day was left blank."""
    return bool(_UNFILLED_RE.search(line))
