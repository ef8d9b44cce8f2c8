"""Image clean-up before OCR: even out the lighting, binarise, and erase table rules.

Measured on scanned forms: Tesseract's page segmentation takes a bordered table on grey,
noisy paper for a picture and reads nothing in it; the same page flattened, thresholded and
without its rules reads completely, and three times faster.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageFilter

RULE_FRACTION = 0.03  # a dark run this long (of the page width) is a rule, not a letter
UPRIGHT_RULE_FRACTION = 0.02  # upright and thin: taller than body text's letters (≈ 4 mm)
THICK_FRACTION = 0.0032  # a stroke this wide (8 px at 300 dpi) is a bold letter, not a rule
LONG_UPRIGHT_FRACTION = 0.045  # upright and thick: taller than a letterhead's capitals (≈ 9 mm)


MAX_SKEW_DEGREES = 4.0
SKEW_STEP = 0.1


def clean_for_ocr(image: Image.Image) -> Image.Image:
    return cleaned_and_turn(image)[0]


def cleaned_and_turn(image: Image.Image) -> tuple[Image.Image, float]:
    """The page cleaned for OCR, bilevel (mode '1'), and the degrees it was turned
    (counter-clockwise, about its centre, same size) to level its lines: 0 when it was not."""
    dark = _ink(image)
    angle = estimate_skew(dark)
    turned = 0.0
    if abs(angle) >= SKEW_STEP:
        dark = _turned_ink(dark, angle)
        turned = angle
    rules = _rules(dark)
    ink = dark & ~_grow(rules, 2) if rules.any() else dark
    return bilevel(ink), turned


def bilevel(ink: NDArray[np.bool_]) -> Image.Image:
    """Black ink on white paper as a bilevel image: Tesseract takes its bits as they are (as
    a Leptonica picture, `tesseract._bilevel_picture`), without thresholding a grey copy again
    (4 % of its time on a page, same words)."""
    height, width = ink.shape
    return Image.frombytes("1", (width, height), np.packbits(~ink, axis=1).tobytes())


@cache
def opencv() -> ModuleType:
    """OpenCV, imported on first use (only OCR workers clean and turn pages, and it costs the
    watcher's own process 15 MB and 0.2 s of start-up), on one thread: each OCR worker is a
    process of its own beside the others, one per core, and OpenCV's own threads would take
    their cores (cleaning 72 generated pages in one process: 0.90x the wall time with its
    threads, but 1.05x the processor time)."""
    import cv2

    cv2.setNumThreads(1)
    return cv2


def levelled(grey: Image.Image, degrees: float) -> Image.Image:
    """A grey page turned `degrees` counter-clockwise about its centre, same size, bilinear,
    white where the turn uncovers paper: Pillow's `rotate`, with OpenCV's seven times faster
    warp (0.12 → 0.018 s on an A4 page at 300 dpi). Used for the grey page of the second look,
    whose small differences from Pillow's pixels (see `_turned_ink`) do not matter there."""
    cv2 = opencv()
    pixels = np.asarray(grey)
    height, width = pixels.shape
    turn = _turn(width, height, degrees)
    warped = cv2.warpAffine(
        pixels, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,)
    )
    return Image.fromarray(warped)


# A bilinear turn of ink on paper reads an output pixel as ink when it comes out darker than
# this grey (as Pillow's `rotate` of the black-on-white page, thresholded under 128, does).
TURNED_INK_LEVEL = 1.0 - 128.0 / 255.0
# An ink pixel in the 16-bit copy that is turned. Even, so that the level (127/255 of it,
# 32,638.502) falls half-way between two 16-bit values and the warp's rounding of a share to
# a whole number never carries it across: the same pixels as the 32-bit float warp but for a
# share that is the level itself to float precision (none on the real and generated pages and
# angles tried; one pixel on one drawn page hypothesis found). With 65,535 the level is the
# whole number 32,639, and 1-4 pixels a page came out the other way.
FULL_INK = 65_534


def _turned_ink(dark: NDArray[np.bool_], degrees: float) -> NDArray[np.bool_]:
    """Ink pixels of the page turned `degrees` counter-clockwise about its centre: the ink
    share of each output pixel by bilinear interpolation (which keeps letter edges smooth: it
    reads better than a nearest-pixel turn), over `TURNED_INK_LEVEL`.

    OpenCV's warp of the ink as 16-bit values (0 or `FULL_INK`): the same pixels as Pillow's
    bilinear `rotate` of the page (measured on the 88 turned pages of the generated scans: 475
    of 50 million ink pixels differ, ties at the threshold) in under a third of its time. Its
    16-bit warp weighs the neighbours in floating point, as its 32-bit float warp does (the
    same pixels but at exact ties, see `FULL_INK`), on half the memory: 0.03 s a 300 dpi page
    against 0.05-0.19 s side by side.
    Its 8-bit warp weighs them in fixed point and rounds its grey: that moved 0.2 % of the
    ink pixels and cost 96.6 → 96.0 % of the fields on the generated scans and two fields on
    the real ones."""
    cv2 = opencv()
    height, width = dark.shape
    turn = _turn(width, height, degrees)
    share = cv2.warpAffine(
        dark.view(np.uint8) * np.uint16(FULL_INK),
        turn,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderValue=(0,),
    )
    turned: NDArray[np.bool_] = share > TURNED_INK_LEVEL * FULL_INK
    return turned


