"""`pipeline report --month YYYY-MM`: the month in a workbook for the Kepala Dinas.

Sheets: a summary with a chart, requests received per OPD and status, time spent per SOP step
against its deadline (from the history), and every step finished that month.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from babel.dates import get_month_names
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from sqlalchemy import func
from sqlmodel import Session, col, select

from pipeline.errors import ExitCode, PipelineError
from pipeline.register.tables import Event, Request
from pipeline.service.context import Services
from pipeline.service.queries.sheets import (
    DATETIME_FORMAT,
    PERCENT_FORMAT,
    fill_sheet,
    save_atomically,
)
from pipeline.workflow import Status, due_for
from pipeline.workflow.deadlines import STEP_WORKING_DAYS, WIB
from pipeline.workflow.states import STATUS_LABELS

TIMED_STEPS = (Status.AWAITING_KADIS, Status.AWAITING_KABID, Status.IN_ANALYSIS)
STEPS = (*TIMED_STEPS, Status.IN_INTEGRATION)
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MONTHS = list(get_month_names("wide", locale="id").values())  # Januari … Desember


class BadMonthError(PipelineError):
    """A month not written as YYYY-MM."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class StepDone:
    request_id: int
    step: Status
    started: datetime
    finished: datetime
    due: datetime | None

    @property
    def hours(self) -> float:
        return (self.finished - self.started).total_seconds() / 3600

    @property
    def on_time(self) -> bool:
        return self.due is None or self.finished <= self.due


@dataclass(frozen=True)
class MonthlyReport:
    month: str
    received: int
    per_opd: dict[str, dict[str, int]]
    steps: list[StepDone]

    @property
    def on_time_share(self) -> float | None:
        return _share(self.steps)


