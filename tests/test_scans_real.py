"""Reading real scans from ../shared/real (skipped when it is missing): a scanner's garbage
text layer is OCR'd instead of trusted, a digital page never is, low-resolution scans are
scaled up before OCR, and two pages side by side on one sheet are split and read upright."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.extract import extract
from pipeline.models import FieldValue, ReadDocument
from pipeline.readers import rapid, read_file
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.ocr import OcrPage, ocr_page, two_up_boxes
from pipeline.readers.pdf import pages_with_text
from pipeline.readers.scan import serial_runner, with_ocr
from pipeline.readers.text_layer import BIDI_CONTROLS, layer_quality, strip_bidi
from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.corpus.two_up import grey_pages, two_up_sheet

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
needs_real = pytest.mark.skipif(not (REAL / "truth.jsonl").is_file(), reason="no ../shared/real")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")

GARBAGE_LAYER = "R001_wsb-desa-batursari_permohonan-subdomain_scan.pdf"
DIGITAL = (
    "D108_iain-kendari_himbauan_bidi-textlayer.pdf",
    "D110_iain-kendari_keputusan-rektor_lo.pdf",
    "D114_kaltara-dkisp_kebijakan-layanan_tcpdf-bsre.pdf",
    "D117_bpn-agam_keputusan_bsre-qr.pdf",
    "R003_wsb-diskominfo_permohonan-data-menara_dompdf.pdf",  # labels overprint the values
    "R011_wsb-template_surat-dan-form_filled.pdf",
)


SURE = Settings().pembacaan.ambang_peluang


@functools.cache
def _ocr_fields(name: str) -> dict[str, FieldValue]:
    """The fields extracted from a real scan of ../shared/real, OCR'd once per test run."""
    path = REAL / name
    document = with_ocr(read_file(path), path, serial_runner, timeout=300)
    return dict(extract(document, make_matcher(Settings())).fields)


def text_of(doc: ReadDocument) -> str:
    return "\n".join(line.text for page in doc.pages for line in page.lines)


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def ocr(path: Path) -> str:
    return text_of(with_ocr(read_file(path), path, serial_runner, timeout=300))


@needs_real
def test_a_scanners_garbage_text_layer_is_not_trusted() -> None:
    """R001's own OCR layer reads 'PEIT,TERINTAH', 'Subdom ai n' and 'D**uBrt***i': both
    pages go to OCR, and the file is queued as a scan."""
    path = REAL / GARBAGE_LAYER
    assert pages_with_text(path, 50) == [False, False]
    doc = read_file(path)
    assert doc.needs_ocr and not any(page.lines for page in doc.pages)


@needs_real
@pytest.mark.parametrize("name", DIGITAL)
def test_digital_pages_stay_on_the_text_path(name: str) -> None:
    assert all(pages_with_text(REAL / name, 50))
    doc = read_file(REAL / name)
    assert not doc.needs_ocr and text_of(doc).strip()


def test_bidi_controls_around_every_run_are_stripped_not_counted_as_garbage() -> None:
    """Chrome (Skia) wraps runs in U+202D ... U+202C: the words are fine and must be trusted."""
    typed = "Nomor : 123/In.23/R.3/HM.00/12/2024 Perihal Himbauan kepada seluruh pegawai " * 3
    wrapped = " ".join(f"\u202d{word}\u202c" for word in typed.split())
    assert layer_quality(wrapped) == layer_quality(typed)
    assert layer_quality(wrapped).trusted(hidden=True)
    assert strip_bidi(wrapped) == " ".join(typed.split())


@needs_real
def test_the_chrome_pdf_reads_without_direction_marks() -> None:
    text = text_of(read_file(REAL / "D108_iain-kendari_himbauan_bidi-textlayer.pdf"))
    assert not any(c in text for c in BIDI_CONTROLS)
    assert "16 Desember 2024" in text


def test_broken_font_text_and_hidden_scanner_text_are_judged_apart() -> None:
    typed = "Dengan hormat, bersama ini kami sampaikan permohonan integrasi data " * 3
    assert layer_quality(typed).trusted(hidden=True)
    broken = "(cid:12)(cid:7)(cid:44) \ufffd\ufffd \ue001\ue002 " * 20
    assert not layer_quality(broken).trusted(hidden=False)
    scanner = 'PEIT,TERINTAH KABUPATEN WON O SOB O D**uBrt***i kod" Bo* ffi Subdom ai n ' * 3
    assert not layer_quality(scanner).trusted(hidden=True)


@needs_real
@needs_tesseract
def test_the_garbage_layer_scan_is_read_by_ocr() -> None:
    text = squeezed(ocr(REAL / GARBAGE_LAYER))
    assert "permohonan subdomain" in text
    assert "1 oktober 2018" in text


