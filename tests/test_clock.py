"""The clock check before numbering, in one process: a batch is not held up by asking the
register for every number, and a clock stepped back after a good check is still caught at
once (the faked clocks of whole processes are in test_faults.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from pipeline.register import clock
from pipeline.register.clock import ClockError
from pipeline.register.numbering import next_number
from pipeline.register.tables import now_utc
from pipeline.service.context import Services
from pipeline.service.steps.history import record
from pipeline.workflow import Action


def _history_at(services: Services, moment: datetime) -> None:
    with Session(services.engine) as session:
        record(session, Action.OTHER_LETTER, request_id=None, note="surat lain", at=moment)
        session.commit()


def test_a_clock_stepped_back_after_a_good_check_numbers_nothing(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_now = now_utc()
    _history_at(services, real_now)
    with Session(services.engine) as session:
        assert next_number(session, "agenda:test") == 1
        session.commit()
    stepped = real_now - timedelta(hours=3)  # set back three hours by hand
    monkeypatch.setattr(clock, "now_utc", lambda: stepped)
    with Session(services.engine) as session, pytest.raises(ClockError):
        next_number(session, "agenda:test")


def test_numbers_of_a_batch_ask_the_register_about_the_clock_once(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[datetime | None] = []
    problem = clock.clock_problem

    def counted(session: Session, now: datetime | None = None) -> str | None:
        asked.append(now)
        return problem(session, now)

    monkeypatch.setattr(clock, "clock_problem", counted)
    with Session(services.engine) as session:
        numbers = [next_number(session, "agenda:test") for _ in range(5)]
        session.commit()
    assert numbers == [1, 2, 3, 4, 5]
    assert len(asked) <= 1
