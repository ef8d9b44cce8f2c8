"""`pipeline verify FILE|TOKEN`: which generated document is this, for which request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from pipeline.errors import NotFoundError, PipelineError
from pipeline.readers import needs_ocr_quick
from pipeline.readers.qr import qr_texts
from pipeline.register.tables import Document, Request
from pipeline.service.context import Services
from pipeline.settings import Settings


@dataclass(frozen=True)
class Verified:
    doc_id: str
    kind: str
    number: str | None
    issued_at: datetime
    request_id: int
    nomor_agenda: str
    opd: str | None
    perihal: str | None


def tokens_in(settings: Settings, texts: list[str]) -> list[str]:
    """The verification tokens in QR texts this office printed (its verification address)."""
    prefix = settings.kantor.verifikasi_url
    return [t.removeprefix(prefix).strip("/") for t in texts if t.startswith(prefix)]


def verify(services: Services, file_or_token: str) -> Verified:
    path = Path(file_or_token)
    tokens = tokens_in(services.settings, qr_texts(path)) if path.is_file() else [file_or_token]
    for token in tokens:
        found = find_by_token(services, token)
        if found:
            return found
    what = f"berkas '{path.name}'" if path.is_file() else f"kode '{file_or_token}'"
    raise NotFoundError(
        f"Tidak ada dokumen terdaftar untuk {what}.",
        hint="Dokumen asli dari sistem ini memuat kode QR verifikasi di kakinya; periksa "
        "apakah kode QR terbaca (pindai ulang 200–300 dpi) atau ketik kodenya.",
    )


def find_by_token(services: Services, token: str) -> Verified | None:
    with Session(services.engine) as session:
        document = session.exec(select(Document).where(Document.token == token)).first()
        if document is None:
            return None
        request = session.get(Request, document.request_id)
        return Verified(
            document.doc_id,
            document.kind,
            document.number,
            document.created_at,
            document.request_id,
            request.nomor_agenda if request else "-",
            request.opd if request else None,
            request.perihal if request else None,
        )


def returned_document(services: Services, path: Path) -> Verified | None:
    """A scan or photo carrying one of our QR codes is a signed copy coming back."""
    try:
        if not needs_ocr_quick(path):
            return None
        texts = qr_texts(path, services.settings.limits.max_pixels)
    except (PipelineError, OSError, ValueError):
        return None  # the normal reading path reports what is wrong with the file
    for token in tokens_in(services.settings, texts):
        found = find_by_token(services, token)
        if found:
            return found
    return None