@needs_real
@needs_tesseract
@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("D009_kec-kedung_undangan.pdf", "07 februari 2020"),  # 100 dpi: read '2620' before
        # a 768-pixel web image: its year was read '3020'
        ("D107_rs-citrahusada-jember_permohonan-ijin-pelatihan.webp", "14 oktober 2020"),
    ],
)
def test_a_low_resolution_scan_is_scaled_up_and_its_date_read(name: str, wanted: str) -> None:
    assert wanted in squeezed(ocr(REAL / name))


def two_up_real(turn: int) -> Image.Image:
    """Two real scanned letters side by side at 150 dpi, the sheet turned `turn` degrees."""
    left, right = (grey_pages(REAL / name, count=1)[0] for name in (LEFT, RIGHT))
    return two_up_sheet(left, right, turn)


LEFT = "D011_pkm-jepara_permohonan.pdf"
RIGHT = "D014_pkm-welahan1_permohonan.pdf"


@needs_real
def test_two_pages_side_by_side_are_split_at_the_gutter_but_one_page_is_not() -> None:
    sheet = two_up_real(0)
    boxes = two_up_boxes(sheet.point(lambda v: 0 if v < 160 else 255))
    assert boxes is not None
    widths = [right - left for left, _, right, _ in boxes]
    assert all(abs(width - sheet.width / 2) < 0.08 * sheet.width for width in widths)
    single = grey_pages(REAL / LEFT, count=1)[0].rotate(90, expand=True)  # a letter on its side
    assert two_up_boxes(single.point(lambda v: 0 if v < 160 else 255)) is None


@needs_real
@needs_tesseract
def test_a_two_up_sheet_turned_on_its_side_is_read_as_two_upright_letters() -> None:
    sheet = two_up_real(90)
    left, right = (
        squeezed("\n".join(line.text for line in lines))
        for lines in ocr_page(OcrPage(sheet, 1, 72 / 150), 300)
    )
    assert "permohonan alat" in left, left[:2000]  # D011's subject
    assert "usulan renovasi" in right, right[:2000]  # D014's subject


