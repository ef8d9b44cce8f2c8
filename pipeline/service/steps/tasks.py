"""'Tugas saya': what waits for each signed-in person, the most urgent first.

An official sees the requests at the SOP step that is theirs (late first, then the nearest
deadline, then the oldest); the secretariat sees what it must see to: submissions still
incomplete, and requests with values the reader was not sure of that nobody has checked yet,
and how many letters that are no request (*surat lain*) hold such values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pipeline.fields import label_of, missing_text
from pipeline.register.tables import Request, now_utc
from pipeline.service.context import Services
from pipeline.service.queries.listing import needs_review, other_letters_to_check
from pipeline.service.steps.reminders import WHO_ACTS
from pipeline.workflow import Status

# The account role that acts for each official of the office's list.
OFFICIAL_OF_ROLE = {"kadis": "kepala_dinas", "kabid": "kepala_bidang", "kasi": "kepala_seksi"}
CLERK_ROLES = ("sekretariat", "admin")
FINAL = (Status.COMPLETED.value, Status.REJECTED.value)
SHOWN = 200  # a queue longer than this is a matter for the dashboard, not one page


@dataclass(frozen=True)
class Task:
    id: int
    nomor_agenda: str
    opd: str | None
    perihal: str | None
    status: str
    received_at: datetime
    due_at: datetime | None
    late: bool
    why: str  # what is to be done, in words


@dataclass(frozen=True)
class Tasks:
    items: list[Task]
    total: int
    clerk: bool  # the secretariat's list (incomplete and flagged), not an official's step
    other_letters_to_check: int = 0  # letters that are no request with a flagged value


def statuses_of(role: str) -> list[str]:
    """The statuses at which this role's official acts."""
    official = OFFICIAL_OF_ROLE.get(role)
    return [status for status, who in WHO_ACTS.items() if who == official]


def my_tasks(services: Services, role: str, now: datetime | None = None) -> Tasks:
    moment = now or now_utc()
    if role in CLERK_ROLES:
        return _clerk_tasks(services, moment)
    statuses = statuses_of(role)
    with Session(services.engine) as session:
        rows = list(
            session.exec(
                select(Request)
                .where(col(Request.status).in_(statuses))
                .order_by(
                    col(Request.due_at).asc().nulls_last(),
                    col(Request.received_at),
                    col(Request.id),
                )
                .limit(SHOWN)
            )
        )
        total = len(rows)
        if total == SHOWN:
            total = _count(session, statuses)
    items = [_task(r, moment, _step_words(r.status)) for r in rows]
    return Tasks(items, total, clerk=False)


def _count(session: Session, statuses: list[str]) -> int:
    query = select(func.count()).select_from(Request).where(col(Request.status).in_(statuses))
    return int(session.exec(query).one())


def _clerk_tasks(services: Services, moment: datetime) -> Tasks:
    threshold = services.settings.pembacaan.ambang_peluang
    found: list[Task] = []
    with Session(services.engine) as session:
        rows = session.exec(
            select(Request)
            .where(col(Request.status).not_in(FINAL))
            .order_by(col(Request.received_at), col(Request.id))
        )
        for request in rows:
            reasons = []
            if request.status == Status.INCOMPLETE.value:
                missing = [missing_text(m) for m in request.missing]
                reasons.append("Belum lengkap: " + ("; ".join(missing) or "-"))
            flagged = needs_review(request.provenance, threshold)
            if flagged:
                reasons.append("Perlu diperiksa: " + ", ".join(label_of(f) for f in flagged))
            if reasons:
                found.append(_task(request, moment, " · ".join(reasons)))
    found.sort(key=lambda t: (not t.late, t.received_at))
    to_check = other_letters_to_check(services)
    return Tasks(found[:SHOWN], len(found), clerk=True, other_letters_to_check=to_check)


def _task(request: Request, moment: datetime, why: str) -> Task:
    return Task(
        request.id or 0,
        request.nomor_agenda,
        request.opd,
        request.perihal,
        request.status,
        request.received_at,
        request.due_at,
        request.due_at is not None and request.due_at < moment,
        why,
    )


STEP_WORDS = {
    Status.AWAITING_KADIS.value: "Setujui atau tolak permohonan",
    Status.AWAITING_KABID.value: "Disposisikan ke Kepala Seksi",
    Status.IN_ANALYSIS.value: "Serahkan hasil analisis",
    Status.IN_INTEGRATION.value: "Selesaikan integrasi",
}


def _step_words(status: str) -> str:
    return STEP_WORDS.get(status, "")
