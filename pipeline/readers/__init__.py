"""Readers: turn a file into text lines per page, chosen by the file's content."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import IgnoredFileError, UnreadableFileError
from pipeline.models import Media, ReadDocument
from pipeline.readers.docx import read_docx
from pipeline.readers.image import read_image
from pipeline.readers.pdf import pages_with_text, read_pdf
from pipeline.readers.sniff import sniff

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
IGNORED_PREFIXES = (".", "~$", ".~lock")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")

__all__ = ["is_ignored", "needs_ocr_quick", "read_file"]


def is_ignored(name: str) -> bool:
    """Hidden, lock, temporary and system files are never taken (DESIGN.md §3)."""
    lower = name.lower()
    return (
        lower in IGNORED_NAMES
        or lower.startswith(IGNORED_PREFIXES)
        or lower.endswith(IGNORED_SUFFIXES)
    )


def read_file(
    path: Path, *, max_pages: int = 200, max_bytes: int = 100 * 1024 * 1024
) -> ReadDocument:
    if is_ignored(path.name):
        raise IgnoredFileError(
            f"Berkas '{path.name}' adalah berkas sementara/sistem dan dilewati.",
        )
    _check_size(path, max_bytes)
    media = sniff(path)
    if media is Media.PDF:
        return read_pdf(path, max_pages)
    if media is Media.DOCX:
        return read_docx(path)
    return read_image(path)


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFileError(
            f"Berkas '{path.name}' tidak bisa dibaca: {exc.strerror}."
        ) from exc
    if size > max_bytes:
        raise UnreadableFileError(
            f"Berkas '{path.name}' berukuran {size // 1_000_000} MB, melebihi batas "
            f"{max_bytes // 1_000_000} MB.",
            hint="Kompres atau pisahkan lampiran yang besar; naikkan limits.max_bytes bila perlu.",
        )


def needs_ocr_quick(path: Path) -> bool:
    """Whether reading this file will need OCR: an image, or a PDF page without text."""
    media = sniff(path)
    if media is Media.IMAGE:
        return True
    return media is Media.PDF and not all(pages_with_text(path, max_pages=10_000))
