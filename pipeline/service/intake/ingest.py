"""Ingest: claimed file → archive → read & extract → register → documents. Order lives here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from pipeline.errors import PipelineError, UnreadableFileError
from pipeline.inbox import Claim, archive_original, sha256_of
from pipeline.inbox.faults import is_machine_fault
from pipeline.models import Kind
from pipeline.readers.sniff import email_medium
from pipeline.register import intake
from pipeline.register.clock import ClockError
from pipeline.register.fulltext import index_request
from pipeline.register.tables import ReceivedFile, now_utc
from pipeline.service.context import Services
from pipeline.service.intake.claims import close_tracked, drop_tracked, fail_tracked, finish_tracked
from pipeline.service.intake.extracting import FileResult, extract_path
from pipeline.service.intake.requests import attach_to_request
from pipeline.service.intake.structure import KIND as STRUCTURE_KIND
from pipeline.service.intake.structure import is_schema_file, schema_fields
from pipeline.service.paperwork.verify import Verified, returned_document
from pipeline.service.steps.history import record
from pipeline.workflow import Action, Status
from pipeline.workflow.states import STATUS_LABELS


@dataclass(frozen=True)
class IngestOutcome:
    name: str
    status: str  # registered | duplicate | returned | other | failed | vanished
    # What a person is told besides: the request's status in words, a failure's reason.
    request_id: int | None = None
    message: str = ""


def ingest_claims(
    services: Services, claims: Sequence[Claim], into: int | None = None
) -> list[IngestOutcome]:
    """Files dropped together in one subfolder are one submission: one request. A database
    structure file joins the request the submission's letter or form opened."""
    outcomes: list[IngestOutcome] = []
    request_id = into
    ordered = sorted(claims, key=lambda c: is_schema_file(c.original))
    for claimed in ordered:
        # A submission's journal rows stay until its last file is done: a restart after a
        # crash then knows which request the rest of the submission joins.
        outcome = ingest_claim(services, claimed, into=request_id, keep_job=len(claims) > 1)
        request_id = request_id or outcome.request_id
        outcomes.append(outcome)
    if len(claims) > 1:
        close_tracked(services, claims)
    return outcomes


def ingest_claim(
    services: Services, claimed: Claim, into: int | None = None, keep_job: bool = False
) -> IngestOutcome:
    name = claimed.original.name
    if claimed.path.is_symlink():
        reason = (
            "Berkas ini adalah tautan simbolik (symlink), bukan berkas biasa. Demi keamanan "
            "tautan tidak diikuti dan berkas atau folder tujuannya tidak disentuh. Salin "
            "berkas aslinya ke inbox bila memang ingin dicatat."
        )
        fail_tracked(services, claimed, reason)
        return IngestOutcome(name, "failed", message=reason)
    try:
        outcome = _ingest(services, claimed, into)
    except ClockError:
        raise  # the machine's clock, not the file: it stays claimed until the clock is set
    except PipelineError as exc:
        fail_tracked(services, claimed, exc.for_humans())
        return IngestOutcome(name, "failed", message=exc.message)
    except OSError as exc:
        if is_machine_fault(exc):
            raise  # a full or read-only disk, not the file: the watcher pauses and retries
        if not claimed.path.exists():
            drop_tracked(services, claimed)
            note = "Berkas dihapus atau dipindahkan orang lain sebelum selesai dibaca."
            return IngestOutcome(name, "vanished", message=note)
        reason = _unreadable(exc)
        fail_tracked(services, claimed, reason)
        return IngestOutcome(name, "failed", message=reason)
    if outcome.status != "failed":
        finish_tracked(services, claimed, close=not keep_job)
    return outcome


