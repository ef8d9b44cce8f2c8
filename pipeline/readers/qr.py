"""QR codes on pages: the one module that talks to zxing-cpp (fast, QR format only)."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageSequence

from pipeline.models import Media
from pipeline.readers.pdf import PDFIUM_LOCK
from pipeline.readers.sniff import sniff
from pipeline.settings import Batas

RENDER_SCALE = 200 / 72
MAX_PAGES = 20
QR_MAX_PIXELS = 12_000_000  # an A3 page at 200 dpi is 7.7 million: plenty for a QR code
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def qr_texts(path: Path, max_pixels: int = Batas().maks_piksel) -> list[str]:
    """Every QR code's text in a file: page images of a PDF, image frames, DOCX pictures.
    A frame over `max_pixels` is skipped (the reader refuses it with the reason); a PDF page is
    rendered at a resolution that stays under it."""
    found: list[str] = []
    try:
        for image in _images(path, max_pixels):
            results = zxingcpp.read_barcodes(image, formats=QR_ONLY)
            found += [r.text for r in results if r.text]
    except Image.DecompressionBombError:  # Pillow's own ceiling, hit before ours is checked
        pass
    return list(dict.fromkeys(found))


def _images(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    media = sniff(path)
    if media is Media.PDF:
        yield from _pdf_pages(path, max_pixels)
    elif media is Media.IMAGE:
        with Image.open(path) as image:
            yield from _frames(image, max_pixels)
    elif media in (Media.DOCX, Media.DOCM):
        yield from _docx_pictures(path, max_pixels)
    # .doc, .rtf, .odt: no QR code is looked for (our own documents come back as PDF/scan)


def _frames(image: Image.Image, max_pixels: int) -> Iterator[Image.Image]:
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        if index >= MAX_PAGES:
            break
        if frame.width * frame.height <= max_pixels:
            yield frame.convert("L")


def _pdf_pages(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    """One page image at a time (20 poster-sized pages must not sit in memory together)."""
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        count = min(len(document), MAX_PAGES)
    try:
        for index in range(count):
            with PDFIUM_LOCK:
                image = _render(document[index], min(max_pixels, QR_MAX_PIXELS))
            yield image
    finally:
        with PDFIUM_LOCK:
            document.close()


def _render(page: pdfium.PdfPage, max_pixels: int) -> Image.Image:
    width, height = page.get_size()
    scale = min(RENDER_SCALE, math.sqrt(max_pixels / max(width * height, 1.0)))
    image: Image.Image = page.render(scale=scale, grayscale=True).to_pil()
    return image


def _docx_pictures(path: Path, max_pixels: int) -> Iterator[Image.Image]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/") and name.lower().endswith((".png", ".jpg")):
                with Image.open(io.BytesIO(archive.read(name))) as image:
                    yield from _frames(image, max_pixels)
