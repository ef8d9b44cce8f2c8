"""QR codes on pages: the one module that talks to zxing-cpp (fast, QR format only)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image, ImageSequence

from pipeline.models import Media
from pipeline.readers.pdf import PDFIUM_LOCK
from pipeline.readers.sniff import sniff

RENDER_SCALE = 200 / 72
MAX_PAGES = 20
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def qr_texts(path: Path) -> list[str]:
    """Every QR code's text in a file: page images of a PDF, image frames, DOCX pictures."""
    found: list[str] = []
    for image in _images(path):
        results = zxingcpp.read_barcodes(image, formats=QR_ONLY)
        found += [r.text for r in results if r.text]
    return list(dict.fromkeys(found))


def _images(path: Path) -> Iterator[Image.Image]:
    media = sniff(path)
    if media is Media.PDF:
        yield from _pdf_pages(path)
    elif media is Media.IMAGE:
        with Image.open(path) as image:
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_PAGES:
                    break
                yield frame.convert("L")
    else:
        yield from _docx_pictures(path)


def _pdf_pages(path: Path) -> Iterator[Image.Image]:
    with PDFIUM_LOCK:
        document = pdfium.PdfDocument(path)
        try:
            pages = [
                document[i].render(scale=RENDER_SCALE, grayscale=True).to_pil()
                for i in range(min(len(document), MAX_PAGES))
            ]
        finally:
            document.close()
    yield from pages


def _docx_pictures(path: Path) -> Iterator[Image.Image]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/") and name.lower().endswith((".png", ".jpg")):
                yield Image.open(io.BytesIO(archive.read(name))).convert("L")
