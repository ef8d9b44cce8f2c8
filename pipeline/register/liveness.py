"""Signs of life of the office's services, kept in the register so every machine sharing it
sees them: the watcher's heartbeat (one row per `pipeline watch` process) and the backups the
nightly service made.

A watcher renews its row every few seconds and marks it stopped when it ends; a watcher that
was killed simply stops renewing. Intake is running while some row was renewed recently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, inspect, update
from sqlmodel import Session, col, select

from pipeline.register.tables import BackupRecord, WatcherBeat, now_utc

FORGET_AFTER = timedelta(days=30)  # rows of watchers gone this long are dropped


def beat_interval(lease_seconds: float) -> float:
    """How often a watcher renews its heartbeat (as often as its claims' leases)."""
    return lease_seconds / 3


def stale_after(lease_seconds: float) -> timedelta:
    """A heartbeat older than this means the watcher is not running (six beats missed)."""
    return timedelta(seconds=2 * lease_seconds)


def beat(engine: Engine, worker: str, host: str, paused: str | None = None) -> None:
    """Renew `worker`'s heartbeat (its row is made on the first beat), with why it takes no
    files now (`paused`), if it does not."""
    now = now_utc()
    with Session(engine) as session:
        renewed = session.connection().execute(
            update(WatcherBeat)
            .where(col(WatcherBeat.worker) == worker)
            .values(beat_at=now, stopped_at=None, paused=paused)
        )
        if not renewed.rowcount:
            session.connection().execute(
                delete(WatcherBeat).where(col(WatcherBeat.beat_at) < now - FORGET_AFTER)
            )
            row = WatcherBeat(worker=worker, host=host, started_at=now, beat_at=now, paused=paused)
            session.add(row)
        session.commit()


def stopped(engine: Engine, worker: str) -> None:
    """`worker` ended as asked: intake stopped now, not when its beat goes stale."""
    with Session(engine) as session:
        session.connection().execute(
            update(WatcherBeat)
            .where(col(WatcherBeat.worker) == worker)
            .values(stopped_at=now_utc())
        )
        session.commit()


@dataclass(frozen=True)
class WatcherState:
    running: list[str]  # hosts with a fresh heartbeat
    last_seen: datetime | None  # when the last watcher was last alive (None: never ran)
    paused: str | None = None  # why every running watcher takes no files now (None: one does)

    @property
    def stopped(self) -> bool:
        return not self.running


def watcher_state(engine: Engine, stale: timedelta, now: datetime | None = None) -> WatcherState:
    """Which watchers renewed their heartbeat within `stale`, and when the last was alive."""
    now = now or now_utc()
    if not inspect(engine).has_table(WatcherBeat.__tablename__):
        return WatcherState([], None)
    with Session(engine) as session:
        rows = list(session.exec(select(WatcherBeat)).all())
    fresh = [row for row in rows if row.stopped_at is None and now - row.beat_at <= stale]
    seen = [row.stopped_at or row.beat_at for row in rows]
    reasons = [row.paused for row in fresh]
    paused = reasons[0] if reasons and all(reasons) else None
    return WatcherState(sorted({row.host for row in fresh}), max(seen, default=None), paused)


def record_backup(engine: Engine, folder: str, files: int, total_bytes: int) -> None:
    with Session(engine) as session:
        session.add(
            BackupRecord(folder=folder, made_at=now_utc(), files=files, total_bytes=total_bytes)
        )
        session.commit()


def last_backup(engine: Engine) -> BackupRecord | None:
    if not inspect(engine).has_table(BackupRecord.__tablename__):
        return None
    with Session(engine) as session:
        return session.exec(
            select(BackupRecord).order_by(col(BackupRecord.made_at).desc()).limit(1)
        ).first()
