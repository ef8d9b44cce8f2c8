"""The sender a scanned kop names, through OCR's usual damage to capitals: a word broken in two,
a letter read in lower case; and a ministry's directorate general named with its ministry."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.extract import extract
from pipeline.extract.letterhead import KOP_WORDS, read_letterhead
from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.corpus.kops_data import Kop, load_kops, same_sender

UNITS = (
    "BADAN KESATUAN BANGSA DAN POLITIK",
    "DINAS PEKERJAAN UMUM DAN PENATAAN RUANG",
    "BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH",
    "DINAS KOMUNIKASI DAN INFORMATIKA",
)


def _line(text: str, conf: float = 0.6) -> TextLine:
    return TextLine(1, (Cell(150.0, text, conf),), 595.0)


def _name(*kop: str) -> str | None:
    head = read_letterhead([*(_line(t) for t in kop), _line("Jl. Pemuda No. 1 Jepara")])
    return head.name if head else None


def _title(unit: str) -> str:
    small = {"DAN"}
    return " ".join(w.lower() if w in small else w.capitalize() for w in unit.split())


@settings(max_examples=150)
@given(st.sampled_from(UNITS), st.integers(min_value=2, max_value=3), st.data())
def test_a_kop_word_ocr_broke_in_two_or_three_is_joined(
    unit: str, pieces: int, data: st.DataObject
) -> None:
    words = unit.split()
    long = [i for i, w in enumerate(words) if len(w) >= 3 * pieces + 2]
    assume(long)
    index = data.draw(st.sampled_from(long))
    word = words[index]
    cuts = sorted(
        data.draw(st.sets(st.integers(3, len(word) - 3), min_size=pieces - 1, max_size=pieces - 1))
    )
    assume(all(b - a >= 3 for a, b in itertools.pairwise(cuts)))
    parts = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
    assume(not any(part in KOP_WORDS for part in parts))
    broken = " ".join([*words[:index], *parts, *words[index + 1 :]])
    assert _name("PEMERINTAH KABUPATEN JEPARA", broken) == f"{_title(unit)} Kabupaten Jepara"


def test_a_kop_word_ocr_misread_and_broke() -> None:
    assert (
        _name("PEMERINTAH KABUPATEN JEPARA", "ae BADAN KESAT JAN BANGSA DAN POLITIK")
        == "Badan Kesatuan Bangsa dan Politik Kabupaten Jepara"
    )


def test_a_capital_read_in_lower_case_keeps_the_unit_word() -> None:
    kop = (
        "PEMERINTAH KABUPATEN JEPARA",
        "DINAS KESEHATAN KABUPATEN JEPARA",
        "UPTD Pi.SKESMAS JEPARA",
    )
    assert _name(*kop) == "Puskesmas Jepara"


def test_a_directorate_general_is_named_with_its_ministry() -> None:
    kop = (
        "KEMENTERIAN KESEHATAN REPUBLIK INDONESIA",
        "#8 DIREKTORAT JENDERAL KESEHATAN MASYARAKAT /",
    )
    assert _name(*kop) == (
        "Direktorat Jenderal Kesehatan Masyarakat Kementerian Kesehatan Republik Indonesia"
    )
    # a unit with a name of its own is not
    kop = ("KEMENTERIAN KESEHATAN REPUBLIK INDONESIA", "BALAI PELATIHAN KESEHATAN SEMARANG")
    assert _name(*kop) == "Balai Pelatihan Kesehatan Semarang"


@pytest.mark.parametrize(
    ("kop", "sender"),
    [
        # the place at the end of a unit's name is its region, registered with its level
        (
            ("PEMERINTAH KABUPATEN PATI", "RSUD RAA SOEWONDO PATI"),
            "RSUD Raa Soewondo Kabupaten Pati",
        ),
        (("PEMERINTAH KABUPATEN KUDUS", "KANTOR KUDUS"), "Kantor Kudus"),
        # a unit line that names its region is a unit, also right under the government line
        (
            ("PEMERINTAH KABUPATEN AGAM", "KANTOR PERTANAHAN KABUPATEN AGAM"),
            "Kantor Pertanahan Kabupaten Agam",
        ),
        (
            ("PEMERINTAH KOTA BANDUNG", "DINAS KESEHATAN KOTA BANDUNG"),
            "Dinas Kesehatan Kota Bandung",
        ),
        (("DINAS KESEHATAN KABUPATEN JEPARA",), "Dinas Kesehatan Kabupaten Jepara"),
        (("PEMERINTAH KABUPATEN JEPARA", "UPTD PUSKESMAS JEPARA"), "Puskesmas Jepara"),
        (("KEJAKSAAN NEGERI JEPARA",), "Kejaksaan Negeri Jepara"),
        # a government line cut before its region's name continues on the next line
        (
            ("PEMERINTAH PROVINSI", "JAWA TENGAH", "DINAS KOMUNIKASI DAN INFORMATIKA"),
            "Dinas Komunikasi dan Informatika Provinsi Jawa Tengah",
        ),
        # a regional office is named with its ministry or agency, then its own region
        (
            (
                "KEMENTERIAN SOSIAL REPUBLIK INDONESIA",
                "KANTOR WILAYAH PROVINSI JAWA TENGAH",
            ),
            "Kantor Wilayah Kementerian Sosial Provinsi Jawa Tengah",
        ),
        (
            (
                "KEMENTERIAN AGAMA REPUBLIK INDONESIA",
                "KANTOR WILAYAH KEMENTERIAN AGAMA PROVINSI JAWA BARAT",
            ),
            "Kantor Wilayah Kementerian Agama Provinsi Jawa Barat",
        ),
        # the commas between the unit's words are part of its name, across its lines too
        (
            ("PEMERINTAH KABUPATEN KUDUS", "DINAS PEMUDA, OLAHRAGA,", "DAN PARIWISATA"),
            "Dinas Pemuda, Olahraga, dan Pariwisata Kabupaten Kudus",
        ),
        (
            ("DINAS KEBUDAYAAN, PEMUDA DAN OLAHRAGA, KOTA SALATIGA",),
            "Dinas Kebudayaan, Pemuda dan Olahraga Kota Salatiga",
        ),
        # an organisation's branch is named by its territory, which is no office of its own
        (
            ("PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN", "KECAMATAN SIMAN KABUPATEN PONOROGO"),
            "Pengurus Ranting Nahdlatul Ulama Mangunsuman Kecamatan Siman Kabupaten Ponorogo",
        ),
        (
            ("PIMPINAN CABANG MUHAMMADIYAH", "KECAMATAN KEDUNG"),
            "Pimpinan Cabang Muhammadiyah Kecamatan Kedung",
        ),
        # while under a government's line the sub-district is the sender
        (("PEMERINTAH KABUPATEN JEPARA", "KECAMATAN KEDUNG"), "Kecamatan Kedung"),
    ],
)
def test_the_sender_is_named_with_its_region_once(kop: tuple[str, ...], sender: str) -> None:
    assert _name(*kop) == sender


SCORED_KOPS = [kop for kop in load_kops() if kop.scored]


@pytest.mark.parametrize("kop", SCORED_KOPS, ids=lambda kop: kop.lines[-1][:40])
def test_real_letterheads_name_their_sender_as_a_clerk_would(kop: Kop) -> None:
    """45 kops of real offices (regency and city offices, villages, ministries, faculties,
    schools, hospitals, companies), none from ../shared/real: the sender is registered with
    its region once, its parent where only the parent identifies it, and never as a Banten
    OPD."""
    found = extract(kop.letter(), make_matcher(Settings())).fields.get("opd")
    assert found is not None and same_sender(found.value, kop.sender), found


def test_a_two_word_unit_with_a_short_word_misread_is_read_whole() -> None:
    """A private hospital's kop OCR'd as 'RUMAH SAKT / PKU MUHAV MAD YAH MAYONG JEPARA'."""
    assert (
        _name("RUMAH SAKT", "PKU MUHAV MAD YAH MAYONG JEPARA")
        == "Rumah Sakit PKU Muhammadiyah Mayong Jepara"
    )


@pytest.mark.parametrize(
    "title",
    [
        ("FORM BUKTI KEHADIRAN", "PELAKSANAAN PERJALANAN DINAS LUAR KOTA"),
        ("DAFTAR HADIR", "RAPAT KOORDINASI DINAS LUAR"),
        ("BERITA ACARA SERAH TERIMA", "KENDARAAN DINAS OPERASIONAL"),
    ],
)
def test_a_page_that_opens_with_its_title_has_no_kop(title: tuple[str, ...]) -> None:
    """A form or a list without a letterhead: 'perjalanan dinas' is an official trip, not a
    Dinas, and nothing is registered as its sender."""
    assert _name(*title) is None


def test_a_run_on_kop_of_another_government_is_never_a_banten_opd() -> None:
    """A kop the reader could not cut into lines ('PEMERINTAH PROVINSI JAWA TENGAH DINAS
    KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN Nomor SOP …') names another province:
    the unit's words, which are also a Banten OPD's, leave the sender empty."""
    run_on = (
        "PEMERINTAH PROVINSI JAWA TENGAH DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN "
        "PERSANDIAN Nomor SOP 55/SOP/2025"
    )
    lines = (_line(run_on, conf=1.0), _line("Tanggal Pembuatan 1 Oktober 2025", conf=1.0))
    document = ReadDocument(Media.DOCX, (Page(1, lines, True),))
    assert extract(document, make_matcher(Settings())).fields.get("opd") is None


def test_a_run_on_kop_of_the_home_province_misread_still_names_its_opd() -> None:
    """OCR's 'BAN TEN' is Banten: the run-on kop does not silence the OPD named below it."""
    lines = (
        _line("PEMERINTAH PROVINSI BAN TEN", conf=0.44),
        _line("@ Jl. BADAN Syekh Nawawi PENANGGULANGAN Al-Bantani BENCANA DAERAH", conf=0.6),
        _line("Dengan hormat, Badan Penanggulangan Bencana Daerah mengajukan", conf=0.9),
    )
    document = ReadDocument(Media.IMAGE, (Page(1, lines, True),))
    found = extract(document, make_matcher(Settings())).fields.get("opd")
    assert found is not None and found.value == "Badan Penanggulangan Bencana Daerah"


@pytest.mark.parametrize(
    ("title", "sender"),
    [
        (
            ("KEPUTUSAN KETUA PENGADILAN AGAMA BANJARBARU", "Nomor : 1944/KPA.W15-A12/X/2024"),
            "Pengadilan Agama Banjarbaru",
        ),
        (
            ("KEPUTUSAN KEPALA DINAS KESEHATAN", "KABUPATEN JEPARA", "NOMOR : 440/12/2020"),
            "Dinas Kesehatan Kabupaten Jepara",
        ),
        (
            ("SURAT KEPUTUSAN DIREKTUR RSUD KARTINI", "Nomor : 445/018/2020"),
            "RSUD Kartini",
        ),
        (("KEPUTUSAN BUPATI JEPARA", "NOMOR 5 TAHUN 2020"), None),  # no office, a person
    ],
)
def test_a_decree_without_a_kop_is_issued_by_the_unit_its_title_names(
    title: tuple[str, ...], sender: str | None
) -> None:
    """A decree photographed from its first page opens with its title, not a kop: 'KEPUTUSAN
    KETUA PENGADILAN AGAMA BANJARBARU' names the court whose head issues it."""
    head = read_letterhead([*(_line(t) for t in title), _line("TENTANG")])
    assert (head.name if head else None) == sender
