"""Images (phone photos, scans): checked to be real pictures, then queued for OCR.

HEIC/HEIF (iPhone photos) opens through pillow-heif, registered with Pillow once, here. A phone
photo (JPEG or HEIC, camera proportions, no scanner resolution) is turned upright by its EXIF
orientation and its page found and straightened (`pipeline.readers.photo`) before OCR; a photo
in which no page is found is read as it is.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pillow_heif
from PIL import ExifTags, Image, ImageOps, ImageSequence

from pipeline.errors import UnreadableFileError
from pipeline.models import Media, Page, ReadDocument
from pipeline.readers.limits import pixel_limit_error
from pipeline.settings import Batas

POSSIBLE_BOMB_RE = re.compile(r"\((\d+) pixels\)")
PHOTO_FORMATS = frozenset({"JPEG", "MPO", "HEIF"})
CAMERA_ASPECT = (1.2, 1.9)  # long side / short side of a camera frame (4:3, 3:2, 16:9, 20:9)

pillow_heif.register_heif_opener()


def read_image(path: Path, limits: Batas | None = None) -> ReadDocument:
    """Only the first `batas.maks_halaman` frames of a multi-page image are OCR'd, as for a
    PDF: a 500-page TIFF must not hold up the scans behind it for minutes."""
    limits = limits or Batas()
    frames = _count_frames(path, limits)
    read = min(frames, limits.maks_halaman)
    pages = tuple(Page(number=i + 1, lines=(), has_text=False) for i in range(read))
    return ReadDocument(
        media=Media.IMAGE, pages=pages, needs_ocr=True, notes=_unread_frames(frames, read)
    )


def _unread_frames(frames: int, read: int) -> tuple[str, ...]:
    if frames <= read:
        return ()
    return (
        f"Gambar ini memiliki {frames} halaman; hanya {read} halaman pertama yang dibaca. "
        "Berkas asli tetap diarsipkan utuh; periksa sisanya bila surat atau formulir ada di "
        "halaman belakang.",
    )


def _count_frames(path: Path, limits: Batas) -> int:
    """Every frame's size is checked from its header before any pixel is decoded (a PNG
    'decompression bomb' declares 400 million pixels in a few kilobytes)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                frames = 0
                for frame in ImageSequence.Iterator(image):
                    pixels = frame.width * frame.height
                    if pixels > limits.maks_piksel:
                        raise pixel_limit_error(path.name, pixels, limits)
                    frames += 1
                image.seek(0)
                image.load()  # a truncated first frame fails here, not in the OCR worker
                return frames
    except Image.DecompressionBombError as exc:  # Pillow's own, far larger, ceiling
        counted = POSSIBLE_BOMB_RE.search(str(exc))
        declared = int(counted.group(1)) if counted else None
        raise pixel_limit_error(path.name, declared, limits) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UnreadableFileError(
            f"Gambar '{path.name}' rusak atau terpotong sehingga tidak bisa dibuka.",
            hint="Pindai atau foto ulang dokumennya, lalu taruh lagi di inbox.",
        ) from exc


def is_phone_photo(path: Path) -> bool:
    """Whether the picture in `path` is taken as a phone photo (its page looked for and
    straightened before OCR) rather than a scan; read from its header only."""
    try:
        with Image.open(path) as image:
            return looks_like_photo(image.size, image.format, scan_dpi(image))
    except (OSError, SyntaxError, ValueError):
        return False


def looks_like_photo(size: tuple[int, int], image_format: str | None, dpi: float | None) -> bool:
    """A JPEG or HEIC in a camera's proportions with no scanner resolution recorded: scanner
    TIFF/PNG pages, PDF scans and scans that record their dpi are never treated as photos."""
    if (image_format or "").upper() not in PHOTO_FORMATS or dpi is not None:
        return False
    long_side, short_side = max(size), min(size)
    return short_side > 0 and CAMERA_ASPECT[0] <= long_side / short_side <= CAMERA_ASPECT[1]


def scan_dpi(image: Image.Image) -> float | None:
    """The scan's resolution when it is recorded and plausible for a paper page."""
    raw = image.info.get("dpi")
    if not raw:
        return None
    dpi = float(raw[0])
    width_inches = image.width / dpi if dpi else 0
    return dpi if 70 <= dpi <= 1200 and 5.0 <= width_inches <= 14.0 else None


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; the image itself when it says nothing
    (Pillow's exif_transpose would copy a whole page for nothing)."""
    if image.getexif().get(ExifTags.Base.Orientation, 1) == 1:
        return image
    return ImageOps.exif_transpose(image) or image


def photo_page(
    frame: Image.Image, image_format: str | None, dpi: float | None, keep: Path | None = None
) -> Image.Image | None:
    """For a phone photo: the page found in it, upright by EXIF, straightened and without its
    shadow (saved at `keep` when given); None for anything else (a scan, or a photo in which
    no page stands out), which is read as it is."""
    from pipeline.readers import photo  # OpenCV is loaded only when a photo comes

    if not looks_like_photo(frame.size, image_format, dpi):
        return None
    return photo.straightened_page(upright(frame), keep)
