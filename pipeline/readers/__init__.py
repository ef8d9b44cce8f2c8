"""Readers: turn a file into text lines per page, chosen by the file's content."""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import IgnoredFileError, PipelineError, UnreadableFileError
from pipeline.models import Media, ReadDocument
from pipeline.readers.docx import read_docx
from pipeline.readers.image import read_image
from pipeline.readers.limits import Deadline, check_size
from pipeline.readers.pdf import pages_with_text, read_pdf
from pipeline.readers.sniff import sniff
from pipeline.settings import Limits

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
IGNORED_PREFIXES = (".", "~$", ".~lock")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")

QUICK_PAGES = Limits().max_pages  # pages looked at to choose the watcher's lane

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
    path: Path, limits: Limits | None = None, deadline: Deadline | None = None
) -> ReadDocument:
    """Read one file within `limits` (bytes, pages, pixels, unpacked size, seconds)."""
    if is_ignored(path.name):
        raise IgnoredFileError(
            f"Berkas '{path.name}' adalah berkas sementara/sistem dan dilewati.",
        )
    limits = limits or Limits()
    deadline = deadline or Deadline.start(limits.max_seconds)
    check_size(path, limits)
    try:
        return _read_by_content(path, limits, deadline)
    except (PipelineError, OSError):
        raise
    except Exception as exc:  # a hostile file must fail with a reason, never stall the inbox
        raise UnreadableFileError(
            f"Berkas '{path.name}' tidak bisa dibaca: isinya tidak wajar ({type(exc).__name__}).",
            hint="Minta OPD mengirim ulang berkasnya, atau simpan ulang sebagai PDF.",
        ) from exc


def _read_by_content(path: Path, limits: Limits, deadline: Deadline) -> ReadDocument:
    media = sniff(path)
    if media is Media.PDF:
        return read_pdf(path, limits.max_pages, deadline)
    if media is Media.DOCX:
        return read_docx(path, limits.max_docx_unpacked_bytes)
    return read_image(path, limits)


def needs_ocr_quick(path: Path) -> bool:
    """Whether reading this file will need OCR: an image, or a PDF page without text."""
    media = sniff(path)
    if media is Media.IMAGE:
        return True
    return media is Media.PDF and not all(pages_with_text(path, QUICK_PAGES))
