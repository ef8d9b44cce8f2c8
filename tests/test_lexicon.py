"""The Indonesian word list as evidence for OCR'd phrases (pipeline.extract.lexicon)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.extract.lexicon import (
    WORDS_CONFIDENCE,
    checked_confidence,
    known_words,
    reads_as_words,
    repaired_words,
    repairs_confirmed,
    tokens_of,
)


def test_the_word_list_ships_with_the_package_and_holds_letter_words() -> None:
    words = known_words()
    assert len(words) > 40_000
    assert {"permohonan", "integrasi", "sistem", "informasi", "pelaksanaan", "undangan"} <= words


@pytest.mark.parametrize(
    "phrase",
    [
        "Permohonan Izin Pelaksanaan Dana Hibah",
        "Permohonan Integrasi Sistem Informasi / Aplikasi dan Data",
        "PERMOHONAN INTEGRASI SISTEM INFORMASI",  # written in capitals: still words
        "Kepala Seksi Pengembangan Aplikasi",
    ],
)
def test_phrases_of_known_words_are_trusted(phrase: str) -> None:
    assert reads_as_words(phrase)
    assert checked_confidence(phrase, 0.4) == WORDS_CONFIDENCE


@pytest.mark.parametrize(
    "phrase",
    [
        "Data Penduduk yang Bekeria",  # OCR's i for j: no word
        "Undangan Lintas Scktor Tingkat Kecamatan",  # c for e
        "Puskesmas We_a-=an",
        "Kepala Bidang Sistem Informasi dan",  # ends where the wrapped rest was lost
        "Usulan Integrasi Aplikasi SAKIP",  # an acronym is no word
        "Permohonan Data 2024",  # a number is no word
        "Undangan",  # one word is too little
    ],
)
def test_misreads_codes_and_cut_phrases_keep_their_ocr_confidence(phrase: str) -> None:
    assert not reads_as_words(phrase)
    assert checked_confidence(phrase, 0.4) == 0.4


def test_an_acronym_or_name_read_alike_elsewhere_in_the_document_counts_as_a_word() -> None:
    body = tokens_of(["Dalam rangka menyusun data SIGA Kabupaten Jepara", "RSUD RAA Soewondo"])
    assert reads_as_words("Permohonan Data SIGA", body)
    assert checked_confidence("Permohonan Data SIGA", 0.4, body) == WORDS_CONFIDENCE
    assert reads_as_words("Layanan RSUD Soewondo", body)
    assert not reads_as_words("Permohonan Data SlGA", body), "a misread is not read elsewhere"
    assert not reads_as_words("Usulan Integrasi Aplikasi SAKIP", body)
    assert not reads_as_words("Laporan Data 2020", tokens_of(["Tahun 2020"])), "numbers recur"


def test_a_repair_is_confirmed_only_by_the_repaired_word_printed_elsewhere() -> None:
    body = tokens_of(["Permintaan Data Penduduk yang Bekerja di Kabupaten Jepara"])
    read, repaired = "Data Penduduk yang Bekeria", "Data Penduduk yang Bekerja"
    assert repairs_confirmed(read, repaired, body)
    assert not repairs_confirmed(read, repaired, tokens_of(["Data Penduduk"]))
    assert repairs_confirmed(read, read, frozenset()), "nothing repaired, nothing to confirm"


def test_two_letters_are_a_word_only_when_they_are_one() -> None:
    """Tesseract's word list holds almost every pair of letters ('aa', 'xx'): OCR debris at
    the end of a subject is not a word, 'di' and 'ke' are."""
    assert not reads_as_words("Permohonan Integrasi Data ke Portal Satu Data aa")
    assert reads_as_words("Permohonan Integrasi Data ke Portal Satu Data")
    assert reads_as_words("Rapat Koordinasi di Serang")


@given(st.text(max_size=60), st.floats(min_value=0.0, max_value=1.0))
def test_the_check_only_ever_raises_confidence_and_never_above_the_words_level(
    text: str, confidence: float
) -> None:
    checked = checked_confidence(text, confidence)
    assert checked >= confidence
    assert checked in (confidence, WORDS_CONFIDENCE)


@pytest.mark.parametrize(
    ("read", "printed"),
    [
        ("Data Penduduk yang Bekeria", "Data Penduduk yang Bekerja"),  # real scan, i for j
        ("Undangan Lintas Scktor Tingkat", "Undangan Lintas Sektor Tingkat"),  # c for e
        ("Permohonan lntegrasi Sistem", "Permohonan Integrasi Sistem"),  # l for capital I
    ],
)
def test_a_word_misread_by_one_usual_confusion_is_put_back(read: str, printed: str) -> None:
    assert repaired_words(read) == printed


@pytest.mark.parametrize(
    "phrase",
    [
        "Puskesmas Welahan I",  # a place: no known word one confusion away
        "Kecamatan Kedung",
        "Aplikasi SIKESDA",  # an acronym is never repaired
        "Permohonan Izin Pelaksanaan",  # already words
    ],
)
def test_names_acronyms_and_words_stay_as_read(phrase: str) -> None:
    assert repaired_words(phrase) == phrase


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_a_repair_keeps_the_number_of_words(text: str) -> None:
    assert len(repaired_words(text).split(" ")) == len(text.split(" "))
