"""Resource limits while reading one file: bytes, a wall-clock deadline, pixels.

Every refusal names the setting in `[limits]` of pipeline.toml that an admin would raise.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.settings import Batas

MB = 1_000_000
# A .docx's XML is parsed whole (python-docx builds an lxml tree of ~17 bytes per byte of
# XML), so its XML parts are capped on their own, below the zip's total: 10 MB of XML is
# hundreds of pages of a letter, and costs ~200 MB while it is read; a 700 KB file whose
# document.xml unpacks to 150 MB would cost 2.7 GB.
MAX_DOCX_XML_BYTES = 10 * MB
MAX_TEXT_CHARS = 2 * MB  # text kept from one document; the letter and form come first


@dataclass(frozen=True)
class Deadline:
    """Wall-clock time (`time.time()`, so OCR worker processes can check it too)."""

    at: float
    seconds: float

    @classmethod
    def start(cls, seconds: float) -> Deadline:
        return cls(time.time() + seconds, seconds)

    @classmethod
    def never(cls) -> Deadline:
        return cls(math.inf, math.inf)

    def left(self) -> float:
        return self.at - time.time()

    def check(self, name: str) -> None:
        if self.left() <= 0:
            raise time_limit_error(name, self.seconds)


def time_limit_error(name: str, seconds: float) -> UnreadableFileError:
    return UnreadableFileError(
        f"Berkas '{name}' tidak selesai dibaca dalam batas waktu {seconds:g} detik per berkas "
        "(batas.maks_detik).",
        hint="Pisahkan surat dan formulir dari lampiran yang tebal, atau pindai ulang dengan "
        "resolusi 200–300 dpi; bila berkas ini memang wajar, naikkan batas.maks_detik di "
        "pipeline.toml.",
    )


def check_size(path: Path, limits: Batas) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(
            f"Berkas '{path.name}' tidak bisa dibaca: {exc.strerror}."
        ) from exc
    if size > limits.maks_byte:
        raise UnreadableFileError(
            f"Berkas '{path.name}' berukuran {size / MB:.1f} MB, melebihi batas "
            f"{limits.maks_byte / MB:.1f} MB per berkas (batas.maks_byte).",
            hint="Kompres atau pisahkan lampiran yang besar; bila berkas ini memang wajar, "
            "naikkan batas.maks_byte di pipeline.toml.",
        )


def pixel_limit_error(name: str, pixels: int | None, limits: Batas) -> UnreadableFileError:
    size = f"{pixels / MB:.0f} juta piksel" if pixels else "jumlah pikselnya sangat besar"
    return UnreadableFileError(
        f"Gambar '{name}' terlalu besar: {size}, melebihi batas "
        f"{limits.maks_piksel / MB:.0f} juta piksel (batas.maks_piksel); kemungkinan "
        "'decompression bomb', berkas ditolak demi keamanan.",
        hint="Pindai ulang dengan resolusi 200–300 dpi; bila gambar ini memang wajar, naikkan "
        "batas.maks_piksel di pipeline.toml.",
    )


def docx_xml_error(name: str, xml_bytes: int, limit: int) -> UnreadableFileError:
    return UnreadableFileError(
        f"Dokumen Word '{name}' berisi {xml_bytes / MB:.0f} MB teks XML setelah dibuka, "
        f"melebihi batas {limit / MB:.0f} MB (kemungkinan 'zip bomb'); berkas ditolak demi "
        "keamanan, karena membacanya akan menghabiskan memori komputer.",
        hint="Minta OPD mengirim surat dan formulirnya saja, atau simpan dokumen ini sebagai "
        "PDF lalu taruh lagi di inbox.",
    )
