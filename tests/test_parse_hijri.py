"""Hijri dates beside Gregorian ones (pipeline.extract.hijri): the two calendars confirm each
other's day, or show that one of them was misread."""

from __future__ import annotations

from datetime import date, timedelta

from hijridate import Gregorian
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.dates import format_tanggal
from pipeline.extract.hijri import HIJRI_MONTHS, gregorian_of_hijri, hijri_agrees
from pipeline.extract.labels import find_labels
from pipeline.extract.letter import tanggal_surat
from pipeline.fields import RULE_REVIEW_LINE
from pipeline.models import Cell, TextLine

# As Indonesian letters spell the months (the tests' own list, not the module's).
PRINTED = (
    "Muharram", "Safar", "Rabi'ul Awwal", "Rabi'ul Akhir", "Jumadil Awal", "Jumadil Akhir",
    "Rajab", "Sya'ban", "Ramadhan", "Syawal", "Dzul Qo'dah", "Dzulhijjah",
)  # fmt: skip
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2070, 12, 31))


def _printed(day: date) -> str:
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return f"{hijri.day} {PRINTED[hijri.month - 1]} {hijri.year} H"


@given(days)
def test_a_printed_hijri_date_names_its_gregorian_day(day: date) -> None:
    assert gregorian_of_hijri(f"Kudus, {_printed(day)}") == day
    assert hijri_agrees(f"Kudus, {_printed(day)} / ", day + timedelta(days=1))


@given(days, st.integers(min_value=3, max_value=400))
def test_dates_days_apart_do_not_agree(day: date, apart: int) -> None:
    assert hijri_agrees(_printed(day), day + timedelta(days=apart)) is False


def test_text_without_a_hijri_date_says_nothing() -> None:
    assert hijri_agrees("Kudus, 5 Februari 2020", date(2020, 2, 5)) is None
    assert gregorian_of_hijri("12 Bulan Purnama 1441 H") is None
    assert len(HIJRI_MONTHS) == 12


def _line(text: str) -> TextLine:
    return TextLine(1, (Cell(340.0, text, 0.5),), 595.0)


def test_a_letters_two_calendars_agreeing_make_its_date_sure_and_apart_unsure() -> None:
    """An OCR'd date line (Tesseract unsure of every word) whose Hijri and Gregorian dates
    name the same day is sure; with the Gregorian day misread, it waits for a clerk."""
    for gregorian, sure in (("5 Februari 2020 M", True), ("8 Februari 2020 M", False)):
        lines = [_line("Kudus, 11 Jumadil Akhir 1441 H"), _line(gregorian)]
        found = tanggal_surat(lines, list(find_labels(lines)))
        assert found is not None
        assert (found.provenance.confidence >= RULE_REVIEW_LINE) is sure, gregorian


@given(days, days)
def test_a_dual_date_beside_the_nomor_wins_over_the_event_under_the_greeting(
    own: date, event: date
) -> None:
    """A letter dated in both calendars at the right of its Nomor row, the Gregorian day on
    the next row, as OCR reads it: the Hijri day glued to its month, the era mark 'M' glued
    to the year, the colons of the event block lost. Its body opens with the Islamic
    greeting, so the event's 'Tanggal' row below is the body's, not the letter's."""
    hijri = _printed(own).replace(" ", "", 1)  # '4Rabi'ul Awwal 1445 H'
    lines = [
        _line(f"Nomor 001/PR/A.1/4/2023 Mangunsuman, {hijri}"),
        _line(f"Lampiran : {format_tanggal(own)}M"),
        _line("Perihal SURAT UNDANGAN"),
        _line("Assalamu'alaikum Warahmatullahi Wabarakatuh"),
        _line("Dengan ini, kami mengharap kehadiran Bapak/Ibu pada:"),
        _line("Hari AHAD"),
        _line(f"Tanggal {format_tanggal(event)}"),
        _line("Demikian surat undangan ini kami sampaikan, atas kehadirannya terima kasih."),
    ]
    found = tanggal_surat(lines, list(find_labels(lines)))
    assert found is not None and found.value == own.isoformat()
    assert found.provenance.confidence >= RULE_REVIEW_LINE
