"""Resource limits while reading one file: bytes, a wall-clock deadline, pixels.

Every refusal names the setting in `[limits]` of pipeline.toml that an admin would raise.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import UnreadableFileError
from pipeline.settings import Limits

MB = 1_000_000


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
        "(limits.max_seconds).",
        hint="Pisahkan surat dan formulir dari lampiran yang tebal, atau pindai ulang dengan "
        "resolusi 200–300 dpi; bila berkas ini memang wajar, naikkan limits.max_seconds di "
        "pipeline.toml.",
    )


def check_size(path: Path, limits: Limits) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(
            f"Berkas '{path.name}' tidak bisa dibaca: {exc.strerror}."
        ) from exc
    if size > limits.max_bytes:
        raise UnreadableFileError(
            f"Berkas '{path.name}' berukuran {size / MB:.1f} MB, melebihi batas "
            f"{limits.max_bytes / MB:.1f} MB per berkas (limits.max_bytes).",
            hint="Kompres atau pisahkan lampiran yang besar; bila berkas ini memang wajar, "
            "naikkan limits.max_bytes di pipeline.toml.",
        )


def pixel_limit_error(name: str, pixels: int | None, limits: Limits) -> UnreadableFileError:
    size = f"{pixels / MB:.0f} juta piksel" if pixels else "jumlah pikselnya sangat besar"
    return UnreadableFileError(
        f"Gambar '{name}' terlalu besar: {size}, melebihi batas "
        f"{limits.max_pixels / MB:.0f} juta piksel (limits.max_pixels); kemungkinan "
        "'decompression bomb', berkas ditolak demi keamanan.",
        hint="Pindai ulang dengan resolusi 200–300 dpi; bila gambar ini memang wajar, naikkan "
        "limits.max_pixels di pipeline.toml.",
    )
