"""Indonesian dates: every spelling letters use, place-and-date lines, and formatting."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import DateMatch, find_place_date, format_tanggal, parse_tanggal

OCT_5 = date(2020, 10, 5)

# Every way a month is written in the letters, full names first.
SPELLINGS: dict[int, list[str]] = {
    1: ["Januari", "Jan"],
    2: ["Februari", "Pebruari", "Feb", "Peb"],
    3: ["Maret", "Mar"],
    4: ["April", "Apr"],
    5: ["Mei"],
    6: ["Juni", "Jun"],
    7: ["Juli", "Jul"],
    8: ["Agustus", "Agt", "Agu", "Agust", "Ags"],
    9: ["September", "Sep", "Sept"],
    10: ["Oktober", "Okt"],
    11: ["November", "Nopember", "Nov", "Nop"],
    12: ["Desember", "Des"],
}
PLACES = ["Serang", "Kota Serang", "Tangerang Selatan", "Pandeglang", "Cilegon", "SERANG"]
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    "text",
    [
        "5 Oktober 2020",
        "05 Oktober 2020",
        "5 Okt 2020",
        "5 Okt. 2020",
        "5 OKTOBER 2020",
        "5 oktober 2020",
        "  5  Oktober  2020 ",
        "05-10-2020",
        "05/10/2020",
        "5.10.2020",
        "5-10-2020",
        "2020-10-05",
    ],
)
def test_shapes_of_5_october_2020(text: str) -> None:
    assert parse_tanggal(text) == OCT_5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Pebruari 2021", date(2021, 2, 12)),
        ("29 Februari 2024", date(2024, 2, 29)),
        ("30 Nopember 2020", date(2020, 11, 30)),
        ("17 Agt 2020", date(2020, 8, 17)),
        ("17 Agu. 2020", date(2020, 8, 17)),
        ("17 Agust 2020", date(2020, 8, 17)),
        ("17 Ags 2020", date(2020, 8, 17)),
        ("1 Sept. 2021", date(2021, 9, 1)),
        ("1 Mei 2021", date(2021, 5, 1)),
        ("25 Des 2023", date(2023, 12, 25)),
        ("7 Jun 2022", date(2022, 6, 7)),
    ],
)
def test_old_spellings_and_abbreviations(text: str, expected: date) -> None:
    assert parse_tanggal(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "31 Februari 2020",
        "29 Februari 2023",
        "31 April 2021",
        "32 Oktober 2020",
        "0 Oktober 2020",
        "31-02-2020",
        "2020-02-30",
        "5 Oktober 20",
        "5 Oktobr 2020",
        "Oktober 2020",
        "5-10/2020",
        "10/2020",
        "",
        "Serang, 5 Oktober 2020",  # a whole line is find_place_date's job
    ],
)
def test_not_dates(text: str) -> None:
    assert parse_tanggal(text) is None


@pytest.mark.parametrize(
    ("line", "text", "place"),
    [
        ("Serang, 5 Oktober 2020", "Serang, 5 Oktober 2020", "Serang"),
        ("Serang,  05 Oktober 2020", "Serang,  05 Oktober 2020", "Serang"),
        ("Serang , 5 Okt. 2020.", "Serang , 5 Okt. 2020", "Serang"),
        (
            "Tangerang Selatan, 12 Nopember 2021",
            "Tangerang Selatan, 12 Nopember 2021",
            "Tangerang Selatan",
        ),
        (
            "Nomor : 555/1/X/2020      Serang, 5 Oktober 2020",
            "Serang, 5 Oktober 2020",
            "Serang",
        ),
        ("Tanggal : 5 Oktober 2020", "Tanggal : 5 Oktober 2020", None),
        ("Tanggal: 05-10-2020", "Tanggal: 05-10-2020", None),
        ("Tgl. Surat : 5 Okt 2020   Sifat : Biasa", "Tgl. Surat : 5 Okt 2020", None),
        ("Senin, 5 Oktober 2020", "Senin, 5 Oktober 2020", None),  # a day name is no place
    ],
)
def test_find_place_date(line: str, text: str, place: str | None) -> None:
    found = find_place_date(line)
    assert found is not None
    assert found.date.year in (2020, 2021)
    assert found.text == text
    assert line[found.start : found.end] == text
    assert found.place == place


def test_place_and_date_keeps_multi_word_place() -> None:
    found = find_place_date("Tangerang Selatan, 12 Nopember 2021")
    assert found == DateMatch(
        date(2021, 11, 12),
        "Tangerang Selatan, 12 Nopember 2021",
        "Tangerang Selatan",
        0,
        35,
    )


@pytest.mark.parametrize(
    "line",
    [
        "",
        "Perihal : Permohonan Integrasi",
        "Serang, 31 Februari 2020",
        "Nomor : 555/1/X/2020",
        "Nomor Telepon : 0812-3456-7890",
        "serang 5 Oktober 2020 tanpa koma",
        "NIP. 19900511 201802 1 009",
    ],
)
def test_find_place_date_without_a_date(line: str) -> None:
    assert find_place_date(line) is None


def test_format_tanggal() -> None:
    assert format_tanggal(OCT_5) == "5 Oktober 2020"
    assert format_tanggal(date(2021, 2, 15)) == "15 Februari 2021"
    assert format_tanggal(date(2024, 12, 31)) == "31 Desember 2024"


# ---------------------------------------------------------------------- properties


@settings(max_examples=200)
@given(dates)
def test_format_then_parse_round_trips(day: date) -> None:
    assert parse_tanggal(format_tanggal(day)) == day


@st.composite
def written_dates(draw: st.DrawFn) -> tuple[date, str]:
    day = draw(dates)
    month = draw(st.sampled_from(SPELLINGS[day.month]))
    if len(month) <= 5 and month != "April" and draw(st.booleans()):
        month += "."
    month = draw(st.sampled_from([month, month.upper(), month.lower()]))
    dom = draw(st.sampled_from([str(day.day), f"{day.day:02d}"]))
    gap = draw(st.sampled_from([" ", "  "]))
    return day, f"{dom}{gap}{month}{gap}{day.year}"


@settings(max_examples=200)
@given(written_dates())
def test_every_month_spelling_parses(case: tuple[date, str]) -> None:
    day, text = case
    assert parse_tanggal(text) == day


@settings(max_examples=200)
@given(dates, st.sampled_from(["-", "/", "."]), st.booleans())
def test_numeric_dates_are_day_first(day: date, sep: str, padded: bool) -> None:
    dom, month = (
        (f"{day.day:02d}", f"{day.month:02d}") if padded else (str(day.day), str(day.month))
    )
    assert parse_tanggal(f"{dom}{sep}{month}{sep}{day.year}") == day
    assert parse_tanggal(day.isoformat()) == day


@settings(max_examples=200)
@given(st.integers(1990, 2099), st.integers(1, 12), st.integers(1, 31))
def test_impossible_dates_are_none(year: int, month: int, dom: int) -> None:
    try:
        expected: date | None = date(year, month, dom)
    except ValueError:
        expected = None
    assert parse_tanggal(f"{dom} {SPELLINGS[month][0]} {year}") == expected
    assert parse_tanggal(f"{dom:02d}-{month:02d}-{year}") == expected


@settings(max_examples=200)
@given(
    written_dates(),
    st.sampled_from(PLACES),
    st.sampled_from(["", "Nomor : 555/1/X/2020      ", "Lampiran : -   ", "\t"]),
    st.sampled_from([",", " ,", ",  "]),
)
def test_place_date_lines(case: tuple[date, str], place: str, prefix: str, comma: str) -> None:
    day, written = case
    found = find_place_date(f"{prefix}{place}{comma} {written}")
    assert found is not None
    assert found.date == day
    assert found.place == place


@settings(max_examples=200)
@given(st.text())
def test_arbitrary_text_never_crashes(text: str) -> None:
    parse_tanggal(text)
    found = find_place_date(text)
    if found is not None:
        assert text[found.start : found.end] == found.text


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=3))
def test_a_year_broken_by_one_space_is_still_the_year(day: date, cut: int) -> None:
    """A letter-spaced or justified text layer writes '29 Agustus 201 8'."""
    year = str(day.year)
    spaced = f"{year[:cut]} {year[cut:]}"
    text = f"{format_tanggal(day).rsplit(' ', 1)[0]} {spaced}"
    assert parse_tanggal(text) == day
    found = find_place_date(f"Pada Tanggal : {text}")
    assert found is not None and found.date == day
