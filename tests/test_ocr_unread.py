"""Lines of text the page layout left out are found in the ink no word box covers: a drawn
label column whose words Tesseract did not give back is found line by line, while ink beside a
word that was read (a part its box left out), a rule, a blot and specks are not lines."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from pipeline.readers.ocr_unread import unread_lines, with_unread_lines
from pipeline.readers.ocr_words import OcrWord

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LABELS = ("Nomor", "Sifat", "Lampiran", "Perihal")
VALUES = ("045.2/0417-Dinkes/III/2024", "Biasa", "1 (satu) berkas", "Permohonan Subdomain")
SIZE = 40  # pixels: 10 pt at 300 dpi
ROW = 60


def drawn_header(top: int) -> tuple[Image.Image, list[OcrWord], list[tuple[int, int]]]:
    """A bilevel page with label | value rows; the words 'read' are the values only (as when
    the layout dropped the label column); and where each label was drawn."""
    page = Image.new("L", (2480, 1400), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, SIZE)
    words, labels = [], []
    for row, (label, value) in enumerate(zip(LABELS, VALUES, strict=True)):
        y = top + ROW * row
        draw.text((170, y), label, fill=0, font=font)
        labels.append((170, y))
        left, _, right, bottom = draw.textbbox((540, y), value, font=font)
        draw.text((540, y), value, fill=0, font=font)
        words.append(OcrWord(value, left, y, right - left, bottom - y, 0.9, (1, 1, row)))
    for row in range(8):  # body text, read
        y = top + ROW * 5 + ROW * row
        left, _, right, bottom = draw.textbbox((300, y), "Untuk meningkatkan kinerja", font=font)
        draw.text((300, y), "Untuk meningkatkan kinerja", fill=0, font=font)
        words.append(OcrWord("Untuk", left, y, right - left, bottom - y, 0.95, (2, 1, row)))
    return page.point(lambda v: 255 if v > 128 else 0).convert("1"), words, labels


@settings(max_examples=10, deadline=None)
@given(top=st.integers(40, 400))
def test_a_label_column_left_unread_is_found_line_by_line(top: int) -> None:
    page, words, labels = drawn_header(top)
    found = unread_lines(page, words, height=SIZE)
    assert len(found) == len(LABELS)
    for box, (x, y) in zip(found, labels, strict=True):
        assert abs(box.left - x) < SIZE and abs(box.top - y) < SIZE


def test_a_rule_a_blot_and_specks_are_no_lines() -> None:
    page, words, labels = drawn_header(100)
    covered = [*words]
    for row, ((x, y), label) in enumerate(zip(labels, LABELS, strict=True)):  # labels read
        covered.append(OcrWord(label, x, y, 5 * SIZE, SIZE, 0.9, (3, 1, row)))
    draw = ImageDraw.Draw(page)
    draw.rectangle((100, 1200, 2300, 1206), fill=0)  # a rule
    draw.rectangle((1800, 40, 2000, 90), fill=0)  # a blot (a stamp's dark part)
    for x in range(200, 2200, 37):  # specks
        draw.point((x, 1300), fill=0)
    assert unread_lines(page, covered, height=SIZE) == []


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
def test_lines_read_again_join_the_page_words_where_they_stand() -> None:
    page, words, labels = drawn_header(200)
    result = with_unread_lines(page, words, timeout=30)
    read = {w.text: (w.left, w.top) for w in result if w not in words}
    assert set(read) == set(LABELS)
    for label, (x, y) in zip(LABELS, labels, strict=True):
        assert np.hypot(read[label][0] - x, read[label][1] - y) < SIZE


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
def test_a_word_read_short_is_not_read_twice() -> None:
    """Ink beside a word the page pass read, its box short of the word's first letters (as
    Tesseract's 'anggung' for Penanggung), is that word once more: nothing is added."""
    page, words, labels = drawn_header(200)
    short = [
        OcrWord(label[3:], x + 3 * SIZE, y, 2 * SIZE, SIZE, 0.9, (3, 1, row))
        for row, ((x, y), label) in enumerate(zip(labels, LABELS, strict=True))
    ]
    assert with_unread_lines(page, words + short, timeout=30) == words + short