def scanner_pdf(path: Path, hidden_text: str, *, render_mode: int = 3) -> Path:
    """A page-size picture with the scanner's OCR laid over it as text (mode 3: invisible)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("L", (620, 877), 235)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    text = pdf.beginText(72, 760)
    text.setTextRenderMode(render_mode)
    text.setFont("Helvetica", 11)
    for start in range(0, len(hidden_text), 80):
        text.textLine(hidden_text[start : start + 80])
    pdf.drawText(text)
    pdf.save()
    return path


CLEAN_OCR = (
    "PEMERINTAH PROVINSI BANTEN DINAS KESEHATAN Nomor : 440/123/Dinkes/2024 Serang, "
    "12 Maret 2024 Perihal : Permohonan Subdomain Kepada Yth. Kepala Dinas Komunikasi "
    "Informatika Statistik dan Persandian Provinsi Banten di Serang. Dengan hormat, "
    "bersama ini kami mengajukan permohonan pembuatan subdomain untuk aplikasi kami."
)
GARBLED_OCR = (
    'PEIT,TERINTAH KABUPATEN WON O SOB O i Danardiati Km 02 D**uBrt***i kod" Bo* ffi '
    "Nomor ,/, /* / z-.ct? Perihal : Permohonan Subdom ai n. desa. w'onosobokab' go' id "
    "i(abupaten Wonosobo Provinsi Jarva 'l engah, kami bennaksud terka*buln,va K'\\(@.X "
    "'i*(P: +Yl---- df reeau oeg Sekretari s Desa Batursarr SuPriYanto kePada:"
)


def test_a_clean_hidden_ocr_layer_is_kept_and_a_garbled_one_is_not(tmp_path: Path) -> None:
    assert pages_with_text(scanner_pdf(tmp_path / "clean.pdf", CLEAN_OCR), 5) == [True]
    assert pages_with_text(scanner_pdf(tmp_path / "garbled.pdf", GARBLED_OCR), 5) == [False]


def test_a_pdf_replaced_under_the_same_name_has_its_text_layer_checked_anew(
    tmp_path: Path,
) -> None:
    """The check is kept for the next stage that asks about the same file, never for
    another file put in its place (a clerk copies a better scan over the first one)."""
    path = tmp_path / "surat.pdf"
    assert pages_with_text(scanner_pdf(path, CLEAN_OCR), 5) == [True]
    assert pages_with_text(path, 5) == [True]
    assert pages_with_text(scanner_pdf(path, GARBLED_OCR), 5) == [False]


def test_the_same_imperfect_text_printed_visibly_stays_a_digital_page(tmp_path: Path) -> None:
    """Visible text is a digital page's own (dompdf overprints, odd names): never OCR'd for
    a few odd words."""
    visible = scanner_pdf(tmp_path / "visible.pdf", GARBLED_OCR, render_mode=0)
    assert pages_with_text(visible, 5) == [True]


def test_a_stamp_several_lines_tall_does_not_pull_lines_into_one() -> None:
    body = [
        Word("Nomor", 50, 90, 100, 112, 0.95),
        Word("Lampiran", 50, 110, 120, 132, 0.95),
        Word("Perihal", 50, 100, 140, 152, 0.95),
    ]
    stamp = Word("DADAM", 300, 380, 95, 190, 0.45)  # a round stamp read as a word
    rows = [line.text for line in words_to_lines([stamp, *body], 1, 595)]
    assert sorted(rows) == ["DADAM", "Lampiran", "Nomor", "Perihal"]  # four rows, not one
    handwritten = Word("045", 120, 150, 96, 125, 0.4)  # written into the Nomor line
    rows = [line.text for line in words_to_lines([handwritten, *body], 1, 595)]
    assert rows == ["Nomor 045", "Lampiran", "Perihal"]


@needs_real
@needs_tesseract
def test_the_100_dpi_scans_subject_line_is_not_mixed_with_the_addressees() -> None:
    lines = ocr(REAL / "D009_kec-kedung_undangan.pdf").splitlines()
    subject = next(line for line in lines if "Undangan Lintas" in line)
    assert "Kapolsek" not in subject and "Koordinator" not in subject, subject


@needs_real
@needs_tesseract
def test_a_years_digit_misread_in_the_number_is_read_as_the_letters_year_for_review(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """D021 prints 008/4010/2019 on a letter of 12 Desember 2019; Tesseract reads the number's
    year '2014' (and scored it 0.98), in its page reading and in both its line readings. One
    digit off the letter's own year, it is read as 2019 and waits for a clerk, since a repair
    made it. RapidOCR, which reads that year right in the vote on the number, is kept out
    here: this is the repair's test (the vote's is below)."""
    monkeypatch.setattr(rapid, "read_line", lambda image: "")
    nomor = _ocr_fields.__wrapped__("D021_rsud-soewondo-pati_pemberitahuan.pdf")["nomor_surat"]
    assert nomor.value == "008/4010/2019"
    assert nomor.provenance.corrected
    assert nomor.provenance.confidence < SURE


@needs_real
@needs_tesseract
@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("D001_dprd-jepara_pemberitahuan.pdf", "172/055"),  # handwritten '172', page: '142'
        ("D005_kesbangpol-jepara_rekomendasi.pdf", "072/029"),  # ballpoint '029', page: '099'
        ("D024_umkudus_permohonan.pdf", "4210/D-7/UMKU/II/2020"),  # page: 'D-77/UMKUM'
        # Tesseract's three readings: '005/223/2018' twice; RapidOCR and one of them: '728'
        ("R002_wsb-setda_undangan-desk-ppid_scan.pdf", "005/728/2018"),
        ("D012_pkm-bangsri1_permohonan.pdf", "440/42/2020"),  # handwritten '42', page: 'FX'
        ("D021_rsud-soewondo-pati_pemberitahuan.pdf", "008/4010/2019"),  # Tesseract: '2014'
        # page and one line reader: '232'; the other '°32' (its zero small and high), RapidOCR '032'
        ("D025_pmi-jepara_permohonan.pdf", "032/Org/II/2020"),
        # handwritten '1885': page '\\88S', line readers '1985' and '1685', RapidOCR '1885' but
        # without the dot of KH.UL
        ("D022_stikes-karyahusada_permohonan.pdf", "1885/KH.UL/PM/XII/2019"),
        # a decree's handwritten number: page '(0}4', RapidOCR 'CO74', a zero left open
        ("D111_iain-kendari_keputusan-rektor_scan-rotated.pdf", "0074 TAHUN 2024"),
    ],
)
def test_a_letter_number_the_page_misreads_is_voted_right_and_stays_for_review(
    name: str, wanted: str
) -> None:
    """Class 6: a digit of the number handwritten or crowded by a stamp is read wrong on the
    page; two more readings of its row agree on each character, so the number is right, and
    it still waits for a clerk (its words were unsure)."""
    nomor = _ocr_fields(name)["nomor_surat"]
    assert nomor.value == wanted
    assert nomor.provenance.confidence < SURE


@needs_real
@needs_tesseract
@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        # beside a handwritten number read unsure: only the date's own words count
        ("D012_pkm-bangsri1_permohonan.pdf", "2020-01-08"),
        ("D016_kemenkes-bapelkes-smg_pengantar.pdf", "2020-01-28"),  # Tesseract: 0.93 sure
    ],
)
def test_a_date_a_second_reader_reads_alike_is_sure(name: str, wanted: str) -> None:
    """Class 8: an OCR'd date line that RapidOCR reads word for word alike is sure."""
    tanggal = _ocr_fields(name)["tanggal_surat"]
    assert tanggal.value == wanted
    assert tanggal.provenance.confidence >= SURE


