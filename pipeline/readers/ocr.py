"""OCR of one page: clean it, have Tesseract (`pipeline.readers.tesseract`) read it, and turn
its word boxes into the same lines and cells as a PDF text layer.

Pages are OCR'd as images normalised to PDF points (72 per inch), so the label/value logic of
extraction reads a scan exactly like a digital page. Orientation (90/180°) is fixed with
Tesseract's OSD when the first pass reads poorly or finds none of the common Indonesian words;
small skew is measured from the word boxes of each line and undone on the coordinates, so no
second pass is needed for it. A page under 140 dpi is scaled to 300 dpi (Lanczos) before it is
binarised; a landscape sheet holding two portrait pages side by side is split at its gutter and
each half read as a page. A few lines read badly (an unsure word holding a digit, or a header
label such as Nomor) are read again from the grey page, three times larger, as one line
(`second_look`). RapidOCR was measured as a second reader of unsure lines on the real
scans of ../shared/real (1 more truth value of 137, 1.4x the time) and left out.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps

from pipeline.errors import UnreadableFileError
from pipeline.models import TextLine
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.ocr_clean import cleaned_and_turn, levelled, otsu_level
from pipeline.readers.tesseract import (
    LANGUAGES,
    check_tesseract,
    detect_orientation,
    read_line_tsv,
    read_tsv,
)

__all__ = ["LANGUAGES", "OcrPage", "check_tesseract", "ocr_page"]

A4_WIDTH_PT = 595.0
TARGET_DPI = 300
MIN_WIDTH_PX = 1500  # below this (a 150 dpi scan) the page is doubled in size
LOW_DPI = 140.0  # below this (55-130 dpi scans, small web images) the page is scaled to 300 dpi
MAX_UPSCALED_PX = 12_000_000  # an upscaled page stays about A4 at 350 dpi
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
    image, grey, scale = _prepare(page)
    points = scale * page.points_per_pixel
    if image.width > image.height:  # a letter is portrait: a landscape page lies on its side
        turned = _orientation(image, timeout)
        if turned:
            image = image.rotate(-turned, expand=True)
            grey = replace(grey, turned=turned)
        if (halves := two_up_halves(image)) is not None:
            return _read_halves(halves, page.number, points, timeout)
    words = _read_words(image, timeout)
    if _mean_conf(words) < POOR_READING or not _reads_as_indonesian(words):
        turned = _orientation(image, timeout)
        if turned:
            image = image.rotate(-turned, expand=True)
            grey = replace(grey, turned=(grey.turned + turned) % 360)
            if (halves := two_up_halves(image)) is not None:
                return _read_halves(halves, page.number, points, timeout)
            words = _read_words(image, timeout)
    words = second_look(words, grey, timeout)
    return _placed(words, image, points, page.number)


def _placed(words: list[_Box], image: Image.Image, points: float, number: int) -> list[TextLine]:
    centre = (image.width / 2, image.height / 2)
    kept = [w for w in _deskewed(words, centre) if not _margin_debris(w, image.width)]
    placed = [_to_points(w, points) for w in kept]
    width = image.width * points
    return words_to_lines(placed, number, width)


def _read_halves(
    halves: tuple[Image.Image, Image.Image], number: int, points: float, timeout: float
) -> list[TextLine]:
    """Two pages side by side on one sheet: each half is read as a page of its own (turned
    upright by itself), and the right one's lines follow the left one's, as if stacked."""
    lines: list[TextLine] = []
    offset = 0.0
    for half in halves:
        words = _read_words(half, timeout)
        if _mean_conf(words) < POOR_READING or not _reads_as_indonesian(words):
            turned = _orientation(half, timeout)
            if turned:
                half = half.rotate(-turned, expand=True)
                words = _read_words(half, timeout)
        shifted = [_shifted(w, offset) for w in words]
        lines += _placed(shifted, half, points, number)
        offset += half.height
    return lines


def _shifted(word: _Box, down: float) -> _Box:
    return _Box(
        word.text, word.left, word.top + down, word.width, word.height, word.conf, word.line_key
    )


@dataclass(frozen=True)
class GreyPage:
    """The grey page the binarised one was made from, kept for a second look at lines read
    badly: `level` degrees (counter-clockwise) turned to level its lines as the binarised page
    was, then `turned` degrees (clockwise) upright as it was."""

    source: Image.Image
    level: float = 0.0
    turned: int = 0

    def matching(self) -> Image.Image:
        """The grey page pixel for pixel where the binarised page Tesseract read is."""
        grey = self.source if self.source.mode == "L" else self.source.convert("L")
        if self.level:
            grey = levelled(grey, self.level)
        return grey.rotate(-self.turned, expand=True) if self.turned else grey


def _prepare(page: OcrPage) -> tuple[Image.Image, GreyPage, float]:
    """Grey, upright by EXIF, and big enough for Tesseract (it reads best near 300 dpi)."""
    image = ImageOps.exif_transpose(page.image) or page.image
    if image.mode != "1":
        image = image.convert("L")
    dpi = 72 / page.points_per_pixel if page.points_per_pixel > 0 else TARGET_DPI
    if dpi < LOW_DPI:
        return _upscaled(image, dpi)
    factor = 1
    while image.width * factor < MIN_WIDTH_PX:
        factor *= 2
    if factor > 1:
        size = (image.width * factor, image.height * factor)
        image = image.convert("L").resize(size, Image.Resampling.BICUBIC)
    cleaned, level = cleaned_and_turn(image)
    return cleaned, GreyPage(image, level), 1.0 / factor


def _upscaled(image: Image.Image, dpi: float) -> tuple[Image.Image, GreyPage, float]:
    """A low-resolution page (a 100 dpi scan, a 768-pixel web image) brought to 300 dpi before
    it is binarised: letters 8 pixels tall are misread ('2620' for 2020, 'Salat' for Sakit);
    Lanczos resampling of the grey page keeps their strokes apart, and the threshold then
    cuts smooth edges."""
    factor = TARGET_DPI / dpi
    factor = min(factor, math.sqrt(MAX_UPSCALED_PX / max(image.width * image.height, 1)))
    if factor <= 1.0:
        cleaned, level = cleaned_and_turn(image)
        return cleaned, GreyPage(image, level), 1.0
    size = (round(image.width * factor), round(image.height * factor))
    grey = image.convert("L").resize(size, Image.Resampling.LANCZOS)
    cleaned, level = cleaned_and_turn(grey)
    return cleaned, GreyPage(grey, level), image.width / size[0]


TWO_UP_ASPECT = (1.2, 1.75)  # width / height of two portrait pages side by side
GUTTER_ZONE = (0.4, 0.6)  # where the fold between them lies, as a share of the width
GUTTER_MIN_WIDTH = 0.025  # blank columns at least this wide (of the width): two margins
GUTTER_MAX_INK = 0.002  # 'blank': at most this share of a column's pixels are ink
HALF_MIN_INK = 0.2  # each half carries at least this share of the sheet's ink


def two_up_halves(image: Image.Image) -> tuple[Image.Image, Image.Image] | None:
    """Split a landscape sheet that holds two portrait pages side by side (a booklet or an
    A3 copy of two A4 letters) at the blank gutter between them; None for one page."""
    if not TWO_UP_ASPECT[0] <= image.width / max(image.height, 1) <= TWO_UP_ASPECT[1]:
        return None
    ink = np.asarray(image.convert("L")) < 128
    rows = ink.shape[0]
    band = slice(int(0.03 * rows), int(0.97 * rows))  # scanner edges and shadows left out
    per_column = ink[band].mean(axis=0)
    left, right = (int(f * image.width) for f in GUTTER_ZONE)
    blank = per_column[left:right] <= GUTTER_MAX_INK
    start, length = _longest_run(blank)
    if length < GUTTER_MIN_WIDTH * image.width:
        return None
    cut = left + start + length // 2
    total = float(per_column.sum())
    if total <= 0 or min(per_column[:cut].sum(), per_column[cut:].sum()) < HALF_MIN_INK * total:
        return None
    if not (_lines_run_across(ink[band, :cut]) and _lines_run_across(ink[band, cut:])):
        return None  # a page on its side whose paragraphs happen to leave a gap
    return (
        image.crop((0, 0, cut, image.height)),
        image.crop((cut, 0, image.width, image.height)),
    )


def _lines_run_across(ink: NDArray[np.bool_]) -> bool:
    """Text lines lie across this half: blank rows (between lines) outnumber blank columns
    inside its inked area (a page on its side has it the other way round)."""
    rows = ink.mean(axis=1)
    columns = ink.mean(axis=0)
    inked_rows = np.flatnonzero(rows > GUTTER_MAX_INK)
    inked_columns = np.flatnonzero(columns > GUTTER_MAX_INK)
    if len(inked_rows) == 0 or len(inked_columns) == 0:
        return False
    row_span = rows[inked_rows[0] : inked_rows[-1] + 1]
    column_span = columns[inked_columns[0] : inked_columns[-1] + 1]
    blank_rows = float(np.mean(row_span <= GUTTER_MAX_INK))
    blank_columns = float(np.mean(column_span <= GUTTER_MAX_INK))
    return blank_rows > blank_columns


def _longest_run(flags: NDArray[np.bool_]) -> tuple[int, int]:
    """Start and length of the longest run of True."""
    best_start = best_length = 0
    start: int | None = None
    for index, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            if index - start > best_length:
                best_start, best_length = start, index - start
            start = None
    return best_start, best_length


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


# A second look at lines read badly. A phone photo's small, soft print binarised at page scale
# loses the strokes that tell 0 from 4 and / from ' ("054 Sciwan'14932023" for
# 050/Setwan/1493/2023); the same line cut from the grey page, scaled up three times and read
# as one line (Tesseract's --psm 7) keeps them. Only a few lines per page are looked at again:
# those with an unsure word holding a digit (numbers, dates) or opening with a letter's header
# label, the worst first. The second reading is taken only when it is clearly surer, and its
# words never get more confidence than the first reading's least sure word on that line, so a
# value read from an unsure line stays 'perlu diperiksa'.
SECOND_LOOKS = 3  # lines per page read again at most
UNSURE_WORD = 0.6  # a word under this confidence makes its line worth a second look
HEADER_LABELS = frozenset({"nomor", "no", "hal", "perihal", "lampiran", "sifat", "tanggal"})
LINE_SCALE = 3  # the line is read again this many times larger
LINE_MARGIN = (1.0, 0.35)  # blank kept around the line's words, in line heights: across, down
MAX_LINE_HEIGHT = 2.5  # a line box taller than this many word heights holds more than a line
CLEARLY_SURER = 0.1  # the second reading's mean word confidence beats the first's by this
LINE_SECONDS = 5.0  # deadline of one line's second reading
SEPARATORS = frozenset(":/-.")


def second_look(words: list[_Box], grey: GreyPage, timeout: float) -> list[_Box]:
    """The page's words with its worst-read lines (at most SECOND_LOOKS) replaced by a second
    reading of them from the grey page, where that reading is clearly surer."""
    lines: dict[tuple[int, int, int], list[_Box]] = defaultdict(list)
    for word in words:
        lines[word.line_key].append(word)
    chosen = sorted(
        (members for members in lines.values() if _worth_a_second_look(members)),
        key=_look_order,
    )[:SECOND_LOOKS]
    if not chosen:
        return words
    page = grey.matching()
    better: dict[tuple[int, int, int], list[_Box]] = {}
    for members in chosen:
        found = _line_read_again(members, page, min(timeout, LINE_SECONDS))
        if found is not None:
            better[members[0].line_key] = found
    if not better:
        return words
    result: list[_Box] = []
    for word in words:
        if word.line_key not in better:
            result.append(word)
        elif word is lines[word.line_key][0]:
            result += better[word.line_key]
    return result


def _worth_a_second_look(members: list[_Box]) -> bool:
    unsure = [w for w in members if w.conf < UNSURE_WORD]
    return bool(unsure) and (
        _opens_with_label(members) or any(ch.isdigit() for w in unsure for ch in w.text)
    )


def _opens_with_label(members: list[_Box]) -> bool:
    first = min(members, key=lambda w: w.left).text.lower().strip(".:")
    return first in HEADER_LABELS


def _look_order(members: list[_Box]) -> tuple[bool, float]:
    """Header lines first, then the line with the least sure word."""
    return (not _opens_with_label(members), min(w.conf for w in members))


def _line_read_again(members: list[_Box], page: Image.Image, timeout: float) -> list[_Box] | None:
    """The line's words read again from `page` (grey, 3x larger, as one line; and the same
    binarised by Otsu's threshold, read only when the grey one is not clearly surer), in page
    pixels; None unless clearly surer than `members`."""
    height = statistics.median(w.height for w in members)
    top = min(w.top for w in members)
    bottom = max(w.top + w.height for w in members)
    if height <= 0 or bottom - top > MAX_LINE_HEIGHT * height:
        return None
    left = min(w.left for w in members) - LINE_MARGIN[0] * height
    right = max(w.left + w.width for w in members) + LINE_MARGIN[0] * height
    box = (
        max(0, round(left)),
        max(0, round(top - LINE_MARGIN[1] * height)),
        min(page.width, round(right)),
        min(page.height, round(bottom + LINE_MARGIN[1] * height)),
    )
    if box[2] <= box[0] or box[3] <= box[1]:
        return None
    crop = page.crop(box)
    size = (crop.width * LINE_SCALE, crop.height * LINE_SCALE)
    large = crop.resize(size, Image.Resampling.LANCZOS)
    pixels = np.asarray(large)
    otsu = Image.fromarray(np.where(pixels <= otsu_level(pixels), 0, 255).astype(np.uint8))
    readings: list[list[_Box]] = []
    for image in (large, otsu):
        try:
            readings.append(_boxes(_tsv_columns(read_line_tsv(image, timeout))))
        except UnreadableFileError:
            continue
        if _clearly_surer(readings[-1], members):
            break  # the grey reading settles it: the Otsu one is only needed when it does not
    best = max(readings, key=_mean_word_conf, default=[])
    if not _clearly_surer(best, members):
        return None
    return [_placed_back(w, box, members) for w in best]


def _mean_word_conf(words: list[_Box]) -> float:
    return statistics.fmean(w.conf for w in words) if words else 0.0


def _clearly_surer(second: list[_Box], first: list[_Box]) -> bool:
    """Surer on average and at its least sure word, about as much text, and every separator
    the first reading saw still there: a page reading rarely invents a ':' or a '/', so a
    second reading without one has lost a character ('723/PRM/20 19' for 723/PRM/2019)."""
    if not second:
        return False
    length = sum(len(w.text) for w in first)
    again = sum(len(w.text) for w in second)
    return (
        _mean_word_conf(second) >= _mean_word_conf(first) + CLEARLY_SURER
        and min(w.conf for w in second) > min(w.conf for w in first)
        and 0.7 * length <= again <= 1.4 * length
        and not _separators(first) - _separators(second)
    )


def _separators(words: list[_Box]) -> Counter[str]:
    return Counter(ch for w in words for ch in w.text if ch in SEPARATORS)


def _placed_back(word: _Box, box: tuple[int, int, int, int], first: list[_Box]) -> _Box:
    """A word of the second reading in page pixels, across where it was read and up and down
    where the first reading's words were (a box reaching into the next line would pull that
    line's words into this one), and no surer than the least sure word of the first reading:
    whatever is read from the line stays as unsure as the line was."""
    return _Box(
        word.text,
        box[0] + word.left / LINE_SCALE,
        statistics.median(w.top for w in first),
        word.width / LINE_SCALE,
        statistics.median(w.height for w in first),
        min(word.conf, *(w.conf for w in first)),
        first[0].line_key,
    )


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
