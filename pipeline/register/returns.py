"""Files given back to the inbox after an unexpected error, counted by their SHA-256."""

from __future__ import annotations

from sqlalchemy import Engine, delete
from sqlmodel import Session, col, select

from pipeline.register.tables import IntakeReturn, ReceivedFile, now_utc


def note_return(engine: Engine, sha256: str, name: str, error: str) -> int:
    """Count one more return of this content; how many times it has come back."""
    with Session(engine) as session:
        row = session.get(IntakeReturn, sha256)
        if row is None:
            row = IntakeReturn(sha256=sha256, name=name, error=error, last_at=now_utc())
        row.count += 1
        row.name, row.error, row.last_at = name, error, now_utc()
        session.add(row)
        session.commit()
        return row.count


def forget_return(engine: Engine, sha256: str) -> None:
    with Session(engine) as session:
        session.connection().execute(delete(IntakeReturn).where(col(IntakeReturn.sha256) == sha256))
        session.commit()


def returning(engine: Engine, at_least: int) -> list[IntakeReturn]:
    """Contents given back `at_least` times and not registered since."""
    with Session(engine) as session:
        registered = select(ReceivedFile.sha256)
        query = select(IntakeReturn).where(
            col(IntakeReturn.count) >= at_least, col(IntakeReturn.sha256).not_in(registered)
        )
        return list(session.exec(query.order_by(col(IntakeReturn.last_at))).all())
