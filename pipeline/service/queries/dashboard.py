"""What the dashboard shows: requests by status, overdue by official, on-time share per month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from pipeline.register.tables import Event, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.steps.reminders import WHO_ACTS
from pipeline.workflow import Status, due_for
from pipeline.workflow.deadlines import WIB

MONTHS_SHOWN = 12
EARLIEST_STEP = timedelta(days=62)  # a step is entered at most ~a month before it is done


@dataclass(frozen=True)
class OfficialLoad:
    jabatan: str
    nama: str
    overdue: int


@dataclass(frozen=True)
class MonthShare:
    month: str  # YYYY-MM
    steps: int
    on_time: int

    @property
    def share(self) -> float:
        return self.on_time / self.steps if self.steps else 0.0


@dataclass(frozen=True)
class Dashboard:
    by_status: dict[str, int]
    overdue: list[OfficialLoad]
    months: list[MonthShare]


def dashboard(services: Services, now: datetime | None = None) -> Dashboard:
    moment = now or now_utc()
    with Session(services.engine) as session:
        by_status = {
            s: int(n)
            for s, n in session.exec(select(Request.status, func.count()).group_by(Request.status))
        }
        late = session.exec(
            select(Request.status, func.count())
            .where(col(Request.due_at) < moment)
            .group_by(Request.status)
        )
        overdue = _per_official(services, {s: int(n) for s, n in late})
        months = _on_time_by_month(services, session, moment)
    return Dashboard(by_status, overdue, months)


def _per_official(services: Services, late: dict[str, int]) -> list[OfficialLoad]:
    counts: dict[str, int] = defaultdict(int)
    for status, n in late.items():
        role = WHO_ACTS.get(status)
        if role:
            counts[role] += n
    officials = services.settings.pejabat
    return [
        OfficialLoad(getattr(officials, role).jabatan, getattr(officials, role).nama, counts[role])
        for role in ("kepala_dinas", "kepala_bidang", "kepala_seksi")
    ]


def _on_time_by_month(services: Services, session: Session, moment: datetime) -> list[MonthShare]:
    """Each SOP step done in a month counts once: on time when done by the deadline the step
    had when it was entered (the working-day rules, recomputed from the history)."""
    months = _last_months(moment)
    start = datetime.strptime(months[0] + "-01", "%Y-%m-%d").replace(tzinfo=WIB)
    events = session.exec(
        select(Event.request_id, Event.at, Event.from_status, Event.to_status)
        .where(col(Event.to_status).is_not(None), col(Event.at) >= start - EARLIEST_STEP)
        .order_by(col(Event.request_id), col(Event.at), col(Event.id))
    )
    steps: dict[str, list[int]] = {m: [0, 0] for m in months}
    entered: dict[tuple[int | None, str], datetime] = {}
    for request_id, at, from_status, to_status in events:
        if from_status and (request_id, from_status) in entered and from_status != to_status:
            since = entered.pop((request_id, from_status))
            due = due_for(Status(from_status), since, services.calendar)
            month = at.astimezone(WIB).strftime("%Y-%m")
            if due is not None and month in steps:
                steps[month][0] += 1
                steps[month][1] += int(at <= due)
        entered.setdefault((request_id, str(to_status)), at)
    return [MonthShare(m, done, on_time) for m, (done, on_time) in steps.items()]


def _last_months(moment: datetime) -> list[str]:
    local = moment.astimezone(WIB)
    year, month = local.year, local.month
    found = []
    for _ in range(MONTHS_SHOWN):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(found))
