"""Statements (surat pernyataan, surat kuasa): their `Nama / Jabatan / Nomor HP` rows describe
the signer and the person given power, not a request form; a surat kuasa filed with a request
letter names the person in charge of what is requested."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import OpdMatcher, extract
from pipeline.extract.statement import statement_person
from pipeline.models import Cell, Kind, Media, Page, ReadDocument, TextLine
from pipeline.service.context import make_matcher
from pipeline.settings import load_settings

names = st.lists(
    st.sampled_from(["Wahyu", "Sukono", "Teguh", "Supriyanto", "Rina", "Marlina", "Dewi"]),
    min_size=2,
    max_size=3,
).map(" ".join)
phones = st.from_regex(r"08[1-9][0-9]{8,9}", fullmatch=True)


def _line(text: str, page: int = 1, conf: float = 1.0) -> TextLine:
    return TextLine(page, (Cell(75.0, text, conf),), 612.0)


def _kuasa(signer: str, signer_phone: str, grantee: str, grantee_phone: str) -> list[TextLine]:
    return [
        _line("PEMERINTAH KABUPATEN WONOSOBO"),
        _line("DESA BATURSARI"),
        _line("SURAT KUASA"),
        _line("Nomor: 06/X/2018"),
        _line("Yang bertanda tangan dibawah ini:"),
        _line(f"Nama : {signer}"),
        _line("Jabatan : Kepala Desa Batursari"),
        _line(f"Nomor HP : {signer_phone}"),
        _line("Dengan ini memberi kuasa kepada:"),
        _line(f"Nama “{grantee}", conf=0.67),  # OCR read the colon as a quote
        _line("Jabatan : Sekretaris Desa Batursari"),
        _line(f"Nomor HP :{grantee_phone}"),
        _line("Untuk dan atas nama Desa Batursari untuk mengelola domain :"),
    ]


@settings(max_examples=50)
@given(names, phones, names, phones)
def test_a_surat_kuasa_names_its_grantee(
    signer: str, signer_phone: str, grantee: str, grantee_phone: str
) -> None:
    found = statement_person(_kuasa(signer, signer_phone, grantee, grantee_phone))
    assert found["penanggung_jawab.nama"].value == grantee
    assert found["penanggung_jawab.jabatan"].value == "Sekretaris Desa Batursari"
    assert found["penanggung_jawab.telepon"].value == "+62" + grantee_phone[1:]
    assert all(v.provenance.confidence < 0.85 for v in found.values())  # inferred: reviewed


def test_a_statement_names_its_signer() -> None:
    lines = [
        _line("SURAT PERNYATAAN"),
        _line("Yang bertanda tangan di bawah ini :"),
        _line("Nama : Rina Marlina"),
        _line("Jabatan : Kepala Seksi Aplikasi"),
        _line("Dengan ini menyatakan bertanggung jawab atas subdomain tersebut."),
    ]
    assert statement_person(lines)["penanggung_jawab.nama"].value == "Rina Marlina"
    assert statement_person(lines[2:]) == {}  # no statement: no person


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> OpdMatcher:
    return make_matcher(load_settings(Path(tmp_path_factory.mktemp("home"))))


def _document(*pages: list[TextLine]) -> ReadDocument:
    return ReadDocument(Media.PDF, tuple(Page(i + 1, tuple(p), True) for i, p in enumerate(pages)))


def test_a_statements_person_rows_are_not_a_form(matcher: OpdMatcher) -> None:
    lines = [
        _line("PEMERINTAH KABUPATEN WONOSOBO"),
        _line("DINAS KOMUNIKASI DAN INFORMATIKA"),
        _line("Jl. Sabuk Alu No 2A Wonosobo"),
        _line("SURAT PERNYATAAN PEMINJAMAN ALAT"),
        _line("Nomor: PPE-22-04-058/2022"),
        _line("Yang bertanda tangan dibawah ini :"),
        _line("Nama : DAMAR WISNU"),
        _line("Instansi : DINAS KOMUNIKASI DAN INFORMATIKA KABUPATEN WONOSOBO"),
        _line("Telepon : 089604484626"),
        _line("Dengan ini menyatakan bertanggung jawab atas peminjaman barang."),
        _line("Wonosobo, 28 April 2022"),
    ]
    found = extract(_document(lines), matcher)
    assert found.kind is Kind.OTHER
    assert found.value("nomor_surat") == "PPE-22-04-058/2022"
    assert found.value("opd") == "Dinas Komunikasi dan Informatika Kabupaten Wonosobo"
    assert found.value("penanggung_jawab.nama") is None


def test_a_surat_kuasa_filed_with_a_request_letter(matcher: OpdMatcher) -> None:
    kuasa = _kuasa("Wahyu Sukono", "083166479234", "Teguh Supriyanto", "085292040039")
    kuasa.append(_line("Wonosobo, Oktober 2018"))  # the statement's day never filled in
    letter = [
        _line("PEMERINTAH KABUPATEN WONOSOBO", page=2),
        _line("DESA BATURSARI", page=2),
        _line("Nomor : 07/X/2018 Batursari, 1 Oktober 2018", page=2),
        _line("Perihal : Permohonan Subdomain", page=2),
        _line("Kepada Yth.", page=2),
        _line("kami bermaksud mengajukan permohonan hosting dan domain", page=2),
    ]
    found = extract(_document(kuasa, letter), matcher)
    assert found.kind is Kind.LETTER
    assert found.value("nomor_surat") == "07/X/2018"
    assert found.value("tanggal_surat") == "2018-10-01"
    assert found.value("penanggung_jawab.nama") == "Teguh Supriyanto"
