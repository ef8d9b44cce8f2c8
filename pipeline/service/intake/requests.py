"""A registered file joins or opens a request; a request that becomes complete moves on."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from pipeline.models import Extraction
from pipeline.register.locks import lock_pairing
from pipeline.register.numbering import next_number
from pipeline.register.tables import ReceivedFile, Request
from pipeline.service.context import Services
from pipeline.service.intake.pairing import brings, find_request, merge_fields, missing_of
from pipeline.service.paperwork.rendering import make_disposisi_kadis
from pipeline.service.steps.history import change_status, record
from pipeline.workflow import Action, Status


def attach_to_request(
    services: Services,
    session: Session,
    row: ReceivedFile,
    extraction: Extraction,
    now: datetime,
    into: int | None,
) -> Request:
    lock_pairing(session, f"pairing:{extraction.value('opd') or ''}")
    request = session.get(Request, into) if into else None
    request = request or find_request(
        session, extraction, now, services.settings.pembacaan.rentang_pasangan_hari
    )
    opened = request is None
    if request is None:
        request = _open_request(services, session, now)
    letter, form = brings(extraction.kind)
    resent = (letter and request.has_letter) or (form and request.has_form)
    problems = merge_fields(request, extraction, row.original_name)
    request.problems = list(dict.fromkeys([*request.problems, *row.problems, *problems]))
    request.missing = missing_of(request)
    request.updated_at = now
    session.add(request)
    session.flush()
    row.request_id = request.id
    action = Action.RECEIVED if opened else (Action.RESENT if resent else Action.PAIRED)
    _log(session, request, row, now, action)
    if not request.missing and request.status == Status.INCOMPLETE.value:
        complete_request(services, session, request, now)
    return request


def _open_request(services: Services, session: Session, now: datetime) -> Request:
    year = now.year
    number = next_number(session, f"agenda:{year}")
    agenda = services.settings.penomoran.nomor_agenda.format(nomor=number, tahun=year)
    return Request(
        tahun_agenda=year,
        nomor_agenda=agenda,
        status=Status.INCOMPLETE.value,
        received_at=now,
        updated_at=now,
    )


def complete_request(services: Services, session: Session, request: Request, now: datetime) -> None:
    """All parts and fields are here: number the request and send it to the Kepala Dinas."""
    if request.nomor_permohonan is None:
        number = next_number(session, f"permohonan:{now.year}")
        request.nomor_permohonan = services.settings.penomoran.nomor_permohonan.format(
            nomor=number, tahun=now.year
        )
    step = change_status(request, Action.SUBMISSION_COMPLETE, now, services.calendar)
    session.add(request)
    record(
        session,
        step.action,
        request_id=request.id,
        note="Surat dan formulir lengkap; diteruskan ke Kepala Dinas.",
        at=now,
        transition=step,
    )
    make_disposisi_kadis(services, session, request, now)


def _log(
    session: Session, request: Request, row: ReceivedFile, now: datetime, action: Action
) -> None:
    note = f"Berkas '{row.original_name}' ({row.kind})."
    record(
        session,
        action,
        request_id=request.id,
        file_id=row.id,
        note=note,
        at=now,
        to_status=request.status,
    )
