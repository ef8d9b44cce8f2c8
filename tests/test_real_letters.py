"""Real letters from public archives of Indonesian offices (../shared/real, truth read by a
person): regressions for the failure classes of issue 12, on documents of the part of the set the
rules are tuned on (benchmarks/score_real.py keeps the other part for measuring only), plus
property tests for the number and date grammars.

Only digital files are read here (no OCR), so the module stays fast.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from pipeline.extract import OpdMatcher, extract, is_placeholder, letter
from pipeline.extract.dates import is_unfilled_date_line
from pipeline.extract.labels import find_labels
from pipeline.extract.letterhead import read_letterhead, signed_by_unit
from pipeline.extract.nomor import find_printed_nomor
from pipeline.extract.opd import kop_outside_province
from pipeline.fields import OUTSIDE_SENDER_RULE
from pipeline.models import Cell, Kind, Media, Page, Provenance, ReadDocument, TextLine
from pipeline.readers import read_file
from pipeline.service.context import make_matcher
from pipeline.service.display import source_text
from pipeline.settings import Settings, load_settings
from tests.factories import regency_invitation_docx
from tests.real_split import REAL, part_of

pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is not beside the clone")
REVIEW = Settings().pembacaan.ambang_peluang


def _truth() -> dict[str, dict[str, Any]]:
    lines = (REAL / "truth.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["file"]: e for e in (json.loads(line) for line in lines if line.strip())}


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> OpdMatcher:
    return make_matcher(load_settings(tmp_path_factory.mktemp("home")))


def _read(name: str, matcher: OpdMatcher) -> tuple[dict[str, str], set[str]]:
    entry = _truth()[name]
    assert part_of(entry) == "tune", f"{name} belongs to the held-out part"
    extraction = extract(read_file(REAL / name), matcher)
    values = {k: v.value for k, v in extraction.fields.items()}
    sure = {k for k, v in extraction.fields.items() if v.provenance.confidence >= REVIEW}
    return values, sure


def test_numbers_in_real_shapes_are_read_as_printed(matcher: OpdMatcher):
    """Class 1: an institute's dotted number, a decree's 'TAHUN', a land office's hyphens."""
    for name, want in (
        ("D108_iain-kendari_himbauan_bidi-textlayer.pdf", "1907.2/In.23/R.3/HM.00/12/2024"),
        ("D110_iain-kendari_keputusan-rektor_lo.pdf", "0482.2 TAHUN 2018"),
        ("D117_bpn-agam_keputusan_bsre-qr.pdf", "60/SK-NT.01-13.06/VI/2024"),
        ("R010_wsb-template_surat-pengajuan-server_filled.pdf", "045.2/0417-Dinkes/III/2024"),
    ):
        values, sure = _read(name, matcher)
        assert values.get("nomor_surat") == want, name
        assert "nomor_surat" in sure, name


def test_a_number_printed_under_its_label_is_read(matcher: OpdMatcher):
    """Class 4: an HTML-to-PDF letter prints 'Nomor :' over '048/ /2021' (its text layer
    interleaves them); the number with its blank middle part is read, and sure, and the
    subject printed the same way keeps its wrapped second line."""
    values, sure = _read("R003_wsb-diskominfo_permohonan-data-menara_dompdf.pdf", matcher)
    assert values.get("nomor_surat") == "048//2021"
    assert "nomor_surat" in sure
    assert values.get("perihal") == "Permohonan Data Menara Celluler"


def test_a_number_is_read_from_an_attachments_header_only_when_the_header_fails():
    """Class 6 (D019 in tests/test_scans_real.py): an attachment's 'Lampiran Surat Nomor …' on
    a later page gives the number when the header's cannot be read; the first page's
    'Lampiran : 1 berkas' never does, and a header number read right is kept."""
    attachment = TextLine(2, (Cell(100.0, "Lampiran Surat Nomor 27/VI-07/0120", 0.66),), 595.0)
    header = [_line("Nomor", ": 005/12/2020"), _line("Lampiran : 1 berkas Nomor 9/9/2020")]
    assert _nomor([*header, attachment]) == "005/12/2020"
    assert _nomor([_line("Nomor", ": 27 MI-07 10120"), *header[1:], attachment]) == "27/VI-07/0120"
    assert _nomor([_line("Nomor", ": -"), *header[1:]]) is None, "no attachment: nothing"


def test_a_clerk_is_told_the_number_came_from_the_attachment_and_the_sender_from_the_kop():
    """Where a flagged value was read is what a clerk checks first: the attachment's header on
    its page, the kop for a sender off the master list."""
    attachment = TextLine(3, (Cell(100.0, "Lampiran Surat Nomor 27/VI-07/0120", 0.66),), 595.0)
    lines = [_line("Nomor", ": 27 MI-07 10120"), attachment]
    found = letter.nomor_surat(lines, list(find_labels(lines)))
    assert found is not None
    shown = source_text(found.provenance.as_dict())
    assert shown.startswith("dari kepala lampiran surat, hlm. 3, yakin ")
    assert shown.endswith(", dibaca dari pindaian")
    kop = Provenance(OUTSIDE_SENDER_RULE, 1, "DINAS KESEHATAN", 0.9)
    assert source_text(kop.as_dict()).startswith("dari kop surat, hlm. 1")


def _nomor(lines: list[TextLine]) -> str | None:
    found = letter.nomor_surat(lines, list(find_labels(lines)))
    return found.value if found else None


def test_an_event_day_is_not_the_letters_date(matcher: OpdMatcher):
    """Class 2: 'Rabu, 18 Desember 2024' in the body loses to the date beside the Nomor."""
    values, _ = _read("D108_iain-kendari_himbauan_bidi-textlayer.pdf", matcher)
    assert values.get("tanggal_surat") == "2024-12-16"


def test_another_governments_sender_is_never_a_banten_opd(matcher: OpdMatcher):
    """Class 3: a university's and a regency land office's kop are kept as printed."""
    values, _ = _read("D110_iain-kendari_keputusan-rektor_lo.pdf", matcher)
    assert values.get("opd") == "Institut Agama Islam Negeri Kendari"
    names = {opd.nama for opd in matcher.directory.entries}
    values, _ = _read("D117_bpn-agam_keputusan_bsre-qr.pdf", matcher)
    assert values.get("opd") not in names


