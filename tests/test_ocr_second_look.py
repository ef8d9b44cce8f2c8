"""A second look at lines the page OCR read badly: the line cut from the grey page, read again
larger as one line, replaces the first reading only when it is clearly surer, never makes a
value surer than the first reading was, and costs at most a few lines per page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PIL import Image

from pipeline.readers import ocr_lines
from pipeline.readers.ocr_lines import SECOND_LOOKS, second_look
from pipeline.readers.ocr_words import GreyPage, OcrWord
from pipeline.readers.scan import serial_runner
from pipeline.service.context import make_matcher
from pipeline.service.intake.extracting import extract_path
from pipeline.settings import Settings
from tests.drawn_line import drawn_line

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "channels"
LINE = ("Nomor", ":", "050/Setwan/1493/2023")
KEY = (2, 1, 2)


def _page_with_line() -> tuple[Image.Image, list[tuple[str, tuple[int, int, int, int]]]]:
    """A grey page holding one 'Nomor' line, and the box of each of its words."""
    image, boxes = drawn_line(LINE)
    return image, list(zip(LINE, boxes, strict=True))


def _first_reading(
    boxes: list[tuple[str, tuple[int, int, int, int]]],
    texts: tuple[str, ...],
    confs: tuple[float, ...],
) -> list[OcrWord]:
    return [
        OcrWord(text, left, top, right - left, bottom - top, conf, KEY)
        for (_, (left, top, right, bottom)), text, conf in zip(boxes, texts, confs, strict=True)
    ]


@needs_tesseract
def test_a_misread_number_is_read_again_and_stays_unsure() -> None:
    image, boxes = _page_with_line()
    first = _first_reading(boxes, ("Nomor", ":", "054Sciwan'14932023"), (0.9, 0.9, 0.35))
    again = second_look(first, GreyPage(image), 30.0)
    assert " ".join(w.text for w in again) == " ".join(LINE)
    assert all(w.line_key == KEY for w in again)
    number = next(w for w in again if "/" in w.text)
    assert number.conf <= 0.35  # no surer than the word it replaced
    assert abs(number.left - boxes[2][1][0]) < 8  # back in page pixels, where it was printed


def test_sure_lines_are_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    image, boxes = _page_with_line()
    first = _first_reading(boxes, LINE, (0.9, 0.9, 0.88))
    monkeypatch.setattr(ocr_lines, "read_line_tsv", _never)
    assert second_look(first, GreyPage(image), 30.0) == first


@needs_tesseract
def test_a_second_reading_that_is_not_surer_is_left_out() -> None:
    blank = Image.new("L", (1400, 400), 250)
    _, boxes = _page_with_line()
    first = _first_reading(boxes, ("Nomor", ":", "054Sciwan'14932023"), (0.9, 0.9, 0.35))
    assert second_look(first, GreyPage(blank), 30.0) == first  # nothing there to read


def test_only_a_few_lines_per_page_are_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    image = Image.new("L", (1400, 1400), 250)
    calls: list[Image.Image] = []

    def reading(line: Image.Image, timeout: float, language: str = "") -> str:
        calls.append(line)
        return ""

    monkeypatch.setattr(ocr_lines, "read_line_tsv", reading)
    words = [OcrWord("12a", 100, 60 + 50 * row, 80, 30, 0.3, (1, 1, row)) for row in range(12)]
    assert second_look(words, GreyPage(image), 30.0) == words
    assert 0 < len(calls) <= 2 * SECOND_LOOKS  # two readings (grey, Otsu) of each line at most


@needs_tesseract
@pytest.mark.skipif(not SAMPLE.is_dir(), reason="no shared samples")
def test_the_phone_photo_s0004_gives_its_number_to_be_checked() -> None:
    """The nomor line of this photo reads '054 Sciwan'14932023' at page scale; on a second look
    it is 050/Setwan/1493/2023, given but marked 'perlu diperiksa'."""
    settings = Settings()
    path = SAMPLE / "S0004_letter_C_photo.jpg"
    result = extract_path(path, settings, make_matcher(settings), serial_runner)
    assert result.extraction is not None, result.error
    assert result.extraction.value("nomor_surat") == "050/Setwan/1493/2023"
    data = result.as_json(settings.pembacaan.ambang_peluang)
    assert "nomor_surat" in data["needs_review"]


def _never(image: Image.Image, timeout: float, language: str = "") -> str:
    raise AssertionError("a sure line must not be read again")
