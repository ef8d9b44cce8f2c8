"""`pipeline verify FILE|TOKEN`: which generated document is this, for which request."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pypdfium2 as pdfium
from sqlmodel import Session, select

from pipeline.errors import NotFoundError, PipelineError
from pipeline.readers import needs_ocr_quick
from pipeline.readers.pdf import PDFIUM_LOCK, looks_signed
from pipeline.readers.qr import qr_texts
from pipeline.register.tables import Document, Request
from pipeline.service.context import Services
from pipeline.settings import Settings
from pipeline.workflow.deadlines import WIB

if TYPE_CHECKING:  # pyHanko takes a second to import: only files that carry a signature pay
    from pipeline.signing import SignatureFacts


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
    """A scan or photo carrying one of our QR codes is a signed copy coming back; so is a
    digitally signed PDF of one of our documents (it is kept byte-identical)."""
    try:
        if has_signature(path):
            return _document_in(services, path)
        if not needs_ocr_quick(path):
            return None
        texts = qr_texts(path, services.settings.batas.maks_piksel)
    except (PipelineError, OSError, ValueError):
        return None  # the normal reading path reports what is wrong with the file
    return _first_known(services, tokens_in(services.settings, texts))


def _first_known(services: Services, tokens: list[str]) -> Verified | None:
    for token in tokens:
        found = find_by_token(services, token)
        if found:
            return found
    return None


# --- electronic signatures ------------------------------------------------------------------


@dataclass(frozen=True)
class FileVerification:
    """What `pipeline verify FILE` says: the signatures in it and the register's document."""

    document: Verified | None
    signatures: list[SignatureFacts]

    @property
    def all_intact(self) -> bool:
        return all(s.intact for s in self.signatures)


def verify_file(services: Services, path: Path) -> FileVerification:
    """A signed PDF's signatures (intact? who? when? chain?) and which document it is."""
    signatures = signatures_in(services.settings, path)
    return FileVerification(_document_in(services, path), signatures)


def has_signature(path: Path) -> bool:
    """A PDF carrying an embedded digital signature (cheap: a byte scan, no parsing)."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        if handle.read(5) != b"%PDF-":
            return False
    return looks_signed(path)


def signatures_in(settings: Settings, path: Path) -> list[SignatureFacts]:
    if not has_signature(path):
        return []
    from pipeline.signing import check_signatures, load_roots

    return check_signatures(path.read_bytes(), load_roots(settings.penandatanganan.akar_tepercaya))


def _document_in(services: Services, path: Path) -> Verified | None:
    """Our document in a PDF: by the token LibreOffice wrote into its keywords (cheap), else
    by the QR code printed on its pages."""
    found = _first_known(services, pdf_keywords(path)) if path.suffix.lower() == ".pdf" else None
    if found is not None:
        return found
    with contextlib.suppress(PipelineError, OSError, ValueError):
        return _first_known(services, tokens_in(services.settings, qr_texts(path)))
    return None


def pdf_keywords(path: Path) -> list[str]:
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(path)
        except pdfium.PdfiumError:
            return []
        try:
            keywords = document.get_metadata_dict().get("Keywords", "")
        finally:
            document.close()
    return [word for word in re.split(r"[,;\s]+", keywords) if word]


def signature_report(settings: Settings, path: Path, footer_signed: bool) -> dict[str, Any]:
    """For `register show` and the web: every signature's facts, and a one-line summary."""
    try:
        facts = signatures_in(settings, path)
    except PipelineError as exc:
        return {"ringkasan": f"tanda tangan tidak dapat diperiksa: {exc}", "tanda_tangan": []}
    if not facts:
        summary = (
            "bertanda tangan elektronik (teks BSrE) tanpa tanda tangan digital tertanam; "
            "periksa lewat kode QR BSrE pada dokumen"
            if footer_signed
            else "tidak bertanda tangan digital"
        )
    else:
        summary = "; ".join(f"{f.nama}: {f.summary}" for f in facts)
    return {"ringkasan": summary, "tanda_tangan": [f.as_dict() for f in facts]}


def describe_document(services: Services, token: str) -> dict[str, Any] | None:
    """Everything the verification page shows for a token; None when the token is unknown."""
    found = find_by_token(services, token)
    if found is None:
        return None
    with Session(services.engine) as session:
        document = session.exec(select(Document).where(Document.token == token)).one()
    signed = Path(document.path).with_suffix(".signed.pdf")
    report = (
        signature_report(services.settings, signed, footer_signed=False)
        if signed.is_file()
        else {"ringkasan": "belum ditandatangani secara elektronik", "tanda_tangan": []}
    )
    return {
        "doc_id": found.doc_id,
        "jenis": found.kind,
        "nomor": found.number,
        "diterbitkan": found.issued_at.astimezone(WIB).isoformat(),
        "permohonan": {
            "id": found.request_id,
            "nomor_agenda": found.nomor_agenda,
            "opd": found.opd,
            "perihal": found.perihal,
        },
        "pdf": bool(document.pdf_path and Path(document.pdf_path).is_file()),
        "ditandatangani": signed.is_file(),
        **report,
    }


def add_signatures(settings: Settings, shown: dict[str, Any]) -> None:
    """Signature facts for a request's signed files and signed documents (checked now, so a
    newly trusted root or a tampered archive shows at once)."""
    for file in shown["files"]:
        path = Path(file["archived_path"])
        if file.get("signed") or (file["kind"] == "returned" and has_signature(path)):
            file.update(signature_report(settings, path, footer_signed=not has_signature(path)))
    for document in shown["documents"]:
        signed = Path(document["path"]).with_suffix(".signed.pdf")
        document["signed_path"] = str(signed) if signed.is_file() else None
        if signed.is_file():
            document.update(signature_report(settings, signed, footer_signed=False))
