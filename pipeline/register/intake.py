"""The intake journal: one row per claimed file until it is done, with a worker's lease.

A row is written before the file is moved into the worker's folder and deleted once the file
is finished, so the table holds exactly the work in flight. A worker's heartbeat pushes its
leases forward; a row whose lease has lapsed belongs to a dead (or hung) worker and may be
taken over by any other. Exactly-once does not rest on the lease: the register's unique
SHA-256 and the registration transaction (which also marks the row `registered`) do.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, text, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from pipeline.register.tables import IntakeJob, now_utc

CLAIMED = "claimed"
ARCHIVED = "archived"
REGISTERED = "registered"  # the register holds the file (or its duplicate note)
FAILED = "failed"  # parked in inbox/failed/ with `reason`


def open_job(
    engine: Engine, path: str, original: str, submission: str | None, worker: str, lease: float
) -> int:
    with Session(engine) as session:
        job = IntakeJob(
            path=path,
            original=original,
            submission=submission,
            worker=worker,
            lease_until=_lease_end(lease),
        )
        session.add(job)
        session.commit()
        assert job.id is not None
        return job.id


def get_job(engine: Engine, job_id: int) -> IntakeJob | None:
    with Session(engine) as session:
        return session.get(IntakeJob, job_id)


def mark(engine: Engine, job_id: int, state: str, **values: Any) -> None:
    with Session(engine) as session:
        mark_in(session, job_id, state, **values)
        session.commit()


def mark_in(session: Session, job_id: int | None, state: str, **values: Any) -> None:
    """Record the job's new state in the caller's transaction (commits with it)."""
    if job_id is None:
        return
    statement = update(IntakeJob).where(col(IntakeJob.id) == job_id)
    session.connection().execute(statement.values(state=state, **values))


def close_job(engine: Engine, job_id: int) -> None:
    with Session(engine) as session:
        session.connection().execute(delete(IntakeJob).where(col(IntakeJob.id) == job_id))
        session.commit()


def heartbeat(engine: Engine, worker: str, lease: float) -> int:
    """Push every lease of `worker` forward; returns how many jobs it holds."""
    with Session(engine) as session:
        statement = (
            update(IntakeJob)
            .where(col(IntakeJob.worker) == worker)
            .values(lease_until=_lease_end(lease))
        )
        held = session.connection().execute(statement).rowcount
        session.commit()
        return int(held or 0)


def orphaned_jobs(engine: Engine, dead_workers: set[str]) -> list[IntakeJob]:
    """Jobs whose lease lapsed, or whose worker is known to be dead (a local pid gone)."""
    now = now_utc()
    with Session(engine) as session:
        query = select(IntakeJob).where(
            (col(IntakeJob.lease_until) < now) | col(IntakeJob.worker).in_(dead_workers)
        )
        return list(session.exec(query.order_by(col(IntakeJob.id))).all())


def take_over(engine: Engine, job: IntakeJob, worker: str, lease: float) -> bool:
    """Make `job` ours if nobody else took it first (compare-and-set on the old owner).

    A row still locked by its owner's open transaction is left for a later round rather
    than waited for (the owner may be frozen mid-transaction).
    """
    with Session(engine) as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL lock_timeout = '1s'"))
        statement = (
            update(IntakeJob)
            .where(col(IntakeJob.id) == job.id, col(IntakeJob.worker) == job.worker)
            .values(worker=worker, lease_until=_lease_end(lease))
        )
        try:
            taken = connection.execute(statement).rowcount == 1
        except OperationalError:
            session.rollback()
            return False
        session.commit()
        return taken


def tracked_paths(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(IntakeJob.path)).all())


def workers_with_jobs(engine: Engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(IntakeJob.worker).distinct()).all())


def _lease_end(lease: float) -> datetime:
    return now_utc() + timedelta(seconds=lease)
