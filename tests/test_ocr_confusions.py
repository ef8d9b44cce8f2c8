"""OCR confusions that a field's grammar makes certain to fix: a label's colon read as a digit,
a dot read as a comma in 'No.' or in a row's enumeration. Fixed values are flagged corrected
(so they go to review); values a text layer gave are never touched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract import extract
from pipeline.extract.nomor import parse_nomor
from pipeline.extract.ocr_fixes import under_parent, without_colon_read_as_digit
from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.service.context import make_matcher
from pipeline.settings import Settings

OCR_CONF = 0.8
MATCHER = make_matcher(Settings())
REVIEW = Settings().pembacaan.ambang_peluang


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


def nomor_read(*cells: str) -> tuple[str | None, bool]:
    """The letter number of a letter whose number line OCR split into `cells` (a label column,
    then the value's pieces side by side in the left half of the page)."""
    placed = tuple(Cell(80.0 + 60 * i, text, OCR_CONF) for i, text in enumerate(cells))
    number_line = TextLine(1, placed, 595)
    lines = [ocr_line("PEMERINTAH PROVINSI BANTEN"), ocr_line("DINAS KESEHATAN"), number_line]
    found = extract(read(lines), MATCHER).fields.get("nomor_surat")
    return (found.value, found.provenance.corrected) if found else (None, False)


@pytest.mark.parametrize(
    ("cells", "want", "repaired"),
    [
        (("Nomor Surat : 485/764-Disnakertrans/11/2019",), "485/764-Disnakertrans/II/2019", True),
        (
            ("No.", ": 800.1.13.2/11.9-Inspektorat/111/2020"),
            "800.1.13.2/11.9-Inspektorat/III/2020",
            True,
        ),
        (("Nomor : 027.2/86/Br. PBJ/X1/2024",), "027.2/86/Br.PBJ/XI/2024", True),
        (("No", ": 900. 1.3.1/844/BiroU mum/V1/2023"), "900.1.3.1/844/BiroUmum/VI/2023", True),
        (("NOMOR", ":", "60/8638", "BPSDMD / 2019"), "60/8638-BPSDMD/2019", True),
        (("No", ":", "555,1 / 400-SEK-DPMPTSP-I / 2020"), "555.1/400-SEK-DPMPTSP-I/2020", True),
        (("No...", ": 061/61-DP3AKKB-IV/2023"), "061/61-DP3AKKB-IV/2023", False),
        (
            ("NOMOR =:", "90/9800.4-Disnakertrans/XII/2021"),
            "90/9800.4-Disnakertrans/XII/2021",
            False,
        ),
        (("Nomor.", ": 027.2/53004-RSUD. Mlp- -1/2025"), "027.2/53004-RSUD.Mlp-I/2025", True),
    ],
)
def test_letter_numbers_as_ocr_misreads_them(
    cells: tuple[str, ...], want: str, repaired: bool
) -> None:
    assert nomor_read(*cells) == (want, repaired), "a repaired number is flagged for review"


def test_a_number_with_a_doubled_separator_is_never_accepted() -> None:
    assert parse_nomor("027.2/53004-RSUD.Mlp--I/2025") is None
    assert parse_nomor("555//1/X/2020") is None


@given(
    serial=st.integers(1, 9999),
    unit=st.sampled_from(["Dinkes", "Br.Um", "BiroPBJ", "SEK-DPMPTSP", "Inspektorat"]),
    month=st.integers(1, 3),
    year=st.integers(2015, 2030),
)
def test_a_month_of_ones_before_the_year_is_read_as_roman(
    serial: int, unit: str, month: int, year: int
) -> None:
    misread = f"Nomor : 400/{serial}-{unit}/{'1' * month}/{year}"
    assert nomor_read(misread) == (f"400/{serial}-{unit}/{'I' * month}/{year}", True)


def test_the_date_at_the_signature_is_found_even_with_a_dot_for_the_comma() -> None:
    body = [ocr_line(f"Kalimat isi surat nomor {i} tentang integrasi aplikasi.") for i in range(20)]
    lines = [*LETTER_HEAD, *body, ocr_line("“Scrang. 06 Juli 2020")]
    found = extract(read(lines), MATCHER).fields["tanggal_surat"]
    assert found.value == "2020-07-06" and found.provenance.corrected


def test_a_street_named_after_a_date_is_not_the_letter_date() -> None:
    lines = [ocr_line("PEMERINTAH PROVINSI BANTEN"), ocr_line("Jl. 17 Agustus 1945 No. 3, Serang")]
    assert "tanggal_surat" not in extract(read(lines), MATCHER).fields


@pytest.mark.parametrize(
    ("written", "want"),
    [
        ("sidalih.dinkes", "sidalih.dinkes.bantenprov.go.id"),
        ("simpel", "simpel.bantenprov.go.id"),
        ("simoel.bpbd.bantenorov.go.id", "simoel.bpbd.bantenprov.go.id"),
    ],
)
def test_the_forms_subdomain_name_goes_under_bantenprov(written: str, want: str) -> None:
    lines = [
        ocr_line("FORMULIR PERMOHONAN INTEGRASI"),
        ocr_line("1. Nama OPD", ": Dinas Kesehatan"),
        ocr_line("4. Nama Subdomain", f": {written}"),
    ]
    assert extract(read(lines), MATCHER).fields["subdomain"].value == want


def test_a_public_domain_in_the_name_field_is_not_put_under_bantenprov() -> None:
    assert under_parent("app.example.com") == "app.example.com"
    assert under_parent("portal.dinkes") == "portal.dinkes.bantenprov.go.id"


@pytest.mark.parametrize(
    ("read_as", "want"),
    [
        ("Ahmad Siregar. S.Si.", "Ahmad Siregar, S.Si."),
        ("Ria Mulyani: S.Tr.Kom.", "Ria Mulyani, S.Tr.Kom."),
        ("Gilang Setiawan, S.Sos.. M.Si.", "Gilang Setiawan, S.Sos., M.Si."),
        (".H. Ria Gunawan, S. Kom.", "H. Ria Gunawan, S.Kom."),
        ("Ir, Rizky Suryadi", "Ir. Rizky Suryadi"),
        ("Dr Ir. Intan Fadilah, A.Md.", "Dr. Ir. Intan Fadilah, A.Md."),
    ],
)
def test_a_names_punctuation_is_repaired_and_sent_to_review(read_as: str, want: str) -> None:
    sure_reading = form_with("a. Nama", read_as, conf=0.99)  # confident but for the repair
    found = extract(read(sure_reading), MATCHER).fields["penanggung_jawab.nama"]
    assert found.value == want
    assert found.provenance.corrected and found.provenance.confidence < REVIEW


@pytest.mark.parametrize(
    "name", ["Prof. Dr. Ahmad Wijaya, M.Si.", "Ahmad S. Siregar", "Budi Santoso, M.T."]
)
def test_a_name_written_right_is_left_alone(name: str) -> None:
    found = extract(read(form_with("a. Nama", name)), MATCHER).fields["penanggung_jawab.nama"]
    assert (found.value, found.provenance.corrected) == (name, False)


@pytest.mark.parametrize(
    ("read_as", "want"),
    [
        ("andis@bantenprov.zo.id", "andis@bantenprov.go.id"),
        ("euis.sopandi@bantenorov.go.id", "euis.sopandi@bantenprov.go.id"),
        ("bambang@dinkes.bantenprov.co.id", "bambang@dinkes.bantenprov.go.id"),
    ],
)
def test_the_provinces_mail_domain_is_repaired(read_as: str, want: str) -> None:
    found = extract(read(form_with("c. Email", read_as)), MATCHER).fields["penanggung_jawab.email"]
    assert found.value == want and found.provenance.corrected


def form_with(label: str, value: str, conf: float = OCR_CONF) -> list[TextLine]:
    return [
        ocr_line("FORMULIR PERMOHONAN INTEGRASI"),
        ocr_line("1. Nama OPD", ": Dinas Kesehatan"),
        ocr_line("3. Penanggung Jawab"),
        ocr_line(label, f": {value}", conf=conf),
    ]


@pytest.mark.parametrize(
    "prompt",
    ["Klik atau ketuk di sini untuk memasukkan teks.", "Click or tap here to enter text."],
)
def test_words_content_control_prompt_on_a_printed_form_is_a_blank(prompt: str) -> None:
    found = extract(read(form_with("d. Jabatan", prompt, conf=0.99)), MATCHER).fields
    assert "penanggung_jawab.jabatan" not in found


@pytest.mark.parametrize(
    ("cells", "want"),
    [
        (("Nomor Surat", ":000.7.2/3- DKP -1/ 11/2025"), "000.7.2/3-DKP-I/II/2025"),
        (
            ("Nomor : 800.1.13.2", "/ 2438-SEK-Bappeda-ll 12025"),
            "800.1.13.2/2438-SEK-Bappeda-II/2025",
        ),
    ],
)
def test_every_reading_of_a_number_gets_its_roman_numerals_repaired(
    cells: tuple[str, ...], want: str
) -> None:
    assert nomor_read(*cells) == (want, True)


@pytest.mark.parametrize(
    ("label", "value", "want"),
    [
        ("Perihat", ": Permohonan Integrasi Data E-KINERJA", "Permohonan Integrasi Data E-KINERJA"),
        ("Hai", ": Permohonan Integrasi Sistem Informasi", "Permohonan Integrasi Sistem Informasi"),
        ("Pevinal", ": Pemberitahuan Jadwal Narasumber", "Pemberitahuan Jadwal Narasumber"),
        ("Penhal", ": Permohonan Integrasi Data", "Permohonan Integrasi Data"),
        (
            "Perihal",
            ": Permohonan Integrasi Sistem Informasi : :",
            "Permohonan Integrasi Sistem Informasi",
        ),
        ("Hal", ": Integrasi Aplikasi dan Data” 0", "Integrasi Aplikasi dan Data"),
        ("Hal", ": Integrasi Aplikasi X", "Integrasi Aplikasi X"),
    ],
)
def test_the_subject_line_as_ocr_misreads_its_label_and_its_end(
    label: str, value: str, want: str
) -> None:
    lines = [*LETTER_HEAD, ocr_line(label, value), ocr_line("Yth. Kepala Dinas Kominfo")]
    assert extract(read(lines), MATCHER).fields["perihal"].value == want


@pytest.mark.parametrize(
    ("read_as", "want"),
    [
        ("Lilis. Kurniasih@BantenProv.go.id", "lilis.kurniasih@bantenprov.go.id"),
        ("Rudi, Kurniasih@BantenProv.go. id", "rudi.kurniasih@bantenprov.go.id"),
        ("Ujang. Sembiring@BantenProv. id", "ujang.sembiring@bantenprov.go.id"),
    ],
)
def test_an_address_split_after_the_first_name_is_joined_again(read_as: str, want: str) -> None:
    found = extract(read(form_with("c. Email", read_as)), MATCHER).fields["penanggung_jawab.email"]
    assert (found.value, found.provenance.corrected) == (want, True)


@pytest.mark.parametrize(
    ("read_as", "want"),
    [
        ("gispar-ppid.bantenprov.go.id", "dispar-ppid.bantenprov.go.id"),
        ("tapor.bantenprov.go.id", "lapor.bantenprov.go.id"),
        ("sipkd.setdord.bantenprov.go.id", "sipkd.setdprd.bantenprov.go.id"),
        ("idih.bantenprov.go.id", "jdih.bantenprov.go.id"),
    ],
)
def test_a_subdomain_word_one_misread_letter_from_a_known_one_is_repaired(
    read_as: str, want: str
) -> None:
    found = extract(read(form_with("5. Alamat Subdomain", read_as)), MATCHER).fields["subdomain"]
    assert (found.value, found.provenance.corrected) == (want, True)


def test_an_unknown_subdomain_word_is_left_as_read() -> None:
    found = extract(read(form_with("5. Alamat Subdomain", "tabor.bantenprov.go.id")), MATCHER)
    assert found.fields["subdomain"].value == "tabor.bantenprov.go.id"


@pytest.mark.parametrize(
    ("read_as", "want"),
    [
        ("Kepata Sub Bagian Umum dan Kepegawaian", "Kepala Sub Bagian Umum dan Kepegawaian"),
        ("Ta : Kepala Seksi Pengembangan Aptikasi", "Kepala Seksi Pengembangan Aplikasi"),
        ("Ii: Pranata Komputer Terampil", "Pranata Komputer Terampil"),
    ],
)
def test_a_position_one_letter_off_its_words_is_repaired(read_as: str, want: str) -> None:
    found = extract(read(form_with("d. Jabatan", read_as, conf=0.99)), MATCHER).fields
    position = found["penanggung_jawab.jabatan"]
    assert (position.value, position.provenance.corrected) == (want, True)
    assert position.provenance.confidence < REVIEW


def test_a_position_in_words_of_its_own_is_left_alone() -> None:
    found = extract(read(form_with("d. Jabatan", "Statistisi Ahli Pertama")), MATCHER).fields
    assert found["penanggung_jawab.jabatan"].provenance.corrected is False


@pytest.mark.parametrize(
    ("read_as", "want"),
    [("s PRM-2024-0797", "PRM-2024-0797"), ("PRM-2020- 0703.", "PRM-2020-0703")],
)
def test_a_request_number_loses_specks_spaces_and_a_full_stop(read_as: str, want: str) -> None:
    found = extract(read(form_with("1. Nomor Permohonan", read_as)), MATCHER).fields
    assert found["nomor_permohonan"].value == want
