"""`pipeline sign DOCUMENT --p12 FILE`: an official signs a generated document (PAdES).

The signed PDF sits beside the DOCX as `<name>.signed.pdf`; a second official signs that
file again, as an incremental update, so both signatures stay valid. Each signature is an
event in the request's history; with `penandatanganan.selesaikan_langkah` the signature on
a step's document also completes that step through the workflow service.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, or_, select

from pipeline.errors import NotFoundError
from pipeline.register.tables import Document, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.paperwork.pdf_copies import PdfJob
from pipeline.service.paperwork.rendering import TITLES
from pipeline.service.steps.advance import AdvanceResult, advance
from pipeline.service.steps.history import record
from pipeline.settings import Settings
from pipeline.signing import Official, Stamp, load_signer, official_of, sign_pdf
from pipeline.workflow import Action, Status, TransitionError, next_status
from pipeline.workflow.deadlines import WIB

# The document an official signs to act on a step: signing it is that step's decision.
STEP_OF_DOCUMENT = {
    "lembar-disposisi-kadis": Action.ACCEPT,
    "lembar-disposisi-kabid": Action.DISPOSE,
    "laporan-hasil-analisis": Action.SUBMIT_ANALYSIS,
}


@dataclass(frozen=True)
class SignResult:
    doc_id: str
    kind: str
    request_id: int
    signed_path: Path
    official: Official
    advanced: AdvanceResult | None


def signed_path_of(document: Document) -> Path:
    return Path(document.path).with_suffix(".signed.pdf")


def find_document(services: Services, reference: str) -> Document:
    """A document by its id (D-2026-000012), its verification token, or one of its files."""
    candidates = {reference}
    path = Path(reference)
    if path.exists():
        resolved = path.resolve()
        candidates |= {str(resolved), str(resolved.with_name(_docx_name(resolved)))}
    with Session(services.engine) as session:
        found = session.exec(
            select(Document).where(
                or_(
                    Document.doc_id.in_(candidates),  # type: ignore[attr-defined]
                    Document.token.in_(candidates),  # type: ignore[attr-defined]
                    Document.path.in_(candidates),  # type: ignore[attr-defined]
                    Document.pdf_path.in_(candidates),  # type: ignore[union-attr]
                )
            )
        ).first()
    if found is None:
        raise NotFoundError(
            f"Dokumen '{reference}' tidak ada di register.",
            hint="Sebutkan ID dokumen (mis. D-2026-000012), kode verifikasinya, atau berkasnya "
            "di outbox/; lihat daftar dokumen dengan `pipeline register show ID`.",
        )
    return found


def _docx_name(path: Path) -> str:
    name = path.name.removesuffix(".signed.pdf").removesuffix(".pdf")
    return name if name.endswith(".docx") else f"{Path(name).stem}.docx"


def sign_document(
    services: Services, reference: str, p12: Path, passphrase: bytes | None
) -> SignResult:
    document = find_document(services, reference)
    signer = load_signer(p12, passphrase)
    official = _complete_official(services.settings, official_of(signer.signing_cert))
    source = _pdf_to_sign(services, document)
    now = now_utc()
    stamp = Stamp(
        official=official,
        qr_payload=f"{services.settings.kantor.verifikasi_url}{document.token}",
        reason=f"{TITLES.get(document.kind, document.kind)} {document.doc_id}",
        location=services.settings.kantor.kota,
        waktu=now.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB"),
    )
    data = sign_pdf(source.read_bytes(), signer, stamp, services.settings.penandatanganan.tsa_url)
    target = signed_path_of(document)
    _write_atomically(target, data)
    _record(services, document, official, target, now)
    advanced = _complete_step(services, document, official)
    return SignResult(
        document.doc_id, document.kind, document.request_id, target, official, advanced
    )


def _complete_official(settings: Settings, official: Official) -> Official:
    """Fill what the certificate lacks (position, NIP) from the office's list of officials."""
    pejabat = settings.pejabat
    for known in (pejabat.kepala_dinas, pejabat.kepala_bidang, pejabat.kepala_seksi):
        same_nip = official.nip and known.nip == official.nip
        if same_nip or known.nama.casefold() == official.nama.casefold():
            return Official(
                official.nama, official.nip or known.nip, official.jabatan or known.jabatan
            )
    return official


def _pdf_to_sign(services: Services, document: Document) -> Path:
    """The already-signed PDF (to add a signature), else the PDF copy (made now if missing)."""
    signed = signed_path_of(document)
    if signed.is_file():
        return signed
    if document.pdf_path and Path(document.pdf_path).is_file():
        return Path(document.pdf_path)
    services.pdf_copies.drain()  # it may be in the queue right now
    job = PdfJob(document.doc_id, Path(document.path), document.token)
    if job.pdf.is_file():
        return job.pdf
    return services.pdf_copies.convert_now(job)


def _write_atomically(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _record(
    services: Services, document: Document, official: Official, target: Path, now: datetime
) -> None:
    nip = f" (NIP {official.nip})" if official.nip else ""
    title = TITLES.get(document.kind, document.kind)
    with Session(services.engine) as session:
        record(
            session,
            Action.SIGNED,
            request_id=document.request_id,
            actor=official.nama,
            note=f"{title} {document.doc_id} ditandatangani secara elektronik oleh "
            f"{official.nama}{nip}: {target.name}.",
            at=now,
        )
        session.commit()


def _complete_step(
    services: Services, document: Document, official: Official
) -> AdvanceResult | None:
    action = STEP_OF_DOCUMENT.get(document.kind)
    if action is None or not services.settings.penandatanganan.selesaikan_langkah:
        return None
    with Session(services.engine) as session:
        request = session.get(Request, document.request_id)
        status = Status(request.status) if request else None
    if status is None:
        return None
    try:
        next_status(status, action)
    except TransitionError:
        return None  # the step was already taken (or the request moved on another way)
    note = f"Ditandatangani secara elektronik: {document.doc_id}."
    return advance(services, document.request_id, action, note=note, by=official.nama)
