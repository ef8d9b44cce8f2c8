"""Text Tesseract's page layout left out: lines of ink no word box covers, read one by one.

Tesseract's full-page layout analysis now and then drops a whole block of plain text: on a
phone photo of a letter, straightened and binarised with heavy strokes, the column of header
labels (`Nomor`, `Sifat`, `Lampiran`, `Perihal`) came back as nothing at all while the values
beside it were read, and with the labels gone so were the number and the subject. The same page
read as one block, or its grey copy, reads them. So after the page pass, the ink outside every
word box (each grown by a third of a line) is searched for shapes of text lines: about one line
tall, a word of three letters wide at least, with the ink share of letters, and not beside a
word read (there it is a part of that word its box left out). Each is read again as a single
line; its words join the page's words where Tesseract is fairly sure of them and they cover no
word read. Pages read whole find none (none of 120 generated scans); they cost the search.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from pipeline.errors import UnreadableFileError
from pipeline.readers.ocr_clean import opencv
from pipeline.readers.ocr_lines import LINE_SECONDS
from pipeline.readers.ocr_words import OcrWord, words_of
from pipeline.readers.tesseract import read_line_tsv

SEARCH_SCALE = 2  # the ink is searched at half the page's size
BOX_GROWTH = 0.3  # word boxes grow by this many line heights before their ink is left out
LETTER_GAP = 0.8  # letters closer than this many line heights join into one shape
LINE_HEIGHTS = (0.6, 1.8)  # a text line's shape is this many line heights tall
MIN_WIDTH = 1.5  # ... and at least this many line heights wide (a word of three letters)
INK_SHARE = (0.08, 0.6)  # ... with this share of its box inked (a blot or a rule has more)
MARGIN = 0.3  # blank kept around a line read again, in line heights
UNREAD_KEY = 10_000  # block number of lines read again (after any block of the page pass)
SURE_ENOUGH = 0.6  # a word read again joins the page only at this confidence
MAX_LINES = 12  # lines read again per page at most


@dataclass(frozen=True)
class InkBox:
    """Where a line-shaped stretch of ink lies, in page pixels."""

    left: int
    top: int
    width: int
    height: int


def with_unread_lines(image: Image.Image, words: list[OcrWord], timeout: float) -> list[OcrWord]:
    """`words` of the bilevel page `image`, with the lines the page pass left out read again."""
    height = _line_height(words)
    if height is None or image.mode != "1":
        return words
    found: list[OcrWord] = []
    for number, box in enumerate(unread_lines(image, words, height)[:MAX_LINES]):
        again = _read_again(image, box, height, number, min(timeout, LINE_SECONDS))
        found += [w for w in again if not any(_overlap(w, read) for read in words)]
    return words + found if found else words


def _overlap(one: OcrWord, other: OcrWord) -> bool:
    """Whether two word boxes share pixels: a word read again over one the page pass read (the
    margin of its crop reaching into it) is that word once more, not a word it left out."""
    across = min(one.left + one.width, other.left + other.width) - max(one.left, other.left)
    down = min(one.top + one.height, other.top + other.height) - max(one.top, other.top)
    return across > 0 and down > 0


def unread_lines(image: Image.Image, words: list[OcrWord], height: float) -> list[InkBox]:
    """Boxes (page pixels) of text-line shapes in the ink outside every word box, top down."""
    small = _shrunk(image)
    read = np.zeros(small.shape, np.bool_)
    grow, step = BOX_GROWTH * height, SEARCH_SCALE
    for word in words:
        top, left = max(0, int((word.top - grow) / step)), max(0, int((word.left - grow) / step))
        bottom = math.ceil((word.top + word.height + grow) / step)
        right = math.ceil((word.left + word.width + grow) / step)
        read[top:bottom, left:right] = True
    small[read] = 0
    scaled = height / SEARCH_SCALE
    cv2 = opencv()
    gap = max(3, round(LETTER_GAP * scaled)) | 1  # odd: the letters grow alike on both sides
    joined = cv2.dilate(small, np.ones((1, gap), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = []
    for grown_left, top, grown_width, tall, _ in stats[1:count].tolist():
        left, width = grown_left + gap // 2, grown_width - 2 * (gap // 2)  # the ink's own box
        if not LINE_HEIGHTS[0] * scaled <= tall <= LINE_HEIGHTS[1] * scaled:
            continue
        if width < MIN_WIDTH * scaled:
            continue
        if read[top : top + tall, max(0, left - gap) : left + width + gap].any():
            continue  # beside a word read: a part its box left out ('anggung' of Penanggung)
        share = float(small[top : top + tall, left : left + width].mean())
        if INK_SHARE[0] < share < INK_SHARE[1]:
            s = SEARCH_SCALE
            boxes.append(InkBox(left * s, top * s, width * s, tall * s))
    return sorted(boxes, key=lambda b: (b.top, b.left))


def _shrunk(image: Image.Image) -> NDArray[np.uint8]:
    """The bilevel page's ink at 1/SEARCH_SCALE of its size, 1 where any pixel it covers is
    ink (Pillow's box reduction: a tenth of numpy's time on an A4 page)."""
    grey = np.asarray(image.convert("L").reduce(SEARCH_SCALE))
    ink: NDArray[np.uint8] = (grey < 255).astype(np.uint8)
    return ink


def _line_height(words: list[OcrWord]) -> float | None:
    heights = [w.height for w in words if w.conf > 0.5 and len(w.text) > 2]
    return statistics.median(heights) if len(heights) >= 10 else None


def _read_again(
    image: Image.Image, box: InkBox, height: float, number: int, timeout: float
) -> list[OcrWord]:
    margin = round(MARGIN * height)
    left, top = max(0, box.left - margin), max(0, box.top - margin)
    right = min(image.width, box.left + box.width + margin)
    bottom = min(image.height, box.top + box.height + margin)
    try:
        read = words_of(read_line_tsv(image.crop((left, top, right, bottom)), timeout))
    except UnreadableFileError:
        return []
    return [
        replace(w, left=w.left + left, top=w.top + top, line_key=(UNREAD_KEY + number, 0, 0))
        for w in read
        if w.conf >= SURE_ENOUGH
    ]
