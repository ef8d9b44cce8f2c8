"""Readers pick the format by content and turn bad input into a clear Indonesian message."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from pdfplumber.page import Page as PlumberPage
from PIL import Image
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from pipeline.errors import IgnoredFileError, UnreadableFileError
from pipeline.models import Media
from pipeline.readers import is_ignored, read_file
from pipeline.readers.pdf import CharPage
from tests.factories import Submission, form_docx, letter_pdf
from tests.real_split import REAL


def _encrypted_pdf(path: Path, user_password: str) -> Path:
    encryption = StandardEncryption(user_password, ownerPassword="pemilik", canPrint=1)
    pdf = canvas.Canvas(str(path), encrypt=encryption)
    pdf.drawString(72, 720, "Nomor : 555/1-Dinkes/X/2026 Perihal : Permohonan Integrasi")
    pdf.save()
    return path


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("kosong.pdf", b"", "kosong"),
        ("terpotong.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R", "rusak"),
        ("acak.pdf", os.urandom(4000).replace(b"%PDF-", b"xxxxx"), "tidak dikenali"),
        ("bukan.docx", b"PK\x03\x04" + os.urandom(3000), "rusak"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + os.urandom(300), "rusak"),
        ("lama.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "lama"),
    ],
)
def test_bad_files_get_a_clear_reason(tmp_path: Path, name: str, content: bytes, words: str):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path)
    assert words in raised.value.for_humans()


def test_zip_that_is_not_a_word_document(tmp_path: Path):
    path = tmp_path / "arsip.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("foto.txt", "bukan dokumen")
    with pytest.raises(UnreadableFileError, match="ZIP"):
        read_file(path)


def test_password_protected_pdf_is_refused_with_what_to_do(tmp_path: Path):
    path = _encrypted_pdf(tmp_path / "terkunci.pdf", user_password="rahasia")
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path)
    assert "dilindungi kata sandi" in raised.value.message
    assert raised.value.hint


def test_owner_only_encryption_still_reads(tmp_path: Path):
    path = _encrypted_pdf(tmp_path / "izin.pdf", user_password="")
    document = read_file(path)
    assert "555/1-Dinkes/X/2026" in document.text


def test_format_comes_from_content_not_name(tmp_path: Path):
    pdf_named_docx = tmp_path / "surat.docx"
    letter_pdf(tmp_path / "x.pdf", Submission()).rename(pdf_named_docx)
    assert read_file(pdf_named_docx).media is Media.PDF
    docx_named_pdf = tmp_path / "formulir.pdf"
    form_docx(tmp_path / "y.docx", Submission()).rename(docx_named_pdf)
    assert read_file(docx_named_pdf).media is Media.DOCX


def test_scans_are_accepted_as_needing_ocr(tmp_path: Path):
    path = tmp_path / "scan.tiff"
    frames = [Image.new("1", (200, 300), 1) for _ in range(3)]
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4")
    document = read_file(path)
    assert document.media is Media.IMAGE and document.needs_ocr
    assert len(document.pages) == 3


def test_image_only_pdf_is_marked_for_ocr(tmp_path: Path):
    buffer = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(buffer, format="PNG")
    path = tmp_path / "pindaian.pdf"
    Image.open(buffer).convert("RGB").save(path, format="PDF")
    document = read_file(path)
    assert document.needs_ocr and not document.lines


def test_docx_zip_bomb_is_refused(tmp_path: Path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/zeros.bin", bytes(300 * 1024 * 1024))
    with pytest.raises(UnreadableFileError, match="zip bomb"):
        read_file(path)


@pytest.mark.parametrize(
    "name",
    [
        "~$rmulir.docx",
        ".~lock.surat.docx#",
        "Thumbs.db",
        "desktop.ini",
        "scan.tmp",
        "surat.pdf.part",
        ".hidden.pdf",
    ],
)
def test_lock_temp_and_system_files_are_ignored(tmp_path: Path, name: str):
    assert is_ignored(name)
    path = tmp_path / name
    path.write_bytes(b"x")
    with pytest.raises(IgnoredFileError):
        read_file(path)


def test_pdf_form_table_reads_as_label_and_value_cells(tmp_path: Path):
    document = read_file(letter_pdf(tmp_path / "s.pdf", Submission(), with_form=True))
    rows = {line.cells[0].text: line.cells[-1].text for line in document.lines if line.page == 2}
    assert rows["Nama"] == "Siti Aminah, S.Kom."
    assert rows["Email"] == "siti.dinkes@bantenprov.go.id"


def _sdt(text: str, placeholder: bool) -> str:
    flag = "<w:showingPlcHdr/>" if placeholder else ""
    return (
        '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:sdtPr>{flag}</w:sdtPr><w:sdtContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )


def test_word_content_controls_are_read_and_their_prompts_are_not(tmp_path: Path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "DINAS KESEHATAN"
    document.add_paragraph("Nama\t: Siti Aminah")
    body = document.element.body
    body.insert(len(body) - 1, parse_xml(_sdt("Jabatan : Analis Sistem Informasi", False)))
    body.insert(len(body) - 1, parse_xml(_sdt("Klik di sini untuk memasukkan teks.", True)))
    path = tmp_path / "formulir.docx"
    document.save(str(path))
    text = read_file(path).text
    assert "DINAS KESEHATAN" in text and "Analis Sistem Informasi" in text
    assert "Klik di sini" not in text


def test_a_word_cell_typed_with_line_breaks_reads_as_its_lines(tmp_path: Path):
    """A letterhead box typed as one paragraph with Shift+Enter between its lines (logo |
    kop), and labels stacked in one cell the same way beside their values: each break
    starts a line, so the kop reads line by line and each label meets its value."""
    import docx
    from docx.table import _Cell

    def broken(cell: _Cell, lines: list[str]) -> None:
        run = cell.paragraphs[0].add_run(lines[0])
        for text in lines[1:]:
            run.add_break()
            run.add_text(text)

    document = docx.Document()
    kop = document.add_table(rows=1, cols=2).rows[0].cells
    broken(kop[1], ["BADAN KEPEGAWAIAN NEGARA", "KANTOR REGIONAL III", "Jalan Surapati No. 7"])
    rows = document.add_table(rows=1, cols=2).rows[0].cells
    broken(rows[0], ["Nomor", "Perihal"])
    broken(rows[1], [": 800/12/2024", ": Permohonan Subdomain"])
    path = tmp_path / "surat.docx"
    document.save(str(path))
    lines = [line.text for line in read_file(path).pages[0].lines]
    assert lines[:3] == ["BADAN KEPEGAWAIAN NEGARA", "KANTOR REGIONAL III", "Jalan Surapati No. 7"]
    assert lines[3:] == ["Nomor : 800/12/2024", "Perihal : Permohonan Subdomain"]


def test_a_letterhead_box_beside_a_tables_first_row_reads_line_by_line(tmp_path: Path):
    """An SOP sheet: the kop box (one paragraph per line, merged down) beside 'Nomor SOP |
    55/…'. The box reads as its lines, then the row's other cells as one line; a form's
    label cell of two paragraphs beside its value stays one line."""
    import docx

    document = docx.Document()
    cells = document.add_table(rows=1, cols=3).rows[0].cells
    cells[0].paragraphs[0].text = "PEMERINTAH PROVINSI"
    for text in ("JAWA TENGAH", "DINAS KOMUNIKASI DAN INFORMATIKA"):
        cells[0].add_paragraph(text)
    cells[1].paragraphs[0].text = "Nomor SOP"
    cells[2].paragraphs[0].text = "55/SOP/2025"
    document.add_table(rows=1, cols=2)  # an empty row reads as nothing
    form = document.add_table(rows=1, cols=2).rows[0].cells
    form[0].paragraphs[0].text = "Nama Aplikasi"
    form[0].add_paragraph("(sesuai SK)")
    form[1].paragraphs[0].text = ": SIKESDA"
    path = tmp_path / "sop.docx"
    document.save(str(path))
    lines = [line.text for line in read_file(path).pages[0].lines]
    assert lines == [
        "PEMERINTAH PROVINSI",
        "JAWA TENGAH",
        "DINAS KOMUNIKASI DAN INFORMATIKA",
        "Nomor SOP 55/SOP/2025",
        "Nama Aplikasi (sesuai SK) : SIKESDA",
    ]


def test_text_printed_over_text_reads_in_the_order_it_was_written(tmp_path: Path):
    """An HTML-to-PDF letter whose label column is narrower than its labels prints 'Nomor :'
    over its value (a real one read '0N4:8o m/ o r /2021'): the line is read label first."""
    target = tmp_path / "overprint.pdf"
    page = canvas.Canvas(str(target))
    page.setFont("Helvetica", 11)
    page.drawString(40, 700, "Nomor")
    page.drawString(44, 700, ":")
    page.drawString(33, 700, "048/   /2021")
    page.drawString(180, 700, "Kepada")
    page.drawString(72, 600, "Dengan hormat, kami mengajukan permohonan subdomain.")
    page.save()
    lines = [line.text for line in read_file(target).lines]
    assert "Nomor : 048/ /2021 Kepada" in lines
    assert "Dengan hormat, kami mengajukan permohonan subdomain." in lines
    assert not any("0N" in line for line in lines)


def test_a_bold_faked_by_printing_twice_is_read_once(tmp_path: Path):
    """Some generators make bold by printing a word twice a hair apart ('SSUURRAATT')."""
    target = tmp_path / "fake-bold.pdf"
    page = canvas.Canvas(str(target))
    page.setFont("Helvetica", 11)
    for dx in (0.0, 0.3):
        page.drawString(72 + dx, 650, "SURAT PERMOHONAN")
    page.drawString(72, 600, "Nomor : 045.2/0417-Dinkes/III/2024")
    page.save()
    lines = [line.text for line in read_file(target).lines]
    assert lines == ["SURAT PERMOHONAN", "Nomor : 045.2/0417-Dinkes/III/2024"]


def _plumber_words(path: Path, page_class: type) -> list[list[tuple[object, ...]]]:
    with pdfplumber.open(path) as pdf:
        pages = [
            page_class(pdf, page.page_obj, page.page_number, page.initial_doctop)
            for page in pdf.pages
        ]
        return [
            [
                (w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["upright"])
                for w in page.dedupe_chars().extract_words(x_tolerance=1.5, y_tolerance=2)
            ]
            for page in pages
        ]


REAL_PDFS = sorted(REAL.glob("*.pdf")) if REAL.is_dir() else []


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name[:4])
def test_the_lean_page_reads_the_same_words_as_pdfplumber(path: Path):
    """The PDF reader builds only the characters' word attributes (40 % of the time of
    reading a letter went on attributes nothing reads): every real PDF must still give
    pdfplumber's own words, character for character and point for point."""
    assert _plumber_words(path, CharPage) == _plumber_words(path, PlumberPage)


def test_the_lean_page_reads_a_generated_letter_like_pdfplumber(tmp_path: Path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission())
    words = _plumber_words(path, CharPage)
    assert words == _plumber_words(path, PlumberPage) and words[0]
