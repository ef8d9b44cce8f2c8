"""Tell what a file is from its first bytes, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.models import Media

IMAGE_MAGIC: tuple[bytes, ...] = (
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# The only kinds a browser is allowed to show inline from the app's own origin: none of them can
# carry a script the browser would run (unlike SVG, HTML or XML).
INLINE_SAFE: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# Scanner images a browser cannot display: shown as a PNG the app draws itself.
REDRAWN: tuple[bytes, ...] = (b"II*\x00", b"MM\x00*", b"BM")
# What an official may attach to a step: the analysis and the database structure.
ATTACHMENT_ZIP_PARTS = {"word/document.xml": "DOCX", "xl/workbook.xml": "XLSX"}
ATTACHMENT_TEXT_SUFFIXES = {".csv": "CSV", ".sql": "SQL"}
ATTACHMENT_KINDS_TEXT = "PDF, Word (.docx), Excel (.xlsx), CSV, SQL, atau gambar (PNG/JPEG/TIFF)"


def sniff(path: Path) -> Media:
    head = _head(path)
    if not head:
        raise UnreadableFileError(
            f"Berkas '{path.name}' kosong (0 byte).",
            hint="Kirim ulang berkas aslinya; kemungkinan penyalinan terputus.",
        )
    if b"%PDF-" in head[:1024]:
        return Media.PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_media(path)
    if head.startswith(IMAGE_MAGIC):
        return Media.IMAGE
    if head.startswith(OLE_MAGIC):
        raise UnreadableFileError(
            f"Berkas '{path.name}' berformat Word/Excel lama (.doc/.xls) atau berkas sistem.",
            hint="Buka di Word lalu simpan sebagai .docx atau PDF, kemudian taruh lagi di inbox.",
        )
    raise UnreadableFileError(
        f"Jenis berkas '{path.name}' tidak dikenali: bukan PDF, Word (.docx), atau gambar.",
        hint="Pastikan berkas tidak rusak; kirim sebagai PDF, .docx, JPG, PNG, atau TIFF.",
    )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(2048)


def _zip_media(path: Path) -> Media:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(
            f"Berkas '{path.name}' tampak seperti dokumen Word tetapi rusak atau terpotong.",
            hint="Minta OPD mengirim ulang dokumennya, atau simpan ulang dari Word.",
        ) from exc
    if "word/document.xml" in names:
        return Media.DOCX
    raise UnreadableFileError(
        f"Berkas '{path.name}' adalah arsip ZIP, bukan dokumen Word (.docx).",
        hint="Ekstrak isinya dan taruh dokumen surat/formulirnya di inbox.",
    )


def inline_media_type(path: Path) -> str | None:
    """The media type under which a browser may show the file inline (PDF, PNG, JPEG), judged
    by its content; None for anything else, which is only ever offered as a download."""
    head = _head(path)
    return next((kind for magic, kind in INLINE_SAFE if head.startswith(magic)), None)


def is_redrawn_image(path: Path) -> bool:
    """A TIFF or BMP scan: the page shows it as a PNG drawn from its pixels."""
    return _head(path).startswith(REDRAWN)


def attachment_kind(path: Path) -> str | None:
    """'PDF', 'DOCX', 'XLSX', 'CSV', 'SQL' or 'gambar' when the file's content is one of the
    kinds an analysis needs; None otherwise (an SVG, HTML page or program is refused)."""
    head = _head(path)
    if head.startswith(b"%PDF-"):
        return "PDF"
    if head.startswith(IMAGE_MAGIC):
        return "gambar"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(path)
    suffix_kind = ATTACHMENT_TEXT_SUFFIXES.get(path.suffix.lower())
    return suffix_kind if suffix_kind and _is_plain_text(path) else None


def _office_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return next((kind for part, kind in ATTACHMENT_ZIP_PARTS.items() if part in names), None)


def _is_plain_text(path: Path) -> bool:
    """Text without NUL bytes that is not markup (a CSV or SQL file never opens with '<')."""
    with path.open("rb") as handle:
        sample = handle.read(64 * 1024)
    if b"\x00" in sample:
        return False
    return not sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