def test_a_scanned_letter_of_another_government_is_not_given_a_banten_opd(matcher: OpdMatcher):
    """Class 3 on scans whose kop OCR could not read: a hospital whose kop carries its regency's
    domain (jepara.go.id), and one whose body names the addressee 'Kepala Dinas Kesehatan',
    were both registered as the province's Dinas Kesehatan; the sender now stays empty."""
    for name in ("D004_rsud-kartini_pemberitahuan.pdf", "D023_rs-pku-mayong_permohonan.pdf"):
        values, _ = _read(name, matcher)
        assert values.get("opd") != "Dinas Kesehatan", name


@functools.cache
def _default_matcher() -> OpdMatcher:
    return make_matcher(Settings())


BANTEN_NAMES = st.sampled_from(
    ["Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan", "Badan Pendapatan Daerah"]
)
FOREIGN = st.sampled_from(
    ["Kabupaten Jepara", "Kab. Pati", "Kota Semarang", "Provinsi Jawa Tengah"]
)


@given(BANTEN_NAMES, FOREIGN, st.sampled_from(["", "Kepala ", "Yth. Kepala "]))
def test_a_name_with_another_region_or_an_official_title_is_no_body_vote(
    name: str, region: str, title: str
):
    """A master-list name followed by another government's region, or preceded by an
    official's title, is never a vote for the province's OPD of that name."""
    matcher = _default_matcher()
    own = [o for o in matcher.directory.entries if o.nama == name]
    assert matcher.names_in(f"surat dari {title}{name} {region} tentang") == []
    official = matcher.names_in(f"disampaikan kepada {title}{name} untuk", official_of=False)
    assert official == ([] if title else own)
    assert matcher.names_in(f"{name} Provinsi Banten bermaksud") == own


def test_a_banten_opds_letter_still_maps_to_the_master_list(matcher: OpdMatcher):
    values, sure = _read("R010_wsb-template_surat-pengajuan-server_filled.pdf", matcher)
    assert values.get("opd") == "Dinas Kesehatan" and "opd" in sure


def test_layouts_a_subject_above_its_label_and_a_two_column_person_block(matcher: OpdMatcher):
    """Class 4 (and 7: the kind is right because the subject is read)."""
    values, _ = _read("R010_wsb-template_surat-pengajuan-server_filled.pdf", matcher)
    assert values.get("perihal") == "Permohonan Subdomain dan Hosting Aplikasi SIKESDA"
    assert values.get("subdomain") == "sikesda.bantenprov.go.id"
    assert values.get("penanggung_jawab.nama") == "Rina Marlina, S.Kom., M.T."  # CP in body
    values, _ = _read("R007_wsb-template_form-layanan-server_filled.pdf", matcher)
    assert values.get("penanggung_jawab.nama") == "Rina Marlina, S.Kom., M.T."  # Administratif
    assert values.get("penanggung_jawab.email") == "rina.marlina@bantenprov.go.id"
    assert values.get("penanggung_jawab.jabatan") == "Kepala Seksi Sistem Informasi Kesehatan"
    assert values.get("tanggal_surat") == "2024-03-12"


def test_a_two_column_person_block_on_a_text_layer_is_sure_where_its_rows_are_seen(
    matcher: OpdMatcher,
):
    """Class 4 and 8: on R007's text layer each PJ row of the Administratif column ends where
    the next row's label opens under it (the position wrapped onto one line, kept), so a name
    or a position cut at the Teknis column has lost nothing and is sure, like the e-mail."""
    values, sure = _read("R007_wsb-template_form-layanan-server_filled.pdf", matcher)
    assert values.get("penanggung_jawab.telepon") == "+6281287654321"
    assert values.get("penanggung_jawab.jabatan") == "Kepala Seksi Sistem Informasi Kesehatan"
    assert {"penanggung_jawab.email", "penanggung_jawab.telepon"} <= sure
    assert {"penanggung_jawab.nama", "penanggung_jawab.jabatan"} <= sure


def _row(*cells: tuple[float, str], conf: float = 1.0) -> TextLine:
    return TextLine(1, tuple(Cell(x, text, conf) for x, text in cells), 610.0)


def _two_column_block(matcher: OpdMatcher, conf: float, below: TextLine | None) -> float:
    lines = [
        _row((42, "FORMULIR PERMOHONAN SUBDOMAIN"), conf=conf),
        _row((90, "Penanggung Jawab Administratif"), (380, "Penanggung Jawab Teknis"), conf=conf),
        _row((42, "Nama"), (114, ": Rina Marlina"), (316, "Nama"), (387, ": Andi"), conf=conf),
    ]
    document = ReadDocument(Media.PDF, (Page(1, (*lines, *([below] if below else [])), True),))
    return extract(document, matcher).fields["penanggung_jawab.nama"].provenance.confidence


def test_a_two_column_name_keeps_its_doubt_where_its_row_end_is_not_seen(
    matcher: OpdMatcher,
) -> None:
    """The limits: a scan (OCR may drop the wrapped line), the block's last row, and a line
    under the name that is no labelled row (a wrap out of the value's column) keep the name
    for review; the next row's label under it makes it sure."""
    nip = _row((42, "NIP"), (114, ": 198503122010012015"))
    assert _two_column_block(matcher, 1.0, nip) >= REVIEW
    assert _two_column_block(matcher, 0.95, _row((42, "NIP"), (114, ": 1985"), conf=0.95)) < REVIEW
    assert _two_column_block(matcher, 1.0, None) < REVIEW
    assert _two_column_block(matcher, 1.0, _row((60, "Kusumawardani"))) < REVIEW


def test_a_second_column_without_colons_ends_where_its_labels_stand(matcher: OpdMatcher) -> None:
    """Class 4 on OCR: the colons of a two-column PJ block lost, the Teknis column's labels
    one under the other end the Administratif values; a label word inside a value with no
    such column under it ('Kepala' | 'Bidang' | 'Aplikasi') is part of the value."""
    lines = [
        _row((42, "FORMULIR PERMOHONAN SUBDOMAIN"), conf=0.9),
        _row((90, "Penanggung Jawab Administratif"), (380, "Penanggung Jawab Teknis"), conf=0.9),
        _row((42, "Nama"), (130, "Rina Marlina"), (320, "Nama"), (403, "Andi Pratama"), conf=0.9),
        _row((42, "NIP"), (130, "1985031220"), (320, "Instansi"), (404, "Dinkes"), conf=0.9),
        _row((42, "Jabatan"), (130, "Kepala"), (178, "Bidang"), (226, "Aplikasi"), conf=0.9),
        _row((42, "Email"), (130, "rina@bantenprov.go.id"), conf=0.9),
    ]
    document = ReadDocument(Media.PDF, (Page(1, tuple(lines), True),))
    fields = extract(document, matcher).fields
    assert fields["penanggung_jawab.nama"].value == "Rina Marlina"
    assert fields["penanggung_jawab.jabatan"].value == "Kepala Bidang Aplikasi"


