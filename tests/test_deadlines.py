"""Deadlines over real Indonesian calendars: long weekends, Idul Fitri with cuti bersama,
the turn of the year."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pipeline.workflow import Status, WorkingCalendar, due_for
from pipeline.workflow.deadlines import WIB

# The government's cuti bersama around Idul Fitri 1446 H (2025)
LEBARAN_2025 = [
    date(2025, 3, 28),
    date(2025, 4, 2),
    date(2025, 4, 3),
    date(2025, 4, 4),
    date(2025, 4, 7),
]


def test_friday_afternoon_before_a_long_weekend():
    calendar = WorkingCalendar()
    thursday = datetime(2025, 4, 17, 15, 30, tzinfo=WIB)  # Good Friday follows
    assert due_for(Status.AWAITING_KADIS, thursday, calendar).date() == date(2025, 4, 21)


def test_friday_afternoon_before_independence_day_weekend():
    calendar = WorkingCalendar([date(2025, 8, 18)])  # cuti bersama after 17 Agustus (Sunday)
    friday = datetime(2025, 8, 15, 15, 45, tzinfo=WIB)
    assert due_for(Status.AWAITING_KADIS, friday, calendar).date() == date(2025, 8, 19)


def test_idul_fitri_and_its_cuti_bersama():
    calendar = WorkingCalendar(LEBARAN_2025)
    before = datetime(2025, 3, 27, 14, 0, tzinfo=WIB)  # last working day before the break
    # 28 Mar cuti, 29-30 weekend, 31 Mar-1 Apr Idul Fitri, 2-4 Apr cuti, 5-6 weekend, 7 cuti
    assert due_for(Status.AWAITING_KADIS, before, calendar).date() == date(2025, 4, 8)
    assert due_for(Status.IN_ANALYSIS, before, calendar).date() == date(2025, 4, 9)


def test_the_turn_of_the_year():
    calendar = WorkingCalendar()
    new_years_eve = datetime(2026, 12, 31, 10, 0, tzinfo=WIB)
    assert due_for(Status.AWAITING_KABID, new_years_eve, calendar).date() == date(2027, 1, 4)


def test_integration_has_a_month():
    start = datetime(2026, 1, 31, 9, 0, tzinfo=WIB)
    due = due_for(Status.IN_INTEGRATION, start, WorkingCalendar())
    assert due is not None and due.date() == date(2026, 3, 2)  # 28 Feb is a Saturday


@given(
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
    st.sampled_from(
        [Status.AWAITING_KADIS, Status.AWAITING_KABID, Status.IN_ANALYSIS, Status.IN_INTEGRATION]
    ),
    st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), max_size=8),
)
def test_a_deadline_is_a_working_day_and_never_before_the_start(
    start: datetime, status: Status, cuti: list[date]
):
    calendar = WorkingCalendar(cuti)
    moment = start.replace(tzinfo=WIB)
    due = due_for(status, moment, calendar)
    assert due is not None
    assert calendar.is_working_day(due.date())
    assert due > moment
    assert due - moment < timedelta(days=40)