def _turn(width: int, height: int, degrees: float) -> NDArray[np.float64]:
    """The affine matrix of a turn about the page's centre, as Pillow's `rotate` takes it."""
    matrix: NDArray[np.float64] = opencv().getRotationMatrix2D(
        (width / 2 - 0.5, height / 2 - 0.5), degrees, 1.0
    )
    return matrix


def estimate_skew(dark: NDArray[np.bool_]) -> float:
    """Degrees to turn the page (counter-clockwise) so its lines run level.

    Projection profile: rotate a sample of ink pixels by each candidate angle and keep the one
    whose row histogram is sharpest (text lines and rules fall into few rows)."""
    ys, xs = np.nonzero(dark[::2, ::2])
    if len(xs) < 500:
        return 0.0
    pick = np.random.default_rng(0).choice(len(xs), size=min(len(xs), 30_000), replace=False)
    px: NDArray[np.float64] = xs[pick].astype(np.float64)
    py: NDArray[np.float64] = ys[pick].astype(np.float64)
    coarse = _sharpest(px, py, np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 1e-9, 0.5))
    fine = _sharpest(px, py, np.arange(coarse - 0.5, coarse + 0.5 + 1e-9, SKEW_STEP))
    return -fine


def _sharpest(xs: NDArray[np.float64], ys: NDArray[np.float64], angles: NDArray[Any]) -> float:
    best, best_score = 0.0, -1.0
    for angle in angles:
        radians = np.deg2rad(angle)
        rows = ys * np.cos(radians) + xs * np.sin(radians)
        hist = np.bincount((rows - rows.min()).astype(np.int64))
        score = float(np.dot(hist, hist))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def _ink(image: Image.Image) -> NDArray[np.bool_]:
    """Which pixels are ink. A bilevel scan (CCITT fax) already says so; grey paper is
    despeckled, its lighting flattened, and split by Otsu's threshold."""
    if image.mode == "1":  # numpy reads its bits as booleans, paper True
        paper: NDArray[np.bool_] = np.asarray(image)
        return ~paper
    grey = image if image.mode == "L" else image.convert("L")
    return _despeckle(_dark_on_flattened(grey))