def _photographed_pj_block(*name_row: tuple[float, str], email: str) -> list[TextLine]:
    """R006's form as one phone photo of it read (the third drawn): the institution's block,
    then the PJ block whose column headings OCR read as one line, or lost."""
    return [
        _row((42, "FORMULIR LAYANAN SERVER"), conf=0.9),
        _row((42, "OPD"), (178, "Dinas Kesehatan Provinsi Banten"), conf=0.92),
        _row((37, "No. Telepon"), (178, "(0254) 267050"), conf=0.96),
        _row((37, "Email"), (177, "dinkes@bantenprov.go.id"), conf=0.92),
        _row((229, "DATA PENANGGUNG JAWAB"), conf=0.95),
        _row((89, "Penanggung Jawab Administratif"), conf=0.58),
        _row((38, "Nama"), *name_row, conf=0.79),
        _row((37, "NIP"), (125, "198503122010012015"), (390, "Dinas Kesehatan"), conf=0.91),
        _row((38, "Jabatan"), (125, "Kepala Seksi"), (308, "Alamat"), (391, "KP3B"), conf=0.88),
        _row((125, "Kesehatan"), (390, "Serang"), conf=0.95),
        _row((37, "Email"), (124, email), (302, "Email"), conf=0.65),
        _row((38, "No. Telp/HP"), (124, "0812-8765-4321"), (309, "No. Telp/HP"), conf=0.62),
    ]


def _photo(lines: list[TextLine]) -> ReadDocument:
    return ReadDocument(Media.IMAGE, (Page(1, tuple(lines), True),), ocr_pages=(1,))


def test_a_photographed_pj_block_keeps_the_institutions_contacts_out(matcher: OpdMatcher):
    """Class 4 on a phone photo: the PJ block's heading row read as one cell, so no label row
    marked where it starts, and the institution's e-mail and telephone above it were given as
    the PJ's, sure; and the Teknis column's name, its 'Nama' lost, ran into the first one. A
    title line 'DATA PENANGGUNG JAWAB' starts the block; a cell far past the end of the name,
    where the second column's values stand on the rows around it, ends it."""
    lines = _photographed_pj_block(
        (113, ": Rina Marlina, S.Kom., M.T."),
        (390, "Andi Pratama, S.T."),
        email="rina.marlina@bantenprov.go.id",
    )
    fields = extract(_photo(lines), matcher).fields
    assert fields["penanggung_jawab.nama"].value == "Rina Marlina, S.Kom., M.T."
    assert fields["penanggung_jawab.email"].value == "rina.marlina@bantenprov.go.id"
    assert fields["penanggung_jawab.telepon"].value == "+6281287654321"
    # the address spells the name: two readings agree, and each confirms the other
    assert fields["penanggung_jawab.email"].provenance.rule.endswith("+name")


def test_a_name_and_its_address_that_differ_in_a_letter_are_both_for_review(
    matcher: OpdMatcher,
):
    """Class 8: 'Rina Marina' beside 'rina.marlina@…' — one of them is misread, and the page
    cannot say which: the address is read by the name, and the name waits for a clerk too."""
    lines = _photographed_pj_block(
        (113, ": Rina Marina, S.Kom., M.T."), email="rina.marlina@bantenprov.go.id"
    )
    fields = extract(_photo(lines), matcher).fields
    assert fields["penanggung_jawab.nama"].provenance.confidence < REVIEW
    assert fields["penanggung_jawab.email"].provenance.confidence < REVIEW


def test_a_subject_whose_first_line_sits_above_its_label_is_for_review(matcher: OpdMatcher):
    """Class 4 on a phone photo (R009, the fifth photo drawn): tilted, the label 'Perihal'
    lines up with the subject's second line ('SIKESDA'), and its first line sits above, with
    no label of its own. Which lines make the subject the page cannot say for sure."""
    lines = [
        _row((230, "PEMERINTAH PROVINSI BANTEN"), conf=0.9),
        _row((258, "DINAS KESEHATAN"), conf=0.96),
        _row((366, "Serang, 12 Maret 2024"), conf=0.96),
        _row((43, "Nomor"), (131, "045.2/0417-Dinkes/III/2024"), (366, "Kepada Yth."), conf=0.9),
        _row((42, "Sifat"), (132, "Biasa"), (366, "Kepala Dinas Komunikasi,"), conf=0.96),
        _row((43, "Lampiran"), (139, "1 (satu) berkas"), (366, "Informatika"), conf=0.95),
        _row((132, "Permohonan"), (194, "Subdomain"), (252, "dan"), (278, "Hosting"), conf=0.9),
        _row((43, "Perihal"), (132, "SIKESDA"), (366, "Provinsi Banten"), conf=0.91),
        _row((366, "Di"), conf=0.9),
        _row((138, "Untuk meningkatkan kinerja dan layanan Dinas Kesehatan"), conf=0.94),
    ]
    perihal = extract(_photo(lines), matcher).fields["perihal"]
    assert perihal.provenance.confidence < REVIEW


def test_a_letter_after_its_form_in_one_file_keeps_its_wrapped_subject(matcher: OpdMatcher):
    """Class 4: the form scanned first, the letter second, in one PDF. The letter's labels
    were looked up by their place among all the file's lines, but their neighbours among the
    letter's own: the subject's second line was looked for on the wrong line and lost, and
    the half subject given as sure."""

    def page(number: int, *rows: tuple[tuple[float, str], ...]) -> Page:
        lines = tuple(TextLine(number, tuple(Cell(x, t) for x, t in r), 595.0) for r in rows)
        return Page(number, lines, False)

    form = page(
        1,
        ((42, "FORMULIR PERMOHONAN SUBDOMAIN"),),
        ((42, "No."), (130, ": 017/PRM/2024")),
        ((42, "Nama"), (130, ": Rina Marlina")),
        ((42, "Jabatan"), (130, ": Kepala Seksi")),
        ((42, "Email"), (130, ": rina@bantenprov.go.id")),
        ((42, "Subdomain"), (130, ": sikesda.bantenprov.go.id")),
    )
    letter_page = page(
        2,
        ((200, "PEMERINTAH PROVINSI BANTEN"),),
        ((230, "DINAS KESEHATAN"),),
        ((380, "Serang, 12 Maret 2024"),),
        ((48, "Nomor"), (127, ":"), (140, "045.2/0417-Dinkes/III/2024")),
        ((48, "Perihal"), (127, ":"), (140, "Permohonan Subdomain dan Hosting")),
        ((140, "Aplikasi SIKESDA"),),
        ((381, "Kepada Yth."),),
        ((126, "Dengan hormat, kami mengajukan permohonan subdomain."),),
    )
    found = extract(ReadDocument(Media.PDF, (form, letter_page)), matcher)
    assert found.kind is Kind.LETTER_FORM
    assert found.fields["perihal"].value == "Permohonan Subdomain dan Hosting Aplikasi SIKESDA"


