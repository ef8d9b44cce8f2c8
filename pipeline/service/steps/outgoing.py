"""Outgoing letter numbers (nomor surat keluar): one per-year sequence, never reused."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from pipeline.errors import ConflictError, NotFoundError
from pipeline.register.numbering import next_number
from pipeline.register.tables import Document, VoidedNumber, now_utc
from pipeline.service.context import Services
from pipeline.settings import Settings
from pipeline.workflow.deadlines import WIB

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_outgoing(settings: Settings, number: int, when: datetime) -> str:
    local = when.astimezone(WIB)
    return settings.penomoran.surat_keluar.format(
        nomor=number,
        tahun=local.year,
        bulan=local.month,
        bulan_romawi=ROMAN_MONTHS[local.month - 1],
    )


def issue_outgoing(services: Services, session: Session, when: datetime) -> str:
    """The next number of the year, inside the caller's transaction (gapless: a rollback
    takes the number back with it)."""
    year = when.astimezone(WIB).year
    return format_outgoing(services.settings, next_number(session, f"keluar:{year}"), when)


def void_outgoing(services: Services, number: str, reason: str, who: str) -> None:
    """Record that an issued number will not be used (a letter withdrawn before sending)."""
    with Session(services.engine) as session:
        issued = session.exec(select(Document).where(Document.number == number)).first()
        if issued is None:
            raise NotFoundError(f"Nomor surat keluar '{number}' belum pernah diterbitkan.")
        if session.exec(select(VoidedNumber).where(VoidedNumber.number == number)).first():
            raise ConflictError(f"Nomor surat keluar '{number}' sudah dibatalkan sebelumnya.")
        session.add(VoidedNumber(number=number, reason=reason, who=who, at=now_utc()))
        session.commit()
