"""`pipeline remind`: per official, what is due today and what is late."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage

from sqlmodel import Session, col, select

from pipeline.register.tables import Request, now_utc
from pipeline.service.context import Services
from pipeline.settings import Pejabat, Settings
from pipeline.workflow import Status
from pipeline.workflow.deadlines import WIB, wib_text

WHO_ACTS: dict[str, str] = {
    Status.AWAITING_KADIS.value: "kepala_dinas",
    Status.AWAITING_KABID.value: "kepala_bidang",
    Status.IN_ANALYSIS.value: "kepala_seksi",
    Status.IN_INTEGRATION.value: "kepala_seksi",
}


@dataclass
class Duty:
    official: Pejabat
    due_today: list[Request] = field(default_factory=list)
    late: list[Request] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"Yth. {self.official.jabatan} ({self.official.nama})"]
        lines += [f"  TERLAMBAT : {_line(r)}" for r in self.late]
        lines += [f"  Hari ini  : {_line(r)}" for r in self.due_today]
        return "\n".join(lines)


def _line(request: Request) -> str:
    due = wib_text(request.due_at)
    return (
        f"#{request.id} agenda {request.nomor_agenda} {request.opd or '-'} — "
        f"{request.perihal or '-'} (tenggat {due}, status {request.status})"
    )


def duties(services: Services, now: datetime | None = None) -> list[Duty]:
    moment = now or now_utc()
    today = moment.astimezone(WIB).date()
    officials = services.settings.pejabat
    found: dict[str, Duty] = {}
    with Session(services.engine) as session:
        rows = session.exec(select(Request).where(col(Request.due_at).is_not(None)))
        for request in rows:
            role = WHO_ACTS.get(request.status)
            if role is None or request.due_at is None:
                continue
            duty = found.setdefault(role, Duty(getattr(officials, role)))
            if request.due_at < moment:
                duty.late.append(request)
            elif request.due_at.astimezone(WIB).date() == today:
                duty.due_today.append(request)
    return [d for d in found.values() if d.late or d.due_today]


def send_by_email(settings: Settings, found: list[Duty]) -> int:
    """Mail each official their list when an SMTP server is configured; returns mails sent."""
    smtp = settings.smtp
    if not smtp.host:
        return 0
    sent = 0
    with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
        if smtp.starttls:
            server.starttls()
        if smtp.pengguna:
            server.login(smtp.pengguna, smtp.kata_sandi)
        for duty in found:
            if duty.official.email:
                server.send_message(_message(smtp.pengirim, duty))
                sent += 1
    return sent


def _message(sender: str, duty: Duty) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = duty.official.email
    late = f"{len(duty.late)} terlambat, " if duty.late else ""
    message["Subject"] = f"Pengingat permohonan integrasi: {late}{len(duty.due_today)} hari ini"
    message.set_content(duty.text() + "\n\n— pesan otomatis dari pipeline Diskominfo SP\n")
    return message