def test_a_blank_template_gives_no_values(matcher: OpdMatcher):
    """Class 5: '${penanggung_jawab_nama}' and friends are blanks, not values."""
    values, _ = _read("R005_wsb-template_form-layanan-server_blank.docx", matcher)
    assert not {k for k in values if k.startswith("penanggung_jawab.")}
    assert is_placeholder("${penanggung_jawab_nama} Nama") and is_placeholder("#ttanggal_rapat")
    assert not is_placeholder("Permohonan Hosting #2")
    blank = extract(read_file(REAL / "R005_wsb-template_form-layanan-server_blank.docx"), matcher)
    assert blank.problems == (), "a blank is not an invalid value for the clerk to chase"


@pytest.mark.parametrize(
    ("nama", "blank"),
    [
        ("Spenanggung jawab nama)", True),  # '${penanggung_jawab_nama}' (R005 printed, 150 dpi)
        ("SIpenanggung jawab nama) “Alamat", True),  # R005 photographed: the next label beside
        ("T Sipenanggung jawab nama)", True),  # R005 photographed: '${' as two marks
        ("$( nama cp )", True),
        ("${nama", True),
        ("$inama kadin", True),
        ("Rina Marlina, S.Kom., M.T.", False),
        ("Andi Pratama (Plt)", False),
        ("R. Ahmad Fauzi)", False),
    ],
)
def test_a_template_blank_read_by_ocr_is_no_value(matcher: OpdMatcher, nama: str, blank: bool):
    """Class 5 on OCR: a printed template's '${…}' comes back with its marks misread; it is
    still a blank, while a name with a bracket of its own stays a name."""
    lines = [
        _row((42, "FORMULIR PERMOHONAN SUBDOMAIN"), conf=0.9),
        _row((42, "Nama"), (130, nama), conf=0.9),
        _row((42, "NIP"), (130, "198503122010012015"), conf=0.9),
    ]
    fields = extract(ReadDocument(Media.PDF, (Page(1, tuple(lines), True),)), matcher).fields
    assert ("penanggung_jawab.nama" not in fields) is blank


def test_every_letters_header_is_read_whatever_its_kind(matcher: OpdMatcher):
    """Class 7: a letter that is no request still has its nomor, tanggal and perihal read."""
    values, _ = _read("D109_iain-kendari_himbauan_qr-esign.pdf", matcher)
    assert values.get("nomor_surat") == "1907.1/In.23/R.3/HM.00/12/2024"
    assert values.get("tanggal_surat") == "2024-12-16"


def test_a_printed_kop_is_confirmed_by_its_kind_of_heads_title_under_the_closing(
    matcher: OpdMatcher,
):
    """Class 8: D110's decree, a text layer, is signed 'Rektor,' under 'Ditetapkan di
    Kendari': the institute the kop names is the unit that signs, so its name is sure. The
    title names no unit, so it confirms nothing read by OCR, and a faculty's kop signed by
    the Rector is not the faculty's letter."""
    values, sure = _read("D110_iain-kendari_keputusan-rektor_lo.pdf", matcher)
    assert values.get("opd") == "Institut Agama Islam Negeri Kendari"
    assert "opd" in sure
    kop = [_line("KEMENTERIAN AGAMA REPUBLIK INDONESIA"), _line("UNIVERSITAS ISLAM NEGERI")]
    kop += [_line("SUNAN AMPEL SURABAYA"), _line("Jl. Ahmad Yani No. 117 Surabaya")]
    signed = [_line("Ditetapkan di Surabaya"), _line("pada tanggal 2 Mei 2024"), _line("Rektor,")]
    head = read_letterhead(kop)
    assert head is not None and signed_by_unit(head, [*kop, *signed])
    scanned = [TextLine(1, (Cell(100.0, line.text, 0.9),), 595.0) for line in kop]
    ocr_head = read_letterhead(scanned)
    assert ocr_head is not None and not signed_by_unit(ocr_head, [*scanned, *signed])
    faculty = read_letterhead([*kop[1:3], _line("FAKULTAS SAINS DAN TEKNOLOGI"), kop[3]])
    assert faculty is not None and not signed_by_unit(faculty, [*kop, *signed])


def test_a_sender_its_head_signs_for_is_sure(matcher: OpdMatcher):
    """Class 8: a regency's Diskominfo whose kop unit is named again over the signature and
    whose region's place is printed more than once is given as sure."""
    values, sure = _read("R003_wsb-diskominfo_permohonan-data-menara_dompdf.pdf", matcher)
    assert values.get("opd") == "Dinas Komunikasi dan Informatika Kabupaten Wonosobo"
    assert "opd" in sure


def test_a_decrees_sender_is_confirmed_by_the_title_under_ditetapkan_di(matcher: OpdMatcher):
    """A decree has no closing paragraph: 'Ditetapkan di Lubuk Basung / Pada Tanggal … /
    PLT. KEPALA KANTOR PERTANAHAN / KABUPATEN AGAM' signs for the kop's land office."""
    values, sure = _read("D117_bpn-agam_keputusan_bsre-qr.pdf", matcher)
    assert values.get("opd") == "Kantor Pertanahan Kabupaten Agam"
    assert "opd" in sure


def test_a_decrees_ocr_date_with_its_gs_cut_short_is_read_for_review(matcher: OpdMatcher):
    """Class 2 on OCR, seen on D110 printed and scanned: 'Ditetapkan Di : Kendari / Pada
    Tanaaal : 29 Aaustus 2018' (the g's lost their tails). The month is read back, and the
    date is given for review as a corrected reading."""
    lines = [
        _row((60, "KEPUTUSAN REKTOR INSTITUT AGAMA ISLAM NEGERI KENDARI"), conf=0.9),
        _row((200, "NOMOR 0482.2 TAHUN 2018"), conf=0.9),
        _row((300, "Ditetapkan Di"), (400, ": Kendari"), conf=0.9),
        _row((300, "Pada Tanaaal"), (400, ": 29 Aaustus 2018"), conf=0.8),
        _row((300, "Rektor,"), conf=0.9),
    ]
    found = extract(ReadDocument(Media.PDF, (Page(1, tuple(lines), True),)), matcher)
    tanggal = found.fields["tanggal_surat"]
    assert tanggal.value == "2018-08-29"
    assert tanggal.provenance.corrected and tanggal.provenance.confidence < REVIEW


