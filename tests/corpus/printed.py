"""A digital document printed and scanned: each page rendered grey at a scanner's resolution,
softened, grained and a little askew, the way an office scanner returns a printed letter; or
its first page printed and photographed on a desk by a phone, as WhatsApp sends it
(`tests/corpus/photo_corpus.py`: perspective, a shadow, 1,600 pixels long, JPEG).

Used by `benchmarks/printed_real.py` (the digital files of ../shared/real read through OCR) and
by the tests that read those pages; the look is drawn from a generator seeded by the file's
name, so a page is the same on every run.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image

from pipeline.convert.office import convert_cold, find_soffice
from pipeline.settings import Settings
from tests.corpus.photo_corpus import on_a_desk, rendered
from tests.corpus.scans_make import degrade
from tests.corpus.two_up import grey_pages

SCAN_DPI = 200
PHOTO_QUALITY = (60, 80)  # JPEG quality a messenger sends a photo at
CONVERT_SECONDS = 120.0
MAX_PAGES = 4  # a letter's header, body and signature, or a form's blocks, are in its first pages


def printed_pages(pdf: Path, seed: str, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """The first pages of `pdf` as a scanner returns them once printed (grey, `dpi`)."""
    rng = random.Random(seed)
    pages = []
    for image in grey_pages(pdf, dpi, MAX_PAGES):
        image = degrade.blur(image, rng.uniform(0.4, 0.9))
        image = degrade.add_noise(image, rng.uniform(4, 10), 1, rng)
        pages.append(degrade.rotate(image, rng.uniform(-1.2, 1.2)))
    return pages


def save_as_scan(pages: list[Image.Image], target: Path, dpi: int = SCAN_DPI) -> Path:
    """The pages as one image-only PDF (JPEG pages), as a scanner saves them."""
    pages[0].save(target, save_all=True, append_images=pages[1:], resolution=dpi, quality=80)
    return target


def photographed_page(pdf: Path, seed: str) -> Image.Image:
    """The first page of `pdf` printed and photographed on a desk by a phone."""
    return on_a_desk(rendered(pdf), random.Random(seed))


def save_as_photo(photo: Image.Image, target: Path, seed: str) -> Path:
    """The photo as a messenger sends it: a JPEG with no resolution recorded."""
    photo.save(target, quality=random.Random(seed).randint(*PHOTO_QUALITY))
    return target


def as_pdf(original: Path, scratch: Path) -> Path:
    """`original` itself when it is a PDF; a Word, .doc or RTF file made PDF by LibreOffice
    (into `scratch`), as it would print."""
    if original.suffix.lower() == ".pdf":
        return original
    soffice = find_soffice(Settings().konversi.soffice)
    return convert_cold(soffice, original, scratch / f"{original.stem}.pdf", CONVERT_SECONDS)
