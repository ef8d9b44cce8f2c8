"""OCR of one page: clean it, have Tesseract (`pipeline.readers.tesseract`) read it, and turn
its word boxes into the same lines and cells as a PDF text layer.

Pages are OCR'd as images normalised to PDF points (72 per inch), so the label/value logic of
extraction reads a scan exactly like a digital page. Orientation (90/180°) is fixed with
Tesseract's OSD when the first pass reads poorly or finds none of the common Indonesian words;
small skew is measured from the word boxes of each line and undone on the coordinates, so no
second pass is needed for it. A page under 140 dpi is scaled to 300 dpi (Lanczos) before it is
binarised; a landscape sheet holding two pages side by side is split at its gutter and each
half, cut from the grey sheet, read as a page of its own (scaled, cleaned, turned upright and
read again where unsure, as any page), so the sheet comes back as two pages; so is such a
sheet lying on its side (two parts one above the other, one of them on its side). Lines of
text the page layout left out altogether (no word box over their ink) are read again one by
one (`pipeline.readers.ocr_unread`). A few lines read badly (an unsure word holding a digit, or
a header label such as Nomor) are read again from the grey page, three times larger, as one
line, and the characters of an unsure letter number are voted on by four readings of its row,
one of them RapidOCR's (`pipeline.readers.ocr_lines`,
`pipeline.readers.rapid`). As a second reader of every unsure line RapidOCR was measured on the
real scans of ../shared/real (1 more truth value of 137, 1.4x the time) and is not used there.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from pipeline.models import TextLine
from pipeline.readers.image import upright
from pipeline.readers.lines import Word, words_to_lines
from pipeline.readers.ocr_clean import cleaned_and_turn
from pipeline.readers.ocr_lines import date_check, number_vote, second_look
from pipeline.readers.ocr_unread import with_unread_lines
from pipeline.readers.ocr_words import Box, GreyPage, OcrWord, words_of
from pipeline.readers.tesseract import LANGUAGES, check_tesseract, detect_orientation, read_tsv

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


# The lines of each page one scanned sheet holds, in PDF points: one page, or two pages side by
# side (left first), each numbered as the sheet is until the document's pages are counted.
SheetLines = list[list[TextLine]]


def ocr_page(page: OcrPage, timeout: float) -> SheetLines:
    """Read one page image; lines come back in PDF points, like a text layer. A sheet holding
    two pages side by side (also one scanned on its side) comes back as those two pages."""
    check_tesseract()
    return _read(upright(page.image), page.points_per_pixel, page.number, timeout, split=True)


def _read(
    picture: Image.Image, ppp: float, number: int, timeout: float, *, split: bool
) -> SheetLines:
    """Read a picture of `ppp` PDF points a pixel: turned upright when it lies on its side or
    reads poorly, and (with `split`) as two pages when it holds two side by side."""
    image, grey, scale = _prepare(picture, ppp)
    points = scale * ppp
    if image.width > image.height:  # a letter is portrait: a landscape page lies on its side
        image, grey = _turned(image, grey, _orientation(image, timeout))
        if split and (halves := _two_up(image, grey, points, number, timeout)) is not None:
            return halves
    elif split and (halves := _two_up_on_its_side(image, grey, points, number, timeout)):
        return halves
    words = _read_words(image, timeout)
    if _reads_poorly(words) and (turned := _orientation(image, timeout)):
        image, grey = _turned(image, grey, turned)
        if split and (halves := _two_up(image, grey, points, number, timeout)) is not None:
            return halves
        words = _read_words(image, timeout)
    return [_placed(_refined(image, grey, words, timeout), image, points, number)]


def _two_up(
    image: Image.Image, grey: GreyPage, points: float, number: int, timeout: float
) -> SheetLines | None:
    """The two pages of a sheet holding them side by side, each cut from the grey sheet (as
    levelled and turned for the split) and read as a page of its own: scaled up, cleaned,
    turned upright by itself, its unsure lines read again; None for one page."""
    boxes = two_up_boxes(image)
    if boxes is None:
        return None
    sheet = grey.matching
    return [_read(sheet.crop(box), points, number, timeout, split=False)[0] for box in boxes]


def _two_up_on_its_side(
    image: Image.Image, grey: GreyPage, points: float, number: int, timeout: float
) -> SheetLines | None:
    """A portrait picture that is a two-up sheet lying on its side: two parts one above the
    other with a blank band between them, at least one of which lies on its side (the other
    may stand upright: a landscape table beside its letter). Turned so that part stands
    upright, and read as two pages; None otherwise (an upright page whose signatures stand
    apart below its text)."""
    cut = _gutter(_ink_of(image).T)  # the picture's rows as the columns of a sheet
    if cut is None:
        return None
    parts = (image.crop((0, 0, image.width, cut)), image.crop((0, cut, image.width, image.height)))
    sideways = [t for t in (_orientation(part, timeout) for part in parts) if t in (90, 270)]
    if not sideways:
        return None
    image, grey = _turned(image, grey, sideways[0])
    return _two_up(image, grey, points, number, timeout)


def _turned(image: Image.Image, grey: GreyPage, degrees: int) -> tuple[Image.Image, GreyPage]:
    """The page and its grey original turned `degrees` clockwise (as orientation found)."""
    if not degrees:
        return image, grey
    return image.rotate(-degrees, expand=True), replace(grey, turned=(grey.turned + degrees) % 360)


def _reads_poorly(words: list[OcrWord]) -> bool:
    return _mean_conf(words) < POOR_READING or not _reads_as_indonesian(words)


def _refined(
    image: Image.Image, grey: GreyPage, words: list[OcrWord], timeout: float
) -> list[OcrWord]:
    """The page's words with the lines the layout left out read, and the lines read badly, the
    letter number and the date read again from the grey page."""
    words = with_unread_lines(image, words, timeout)
    return date_check(number_vote(second_look(words, grey, timeout), grey, timeout), grey)


def _placed(words: list[OcrWord], image: Image.Image, points: float, number: int) -> list[TextLine]:
    centre = (image.width / 2, image.height / 2)
    kept = [w for w in _deskewed(words, centre) if not _margin_debris(w, image.width)]
    placed = [_to_points(w, points) for w in kept]
    width = image.width * points
    return words_to_lines(placed, number, width)


def _prepare(picture: Image.Image, ppp: float) -> tuple[Image.Image, GreyPage, float]:
    """Grey and big enough for Tesseract (it reads best near 300 dpi), `ppp` PDF points a
    pixel; the binarised page, its grey original and the scale applied."""
    image = picture if picture.mode in ("1", "L") else picture.convert("L")
    dpi = 72 / ppp if ppp > 0 else TARGET_DPI
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


def two_up_boxes(image: Image.Image) -> tuple[Box, Box] | None:
    """Split a landscape sheet that holds two portrait pages side by side (a booklet or an
    A3 copy of two A4 letters) at the blank gutter between them: the two pages' boxes, left
    first; None for one page."""
    cut = _gutter(_ink_of(image))
    if cut is None:
        return None
    return (0, 0, cut, image.height), (cut, 0, image.width, image.height)


def _ink_of(image: Image.Image) -> NDArray[np.bool_]:
    """Where the page has ink (a cleaned page's black bits, or a grey page's dark pixels)."""
    if image.mode == "1":
        return ~np.asarray(image)
    return np.asarray(image.convert("L")) < 128


def _gutter(ink: NDArray[np.bool_]) -> int | None:
    """The column where a landscape sheet of two pages side by side is cut in two: the middle
    of the blank gutter between them; None for one page."""
    rows, columns = ink.shape
    if not TWO_UP_ASPECT[0] <= columns / max(rows, 1) <= TWO_UP_ASPECT[1]:
        return None
    band = slice(int(0.03 * rows), int(0.97 * rows))  # scanner edges and shadows left out
    per_column = ink[band].mean(axis=0)
    left, right = (int(f * columns) for f in GUTTER_ZONE)
    blank = per_column[left:right] <= GUTTER_MAX_INK
    start, length = _longest_run(blank)
    if length < GUTTER_MIN_WIDTH * columns:
        return None
    cut = left + start + length // 2
    total = float(per_column.sum())
    if total <= 0 or min(per_column[:cut].sum(), per_column[cut:].sum()) < HALF_MIN_INK * total:
        return None
    if not (_lines_run_across(ink[band, :cut]) or _lines_run_across(ink[band, cut:])):
        return None  # a page on its side whose paragraphs happen to leave a gap
    # (one of the two pages may lie on its side: a landscape table beside its letter)
    return cut


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


def _read_words(image: Image.Image, timeout: float) -> list[OcrWord]:
    return words_of(read_tsv(image, timeout))


def _mean_conf(words: list[OcrWord]) -> float:
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


def _reads_as_indonesian(words: list[OcrWord]) -> bool:
    """At least a few common words among the page's words (a short page always passes)."""
    if len(words) < 20:
        return True
    found = sum(w.text.lower().strip(".,:;()") in COMMON_WORDS for w in words)
    return found >= 3


def _orientation(image: Image.Image, timeout: float) -> int:
    """Degrees the page is turned (0, 90, 180, 270) by Tesseract's orientation detection."""
    found = detect_orientation(image)
    return found.rotate if found and found.confidence > 1.0 else 0


def _deskewed(words: list[OcrWord], centre: tuple[float, float]) -> list[OcrWord]:
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
            OcrWord(
                w.text, nx - w.width / 2, ny - w.height / 2, w.width, w.height, w.conf, w.line_key
            )
        )
    return turned


def _skew(words: list[OcrWord]) -> float:
    lines: dict[tuple[int, int, int], list[OcrWord]] = defaultdict(list)
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


def _margin_debris(word: OcrWord, width: int) -> bool:
    """Unsure 'words' at the very edge: a desk, a binding shadow or a punched hole."""
    at_edge = word.left + word.width < 0.06 * width or word.left > 0.94 * width
    at_rim = word.left + word.width < 0.03 * width and len(word.text) <= 2
    return at_rim or (at_edge and word.conf < 0.6)


def _to_points(w: OcrWord, points: float) -> Word:
    return Word(
        w.text,
        w.left * points,
        (w.left + w.width) * points,
        w.top * points,
        (w.top + w.height) * points,
        w.conf,
    )