def _despeckle(dark: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Drop paper specks: ink pixels with at most one inked neighbour. The 3x3 sums by
    OpenCV's box filter, outside the page counted as paper (half the time of numpy's)."""
    cv2 = opencv()
    ink = dark.view(np.uint8)
    box = cv2.boxFilter(ink, -1, (3, 3), normalize=False, borderType=cv2.BORDER_CONSTANT)
    kept: NDArray[np.bool_] = dark & (box - ink >= 2)
    return kept


BLOCK = 8  # the paper's shade is measured per 8x8 block


def _dark_on_flattened(grey: Image.Image) -> NDArray[np.bool_]:
    """Pixels darker than Otsu's threshold once each is divided by the paper's own shade, so
    uneven toner becomes white. The division is folded into one threshold per block
    (grey <= level * shade / 255), so the full page is only compared, never divided."""
    pixels = np.asarray(grey)
    if min(pixels.shape) < BLOCK:  # a sliver, not a page: no shade to measure
        sliver: NDArray[np.bool_] = pixels <= _otsu(pixels)
        return sliver
    shade = _paper_shade(grey)
    level = _otsu(_flattened_sample(pixels, shade))
    # the edges past the last whole block are compared with the page-wide level
    dark: NDArray[np.bool_] = pixels <= np.floor(level * 256.0 / 255.0)
    block_rows, block_cols = shade.shape
    rows, cols = BLOCK * block_rows, BLOCK * block_cols
    limits = np.floor(level * shade / 255.0)
    blocks = pixels[:rows, :cols].reshape(block_rows, BLOCK, block_cols, BLOCK)
    dark[:rows, :cols] = (blocks <= limits[:, None, :, None]).reshape(rows, cols)
    return dark


def _paper_shade(grey: Image.Image) -> NDArray[np.float32]:
    """The paper's brightness per whole 8x8 block: the brightest nearby, blurred (+1)."""
    width, height = grey.size
    box = (0, 0, BLOCK * (width // BLOCK), BLOCK * (height // BLOCK))
    small = grey.reduce(BLOCK, box=box)
    background = Image.fromarray(_max_filter(np.asarray(small), 2))
    blurred = background.filter(ImageFilter.GaussianBlur(6))
    return np.asarray(blurred, dtype=np.float32) + 1.0


def _max_filter(values: NDArray[np.uint8], radius: int) -> NDArray[np.uint8]:
    """Largest value in the (2r+1)-square around each pixel, as two 1-D passes."""
    padded = np.pad(values, radius, mode="edge")
    across = padded[:, : values.shape[1]].copy()
    for shift in range(1, 2 * radius + 1):
        np.maximum(across, padded[:, shift : shift + values.shape[1]], out=across)
    result = across[: values.shape[0]].copy()
    for shift in range(1, 2 * radius + 1):
        np.maximum(result, across[shift : shift + values.shape[0]], out=result)
    return result


def _flattened_sample(pixels: NDArray[np.uint8], shade: NDArray[np.float32]) -> NDArray[np.uint8]:
    """Every fourth pixel each way, divided by its block's shade: enough for the histogram."""
    step = BLOCK // 2
    rows, cols = BLOCK * shade.shape[0], BLOCK * shade.shape[1]
    sample = pixels[:rows:step, :cols:step].astype(np.float32) * 255.0
    sample /= np.repeat(np.repeat(shade, 2, axis=0), 2, axis=1)
    flattened: NDArray[np.uint8] = np.minimum(sample, 255.0).astype(np.uint8)
    return flattened


def otsu_level(values: NDArray[np.uint8]) -> float:
    """Otsu's threshold of grey values: ink is at or below it."""
    return _otsu(values)


def _otsu(values: NDArray[np.uint8]) -> float:
    hist = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    p = hist / hist.sum()
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    between = (mu[-1] * w - mu) ** 2 / (w * (1 - w) + 1e-12)
    return float(np.argmax(between))


def _rules(dark: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Table rules: unbroken dark runs longer than any letter, across; upright, those that are
    thin or longer than a letterhead's capitals (a bold heading's stems are tall but thick).
    Morphology by OpenCV (three times faster than numpy's cumulative sums, same pixels)."""
    width = dark.shape[1]
    ink = dark.view(np.uint8)
    across = _runs(ink, max(24, int(RULE_FRACTION * width)), upright=False)
    upright = _runs(ink, max(20, int(UPRIGHT_RULE_FRACTION * width)), upright=True)
    thick = _bands(upright, max(3, int(THICK_FRACTION * width)))
    long = _runs(upright, max(40, int(LONG_UPRIGHT_FRACTION * width)), upright=True)
    rules: NDArray[np.bool_] = (across | (upright & ~thick) | long).astype(np.bool_)
    return rules


def _runs(ink: NDArray[np.uint8], length: int, upright: bool) -> NDArray[np.uint8]:
    """Pixels of unbroken dark runs at least `length` long (along rows, or columns when
    `upright`): each run's starts, marked from there every length/8 pixels on (the last few
    pixels of a run are left for `_grow` to cover)."""
    comb = np.zeros((1, length), np.uint8)
    comb[0, :: max(1, length // 8)] = 1
    solid = np.ones((1, length), np.uint8)
    return _starts_marked(ink, solid.T, comb.T) if upright else _starts_marked(ink, solid, comb)


def _bands(ink: NDArray[np.uint8], width: int) -> NDArray[np.uint8]:
    """Pixels in a band at least `width` pixels wide across (a morphological opening)."""
    solid = np.ones((1, width), np.uint8)
    return _starts_marked(ink, solid, solid)


def _starts_marked(
    ink: NDArray[np.uint8], shape: NDArray[np.uint8], marks: NDArray[np.uint8]
) -> NDArray[np.uint8]:
    """Where `shape` (a row or a column of ones) fits in the ink with its first pixel there,
    each such start marked at the pixels `marks` sets (same size as `shape`, read from its
    first pixel on). Outside the page is paper. OpenCV's erosion and dilation: a third of the
    time of numpy's cumulative sums, the same pixels."""
    cv2 = opencv()
    far = (shape.shape[1] - 1, shape.shape[0] - 1)
    paper = cv2.BORDER_CONSTANT
    starts = cv2.erode(ink, shape, anchor=(0, 0), borderType=paper, borderValue=0)
    marked = cv2.dilate(
        starts, marks[::-1, ::-1].copy(), anchor=far, borderType=paper, borderValue=0
    )
    return np.asarray(marked, dtype=np.uint8)


def _grow(mask: NDArray[np.bool_], radius: int) -> NDArray[np.bool_]:
    """`mask` grown by up to `radius` pixels straight up, down, left and right (a dilation by a
    cross): OpenCV's, a fifth of the time of shifting the array in numpy, the same pixels."""
    cv2 = opencv()
    cross = np.zeros((2 * radius + 1, 2 * radius + 1), np.uint8)
    cross[radius, :] = cross[:, radius] = 1
    grown = cv2.dilate(mask.view(np.uint8), cross, borderType=cv2.BORDER_CONSTANT, borderValue=0)
    return np.asarray(grown, dtype=np.uint8).view(np.bool_)