def test_a_decrees_ocr_number_in_the_wide_grammar_gets_its_month_back():
    """Class 1 on OCR, seen on D117 photographed by a phone: 'NOMOR: 60/SK-NT.01-13.06/V1/2024'
    (the month's I read as 1). The strict grammar does not take the hyphened unit, and the wide
    one kept the 1; the month before the year is read as the Roman month its strokes make, as
    a corrected reading."""
    lines = [
        _row((60, "KEPUTUSAN KEPALA KANTOR PERTANAHAN KABUPATEN AGAM"), conf=0.9),
        _row((180, "NOMOR: 60/SK-NT.01-13.06/V1/2024"), conf=0.75),
    ]
    assert _nomor(lines) == "60/SK-NT.01-13.06/VI/2024"
    assert _nomor([_row((180, "NOMOR: 212/ST.100.1/111/2021"), conf=0.75)]) == (
        "212/ST.100.1/111/2021"  # no Roman stroke read as one: a serial may be meant
    )


def test_the_signature_confirms_a_kop_only_when_unit_and_place_agree():
    kop = [_line("PEMERINTAH KABUPATEN JEPARA"), _line("DINAS KOPERASI UKM TENAGA KERJA")]
    kop += [_line("DAN TRANSMIGRASI"), _line("Jl. Pesajen Demaan Telp. (0291) 591221")]
    closing = [_line("Demikian untuk menjadikan periksa."), _line("KEPALA DINAS KOPERASI UKM")]
    signed = [*closing, _line("TENAGA KERJA DAN TRANSMIGRASI"), _line("KABUPATEN JEPARA")]
    head = read_letterhead(kop)
    assert head is not None
    assert signed_by_unit(head, [*kop, *signed])
    other = [*closing[:1], _line("KEPALA DINAS KESEHATAN"), _line("KABUPATEN JEPARA")]
    assert not signed_by_unit(head, [*kop, *other]), "another unit signs"
    typo = [*closing, _line("TENAGA KERJA DAN TRANSMIGRASl"), _line("KABUPATEN JEPARA")]
    assert not signed_by_unit(head, [*kop, *typo]), "two readings apart, none confirmed"
    body = [_line("Dalam rangka pendataan transmigrasi tahun 2020,")]
    assert signed_by_unit(head, [*kop, *body, *typo]), "the kop's word, printed elsewhere"
    misread_unit = read_letterhead([kop[0], _line("DINAS KOPERASl UKM TENAGA KERJA"), *kop[2:]])
    assert misread_unit is not None
    assert not signed_by_unit(misread_unit, [*kop, *signed]), "a kop misread is not confirmed"
    assert not signed_by_unit(head, kop), "no closing, no signature"
    copies = [*closing[:1], _line("Tembusan :"), *signed[1:]]
    assert not signed_by_unit(head, [*kop, *copies]), "a copy sent to the unit is no signature"
    next_page = [TextLine(2, line.cells, line.width) for line in signed[1:]]
    assert not signed_by_unit(head, [*kop, *closing[:1], *next_page]), "another page's header"
    misread_kop = [_line("PEMERINTAH KABUPATEN JEPARN"), *kop[1:]]
    misread = read_letterhead(misread_kop)
    assert misread is not None and misread.region == "KABUPATEN JEPARN"
    assert not signed_by_unit(misread, [*misread_kop, *signed]), "the region's place read once"


def test_a_kop_misread_into_other_words_is_not_confirmed_by_the_signature():
    """Class 8, seen on R004 printed and scanned: the kop's 'DINAS KOMUNIKASI DAN' read
    'D.NAS KOMUNL KASI JAN' and spelled back to 'DINAS KOMUNIKASI JAN' — words, one letter
    from the signature's 'DINAS KOMUNIKASI DAN INFORMATIKA'. Nothing else in the letter prints
    'JAN', so the sender stays for review instead of being sure."""
    kop = [_line("PEMERINTAH KABUPATEN WONOSOBO"), _line("DINAS KOMUNIKASI JAN")]
    kop += [_line("INFORMATIKA"), _line("Jl. Sabuk Alu No 2A Wonosobo")]
    closing = [_line("Demikian surat pernyataan ini kami buat."), _line("Wonosobo, 28 April 2022")]
    signed = [_line("KEPALA DINAS KOMUNIKASI DAN INFORMATIKA"), _line("KABUPATEN WONOSOBO")]
    head = read_letterhead(kop)
    assert head is not None and head.unit == "DINAS KOMUNIKASI JAN INFORMATIKA"
    assert not signed_by_unit(head, [*kop, *closing, *signed])


def test_a_letter_without_a_closing_sentence_is_signed_where_a_title_stands_over_a_nip():
    """Class 8: a Surat Tugas or a policy ends with no 'Demikian …': the place-and-date line,
    'An. KEPALA KANTOR WILAYAH / BADAN PERTANAHAN NASIONAL', or 'KEPALA,' alone under a
    Dinas's kop, then the signer's name and NIP. That block confirms the kop as a closing's
    does; a title with no NIP under it, a section head's title and a body sentence naming
    the unit do not."""
    kop = [_line("PEMERINTAH PROVINSI KALIMANTAN UTARA"), _line("DINAS KOMUNIKASI, INFORMATIKA,")]
    kop += [_line("STATISTIK DAN PERSANDIAN"), _line("Jl. Kolonel Soetadji Tanjung Selor")]
    head = read_letterhead(kop)
    assert head is not None and head.region == "PROVINSI KALIMANTAN UTARA"
    signer = [_line("Dr. H. Iskandar, S.IP, M.Si"), _line("NIP. 197312311993021001")]
    body = [_line("Layanan Pusat Data Pemerintah Provinsi Kalimantan Utara tersedia.")]
    assert signed_by_unit(head, [*kop, *body, _line("KEPALA,"), *signer])
    assert not signed_by_unit(head, [*kop, *body, _line("KEPALA,"), signer[0]]), "no NIP"
    section = _line("KEPALA BIDANG APLIKASI INFORMATIKA,")
    assert not signed_by_unit(head, [*kop, *body, section, *signer]), "a section's head"
    sentence = _line(
        "Kepala Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Kalimantan "
        "Utara menetapkan kebijakan layanan ini."
    )
    assert not signed_by_unit(head, [*kop, *body, sentence, *signer]), "a body sentence"
    office = [
        _line("BADAN PERTANAHAN NASIONAL RI"),
        _line("KANTOR WILAYAH PROVINSI SUMATERA BARAT"),
    ]
    office_head = read_letterhead([*office, _line("Jalan Kartini No. 22 Padang 25112")])
    assert office_head is not None
    block = [_line("Padang, 25-03-2021"), _line("An. KEPALA KANTOR WILAYAH")]
    block += [_line("BADAN PERTANAHAN NASIONAL"), _line("Provinsi Sumatera Barat")]
    block += [_line("Kepala Bagian Tata Usaha"), _line("MIRA DESRITA, S.SiT"), signer[1]]
    assert signed_by_unit(office_head, [*office, *block])
    assert not signed_by_unit(office_head, [*office, *block[:-1]]), "no NIP"


