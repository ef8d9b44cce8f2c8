"""Which date on a letter is its own: the place-and-date line, its own `Tanggal :` line or the
"Ditetapkan di … pada tanggal" block of a decree — never the day of the event an invitation
announces, the date of a letter it cites, the end of a period, a schedule's row, a line of the
body or an attachment's header on a later page; and, alike, never a number cited in the body
for the letter's own."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.dates import format_tanggal
from pipeline.extract.labels import find_labels
from pipeline.extract.letter import nomor_surat, perihal, tanggal_surat
from pipeline.models import Cell, TextLine

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


def _line(text: str, x0: float = 70.0, conf: float = 1.0, page: int = 1) -> TextLine:
    return TextLine(page, (Cell(x0, text, conf),), 595.0)


def _date_of(lines: list[TextLine]) -> str | None:
    found = tanggal_surat(lines, list(find_labels(lines)))
    return found.value if found else None


@settings(max_examples=100)
@given(dates, dates)
def test_an_invitations_event_day_is_not_the_letters_date(own: date, event: date) -> None:
    lines = [
        _line(f"Jepara, {format_tanggal(own)}", x0=340),
        _line("Nomor : 005/029"),
        _line("Perihal : Undangan"),
        _line("Dengan hormat kami mengundang Saudara pada:", x0=170),
        _line("Hari : Selasa", x0=170),
        _line(f"Tanggal : {format_tanggal(event)}", x0=170),
        _line("Jam : 08.00 WIB", x0=170),
        _line("Tempat : Pendopo Kecamatan", x0=170),
    ]
    assert _date_of(lines) == own.isoformat()


@settings(max_examples=100)
@given(dates, dates)
def test_a_cited_letters_date_is_not_the_letters_date(own: date, cited: date) -> None:
    """The place-and-date line read by OCR with a full stop for its comma is found beside the
    Nomor; the cited letter's 'tanggal …' in the body sentence is skipped."""
    lines = [
        _line(f"Wonosobo. {format_tanggal(own)}", x0=330, conf=0.9),
        _line("Nomor : 005/728/2018 Kepada Yth.", conf=0.9),
        _line("Perihal : Undangan Desk PPID", conf=0.9),
        _line("Menindaklanjuti surat Gubernur Jawa Tengah", x0=155, conf=0.9),
        _line(f"Jawa Tengah tanggal {format_tanggal(cited)} nomor : 487.22/0008285", conf=0.9),
    ]
    assert _date_of(lines) == own.isoformat()


def test_the_end_of_a_period_is_not_the_decrees_date() -> None:
    """A stamp over 'pada tanggal' leaves only ': 16 Januari 2024' under 'Ditetapkan di'."""
    lines = [
        _line("KEPUTUSAN REKTOR", x0=220, conf=0.95),
        _line("Kedua Keputusan ini mulai berlaku sejak tanggal ditetapkan sampai", conf=0.94),
        _line("dengan tanggal 31 desember 2024 dan apabila di kemudian", x0=208, conf=0.88),
        _line("Ditetapkan di : Kendari", x0=340, conf=0.84),
        _line("Ri LP ai", x0=332, conf=0.24),
        _line(": 16 Januari 2024", x0=416, conf=0.91),
    ]
    assert _date_of(lines) == "2024-01-16"


def test_an_attachments_tanggal_on_a_later_page_is_not_the_letters_date() -> None:
    lines = [
        _line("Semarang, 28 Januari 2020", x0=366),
        _line("Nomor : UM.01.05/1/171/2020", x0=239),
        _line("Lampiran surat", page=2),
        _line("Nomor : UM.01.05/1/171/2020", page=2),
        _line("Tanggal : 2 Januari 2020", page=2),
    ]
    assert _date_of(lines) == "2020-01-28"


def test_a_schedule_row_is_not_a_place_and_date_line() -> None:
    lines = [
        _line("Nomor : 005/728/2018"),
        _line("Perihal : Undangan"),
        _line("DISDUKCAPIL Selasa, 5 Juni 2018 Aula Dinas Kominfo", x0=120, page=2),
    ]
    assert _date_of(lines) is None


def test_a_decree_dated_on_its_last_page() -> None:
    lines = [
        _line("NOMOR : 0482.2 TAHUN 2018", x0=222),
        _line("Ditetapkan Di : Kendari", x0=348, page=3),
        _line("Pada Tanggal : 29 Agustus 201 8", x0=348, page=3),
    ]
    assert _date_of(lines) == "2018-08-29"


def test_an_ocr_day_with_a_letter_for_a_digit_is_read_for_review() -> None:
    lines = [
        _line("Jepara, Z2 Januari 2020", x0=339, conf=0.8),
        _line("Nomor : 005/ 0", conf=0.91),
    ]
    found = tanggal_surat(lines, list(find_labels(lines)))
    assert found is not None and found.value == "2020-01-22"
    assert found.provenance.corrected and found.provenance.confidence < 0.85


@settings(max_examples=100)
@given(dates, dates)
def test_a_place_and_date_in_the_body_is_not_the_date_above_the_signature(
    own: date, inside: date
) -> None:
    """A letter dated only above its signature: a line of its body that opens with a place
    and a date (a minutes' entry, a table row) lies between the body's opening and its
    closing, where no letter's own date stands."""
    lines = [
        _line("Nomor : 005/029/2020"),
        _line("Perihal : Laporan Kegiatan"),
        _line("Dengan hormat,"),
        _line("Bersama ini kami laporkan kegiatan berikut:"),
        _line(f"Semarang, {format_tanggal(inside)} Rapat Koordinasi Wilayah", x0=90),
        _line("Demikian laporan ini kami sampaikan, atas perhatiannya diucapkan terima kasih."),
        _line(f"Jepara, {format_tanggal(own)}", x0=340),
        _line("KEPALA DINAS KESEHATAN", x0=340),
    ]
    assert _date_of(lines) == own.isoformat()


def test_a_cited_letters_nomor_in_the_body_is_not_the_letters_number() -> None:
    """A handwritten number the OCR could not read leaves the letter without one; the body's
    'Nomor : 053/0012/2020' row, which names the letter it answers, does not stand in."""
    lines = [
        _line("Nomor : ~ /"),
        _line("Perihal : Data Penduduk yang Bekerja"),
        _line("Menindaklanjuti Surat dari Kepala Dinas Kesehatan Kabupaten Jepara:"),
        _line("Nomor : 053/0012/2020", x0=90),
        _line("Tanggal : 07 Januari 2020", x0=90),
        _line("Demikian untuk menjadikan periksa."),
    ]
    hits = list(find_labels(lines))
    assert nomor_surat(lines, hits) is None
    assert tanggal_surat(lines, hits) is None, "nor the cited letter's 'Tanggal :' row"


def test_a_cited_letters_subject_row_in_the_body_is_not_the_letters_subject() -> None:
    """A surat pengantar has no Perihal of its own; the body's 'Perihal : Permintaan Data'
    row describes the letter it answers."""
    lines = [
        _line("SURAT PENGANTAR", x0=250),
        _line("Nomor : 800/176/2020", x0=220),
        _line("Dengan hormat, menindaklanjuti surat Saudara:"),
        _line("Nomor : 053/0012/2020", x0=90),
        _line("Perihal : Permintaan Data Penduduk", x0=90),
        _line("bersama ini kami kirimkan data terlampir."),
        _line("Demikian untuk menjadikan periksa."),
    ]
    hits = list(find_labels(lines))
    assert perihal(lines, hits) is None
    found = nomor_surat(lines, hits)
    assert found is not None and found.value == "800/176/2020"
