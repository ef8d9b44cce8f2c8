"""A request's original files and generated documents by register id, for viewing and download.

A path never comes from the person asking: it is read from the register and must lie inside
the workspace, so a tampered row cannot hand out /etc/passwd.
"""

from __future__ import annotations

import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from PIL import Image
from sqlmodel import Session, col, select

from pipeline.errors import NotFoundError
from pipeline.readers.replay import OCR_FOLDER, ocr_key, straightened_path
from pipeline.readers.sniff import inline_media_type, is_redrawn_image
from pipeline.register.tables import Document, ReceivedFile
from pipeline.service.context import Services
from pipeline.service.paperwork.rendering import TITLES

PREVIEW_PIXELS = 1600
REDRAWN_TYPE = "image/x-redrawn"  # a TIFF/BMP scan the page shows as a PNG drawn by the app
DOWNLOAD_TYPE = "application/octet-stream"
FIRST_PAGE = 1

_Owned = TypeVar("_Owned", ReceivedFile, Document)  # register rows that belong to a request


@dataclass(frozen=True)
class StoredFile:
    id: int
    name: str
    kind: str
    media_type: str
    size: int
    straightened: bool = False  # a phone photo whose page, as straightened and read, is kept

    @property
    def preview(self) -> str | None:
        return preview_of(self.media_type)


@dataclass(frozen=True)
class GeneratedDocument:
    id: int
    doc_id: str
    kind: str
    title: str
    number: str | None
    name: str


@dataclass(frozen=True)
class Download:
    path: Path
    name: str
    media_type: str

    @property
    def preview(self) -> str | None:
        return preview_of(self.media_type)

    @property
    def inline(self) -> bool:
        """Its own bytes may be shown in the browser (PDF, PNG or JPEG by content)."""
        return self.media_type not in (REDRAWN_TYPE, DOWNLOAD_TYPE)

    @property
    def served_as(self) -> str:
        """The Content-Type of the file itself (a redrawn scan's own bytes are a download)."""
        return DOWNLOAD_TYPE if self.media_type == REDRAWN_TYPE else self.media_type


def preview_of(media_type: str) -> str | None:
    """'pdf' or 'image' when the page may show the file inline, else None (download only)."""
    if media_type == "application/pdf":
        return "pdf"
    return "image" if media_type.startswith("image/") else None


def files_of(services: Services, request_id: int) -> list[StoredFile]:
    home = services.settings.workspace.resolve()
    with Session(services.engine) as session:
        rows = session.exec(
            select(ReceivedFile)
            .where(ReceivedFile.request_id == request_id)
            .order_by(col(ReceivedFile.id))
        )
        return [
            StoredFile(
                f.id or 0,
                f.original_name,
                f.kind,
                _served_type(home / f.archived_path),
                f.size,
                _straightened(services, f.sha256).is_file(),
            )
            for f in rows
        ]


def documents_of(services: Services, request_id: int) -> list[GeneratedDocument]:
    with Session(services.engine) as session:
        rows = session.exec(
            select(Document).where(Document.request_id == request_id).order_by(col(Document.id))
        )
        return [
            GeneratedDocument(
                d.id or 0, d.doc_id, d.kind, TITLES.get(d.kind, d.kind), d.number, Path(d.path).name
            )
            for d in rows
        ]


def straightened_page(services: Services, request_id: int, file_id: int) -> Download:
    """A phone photo's first page as it was found, straightened and read by OCR (a PNG kept
    beside the OCR text, by the file's SHA-256)."""
    row = _row_of_request(services, ReceivedFile, file_id, request_id, "Berkas")
    path = _straightened(services, row.sha256)
    if not path.is_file():
        raise NotFoundError(f"Berkas {file_id} tidak memiliki halaman foto yang diluruskan.")
    return Download(path, f"{Path(row.original_name).stem}-halaman-dibaca.png", "image/png")


def _straightened(services: Services, sha256: str) -> Path:
    key = ocr_key(sha256, FIRST_PAGE)
    return straightened_path(services.settings.archive / OCR_FOLDER, key)


def original_file(services: Services, request_id: int, file_id: int) -> Download:
    row = _row_of_request(services, ReceivedFile, file_id, request_id, "Berkas")
    path = _inside_workspace(services, Path(row.archived_path))
    return Download(path, row.original_name, _served_type(path))


def other_letter_file(services: Services, file_id: int) -> Download:
    """The original of a letter that is no request (*surat lain*)."""
    row = _row_of_request(services, ReceivedFile, file_id, None, "Berkas")
    path = _inside_workspace(services, Path(row.archived_path))
    return Download(path, row.original_name, _served_type(path))


def browser_preview(found: Download) -> bytes | None:
    """PNG of the first page of an image the browser cannot show (TIFF scans), else None."""
    if found.media_type != REDRAWN_TYPE:
        return None
    try:
        with Image.open(found.path) as image:
            image.seek(0)
            page = image.convert("RGB") if image.mode not in ("1", "L", "RGB") else image.copy()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # offered as a download instead
    page.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
    out = io.BytesIO()
    page.save(out, format="PNG")
    return out.getvalue()


def generated_document(services: Services, request_id: int, document_id: int) -> Download:
    row = _row_of_request(services, Document, document_id, request_id, "Dokumen")
    path = _inside_workspace(services, Path(row.path))
    return Download(path, path.name, _media_type(row.path))


def _row_of_request(
    services: Services, table: type[_Owned], row_id: int, request_id: int | None, noun: str
) -> _Owned:
    """The register row `row_id` if it belongs to the request (None: to no request);
    NotFoundError otherwise (an id of another request is as unknown here as one that does not
    exist)."""
    with Session(services.engine) as session:
        row = session.get(table, row_id)
    if row is None or row.request_id != request_id:
        if request_id is None:
            raise NotFoundError(f"{noun} {row_id} tidak ada di daftar surat lain.")
        raise NotFoundError(f"{noun} {row_id} bukan milik permohonan {request_id}.")
    return row


def _inside_workspace(services: Services, path: Path) -> Path:
    home = services.settings.workspace.resolve()
    resolved = (home / path).resolve()
    if not resolved.is_relative_to(home) or not resolved.is_file():
        raise NotFoundError(
            "Berkas tidak ada di folder kerja.",
            hint="Berkas mungkin dipindahkan; hubungi admin untuk memulihkannya dari arsip.",
        )
    return resolved


def _served_type(path: Path) -> str:
    """The type an original is served under, judged by its content, never by its name: PDF,
    PNG or JPEG as they are, a TIFF/BMP scan redrawn as PNG, anything else a bare download."""
    try:
        inline = inline_media_type(path)
        redrawn = inline is None and is_redrawn_image(path)
    except OSError:
        return DOWNLOAD_TYPE
    return inline or (REDRAWN_TYPE if redrawn else DOWNLOAD_TYPE)


def _media_type(name: str) -> str:
    if name.lower().endswith(".docx"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"
