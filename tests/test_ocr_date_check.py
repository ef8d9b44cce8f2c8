"""The check of an unsure date by a second reader: RapidOCR reads the date's row again, and a
date it reads alike becomes sure; one it reads otherwise keeps the page's confidence."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from pipeline.models import Cell, TextLine
from pipeline.readers import ocr_lines, rapid
from pipeline.readers.ocr_lines import CONFIRMED, date_check
from pipeline.readers.ocr_words import GreyPage, OcrWord
from tests.drawn_line import drawn_line

KEY = (2, 1, 1)
DATE = ("Jepara,", "21", "Januari", "2020")


def _page(texts: tuple[str, ...]) -> tuple[Image.Image, list[OcrWord]]:
    """A grey page holding one line of `texts`, read with the day unsure."""
    image, boxes = drawn_line(texts)
    words = [
        OcrWord(text, left, top, right - left, bottom - top, _conf(text), KEY)
        for text, (left, top, right, bottom) in zip(texts, boxes, strict=True)
    ]
    return image, words


def _conf(text: str) -> float:
    return 0.55 if text.isdigit() and len(text) <= 2 else 0.93


def _checked(monkeypatch: pytest.MonkeyPatch, rapid_reads: str | None) -> list[OcrWord]:
    image, words = _page(DATE)

    def reading(line: Image.Image) -> str:
        assert rapid_reads is not None, "RapidOCR must not be asked"
        return rapid_reads

    monkeypatch.setattr(rapid, "read_line", reading)
    return date_check(words, GreyPage(image))


def test_a_date_read_alike_by_rapidocr_is_sure(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = _checked(monkeypatch, "Jepara,21 Januari 2020")  # its spaces and case aside
    assert [w.text for w in checked] == list(DATE)
    assert min(w.conf for w in checked) >= CONFIRMED


def test_a_date_read_otherwise_keeps_the_pages_confidence(monkeypatch: pytest.MonkeyPatch) -> None:
    """D006: the handwritten day Tesseract reads 24 and RapidOCR 21 waits for a clerk."""
    checked = _checked(monkeypatch, "Jepara, 24 Januari 2020")
    assert [w.conf for w in checked] == [0.93, 0.55, 0.93, 0.93]


def test_a_sure_date_and_a_line_without_a_date_are_not_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    image, words = _page(("Kepada", "Yth.", "21", "Kepala", "Dinas"))
    monkeypatch.setattr(rapid, "read_line", lambda line: pytest.fail("no date to check"))
    assert date_check(words, GreyPage(image)) == words
    image, words = _page(DATE)
    sure = [OcrWord(w.text, w.left, w.top, w.width, w.height, 0.97, KEY) for w in words]
    assert date_check(sure, GreyPage(image)) == sure


def test_rapidocr_reads_a_printed_date_row_alike() -> None:
    """The real recogniser on a drawn date row: the words it reads are the date's."""
    image, words = _page(DATE)
    checked = date_check(words, GreyPage(image))
    assert min(w.conf for w in checked) >= CONFIRMED
    assert ocr_lines.DATE_ROWS >= 1


CELL_TEXTS = st.lists(st.text(alphabet="abc12 ", min_size=1, max_size=8), min_size=1, max_size=5)


@given(CELL_TEXTS, st.data())
def test_a_values_confidence_is_that_of_the_cells_holding_it(
    texts: list[str], data: st.DataObject
) -> None:
    confs = [data.draw(st.floats(0.0, 1.0)) for _ in texts]
    line = TextLine(
        1, tuple(Cell(10.0 * i, t, c) for i, (t, c) in enumerate(zip(texts, confs, strict=True)))
    )
    assert line.conf_between(0, len(line.text)) == line.conf
    at = data.draw(st.integers(0, len(texts) - 1))
    start = sum(len(t) + 1 for t in texts[:at])
    assert line.conf_between(start, start + len(texts[at])) == confs[at]
