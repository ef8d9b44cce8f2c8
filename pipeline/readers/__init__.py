"""Readers: turn a file into text lines per page, chosen by the file's content.

Word-processor files other than DOCX (.doc, .rtf, .odt, .docm) are read through a DOCX copy.
Making that copy is another stage's work (LibreOffice, in pipeline.convert), so the caller
hands `read_file` a function that makes it: readers and converters never import each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import IgnoredFileError, PipelineError, UnreadableFileError
from pipeline.models import Media, ReadDocument
from pipeline.readers.docx import read_docx
from pipeline.readers.image import read_image
from pipeline.readers.limits import Deadline, check_size
from pipeline.readers.pdf import pages_with_text, read_pdf
from pipeline.readers.sniff import sniff
from pipeline.settings import Batas

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
IGNORED_PREFIXES = (".", "~$", ".~lock")
IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".partial")

QUICK_PAGES = Batas().maks_halaman  # pages looked at to choose the watcher's lane
TYPOGRAPHIC = frozenset("‘’“”–—…•·°©®™€²³½¼×÷±§¶")
PLAIN_SHARE = 0.8  # of a converted document's visible characters, at least

# Makes the DOCX copy of a legacy word-processor file: (original, its media) -> the copy.
DocxCopier = Callable[[Path, Media], Path]

__all__ = ["DocxCopier", "is_ignored", "media_of", "needs_ocr_quick", "read_file"]


def is_ignored(name: str) -> bool:
    """Hidden, lock, temporary and system files are never taken (docs/architecture.md#folders)."""
    lower = name.lower()
    return (
        lower in IGNORED_NAMES
        or lower.startswith(IGNORED_PREFIXES)
        or lower.endswith(IGNORED_SUFFIXES)
    )


def read_file(
    path: Path,
    limits: Batas | None = None,
    deadline: Deadline | None = None,
    to_docx: DocxCopier | None = None,
) -> ReadDocument:
    """Read one file within `limits` (bytes, pages, pixels, unpacked size, seconds).
    A .doc, .rtf, .odt or .docm is read from the DOCX copy `to_docx` makes; the document
    keeps the original's media."""
    if is_ignored(path.name):
        raise IgnoredFileError(
            f"Berkas '{path.name}' adalah berkas sementara/sistem dan dilewati.",
        )
    limits = limits or Batas()
    deadline = deadline or Deadline.start(limits.maks_detik)
    check_size(path, limits)
    try:
        return _read_by_content(path, limits, deadline, to_docx)
    except (PipelineError, OSError):
        raise
    except Exception as exc:  # a hostile file must fail with a reason, never stall the inbox
        raise UnreadableFileError(
            f"Berkas '{path.name}' tidak bisa dibaca: isinya tidak wajar ({type(exc).__name__}).",
            hint="Minta OPD mengirim ulang berkasnya, atau simpan ulang sebagai PDF.",
        ) from exc


def _read_by_content(
    path: Path, limits: Batas, deadline: Deadline, to_docx: DocxCopier | None
) -> ReadDocument:
    media = sniff(path)
    if media.email:
        raise UnreadableFileError(
            f"Berkas '{path.name}' adalah surel ({media.value}): yang dibaca adalah lampirannya.",
            hint="Taruh surelnya di inbox atau baca dengan `pipeline extract`; keduanya membuka "
            "surel dan membaca setiap lampirannya.",
        )
    if media is Media.PDF:
        return read_pdf(path, limits.maks_halaman, deadline)
    if media is Media.DOCX:
        return read_docx(path, limits.maks_byte_terbuka)
    if media.converted:
        return _read_converted(path, media, limits, to_docx)
    return read_image(path, limits)


def _read_converted(
    path: Path, media: Media, limits: Batas, to_docx: DocxCopier | None
) -> ReadDocument:
    if to_docx is None:
        raise UnreadableFileError(
            f"Dokumen '{path.name}' ({media.value}) perlu diubah ke .docx dengan LibreOffice "
            "sebelum dibaca, dan pengubahnya tidak tersedia di sini.",
            hint="Baca berkas ini lewat `pipeline extract` atau taruh di inbox.",
        )
    copy = to_docx(path, media)
    try:
        document = read_docx(copy, limits.maks_byte_terbuka)
    except UnreadableFileError as exc:
        raise UnreadableFileError(
            f"Dokumen '{path.name}' sudah diubah ke .docx, tetapi hasilnya tidak bisa dibaca.",
            hint="Buka berkasnya di Word atau LibreOffice, simpan sebagai .docx atau PDF, lalu "
            "taruh lagi di inbox.",
        ) from exc
    if not _reads_as_text(document.text):
        raise UnreadableFileError(
            f"Dokumen '{path.name}' bisa dibuka, tetapi isinya tidak terbaca sebagai teks: "
            "berkasnya rusak, atau hanya berisi gambar.",
            hint="Buka berkasnya di Word atau LibreOffice; bila isinya benar, simpan sebagai "
            ".docx atau PDF lalu taruh lagi di inbox, bila tidak, minta OPD mengirim ulang.",
        )
    return dataclasses.replace(document, media=media)


def _reads_as_text(text: str) -> bool:
    """Whether a converted document holds text a person wrote. LibreOffice opens a .doc whose
    body is garbage and 'reads' it as a page of random accented letters; a letter in Bahasa
    Indonesia is almost all ASCII (a few typographic quotes, dashes and bullets)."""
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return False
    plain = sum(1 for c in visible if c.isascii() or c in TYPOGRAPHIC)
    return plain >= PLAIN_SHARE * len(visible)


def media_of(path: Path) -> Media:
    """What the file is, by its content (UnreadableFileError with the reason when refused)."""
    return sniff(path)


def needs_ocr_quick(path: Path) -> bool:
    """Whether reading this file will need OCR: an image, or a PDF page without text."""
    media = sniff(path)
    if media is Media.IMAGE:
        return True
    if media is not Media.PDF:
        return False
    try:
        return not all(pages_with_text(path, QUICK_PAGES))
    except (PipelineError, OSError):
        raise
    except Exception as exc:  # a broken page tree (pdfium cannot load a page): the file's fault
        raise UnreadableFileError(
            f"PDF '{path.name}' rusak: halamannya tidak bisa dimuat ({exc}).",
            hint="Buka berkasnya di pembaca PDF dan simpan/cetak ulang sebagai PDF, atau minta "
            "OPD mengirim ulang berkasnya.",
        ) from exc
