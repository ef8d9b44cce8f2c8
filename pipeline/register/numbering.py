"""Gapless per-year numbers: the counter row is bumped in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from pipeline.register.clock import check_clock
from pipeline.register.tables import Counter


def next_number(session: Session, name: str) -> int:
    """Bump and return counter `name`; concurrent callers queue on the row (or SQLite's lock).

    The bump commits or rolls back with the caller's transaction, so a number is never
    skipped and never handed out twice.
    """
    check_clock(session)  # a number carries the year: never one from a wrong clock
    _ensure_row(session, name)
    statement = (
        update(Counter)
        .where(Counter.name == name)  # type: ignore[arg-type]
        .values(value=Counter.value + 1)
        .returning(Counter.__table__.c.value)  # type: ignore[attr-defined]
    )
    return int(session.connection().execute(statement).scalar_one())


def _ensure_row(session: Session, name: str) -> None:
    dialect = session.connection().dialect.name
    maker: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = maker(Counter).values(name=name, value=0).on_conflict_do_nothing()
    session.connection().execute(statement)
