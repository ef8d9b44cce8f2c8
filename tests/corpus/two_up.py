"""Two pages side by side on one landscape sheet, as an office copier or an A3 scanner returns
them (a sheet fed the long way comes turned on its side).

Used by `benchmarks/two_up_real.py` (the multi-page scans of ../shared/real copied two to a
sheet) and by the tests that split and read such sheets; `grey_pages` is also where
`tests/corpus/printed.py` starts its printed pages.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image

SHEET_DPI = 150
GUTTER_PX = 60  # blank between the two pages, besides their own margins
MAX_SHEETS = 2  # a letter's header and signature are in its first pages


def grey_pages(pdf: Path, dpi: int = SHEET_DPI, count: int | None = None) -> list[Image.Image]:
    """The first `count` pages of `pdf` (all when None) rendered grey at `dpi`."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        total = len(document) if count is None else min(count, len(document))
        return [
            document[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for i in range(total)
        ]
    finally:
        document.close()


def two_up_sheet(left: Image.Image, right: Image.Image, turn: int = 0) -> Image.Image:
    """`left` and `right` side by side, tops aligned, on white; the sheet turned `turn`
    degrees counter-clockwise."""
    height = max(left.height, right.height)
    sheet = Image.new("L", (left.width + GUTTER_PX + right.width, height), 255)
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width + GUTTER_PX, 0))
    return sheet.rotate(turn, expand=True, fillcolor=255) if turn else sheet


def two_up_copy(pdf: Path, target: Path, turn: int, dpi: int = SHEET_DPI) -> int:
    """`pdf`'s pages two to a sheet (1|2, 3|4, …; at most MAX_SHEETS sheets, an odd last page
    left out) saved as an image-only PDF at `target`; how many sheets."""
    pages = grey_pages(pdf, dpi, 2 * MAX_SHEETS)
    sheets = [two_up_sheet(pages[i], pages[i + 1], turn) for i in range(0, len(pages) - 1, 2)]
    if not sheets:
        raise ValueError(f"{pdf.name} has one page: no two-up sheet")
    return _save(sheets, target, dpi)


def one_up_copy(pdf: Path, target: Path, dpi: int = SHEET_DPI) -> int:
    """The same pages as `two_up_copy` takes, one to a sheet: what its sheets should read as."""
    pages = grey_pages(pdf, dpi, 2 * MAX_SHEETS)
    return _save(pages[: len(pages) - len(pages) % 2], target, dpi)


def _save(sheets: list[Image.Image], target: Path, dpi: int) -> int:
    """The sheets as one image-only PDF (JPEG pages), as a scanner saves them; how many."""
    sheets[0].save(target, save_all=True, append_images=sheets[1:], resolution=dpi, quality=85)
    return len(sheets)