@needs_real
@needs_tesseract
def test_a_handwritten_day_the_second_reader_reads_otherwise_waits_for_a_clerk() -> None:
    """Class 8: D006's handwritten day 21 is read 24 by Tesseract (and its event date below
    is the 24th); RapidOCR reads 21, so the date is not confirmed and waits for a clerk."""
    tanggal = _ocr_fields("D006_bpkad-jepara_undangan.pdf")["tanggal_surat"]
    assert tanggal.provenance.confidence < SURE


@needs_real
@needs_tesseract
def test_a_number_the_header_garbles_is_read_from_its_attachments_header() -> None:
    """Class 6: D019's header number is stamped over ('27 MI-07 10120'); the attachment on
    page 3 prints 'Lampiran Surat Nomor 27/VI-07/0120'. That copy is taken, for review."""
    nomor = _ocr_fields("D019_bpjs-kudus_pemberitahuan.pdf")["nomor_surat"]
    assert nomor.value == "27/VI-07/0120"
    assert nomor.provenance.confidence < SURE


@needs_real
@needs_tesseract
def test_a_subject_whose_label_is_read_with_two_misread_letters_is_still_its_subject() -> None:
    """Classes 4 and 6: D004's labels are very faint grey; the page reads 'Pevinal :' (v for
    r, n for h) beside a two-column block. The subject is still read after it, without the
    addressee's words beside it."""
    subject = _ocr_fields("D004_rsud-kartini_pemberitahuan.pdf")["perihal"]
    assert subject.value == "Pemberitahuan Jadwal permohonan Narasumber"


@needs_real
@needs_tesseract
def test_a_subjects_acronym_read_alike_in_the_body_is_confirmed() -> None:
    """Class 8 on a scan: 'Perihal : Permohonan Data PBI JKN' is sure because the body reads
    'PBI' and 'JKN' the same way; acronyms read once keep Tesseract's own, lower, confidence."""
    subject = _ocr_fields("D002_dinsospermades-jepara_permohonan.pdf")["perihal"]
    assert subject.value == "Permohonan Data PBI JKN"
    assert subject.provenance.confidence >= SURE


@needs_real
@needs_tesseract
def test_a_subject_over_the_addressee_block_is_whole_and_sure() -> None:
    """D024: 'Hal : Surat Permohonan Izin' over 'Kepada Yang Terhormat,': the addressee ends
    the subject, so it is not taken for a wrapped line the subject lost."""
    subject = _ocr_fields("D024_umkudus_permohonan.pdf")["perihal"]
    assert subject.value == "Surat Permohonan Izin"
    assert subject.provenance.confidence >= SURE


@needs_real
@needs_tesseract
def test_a_subject_word_repaired_as_the_body_prints_it_is_sure() -> None:
    """D008: OCR reads the subject 'Data Penduduk yang Bekeria'; the repair to 'Bekerja' is
    confirmed by the body, which prints '… Penduduk yang Bekerja di Kabupaten Jepara'."""
    subject = _ocr_fields("D008_diskopnakertrans-jepara_pemberitahuan.pdf")["perihal"]
    assert subject.value == "Data Penduduk yang Bekerja"
    assert subject.provenance.corrected
    assert subject.provenance.confidence >= SURE


@needs_real
@needs_tesseract
def test_a_kop_of_dictionary_words_is_confirmed_by_a_signature_with_a_misread_letter() -> None:
    """D002: the kop reads 'DINAS SOSIAL PEMBERDAYAAN / MASYARAKAT DAN DESA', every word a
    dictionary word; the signature's 'Kepala Dinas Sesial Pemberdayaan Masyarakat Dan Desa'
    names the same unit with one letter misread, so the sender is sure."""
    sender = _ocr_fields("D002_dinsospermades-jepara_permohonan.pdf")["opd"]
    assert sender.value == "Dinas Sosial Pemberdayaan Masyarakat dan Desa Kabupaten Jepara"
    assert sender.provenance.confidence >= SURE


@needs_real
@needs_tesseract
def test_a_hijri_date_over_the_gregorian_one_confirms_its_day() -> None:
    """D024 dates itself 'Kudus, 11 Jumadil Akhir 1441 H' over '5 Februari 2020 M': the
    Gregorian date is the letter's, and the Hijri one naming the same day makes it sure."""
    tanggal = _ocr_fields("D024_umkudus_permohonan.pdf")["tanggal_surat"]
    assert tanggal.value == "2020-02-05"
    assert tanggal.provenance.rule == "tanggal/masehi+hijriah"
    assert tanggal.provenance.confidence >= SURE