@pytest.mark.parametrize(
    ("unit", "signer"),
    [
        ("BADAN PENGELOLAAN KEUANGAN DAN ASET DAERAH", "KEPALA BPKAD"),
        ("SEKRETARIAT DAERAH", "Pj. SEKRETARIS DAERAH KABUPATEN JEPARA"),
        ("KECAMATAN KEDUNG", "CAMAT KEDUNG"),
    ],
)
def test_a_signer_may_name_the_unit_by_its_initials_or_its_heads_title(unit: str, signer: str):
    kop = [_line("PEMERINTAH KABUPATEN JEPARA"), _line(unit), _line("Jl. Kartini No. 1 JEPARA")]
    head = read_letterhead(kop)
    assert head is not None
    closing = [_line("Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")]
    assert signed_by_unit(head, [*kop, *closing, _line(signer)])
    assert not signed_by_unit(head, [*kop, *closing, _line("KEPALA DINAS KESEHATAN")])


def _line(*texts: str) -> TextLine:
    return TextLine(1, tuple(Cell(100.0 + 50 * i, t) for i, t in enumerate(texts)), 595.0)


def test_a_regencys_kop_names_its_unit_with_its_region():
    head = read_letterhead(
        [
            _line("PEMERINTAH KABUPATEN JEPARA"),
            _line("DINAS SOSIAL PEMBERDAYAAN"),
            _line("MASYARAKAT DAN DESA"),
            _line("Jl. Pemuda No.37 Jepara"),
        ]
    )
    assert head is not None and head.outside_province
    assert head.name == "Dinas Sosial Pemberdayaan Masyarakat dan Desa Kabupaten Jepara"
    own = read_letterhead([_line("PEMERINTAH PROVINSI BANTEN"), _line("DINAS KESEHATAN")])
    assert own is not None and not own.outside_province


SEGMENT = st.from_regex(r"[A-Za-z0-9]{1,5}(?:\.[A-Za-z0-9]{1,4}){0,2}", fullmatch=True)


@given(st.lists(SEGMENT, min_size=2, max_size=6), st.integers(1990, 2099))
def test_any_slashed_number_ending_in_its_year_is_read_back_whole(parts: list[str], year: int):
    nomor = "/".join([*parts, str(year)])
    assume(len(nomor) <= 60)  # longer is never a letter number (see find_printed_nomor)
    assert find_printed_nomor(nomor) == nomor
    assert find_printed_nomor(f"{nomor}. Jepara, 16 Januari 2020") == nomor
    spaced = " / ".join([*parts, str(year)])
    assert find_printed_nomor(spaced) == nomor


@given(
    st.lists(SEGMENT, min_size=2, max_size=5),
    st.integers(1990, 2099),
    st.sampled_from(["Lampiran Surat Nomor", "LAMPIRAN KEPUTUSAN KEPALA DINAS NOMOR :"]),
)
def test_an_attachments_copy_of_any_number_stands_in_for_an_unreadable_header(
    parts: list[str], year: int, header: str
):
    """Whatever shape the number has, the attachment's copy is read back whole when the
    header's is unreadable, and never over a header number that reads."""
    nomor = "/".join([*parts, str(year)])
    assume(len(nomor) <= 60 and find_printed_nomor(nomor) == nomor)
    attachment = TextLine(2, (Cell(100.0, f"{header} {nomor}"),), 595.0)
    assert _nomor([_line("Nomor", ": -"), attachment]) == nomor
    assert _nomor([_line("Nomor", ": 005/12/2020"), attachment]) == "005/12/2020"


@given(st.text(alphabet="abcdefghij KLMNOP", max_size=30))
def test_words_without_digits_are_never_a_number(text: str):
    assert find_printed_nomor(text) is None


@given(st.sampled_from(["Januari", "Februari", "Maret", "Desember"]), st.integers(1990, 2099))
def test_a_date_line_without_its_day_is_recognised_as_unfilled(month: str, year: int):
    assert is_unfilled_date_line(f"Jepara,      {month} {year}")
    assert not is_unfilled_date_line(f"Jepara, 7 {month} {year}")


def test_register_others_shows_the_header_of_a_letter_that_is_no_request(tmp_path: Path):
    """Class 7 end to end: a real circular is registered as *surat lain* with its number,
    date, sender and subject, as `pipeline register others` shows them."""
    from typer.testing import CliRunner

    from pipeline.cli.app import app as cli_app
    from pipeline.inbox import claim_copy
    from pipeline.service.context import open_services
    from pipeline.service.intake.ingest import ingest_claim
    from pipeline.service.operations.workspace import init_workspace

    name = "D109_iain-kendari_himbauan_qr-esign.pdf"
    assert part_of(_truth()[name]) == "tune"
    home = tmp_path / "kantor"
    init_workspace(home)
    services = open_services(load_settings(home))
    try:
        ingest_claim(services, claim_copy(REAL / name, services.settings.work))
    finally:
        services.close()
    shown = CliRunner().invoke(
        cli_app, ["--home", str(home), "register", "others"], env={"COLUMNS": "400"}
    )
    assert shown.exit_code == 0, shown.output
    header = (
        "1907.1/In.23/R.3/HM.00/12/2024",
        "16 Desember 2024",
        "Institut Agama Islam",
        "Himbauan",
    )
    for printed in header:
        assert printed in shown.output
    assert "perlu diperiksa" not in shown.output


