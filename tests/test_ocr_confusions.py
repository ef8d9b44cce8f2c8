"""OCR confusions that a field's grammar makes certain to fix: a label's colon read as a digit,
a dot read as a comma in 'No.' or in a row's enumeration. Fixed values are flagged corrected
(so they go to review); values a text layer gave are never touched."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract import extract
from pipeline.extract.ocr_fixes import without_colon_read_as_digit
from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.service.context import make_matcher
from pipeline.settings import Settings

OCR_CONF = 0.8
MATCHER = make_matcher(Settings())


def ocr_line(*cells: str, conf: float = OCR_CONF) -> TextLine:
    return TextLine(1, tuple(Cell(80.0 + 120 * i, text, conf) for i, text in enumerate(cells)), 595)


def read(lines: list[TextLine]) -> ReadDocument:
    return ReadDocument(media=Media.IMAGE, pages=(Page(1, tuple(lines), True),), ocr_pages=(1,))


LETTER_HEAD = [
    ocr_line("PEMERINTAH PROVINSI BANTEN"),
    ocr_line("DINAS KESEHATAN"),
    ocr_line("Nomor", ": 555/787-Dinkes/X/2026"),
]


def test_a_colon_read_as_1_before_the_day_is_dropped_and_flagged() -> None:
    lines = [*LETTER_HEAD, ocr_line("Tanggal", "115 Sep 2026"), ocr_line("Perihal", ": Integrasi")]
    found = extract(read(lines), MATCHER).fields["tanggal_surat"]
    assert found.value == "2026-09-15"
    assert found.provenance.corrected, "a repaired OCR value must go to review"


def test_a_text_layer_date_is_never_repaired() -> None:
    lines = [*LETTER_HEAD, ocr_line("Tanggal", "115 Sep 2026", conf=1.0)]
    assert "tanggal_surat" not in extract(read(lines), MATCHER).fields


@given(day=st.integers(1, 31), lead=st.sampled_from("1lI|!i"))
def test_only_a_three_digit_day_loses_its_first_character(day: int, lead: str) -> None:
    assert without_colon_read_as_digit(f"{lead}{day:02d} Oktober 2026") == f"{day:02d} Oktober 2026"
    assert without_colon_read_as_digit(f"{day} Oktober 2026") == f"{day} Oktober 2026"
    assert without_colon_read_as_digit(f"{lead}{day + 31} Okt 2026").startswith(lead)


def test_no_comma_permohonan_is_still_the_request_number_label() -> None:
    lines = [
        ocr_line("FORMULIR PERMOHONAN INTEGRASI"),
        ocr_line("1. No, Permohonan", ":169/PRM-BPSDMD/2019"),
        ocr_line("2. Nama OPD", ": Dinas Kesehatan"),
    ]
    fields = extract(read(lines), MATCHER).fields
    assert fields["nomor_permohonan"].value == "169/PRM-BPSDMD/2019"


def test_an_enumeration_with_a_comma_still_leads_to_the_label() -> None:
    lines = [
        ocr_line("FORMULIR PERMOHONAN INTEGRASI"),
        ocr_line("1. Nama OPD", ": Dinas Kesehatan"),
        ocr_line("4, Subdomain", "sigap.dkp", ".bantenprov.go.id"),
    ]
    fields = extract(read(lines), MATCHER).fields
    assert fields["subdomain"].value == "sigap.dkp.bantenprov.go.id"
