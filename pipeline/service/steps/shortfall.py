"""Surat kekurangan berkas: an incomplete submission gets a letter saying what is missing.

Made when a request has stayed incomplete past the registration step's 30 minutes (a letter
and its form often arrive minutes apart, and an outgoing number must not be spent on that),
and made again only when what is missing changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from pipeline.fields import missing_text
from pipeline.register.tables import Document, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.paperwork.rendering import make_document
from pipeline.service.steps.outgoing import issue_outgoing
from pipeline.service.steps.step_documents import StepInput
from pipeline.workflow import Status

KIND = "surat-kekurangan-berkas"
REGISTRATION_SLA = timedelta(minutes=30)


def shortfall_letters(services: Services, now: datetime | None = None) -> list[Document]:
    moment = now or now_utc()
    made: list[Document] = []
    with Session(services.engine, expire_on_commit=False) as session:
        waiting = session.exec(
            select(Request).where(
                Request.status == Status.INCOMPLETE.value,
                col(Request.received_at) <= moment - REGISTRATION_SLA,
            )
        )
        for request in list(waiting):
            if _already_told(session, request):
                continue
            made.append(_letter(services, session, request, moment))
        session.commit()
    return made


def _already_told(session: Session, request: Request) -> bool:
    last = session.exec(
        select(Document)
        .where(Document.request_id == request.id, Document.kind == KIND)
        .order_by(col(Document.id).desc())
    ).first()
    return last is not None and last.created_at >= request.updated_at


def _letter(services: Services, session: Session, request: Request, now: datetime) -> Document:
    number = issue_outgoing(services, session, now)
    step = StepInput(None, now)
    extra = {
        "surat_keluar": {"nomor": number, "tanggal": step.tanggal, "tembusan": []},
        "kekurangan": [missing_text(m) for m in request.missing],
    }
    return make_document(services, session, request, KIND, now, extra, number)