def test_register_others_marks_the_header_values_read_unsure(tmp_path: Path):
    """A clerk routing a letter by hand is told which of its header values to check: a
    regency's sender named only by its kop (no signature names it) is *perlu diperiksa*,
    the number and date printed on its text layer are not."""
    from typer.testing import CliRunner

    from pipeline.cli.app import app as cli_app
    from pipeline.inbox import claim_copy
    from pipeline.service.context import open_services
    from pipeline.service.intake.ingest import ingest_claim
    from pipeline.service.operations.workspace import init_workspace

    letter_file = regency_invitation_docx(tmp_path / "undangan.docx")
    home = tmp_path / "kantor"
    init_workspace(home)
    services = open_services(load_settings(home))
    try:
        ingest_claim(services, claim_copy(letter_file, services.settings.work))
    finally:
        services.close()
    shown = CliRunner().invoke(
        cli_app, ["--home", str(home), "register", "others"], env={"COLUMNS": "400"}
    )
    assert shown.exit_code == 0, shown.output
    assert "Dinas Kesehatan Kabupaten Jepara ⚠ perlu diperiksa" in shown.output
    assert "005/123/2020 │" in shown.output and "6 Januari 2020 │" in shown.output


def test_a_forms_number_beside_its_title_is_its_request_number(matcher: OpdMatcher):
    """A Word form whose heading row holds 'FORMULIR … | No. | 017/PRM/2024'."""
    values, sure = _read("R006_wsb-template_form-layanan-server_filled.docx", matcher)
    assert values.get("nomor_permohonan") == "017/PRM/2024"
    assert "nomor_permohonan" in sure


def test_a_word_forms_administrative_pj_column_is_sure(matcher: OpdMatcher):
    """'Penanggung Jawab Administratif | Penanggung Jawab Teknis' heads a Word table: the
    first column is the PJ registered, each value a whole cell."""
    values, sure = _read("R006_wsb-template_form-layanan-server_filled.docx", matcher)
    assert values.get("penanggung_jawab.nama") == "Rina Marlina, S.Kom., M.T."
    assert values.get("penanggung_jawab.jabatan") == "Kepala Seksi Sistem Informasi Kesehatan"
    assert {"penanggung_jawab.nama", "penanggung_jawab.jabatan"} <= sure


def test_the_letters_contact_person_confirms_the_forms_pj(matcher: OpdMatcher):
    """The letter's 'CP. Rina Marlina, S.Kom., M.T. / 0812-…' agrees with its form's PJ."""
    values, sure = _read("R011_wsb-template_surat-dan-form_filled.pdf", matcher)
    assert values.get("penanggung_jawab.nama") == "Rina Marlina, S.Kom., M.T."
    assert {"penanggung_jawab.nama", "penanggung_jawab.telepon"} <= sure
    # the letter does not name the mail address: it is the form's own, read from its text layer
    assert values.get("penanggung_jawab.email") == "rina.marlina@bantenprov.go.id"


def _cells(*texts: str) -> TextLine:
    return TextLine(1, tuple(Cell(float(i), t) for i, t in enumerate(texts)), 0.0)


def test_a_technical_first_pj_column_stays_for_review(matcher: OpdMatcher):
    lines = (
        _cells("FORMULIR PERMOHONAN SUBDOMAIN"),
        _cells("Nama OPD", ":", "Dinas Kesehatan"),
        _cells("Penanggung Jawab Teknis", "Penanggung Jawab Administratif"),
        _cells("Nama", ":", "Andi Pratama", "Nama", ":", "Rina Marlina"),
        _cells("Jabatan", ":", "Pranata Komputer", "Jabatan", ":", "Kepala Seksi"),
        _cells("Email", ":", "andi@bantenprov.go.id", "Email", ":", "rina@bantenprov.go.id"),
    )
    document = ReadDocument(Media.DOCX, (Page(1, lines, True),))
    extraction = extract(document, matcher)
    assert extraction.fields["penanggung_jawab.nama"].provenance.confidence < REVIEW


def test_an_addressee_beside_an_empty_subject_does_not_decide_the_kind(matcher: OpdMatcher):
    """'Perihal :' whose value sits above the label, with 'Provinsi Banten' of the addressee
    block beside it: the letter still asks for a subdomain, so letter and form are one."""
    extraction = extract(read_file(REAL / "R011_wsb-template_surat-dan-form_filled.pdf"), matcher)
    assert extraction.kind is Kind.LETTER_FORM


@pytest.mark.parametrize(
    ("kop_line", "outside"),
    [
        ("Website: rsudkartini.jepara.go.id, Email: rsud.kartini@jepara.go.id", True),
        ("Laman: www.iainkendari.ac.id", True),
        ("Email: diskominfo@bantenprov.go.id", False),
        ("Email: diskominfo@bantcnprov. go.id", False),  # OCR's misspelling of the province
        ("Pos-el: dinkewibantenprov. go.id", False),  # its '@' read as 'wi' (a far-off photo)
        ("Laman: dinkesbanten.go.id", True),  # a domain of its own, not the province's
        ("Email: dinkes.banten@gmail.com", False),  # a free mailbox says nothing of the sender
    ],
)
def test_a_kop_domain_tells_whether_the_sender_is_outside_the_province(
    kop_line: str, outside: bool
):
    assert kop_outside_province([_line("DINAS KESEHATAN"), _line(kop_line)]) is outside


def test_an_organisations_branch_signs_without_its_territory():
    """A branch signs as 'PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN' under a kop that
    adds 'KECAMATAN SIMAN KABUPATEN PONOROGO'; its copies name the regency again."""

    def _scanned(text: str) -> TextLine:
        return TextLine(1, (Cell(100.0, text, 0.9),), 595.0)

    kop = [
        _scanned("PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN"),
        _scanned("KECAMATAN SIMAN KABUPATEN PONOROGO"),
        _scanned("Jl. Kawung Gg. III No. 55 Mangunsuman"),
    ]
    head = read_letterhead(kop)
    assert head is not None
    assert head.name == (
        "Pengurus Ranting Nahdlatul Ulama Mangunsuman Kecamatan Siman Kabupaten Ponorogo"
    )
    closing = [_scanned("Demikian surat ini kami sampaikan, atas perhatiannya terima kasih.")]
    copies = [_scanned("Tembusan"), _scanned("Ketua PCNU Ponorogo")]
    signer = _scanned("PENGURUS RANTING NAHDLATUL ULAMA MANGUNSUMAN")
    assert signed_by_unit(head, [*kop, *closing, signer, _scanned("Ketua"), *copies])
    other = _scanned("PENGURUS RANTING NAHDLATUL ULAMA KRAJAN")
    assert not signed_by_unit(head, [*kop, *closing, other, *copies])


