"""Tesseract's words as boxes in page pixels, and the grey page they were read from: the values
the page OCR (`pipeline.readers.ocr`) and its second readings of lines
(`pipeline.readers.ocr_lines`) pass between them."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from PIL import Image

from pipeline.readers.ocr_clean import levelled

Box = tuple[int, int, int, int]  # left, top, right, bottom in page pixels


@dataclass(frozen=True)
class OcrWord:
    """One word Tesseract read: its box in page pixels, its confidence (0-1) and the
    (block, paragraph, line) it was read in."""

    text: str
    left: float
    top: float
    width: float
    height: float
    conf: float
    line_key: tuple[int, int, int]


@dataclass(frozen=True)
class GreyPage:
    """The grey page the binarised one was made from, kept for a second look at lines read
    badly: `level` degrees (counter-clockwise) turned to level its lines as the binarised page
    was, then `turned` degrees (clockwise) upright as it was."""

    source: Image.Image
    level: float = 0.0
    turned: int = 0

    @cached_property
    def matching(self) -> Image.Image:
        """The grey page pixel for pixel where the binarised page Tesseract read is (made once:
        the second look and the number vote both read lines from it)."""
        grey = self.source if self.source.mode == "L" else self.source.convert("L")
        if self.level:
            grey = levelled(grey, self.level)
        return grey.rotate(-self.turned, expand=True) if self.turned else grey


def mean_word_conf(words: Sequence[OcrWord]) -> float:
    return statistics.fmean(w.conf for w in words) if words else 0.0


def words_of(tsv: str) -> list[OcrWord]:
    """The words of Tesseract's TSV output."""
    return _words(_tsv_columns(tsv))


TSV_COLUMNS = ("block_num", "par_num", "line_num", "left", "top", "width", "height", "conf")


def _tsv_columns(tsv: str) -> dict[str, list[Any]]:
    """Tesseract's TSV rows as columns (level, page, block, par, line, word, box, conf, text)."""
    names = ("level", "page_num", *TSV_COLUMNS[:3], "word_num", *TSV_COLUMNS[3:], "text")
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < len(names):
            continue
        for name, cell in zip(names, cells, strict=False):
            columns[name].append(cell)
    return columns


BORDER_JUNK = re.compile(r"^[|¦!\[\]{}»«~—–_;'\"“”‘’.,+\-]+$")
EDGE_BARS = "|¦[]{}"


def _words(data: dict[str, list[Any]]) -> list[OcrWord]:
    """Tesseract's words, without the bits of table rules it reads as '|', '—' or '»'."""
    words = []
    for i, raw in enumerate(data["text"]):
        conf = float(int(float(data["conf"][i])))  # whole percent, as thresholds were tuned
        text = str(raw).strip().strip(EDGE_BARS)
        if not text or conf < 0 or (BORDER_JUNK.match(text) and conf < 90):
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(
            OcrWord(
                text,
                float(data["left"][i]),
                float(data["top"][i]),
                float(data["width"][i]),
                float(data["height"][i]),
                conf / 100,
                key,
            )
        )
    return words