def parse_month(text: str) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in WIB."""
    found = _MONTH.match(text.strip())
    if not found:
        raise BadMonthError(
            f"Bulan '{text}' tidak dikenali.", hint="Tulis bulan sebagai TTTT-BB, mis. 2026-10."
        )
    year, month = int(found.group(1)), int(found.group(2))
    start = datetime.combine(date(year, month, 1), time(), tzinfo=WIB)
    following = date(year + month // 12, month % 12 + 1, 1)
    return start, datetime.combine(following, time(), tzinfo=WIB)


def build_report(services: Services, month: str) -> MonthlyReport:
    start, end = parse_month(month)
    with Session(services.engine) as session:
        per_opd = _per_opd(session, start, end)
        steps = _steps_finished(services, session, start, end)
    received = sum(sum(row.values()) for row in per_opd.values())
    return MonthlyReport(month.strip(), received, per_opd, steps)


def _per_opd(session: Session, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    query = (
        select(Request.opd, Request.status, func.count())
        .where(col(Request.received_at) >= start, col(Request.received_at) < end)
        .group_by(Request.opd, Request.status)
    )
    table: dict[str, dict[str, int]] = defaultdict(dict)
    for opd, status, count in session.exec(query):
        table[opd or "(OPD belum diketahui)"][status] = int(count)
    return dict(sorted(table.items()))


def _steps_finished(
    services: Services, session: Session, start: datetime, end: datetime
) -> list[StepDone]:
    """Each step a request left during the month, timed from the event that entered it."""
    left_in_month = (
        select(Event.request_id)
        .where(col(Event.at) >= start, col(Event.at) < end)
        .where(col(Event.from_status).in_([s.value for s in STEPS]))
    )
    events = session.exec(
        select(Event)
        .where(col(Event.request_id).in_(left_in_month))
        .order_by(col(Event.request_id), col(Event.at), col(Event.id))
    )
    entered: dict[tuple[int, str], datetime] = {}
    done: list[StepDone] = []
    for event in events:
        request_id = event.request_id or 0
        moved = event.from_status is not None and event.from_status != event.to_status
        if not moved:
            continue
        began = entered.pop((request_id, event.from_status or ""), None)
        if began is not None and start <= event.at < end and event.from_status in STEPS:
            step = Status(event.from_status)
            due = due_for(step, began, services.calendar)
            done.append(StepDone(request_id, step, began, event.at, due))
        entered[(request_id, event.to_status or "")] = event.at
    return done


def write_report(report: MonthlyReport, target: Path) -> None:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "Ringkasan"
    _summary_sheet(summary, report)
    fill_sheet(workbook.create_sheet("Per OPD"), *_per_opd_table(report))
    steps = workbook.create_sheet("Waktu per Langkah")
    headings, rows = _step_table(report)
    fill_sheet(steps, headings, rows, [None, None, None, "0.0", "0.0", None, None, PERCENT_FORMAT])
    _on_time_chart(summary, steps, len(rows))
    fill_sheet(workbook.create_sheet("Rincian Langkah"), *_step_details(report), _DETAIL_FORMATS)
    target.parent.mkdir(parents=True, exist_ok=True)
    save_atomically(workbook, target)


def month_title(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def _summary_sheet(sheet: Any, report: MonthlyReport) -> None:
    rows: list[tuple[str, Any]] = [
        ("Bulan", month_title(report.month)),
        ("Permohonan diterima", report.received),
        ("Langkah SOP selesai", len(report.steps)),
        ("Selesai tepat waktu", sum(s.on_time for s in report.steps)),
        ("Persentase tepat waktu", report.on_time_share),
    ]
    fill_sheet(sheet, ("Ringkasan", "Nilai"), rows)
    sheet["B6"].number_format = PERCENT_FORMAT
    sheet.auto_filter.ref = None


def _per_opd_table(report: MonthlyReport) -> tuple[list[str], list[list[Any]]]:
    statuses = list(Status)
    headings = ["OPD", *(STATUS_LABELS[s] for s in statuses), "Jumlah"]
    counted = [
        [*(counts.get(s.value, 0) for s in statuses), sum(counts.values())]
        for counts in report.per_opd.values()
    ]
    totals = [sum(column) for column in zip(*counted, strict=True)] if counted else []
    rows: list[list[Any]] = [
        [opd, *numbers] for opd, numbers in zip(report.per_opd, counted, strict=True)
    ]
    return headings, [*rows, ["Jumlah", *totals]]


def _step_table(report: MonthlyReport) -> tuple[list[str], list[list[Any]]]:
    headings = [
        "Langkah",
        "Tenggat",
        "Selesai",
        "Rata-rata (jam)",
        "Terlama (jam)",
        "Tepat waktu",
        "Terlambat",
        "% tepat waktu",
    ]
    by_step: dict[Status, list[StepDone]] = defaultdict(list)
    for step in report.steps:
        by_step[step.step].append(step)
    rows = []
    for status in STEPS:
        done = by_step.get(status, [])
        hours = [s.hours for s in done]
        on_time = sum(s.on_time for s in done)
        rows.append(
            [
                STATUS_LABELS[status],
                _deadline_text(status),
                len(done),
                sum(hours) / len(hours) if hours else None,
                max(hours) if hours else None,
                on_time,
                len(done) - on_time,
                _share(done),
            ]
        )
    return headings, rows


_DETAIL_FORMATS = [None, None, DATETIME_FORMAT, DATETIME_FORMAT, DATETIME_FORMAT, "0.0", None]


def _step_details(report: MonthlyReport) -> tuple[list[str], list[list[Any]]]:
    headings = ["ID", "Langkah", "Mulai", "Selesai", "Tenggat", "Lama (jam)", "Tepat waktu"]
    rows = [
        [
            s.request_id,
            STATUS_LABELS[s.step],
            _local(s.started),
            _local(s.finished),
            _local(s.due) if s.due else None,
            s.hours,
            "Ya" if s.on_time else "Tidak",
        ]
        for s in sorted(report.steps, key=lambda s: (s.finished, s.request_id))
    ]
    return headings, rows


def _on_time_chart(summary: Any, steps: Any, count: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Persentase langkah SOP selesai tepat waktu"
    chart.y_axis.title = "% tepat waktu"
    chart.y_axis.number_format = PERCENT_FORMAT
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    data = Reference(steps, min_col=8, min_row=1, max_row=count + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(steps, min_col=1, min_row=2, max_row=count + 1))
    chart.legend = None
    chart.width, chart.height = 18, 9
    summary.add_chart(chart, "D2")


def _deadline_text(status: Status) -> str:
    days = STEP_WORKING_DAYS.get(status)
    return f"{days} hari kerja" if days else "1 bulan"


def _share(steps: list[StepDone]) -> float | None:
    return sum(s.on_time for s in steps) / len(steps) if steps else None


def _local(moment: datetime) -> datetime:
    return moment.astimezone(WIB).replace(tzinfo=None)
