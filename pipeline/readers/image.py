"""Images (phone photos, scans): checked to be real pictures, then queued for OCR."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

from pipeline.errors import UnreadableFileError
from pipeline.models import Media, Page, ReadDocument

MAX_PIXELS = 120_000_000


def read_image(path: Path) -> ReadDocument:
    frames = _count_frames(path)
    pages = tuple(Page(number=i + 1, lines=(), has_text=False) for i in range(frames))
    return ReadDocument(media=Media.IMAGE, pages=pages, needs_ocr=True)


def _count_frames(path: Path) -> int:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise Image.DecompressionBombError("too many pixels")
                image.load()
                return int(getattr(image, "n_frames", 1))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UnreadableFileError(
            f"Gambar '{path.name}' terlalu besar (jumlah piksel melebihi batas aman).",
            hint="Pindai ulang dengan resolusi 200–300 dpi.",
        ) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise UnreadableFileError(
            f"Gambar '{path.name}' rusak atau terpotong sehingga tidak bisa dibuka.",
            hint="Pindai atau foto ulang dokumennya, lalu taruh lagi di inbox.",
        ) from exc
