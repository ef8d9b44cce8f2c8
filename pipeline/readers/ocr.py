"""The one module that talks to Tesseract: checks it is installed, runs it with a timeout and
one thread, and turns its word boxes into the same lines and cells as a PDF text layer.

Pages are OCR'd as images normalised to PDF points (72 per inch), so the label/value logic of
extraction reads a scan exactly like a digital page. Orientation (90/180°) is fixed with
Tesseract's OSD when the first pass reads poorly; small skew is measured from the word boxes
of each line and undone on the coordinates, so no second pass is needed for it.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import statistics
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytesseract
from PIL import Image, ImageOps

from pipeline.errors import MissingDependencyError, UnreadableFileError
from pipeline.models import TextLine
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.ocr_clean import clean_for_ocr

LANGUAGES = "ind+eng"
A4_WIDTH_PT = 595.0
TARGET_DPI = 300
MIN_WIDTH_PX = 1500  # below this (a 150 dpi scan) the page is doubled in size
POOR_READING = 55.0  # mean word confidence under which orientation is checked
INSTALL_HINT = (
    "Pasang Tesseract dengan bahasa Indonesia: sudo apt-get install tesseract-ocr "
    "tesseract-ocr-ind (atau jalankan bash scripts/setup.sh)."
)


@dataclass(frozen=True)
class OcrPage:
    """An image of one page and how many PDF points one pixel covers."""

    image: Image.Image
    number: int
    points_per_pixel: float


@cache
def check_tesseract() -> str:
    """The Tesseract version, or a clear error saying how to install what is missing."""
    if shutil.which("tesseract") is None:
        raise MissingDependencyError("Program OCR Tesseract tidak terpasang.", hint=INSTALL_HINT)
    languages = set(pytesseract.get_languages(config=""))
    missing = {"ind", "osd"} - languages
    if missing:
        raise MissingDependencyError(
            f"Data bahasa Tesseract belum lengkap (kurang: {', '.join(sorted(missing))}).",
            hint=INSTALL_HINT,
        )
    return str(pytesseract.get_tesseract_version())


def ocr_page(page: OcrPage, timeout: float) -> list[TextLine]:
    """Read one page image; lines come back in PDF points, like a text layer."""
    check_tesseract()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    image, scale = _prepare(page)
    if image.width > image.height:  # a letter is portrait: a landscape page lies on its side
        image = _upright(image, timeout)
    words = _read_words(image, timeout)
    if _mean_conf(words) < POOR_READING:
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
    try:
        data = pytesseract.image_to_data(
            image,
            lang=LANGUAGES,
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=timeout,
        )
    except RuntimeError as exc:  # pytesseract's timeout
        raise UnreadableFileError(
            f"OCR halaman ini melebihi batas waktu {timeout:.0f} detik.",
            hint="Pindai ulang dengan resolusi 200–300 dpi, atau naikkan ocr.page_seconds.",
        ) from exc
    except (pytesseract.TesseractError, subprocess.SubprocessError, OSError) as exc:
        raise UnreadableFileError(f"OCR gagal membaca gambar: {exc}.") from exc
    return list(_boxes(data))


BORDER_JUNK = re.compile(r"^[|¦!\[\]{}»«~—–_;'\"“”‘’.,+\-]+$")
EDGE_BARS = "|¦[]{}"


def _boxes(data: dict[str, list[Any]]) -> list[_Box]:
    """Tesseract's words, without the bits of table rules it reads as '|', '—' or '»'."""
    boxes = []
    for i, raw in enumerate(data["text"]):
        conf = float(data["conf"][i])
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


def _upright(image: Image.Image, timeout: float) -> Image.Image:
    turned = _orientation(image, timeout)
    return image.rotate(-turned, expand=True) if turned else image


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees the page is turned (0, 90, 180, 270) by Tesseract's orientation detection."""
    try:
        found = pytesseract.image_to_osd(
            image, config="--psm 0", timeout=timeout, output_type=pytesseract.Output.DICT
        )
    except (pytesseract.TesseractError, RuntimeError):
        return 0
    return int(found.get("rotate", 0)) if float(found.get("orientation_conf", 0)) > 1.0 else 0


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