def _ocr(text: str, conf: float = 0.9, x0: float = 100.0) -> TextLine:
    return TextLine(1, (Cell(x0, text, conf),), 595.0)


def _kop_reread(kop: list[TextLine], rest: list[TextLine]) -> tuple[str | None, bool]:
    """The sender `extract` gives for a scanned page, and whether it is sure."""
    document = ReadDocument(Media.PDF, (Page(1, (*kop, *rest), True),), ocr_pages=(1,))
    found = extract(document, _default_matcher()).fields.get("opd")
    if found is None:
        return None, False
    return found.value, found.provenance.confidence >= REVIEW


WELAHAN_BODY = [
    _ocr("Menindaklanjuti kunjungan Kepala DKK Jepara pada tanggal 8 Januari 2020"),
    _ocr("ke Puskesmas Welahan I di rumah dinas dan gudang peralatan/ perlengkapan"),
    _ocr("Puskesmas Welahan I yang sudah tidak layak dikarenakan rusak berat, maka"),
    _ocr("Demikian surat ini kami sampaikan, atas perhatiannya kami ucapkan terima kasih."),
    _ocr("KEPALA UPTD PUSKESMAS"),
    _ocr("WELAHAN I"),
]


def test_a_misread_kop_is_read_again_where_the_letter_names_itself():
    """Class 3 on a scan (D014's kop, OCR'd over its logo): 'UPTD PUSKESMAS WE_A-=AN' is
    the 'Puskesmas Welahan I' its body prints twice; the repair stays for review."""
    kop = [_ocr("PEMERINTAH KABUPATEN JEPARA"), _ocr("UPTD PUSKESMAS WE_A-=AN : ww (on", 0.42)]
    kop.append(_ocr("Jl. Raya Welahan Jepara Km 25"))
    assert _kop_reread(kop, WELAHAN_BODY) == ("Puskesmas Welahan I", False)


def test_a_kop_is_not_renamed_after_a_name_printed_once_or_read_cleanly():
    """A name printed only once besides the kop is no second reading; a kop read as plain words
    is left as printed even when the body names a neighbour ('Welahan II'); a name much
    shorter than the kop's is a name cut short, not a better reading."""
    misread = [_ocr("PEMERINTAH KABUPATEN JEPARA"), _ocr("UPTD PUSKESMAS WE_A-=AN", 0.42)]
    once = [WELAHAN_BODY[0], WELAHAN_BODY[1]]
    assert _kop_reread(misread, once)[0] == "Puskesmas We_a-=an"
    clean = [_ocr("PEMERINTAH KABUPATEN JEPARA"), _ocr("UPTD PUSKESMAS WELAHAN I", 0.6)]
    neighbour = [_ocr("Puskesmas Welahan II menerima rujukan dari Puskesmas Welahan II.")]
    assert _kop_reread(clean, neighbour)[0] == "Puskesmas Welahan I"
    hospital = [_ocr("RUMAH SAKIT CIIRA HUSADA JEMBER", 0.65), _ocr("(AD ON", 0.2)]
    named_once = [_ocr("staf Rumah Sakit Citra Husada Jember memerlukan pelatihan", x0=60.0)]
    assert _kop_reread(hospital, named_once)[0] == "Rumah Sakit Ciira Husada Jember (AD ON"
    assert _kop_reread(hospital, named_once * 2)[0] == "Rumah Sakit Citra Husada Jember"
    read_right = [_ocr("RUMAH SAKIT CITRA HUSADA JEMBER", 0.65), _ocr("(AD ON", 0.2)]
    assert _kop_reread(read_right, named_once)[0] == "Rumah Sakit Citra Husada Jember"
    cut = [_ocr("DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN", 0.5)]
    short = [_ocr("oleh Dinas Komunikasi, Informatika, Statistik.")] * 2  # cut at a comma
    assert _kop_reread([_ocr("PEMERINTAH KOTA BATU"), *cut], short)[0] == (
        "Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Batu"
    )


SOP_HEADER = [  # a printed SOP: title cells first, the kop in the logo's cell below them
    _ocr("STANDAR OPERASIONAL PROSEDUR (SOP)", x0=260),
    _ocr("Pendaftaran Endpoint Penyedia Layanan untuk Integrasi SPLP", x0=207),
    _ocr("Nomor SOP 55/SOP.DKISP/X/2025", x0=245),
    _ocr("Tanggal Pembuatan 1 Oktober 2025", x0=244),
    _ocr("Disahkan oleh", x0=245),
]


DISKOMINFO = "Dinas Komunikasi, Informatika, Statistik dan Persandian"  # the province's


@pytest.mark.parametrize(
    "government",
    [
        ("PEMERINTAH PROVINSI", "KALIMANTAN UTARA"),
        ("PEMERINTAH KABUPATEN", "JEPARA"),
        ("PEMERINTAH KOTA", "SERANG"),
    ],
)
def test_a_unit_named_under_another_government_is_never_the_provinces(
    government: tuple[str, str],
):
    """Class 3: a kop read out of place (in a table cell below an SOP's title) names 'DINAS
    KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN' under another government; the body's
    mention of that name is that government's unit, never the province's Diskominfo."""
    kop = [_ocr(line, x0=82) for line in government]
    unit = [_ocr("DINAS KOMUNIKASI, INFORMATIKA,", x0=52), _ocr("STATISTIK DAN PERSANDIAN", x0=68)]
    rest = [_ocr("Kepala Dinas", x0=539), _ocr("Nama SOP Pendaftaran Endpoint", x0=45)]
    value, _ = _kop_reread(SOP_HEADER, [*kop, *unit, *rest])
    assert value != DISKOMINFO


def test_a_unit_named_under_the_province_of_banten_is_still_read():
    """The same page under 'PEMERINTAH PROVINSI BANTEN' (also as OCR spells it) names the
    province's Diskominfo."""
    for province in ("BANTEN", "8ANTEN"):
        kop = [_ocr("PEMERINTAH PROVINSI", x0=82), _ocr(province, x0=88)]
        unit = [_ocr("DINAS KOMUNIKASI, INFORMATIKA,", x0=52)]
        unit.append(_ocr("STATISTIK DAN PERSANDIAN", x0=68))
        value, _ = _kop_reread(SOP_HEADER, [*kop, *unit, _ocr("Kepala Dinas", x0=539)])
        assert value == DISKOMINFO, province
