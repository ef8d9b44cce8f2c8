"""OCR of one page: clean it, have Tesseract (`pipeline.readers.tesseract`) read it, and turn
its word boxes into the same lines and cells as a PDF text layer.

Pages are OCR'd as images normalised to PDF points (72 per inch), so the label/value logic of
extraction reads a scan exactly like a digital page. Orientation (90/180°) is fixed with
Tesseract's OSD when the first pass reads poorly or finds none of the common Indonesian words;
small skew is measured from the word boxes of each line and undone on the coordinates, so no
second pass is needed for it.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps

from pipeline.models import TextLine
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.ocr_clean import clean_for_ocr
from pipeline.readers.tesseract import LANGUAGES, check_tesseract, detect_orientation, read_tsv

__all__ = ["LANGUAGES", "OcrPage", "check_tesseract", "ocr_page"]

A4_WIDTH_PT = 595.0
TARGET_DPI = 300
MIN_WIDTH_PX = 1500  # below this (a 150 dpi scan) the page is doubled in size
POOR_READING = 55.0  # mean word confidence under which orientation is checked


@dataclass(frozen=True)
class OcrPage:
    """An image of one page and how many PDF points one pixel covers."""

    image: Image.Image
    number: int
    points_per_pixel: float


def ocr_page(page: OcrPage, timeout: float) -> list[TextLine]:
    """Read one page image; lines come back in PDF points, like a text layer."""
    check_tesseract()
    image, scale = _prepare(page)
    if image.width > image.height:  # a letter is portrait: a landscape page lies on its side
        image = _upright(image, timeout)
    words = _read_words(image, timeout)
    if _mean_conf(words) < POOR_READING or not _reads_as_indonesian(words):
        turned = _orientation(image, timeout)
        if turned:
            image = image.rotate(-turned, expand=True)
            words = _read_words(image, timeout)
    points = scale * page.points_per_pixel
    centre = (image.width / 2, image.height / 2)
    kept = [w for w in _deskewed(words, centre) if not _margin_debris(w, image.width)]
    placed = [_to_points(w, points) for w in kept]
    width = image.width * points
    return words_to_lines(placed, page.number, width)


def _prepare(page: OcrPage) -> tuple[Image.Image, float]:
    """Grey, upright by EXIF, and big enough for Tesseract (it reads best near 300 dpi)."""
    image = ImageOps.exif_transpose(page.image) or page.image
    if image.mode != "1":
        image = image.convert("L")
    factor = 1
    while image.width * factor < MIN_WIDTH_PX:
        factor *= 2
    if factor > 1:
        size = (image.width * factor, image.height * factor)
        image = image.convert("L").resize(size, Image.Resampling.BICUBIC)
    return clean_for_ocr(image), 1.0 / factor


@dataclass(frozen=True)
class _Box:
    text: str
    left: float
    top: float
    width: float
    height: float
    conf: float
    line_key: tuple[int, int, int]


def _read_words(image: Image.Image, timeout: float) -> list[_Box]:
    return _boxes(_tsv_columns(read_tsv(image, timeout)))


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


def _boxes(data: dict[str, list[Any]]) -> list[_Box]:
    """Tesseract's words, without the bits of table rules it reads as '|', '—' or '»'."""
    boxes = []
    for i, raw in enumerate(data["text"]):
        conf = float(int(float(data["conf"][i])))  # whole percent, as thresholds were tuned
        text = str(raw).strip().strip(EDGE_BARS)
        if not text or conf < 0 or (BORDER_JUNK.match(text) and conf < 90):
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        boxes.append(
            _Box(
                text,
                float(data["left"][i]),
                float(data["top"][i]),
                float(data["width"][i]),
                float(data["height"][i]),
                conf / 100,
                key,
            )
        )
    return boxes


def _mean_conf(words: list[_Box]) -> float:
    if len(words) < 10:
        return 0.0
    return 100 * statistics.fmean(w.conf for w in words)


# Words nearly every letter or form uses; a page read upside down yields none of them.
_COMMON = (
    "dan yang di ke dengan untuk ini pada dalam atas kami provinsi banten dinas badan biro "
    "nomor nama surat perihal sistem informasi aplikasi data integrasi kepala pemerintah "
    "permohonan jabatan email telepon serang bidang sub bagian"
)
COMMON_WORDS = frozenset(_COMMON.split())


def _reads_as_indonesian(words: list[_Box]) -> bool:
    """At least a few common words among the page's words (a short page always passes)."""
    if len(words) < 20:
        return True
    found = sum(w.text.lower().strip(".,:;()") in COMMON_WORDS for w in words)
    return found >= 3


def _upright(image: Image.Image, timeout: float) -> Image.Image:
    turned = _orientation(image, timeout)
    return image.rotate(-turned, expand=True) if turned else image


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees the page is turned (0, 90, 180, 270) by Tesseract's orientation detection."""
    found = detect_orientation(image)
    return found.rotate if found and found.confidence > 1.0 else 0


def _deskewed(words: list[_Box], centre: tuple[float, float]) -> list[_Box]:
    """Undo a small skew: turn the word boxes about the page centre by the lines' median slope."""
    angle = _skew(words)
    if abs(angle) < 0.0009:  # about 0.05°
        return words
    cos, sin = math.cos(-angle), math.sin(-angle)
    turned = []
    for w in words:
        cx, cy = w.left + w.width / 2 - centre[0], w.top + w.height / 2 - centre[1]
        nx = cx * cos - cy * sin + centre[0]
        ny = cx * sin + cy * cos + centre[1]
        turned.append(
            _Box(w.text, nx - w.width / 2, ny - w.height / 2, w.width, w.height, w.conf, w.line_key)
        )
    return turned


def _skew(words: list[_Box]) -> float:
    lines: dict[tuple[int, int, int], list[_Box]] = defaultdict(list)
    for word in words:
        lines[word.line_key].append(word)
    slopes = []
    for members in lines.values():
        if len(members) < 3:
            continue
        first, last = min(members, key=lambda w: w.left), max(members, key=lambda w: w.left)
        dx = (last.left + last.width / 2) - (first.left + first.width / 2)
        if dx > 200:
            dy = (last.top + last.height) - (first.top + first.height)
            slopes.append(math.atan2(dy, dx))
    return statistics.median(slopes) if slopes else 0.0


def _margin_debris(word: _Box, width: int) -> bool:
    """Unsure 'words' at the very edge: a desk, a binding shadow or a punched hole."""
    at_edge = word.left + word.width < 0.06 * width or word.left > 0.94 * width
    at_rim = word.left + word.width < 0.03 * width and len(word.text) <= 2
    return at_rim or (at_edge and word.conf < 0.6)


def _to_points(w: _Box, points: float) -> Word:
    return Word(
        w.text,
        w.left * points,
        (w.left + w.width) * points,
        w.top * points,
        (w.top + w.height) * points,
        w.conf,
    )
