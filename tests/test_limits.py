"""Resource limits: each refusal names the setting to raise; a long PDF is read up to its limit."""

from __future__ import annotations

import io
import time
import tomllib
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from pipeline.errors import UnreadableFileError
from pipeline.models import Media, Page, ReadDocument
from pipeline.readers import read_file
from pipeline.readers.limits import Deadline
from pipeline.readers.qr import qr_texts
from pipeline.readers.scan import OcrJob, _render, run_job, serial_runner, with_ocr_many
from pipeline.service.intake.extracting import _queued
from pipeline.settings import Batas, default_toml
from tests.factories import Submission, letter_pdf


def _pdf(path: Path, pages: list[str], size: tuple[float, float] = A4) -> Path:
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    for text in pages:
        canvas.drawString(56, size[1] - 72, text)
        canvas.showPage()
    canvas.save()
    return path


def _png_bomb(path: Path, side: int) -> Path:
    from tests.reliability.hostile_files import write_png_bomb

    write_png_bomb(path, side)
    return path


def test_defaults_in_the_written_config_match_the_settings():
    written = tomllib.loads(default_toml())["batas"]
    assert Batas(**written) == Batas()


def test_long_pdf_is_read_up_to_max_pages_and_says_so(tmp_path: Path):
    words = "Lampiran halaman nomor {} berisi data pendukung permohonan integrasi"
    path = _pdf(tmp_path / "tebal.pdf", [words.format(n) for n in range(1, 8)])
    document = read_file(path, Batas(maks_halaman=3))
    assert [p.number for p in document.pages] == [1, 2, 3]
    assert "nomor 3 " in document.text and "nomor 4 " not in document.text
    assert len(document.notes) == 1
    assert "7 halaman" in document.notes[0] and "batas.maks_halaman" in document.notes[0]


def test_file_over_max_bytes_names_the_limit(tmp_path: Path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission())
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path, Batas(maks_byte=path.stat().st_size - 1))
    assert "batas.maks_byte" in raised.value.message


def test_reading_past_the_deadline_names_max_seconds(tmp_path: Path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission())
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path, Batas(), Deadline(time.time() - 1, 30))
    assert "30 detik" in raised.value.message and "batas.maks_detik" in raised.value.message


def test_ocr_stops_at_the_files_deadline(tmp_path: Path):
    scan = tmp_path / "pindaian.pdf"
    Image.new("L", (800, 1100), 255).convert("RGB").save(scan, format="PDF")
    document = read_file(scan)
    assert document.needs_ocr
    with pytest.raises(UnreadableFileError) as raised:
        with_ocr_many(
            [(document, scan)], serial_runner, 60.0, deadlines=[Deadline(time.time() - 1, 45)]
        )
    assert "batas.maks_detik" in raised.value.message and "45 detik" in raised.value.message


def test_png_decompression_bomb_is_refused_from_its_header(tmp_path: Path):
    path = _png_bomb(tmp_path / "bom.png", 20_000)
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path)
    assert "400 juta piksel" in raised.value.message
    assert "batas.maks_piksel" in raised.value.message
    assert qr_texts(path) == []  # looking for a QR code does not decode it either


def test_every_tiff_frame_is_held_to_max_pixels(tmp_path: Path):
    path = tmp_path / "pindaian.tiff"
    small, large = Image.new("1", (100, 100), 1), Image.new("1", (2000, 2000), 1)
    small.save(path, save_all=True, append_images=[large], compression="group4")
    with pytest.raises(UnreadableFileError, match=r"batas\.maks_piksel"):
        read_file(path, Batas(maks_piksel=1_000_000))


def test_huge_pdf_page_is_rendered_for_ocr_within_max_pixels(tmp_path: Path):
    poster = _pdf(tmp_path / "baliho.pdf", ["Baliho"], size=(14_400, 14_400))  # 200 × 200 in
    job = OcrJob(str(poster), read_file(poster).media, 1, 5.0, time.time() - 1, 1_000_000)
    with pytest.raises(UnreadableFileError):  # past its deadline: nothing is rendered at all
        run_job(job)
    rendered = _render(OcrJob(str(poster), job.media, 1, 5.0, max_pixels=1_000_000))
    assert rendered.image.width * rendered.image.height <= 1_000_000
    assert rendered.points_per_pixel == pytest.approx(14_400 / rendered.image.width, rel=0.01)


def test_docx_unpacked_size_limit_is_a_setting(tmp_path: Path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/nol.bin", bytes(3_000_000))
    path = tmp_path / "formulir.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnreadableFileError) as raised:
        read_file(path, Batas(maks_byte_terbuka=2_000_000))
    assert "batas.maks_byte_terbuka" in raised.value.message


def test_truncated_photo_is_refused(tmp_path: Path):
    buffer = io.BytesIO()
    Image.effect_noise((600, 800), 40).save(buffer, format="JPEG")
    path = tmp_path / "foto.jpg"
    path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(UnreadableFileError, match="terpotong"):
        read_file(path)


def test_scans_ocrd_in_one_batch_each_keep_a_full_budget(tmp_path: Path):
    scan = ReadDocument(Media.IMAGE, (Page(1, (), False),), needs_ocr=True)
    text = ReadDocument(Media.PDF, (Page(1, (), True),))
    docs = [(scan, tmp_path / "a"), (text, tmp_path / "b"), (scan, tmp_path / "c")]
    started = [Deadline(100.0, 60), Deadline(101.0, 60), Deadline(102.0, 60)]
    assert [d.at for d in _queued(docs, started)] == [100.0, 161.0, 162.0]


def test_a_500_page_tiff_is_read_only_up_to_the_page_limit(tmp_path: Path):
    """Issue 15 fault 8: the page limit holds for multi-page images too, with a note."""
    from PIL import Image

    from pipeline.readers.image import read_image
    from pipeline.settings import Batas

    path = tmp_path / "tumpukan.tif"
    first, *rest = [Image.new("1", (64, 64), 1) for _ in range(500)]
    first.save(path, save_all=True, append_images=rest, compression="group4")
    doc = read_image(path, Batas(maks_halaman=20))
    assert [p.number for p in doc.pages] == list(range(1, 21))
    assert doc.needs_ocr and "500 halaman" in doc.notes[0] and "20 halaman" in doc.notes[0]
