"""`pipeline advance`: move a request one SOP step, record who did it, set the next deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from pipeline.errors import ExitCode, NotFoundError, PipelineError, UnreadableFileError
from pipeline.inbox import archive_original, sha256_of
from pipeline.readers.sniff import ATTACHMENT_KINDS_TEXT, attachment_kind
from pipeline.register.tables import ReceivedFile, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.intake.structure import KIND as STRUCTURE_KIND
from pipeline.service.intake.structure import is_schema_file, request_tables, schema_fields
from pipeline.service.steps.history import change_status, record
from pipeline.service.steps.step_documents import StepInput, document_for_step
from pipeline.workflow import Action, Status, official_step

DEFAULT_ACTOR = "petugas"
REJECT = Action.REJECT  # the step that must say why (the web form checks it first)


class MissingReasonError(PipelineError):
    """A rejection without its reason: the rejection letter prints the reason to the OPD."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class AdvanceResult:
    request_id: int
    action: str
    from_status: str
    to_status: str
    due_at: datetime | None
    attached: str | None
    document: str | None = None
    number: str | None = None


def advance(
    services: Services,
    request_id: int,
    action: str,
    *,
    note: str | None = None,
    by: str | None = None,
    attachment: Path | None = None,
) -> AdvanceResult:
    """Apply `action` if the request's status allows it; the status change and its event are
    written in one transaction, so the history never disagrees with the register."""
    if action == REJECT and not (note and note.strip()):
        raise MissingReasonError(
            "Penolakan harus disertai alasannya: alasan itu dicetak di surat penolakan untuk OPD.",
            hint='Tulis alasannya dengan --note "…".',
        )
    now = now_utc()
    with Session(services.engine) as session:
        request = _load(session, request_id)
        step = change_status(
            request, official_step(Status(request.status), action), now, services.calendar
        )
        session.add(request)
        attached = _attach(services, session, request, attachment, now) if attachment else None
        session.flush()
        tables = request_tables(session, request.id or 0)
        document = document_for_step(
            services, session, request, step.action, StepInput(note, now, tables)
        )
        record(
            session,
            step.action,
            request_id=request.id,
            actor=by or DEFAULT_ACTOR,
            note=note,
            at=now,
            transition=step,
        )
        session.commit()
        return AdvanceResult(
            request_id,
            action,
            step.from_status.value,
            step.to_status.value,
            request.due_at,
            attached,
            document.path if document else None,
            document.number if document else None,
        )


def _load(session: Session, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None:
        raise NotFoundError(
            f"Permohonan dengan ID {request_id} tidak ada di register.",
            hint="Lihat daftar ID dengan `pipeline register list`.",
        )
    return request


def _attach(
    services: Services, session: Session, request: Request, path: Path, now: datetime
) -> str:
    """A file an official hands in with the step (the analysis, the database structure)."""
    if not path.is_file():
        raise UnreadableFileError(
            f"Lampiran '{path}' tidak ditemukan.", hint="Periksa nama dan lokasi berkasnya."
        )
    if attachment_kind(path) is None:
        raise UnreadableFileError(
            f"Lampiran '{path.name}' tidak diterima: jenis berkasnya bukan yang dipakai untuk "
            "analisis.",
            hint=f"Lampirkan berkas {ATTACHMENT_KINDS_TEXT}.",
        )
    digest = sha256_of(path)
    archived = archive_original(path, digest, services.settings.archive)
    existing = session.exec(select(ReceivedFile).where(ReceivedFile.sha256 == digest)).first()
    if existing is None:
        structure = is_schema_file(path)
        session.add(
            ReceivedFile(
                sha256=digest,
                original_name=path.name,
                archived_path=str(archived),
                size=path.stat().st_size,
                media="data" if structure else "lampiran",
                kind=STRUCTURE_KIND if structure else "lampiran",
                request_id=request.id,
                received_at=now,
                fields=schema_fields(path) if structure else {},
            )
        )
    return path.name
