"""Phone photos of a letter: the page found on the desk, straightened and its shadow flattened.

A photo sent over WhatsApp or taken with a phone shows the page in perspective on a darker
desk, with a shadow across it. The page is the largest convex quadrilateral brighter than its
surroundings; it is warped flat by a perspective transform and divided by its own blurred
background, so the shadow goes and the paper is white again. A photo in which no page is found
(or a scan whose page fills the frame) is left as it is. This is the only module that uses
OpenCV.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

WORK_SIDE = 800  # the page is looked for on a copy this long, for speed
MIN_PAGE_SHARE = 0.2  # of the frame: a smaller quadrilateral is not the page
MAX_PAGE_SHARE = 0.93  # of the frame: a larger one fills it (a scan, or a photo cropped tight)
DESK_CONTRAST = 25  # grey levels the desk around the page is darker than the page
MIN_PAGE_ASPECT = 1.05  # a letter page is longer than it is wide (A4 1.41, F4 1.53)
MAX_PAGE_ASPECT = 1.9
SNAP_ASPECT = (1.15, 1.7)  # a page measured in this range through perspective is taken as A4
A4_ASPECT = 297 / 210
BACKGROUND_SHARE = 0.05  # of the page's width: the blur that takes the text out of the paper
PAGE_WIDTH_PX = 2480  # the page is straightened to at least A4's width at 300 dpi
SHARPEN = (2.0, 1.0)  # unsharp mask: blur sigma in pixels, and how much of it is taken away

Quad = NDArray[np.float32]
Grey = NDArray[np.uint8]


def straightened_page(image: Image.Image, keep: Path | None = None) -> Image.Image | None:
    """The page found in the photo, flat, upright as photographed and without its shadow, as
    a grey image; None when no page stands out from a desk around it. When `keep` is given
    the straightened page is saved there (PNG), so a clerk can see what was read."""
    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    corners = find_page(grey)
    if corners is None:
        return None
    page = Image.fromarray(flatten_shadows(_warped(grey, corners)))
    if keep is not None:
        keep.parent.mkdir(parents=True, exist_ok=True)
        page.save(keep, format="PNG", optimize=True)
    return page


def find_page(grey: Grey) -> Quad | None:
    """The four corners (top-left, top-right, bottom-right, bottom-left, in pixels of
    `grey`) of the largest bright convex quadrilateral standing out from a darker desk."""
    height, width = grey.shape
    scale = WORK_SIDE / max(height, width)
    size = (round(width * scale), round(height * scale))
    resized = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    small: Grey = np.asarray(cv2.GaussianBlur(resized, (5, 5), 0), np.uint8)
    best: tuple[float, Quad] | None = None
    for mask in _page_masks(small):
        found = _largest_quad(mask)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    if best is None:
        return None
    area, quad = best
    frame = small.shape[0] * small.shape[1]
    if not MIN_PAGE_SHARE * frame <= area <= MAX_PAGE_SHARE * frame:
        return None
    if not _desk_is_darker(small, quad):
        return None
    ordered = _ordered(quad / scale)
    long_side, short_side = _page_size(ordered)
    if not MIN_PAGE_ASPECT <= long_side / max(short_side, 1.0) <= MAX_PAGE_ASPECT:
        return None
    return ordered


def flatten_shadows(page: Grey) -> Grey:
    """Paper brought to white everywhere: each pixel divided by the paper's own brightness
    around it (the page with its text closed away and blurred wide); then the strokes a
    phone's focus and JPEG softened are sharpened a little (unsharp mask)."""
    height, width = page.shape
    # the background varies slowly: it is blurred on a quarter-size copy, 16x cheaper
    closed = cv2.morphologyEx(page, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
    small = cv2.resize(closed, (width // 4, height // 4), interpolation=cv2.INTER_AREA)
    size = max(5, int(width / 4 * BACKGROUND_SHARE) | 1)
    blurred_paper = cv2.GaussianBlur(small, (size, size), 0)
    background = cv2.resize(blurred_paper, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = cv2.divide(page, background, scale=255)
    sigma, amount = SHARPEN
    blurred = cv2.GaussianBlur(flat, (0, 0), sigma)
    sharp = cv2.addWeighted(flat, 1 + amount, blurred, -amount, 0)
    return np.asarray(sharp, dtype=np.uint8)


def _page_masks(small: Grey) -> list[Grey]:
    """The bright regions by Otsu's threshold, and the closed edges (for a page on a light
    desk), each closed so the text inside the page does not break it up."""
    kernel = np.ones((9, 9), np.uint8)
    _, bright = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, kernel)
    edges = cv2.Canny(small, 30, 90)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    return [np.asarray(bright, np.uint8), np.asarray(edges, np.uint8)]


def _largest_quad(mask: Grey) -> tuple[float, Quad] | None:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best: tuple[float, Quad] | None = None
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        hull = cv2.convexHull(contour)
        perimeter = cv2.arcLength(hull, True)
        for share in (0.02, 0.03, 0.04, 0.06):
            approx = cv2.approxPolyDP(hull, share * perimeter, True)
            if len(approx) == 4 and cv2.isContourConvex(approx):
                area = float(cv2.contourArea(approx))
                if best is None or area > best[0]:
                    best = (area, approx.reshape(4, 2).astype(np.float32))
                break
    return best


def _desk_is_darker(small: Grey, quad: Quad) -> bool:
    """The page is brighter than what lies around it: a photo on a desk, not a scan whose
    paper reaches the edges of the frame."""
    inside = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(inside, quad.astype(np.int32), 255)
    grown = cv2.dilate(inside, np.ones((15, 15), np.uint8))
    ring = (grown > 0) & (inside == 0)
    outside = small[inside == 0]
    if not ring.any() or outside.size == 0:
        return False
    paper = float(np.percentile(small[inside > 0], 75))
    desk = float(np.median(small[ring]))
    return paper - desk >= DESK_CONTRAST


def _ordered(points: Quad) -> Quad:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    total = points.sum(axis=1)
    diff = np.diff(points, axis=1).ravel()
    return np.array(
        [
            points[np.argmin(total)],
            points[np.argmin(diff)],
            points[np.argmax(total)],
            points[np.argmax(diff)],
        ],
        dtype=np.float32,
    )


def _page_size(corners: Quad) -> tuple[float, float]:
    top_left, top_right, bottom_right, bottom_left = corners
    width = max(_length(top_left, top_right), _length(bottom_left, bottom_right))
    height = max(_length(top_left, bottom_left), _length(top_right, bottom_right))
    return max(width, height), min(width, height)


def _length(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    return math.hypot(float(a[0] - b[0]), float(a[1] - b[1]))


def _warped(grey: Grey, corners: Quad) -> Grey:
    top_left, top_right, bottom_right, bottom_left = corners
    across = max(_length(top_left, top_right), _length(bottom_left, bottom_right))
    down = max(_length(top_left, bottom_left), _length(top_right, bottom_right))
    # Perspective foreshortens one side: a page measured near a letter's proportions is
    # straightened to A4's, with the longer measured side kept.
    if across < down and SNAP_ASPECT[0] <= down / across <= SNAP_ASPECT[1]:
        across = down / A4_ASPECT
    elif down <= across and SNAP_ASPECT[0] <= across / down <= SNAP_ASPECT[1]:
        down = across / A4_ASPECT
    # Straightened straight to 300 dpi in one resampling of the photo: a page ~110 dpi in a
    # WhatsApp photo, warped and then scaled again, reads worse ('Perjicnoran', '55£').
    grow = max(1.0, PAGE_WIDTH_PX / min(across, down))
    width, height = round(across * grow), round(down * grow)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(corners, target.astype(np.float32))
    flat = cv2.warpPerspective(grey, matrix, (width, height), flags=cv2.INTER_CUBIC)
    return np.asarray(flat, dtype=np.uint8)
