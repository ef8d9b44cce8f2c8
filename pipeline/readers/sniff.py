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
