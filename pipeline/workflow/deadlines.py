"""Working days in Indonesia: weekends, national holidays and the office's cuti bersama."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from pipeline.workflow.states import Status

WIB = ZoneInfo("Asia/Jakarta")
END_OF_DAY = time(16, 0)
STEP_WORKING_DAYS: dict[Status, int] = {
    Status.AWAITING_KADIS: 1,
    Status.AWAITING_KABID: 1,
    Status.IN_ANALYSIS: 2,
}


class WorkingCalendar:
    def __init__(self, cuti_bersama: Iterable[date] = ()) -> None:
        self._holidays = holidays.country_holidays("ID")
        self._extra = frozenset(cuti_bersama)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._holidays and day not in self._extra

    def add_working_days(self, start: date, days: int) -> date:
        current = start
        while days > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                days -= 1
        return current


def wib_text(moment: datetime | None) -> str:
    """A moment as clerks read it: dd-mm-yyyy HH:MM in WIB, or '-' when there is none."""
    return moment.astimezone(WIB).strftime("%d-%m-%Y %H:%M") if moment else "-"


def due_for(status: Status, since: datetime, calendar: WorkingCalendar) -> datetime | None:
    """When the step the request is now in must be done, or None when nobody must act."""
    local = since.astimezone(WIB)
    if status is Status.INCOMPLETE:
        return None
    if status is Status.IN_INTEGRATION:
        month_later = _add_month(local)
        day = month_later.date()
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, END_OF_DAY, tzinfo=WIB)
    days = STEP_WORKING_DAYS.get(status)
    if days is None:
        return None
    due_day = calendar.add_working_days(local.date(), days)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=WIB)


def _add_month(moment: datetime) -> datetime:
    month = moment.month % 12 + 1
    year = moment.year + (moment.month == 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month, day=day)