def _unreadable(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return (
            "Berkas tidak bisa dibaca: izin baca ditolak oleh sistem berkas. "
            "Minta pemilik berkas memberi izin baca, lalu taruh kembali di inbox."
        )
    return f"Berkas tidak bisa dibaca: {exc.strerror or exc}."


def _ingest(services: Services, claimed: Claim, into: int | None) -> IngestOutcome:
    name = claimed.original.name
    digest = sha256_of(claimed.path)
    known = _known_file(services, digest)
    if known is not None:
        return _duplicate(services, known, name, claimed.job)
    mail = email_medium(claimed.path)
    if mail is not None:  # one submission of the files it carries
        from pipeline.service.intake.emails import ingest_email  # it builds on this module

        return ingest_email(services, claimed, digest, mail, into)
    if is_schema_file(claimed.original):
        return _register_structure(services, claimed, digest, into)
    returned = returned_document(services, claimed.path)
    if returned is not None:
        archived = _archive(services, claimed, digest)
        return _register_returned(services, claimed, returned, digest, archived)
    result = extract_path(
        claimed.path, services.settings, services.matcher, services.ocr, services.docx_copies
    )
    if result.extraction is None:
        fail_tracked(services, claimed, result.error or "Berkas tidak bisa dibaca.")
        return IngestOutcome(name, "failed", message=result.error or "")
    archived = _archive(services, claimed, digest)
    try:
        return _register(services, claimed, result, digest, archived, into)
    except IntegrityError:
        known = _known_file(services, digest)
        if known is None:
            raise
        return _duplicate(services, known, name, claimed.job)


def _register(
    services: Services,
    claimed: Claim,
    result: FileResult,
    digest: str,
    archived: Path,
    into: int | None,
) -> IngestOutcome:
    assert result.extraction is not None and result.document is not None
    extraction = result.extraction
    now = now_utc()
    with Session(services.engine) as session:
        row = _file_row(claimed, result, digest, archived, now)
        session.add(row)
        session.flush()
        if extraction.kind is Kind.OTHER and not extraction.needs_ocr:
            record(
                session,
                Action.OTHER_LETTER,
                request_id=None,
                file_id=row.id,
                note="Surat bukan permohonan integrasi; perlu diteruskan manual.",
                at=now,
            )
            intake.mark_in(session, claimed.job, intake.REGISTERED)
            session.commit()
            return IngestOutcome(claimed.original.name, "other", None, "surat lain")
        request = attach_to_request(services, session, row, extraction, now, into)
        index_request(session, request, result.document.text)
        intake.mark_in(session, claimed.job, intake.REGISTERED, request_id=request.id)
        session.commit()
        status = STATUS_LABELS[Status(request.status)]
        return IngestOutcome(claimed.original.name, "registered", request.id, status)


def _register_structure(
    services: Services, claimed: Claim, digest: str, into: int | None
) -> IngestOutcome:
    if into is None:
        raise UnreadableFileError(
            f"Berkas struktur basis data '{claimed.original.name}' datang tanpa surat atau "
            "formulirnya, sehingga tidak diketahui permohonan mana yang dilengkapinya.",
            hint="Taruh berkas ini bersama surat/formulirnya dalam satu folder di inbox, atau "
            "lampirkan dengan `pipeline advance ID dispose --file BERKAS`.",
        )
    fields = schema_fields(claimed.path)
    archived = _archive(services, claimed, digest)
    tables = len(fields["tabel"])
    note = f"Struktur basis data '{claimed.original.name}': {tables} tabel."
    attached = Attached(STRUCTURE_KIND, "data", into, fields, Action.SCHEMA_RECEIVED, note)
    _attach_file(services, claimed, digest, archived, attached)
    return IngestOutcome(
        claimed.original.name, "registered", into, f"struktur data, {tables} tabel"
    )


def _register_returned(
    services: Services, claimed: Claim, returned: Verified, digest: str, archived: Path
) -> IngestOutcome:
    """A document we generated, back signed: kept with its request, not a new request."""
    note = f"Salinan bertanda tangan {returned.kind} {returned.doc_id} diterima kembali."
    fields = {"dokumen": {"value": returned.doc_id}}
    attached = Attached(
        Kind.RETURNED.value,
        "scan",
        returned.request_id,
        fields,
        Action.SIGNED_COPY_RETURNED,
        note,
    )
    _attach_file(services, claimed, digest, archived, attached)
    return IngestOutcome(claimed.original.name, "returned", returned.request_id, returned.doc_id)


@dataclass(frozen=True)
class Attached:
    """A file that joins an existing request without being read as a letter or form."""

    kind: str
    media: str
    request_id: int
    fields: dict[str, Any]
    action: Action
    note: str


def _attach_file(
    services: Services, claimed: Claim, digest: str, archived: Path, attached: Attached
) -> None:
    now = now_utc()
    with Session(services.engine) as session:
        row = ReceivedFile(
            sha256=digest,
            original_name=claimed.original.name,
            archived_path=str(archived),
            size=archived.stat().st_size,
            media=attached.media,
            kind=attached.kind,
            submission=claimed.submission,
            request_id=attached.request_id,
            received_at=now,
            fields=attached.fields,
        )
        session.add(row)
        session.flush()
        record(
            session,
            attached.action,
            request_id=attached.request_id,
            file_id=row.id,
            note=attached.note,
            at=now,
        )
        intake.mark_in(session, claimed.job, intake.REGISTERED, request_id=attached.request_id)
        session.commit()


def _file_row(
    claimed: Claim, result: FileResult, digest: str, archived: Path, now: datetime
) -> ReceivedFile:
    assert result.extraction is not None and result.document is not None
    ex = result.extraction
    return ReceivedFile(
        sha256=digest,
        original_name=claimed.original.name,
        archived_path=str(archived),
        size=archived.stat().st_size,
        media=result.document.media.value,
        kind=ex.kind.value,
        needs_ocr=ex.needs_ocr,
        signed=result.document.signed,
        submission=claimed.submission,
        fields={k: {"value": v.value, **v.provenance.as_dict()} for k, v in ex.fields.items()},
        problems=list(result.problems),
        received_at=now,
    )


def _archive(services: Services, claimed: Claim, digest: str) -> Path:
    archived = archive_original(claimed.path, digest, services.settings.archive)
    if claimed.job is not None:
        intake.mark(services.engine, claimed.job, intake.ARCHIVED, sha256=digest)
    return archived


def _known_file(services: Services, digest: str) -> ReceivedFile | None:
    with Session(services.engine) as session:
        return session.exec(select(ReceivedFile).where(ReceivedFile.sha256 == digest)).first()


def _duplicate(
    services: Services, known: ReceivedFile, name: str, job: int | None
) -> IngestOutcome:
    with Session(services.engine) as session:
        note = f"Berkas '{name}' sama persis dengan '{known.original_name}' yang sudah diterima."
        record(session, Action.DUPLICATE, request_id=known.request_id, file_id=known.id, note=note)
        intake.mark_in(session, job, intake.REGISTERED, request_id=known.request_id)
        session.commit()
    return IngestOutcome(name, "duplicate", known.request_id, note)
