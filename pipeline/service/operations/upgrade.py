"""`pipeline upgrade`: take a register made by an older release to this release's schema.

An unversioned register (made before the schema was versioned) is first recognised by its
tables and stamped with the version it holds. A SQLite register is copied beside itself before
anything changes; each revision then runs in its own transaction, so a failure leaves the
register at the last revision that finished, and running the command again carries on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, make_url

from pipeline.errors import NotFoundError, PipelineError
from pipeline.register import migrations
from pipeline.register.db import create_schema, make_engine
from pipeline.service.operations.snapshot import sqlite_copy
from pipeline.settings import Settings

COPY_SUFFIX = ".sebelum-upgrade-"


class UpgradeFailedError(PipelineError):
    """A revision failed; the register stays at the last one that finished."""


@dataclass
class UpgradeReport:
    where: str  # the register, as a clerk can find it (no password)
    before: str | None  # its revision before (None: unversioned and older than the baseline)
    head: str
    versioned: bool = True  # False: it carried no version and was recognised by its tables
    created: bool = False  # there was no register: a new one was made at the newest version
    copy: Path | None = None  # the SQLite copy made before anything changed
    applied: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or not self.versioned or bool(self.applied)


def upgrade_register(settings: Settings) -> UpgradeReport:
    url = settings.database_url
    database = _sqlite_file(url)
    if database is not None and not database.is_file():
        raise NotFoundError(
            f"Register tidak ditemukan di {database}.",
            hint="Periksa folder kerja (--home) atau buat register baru dengan `pipeline init`.",
        )
    engine = make_engine(url)
    try:
        return _upgrade(engine, url, database)
    finally:
        engine.dispose()


def _upgrade(engine: Engine, url: str, database: Path | None) -> UpgradeReport:
    where = str(database) if database else make_url(url).render_as_string(hide_password=True)
    with engine.begin() as connection:
        state = migrations.schema_state(connection)
    report = UpgradeReport(where, state.current, state.head, versioned=state.versioned)
    if state.empty:
        create_schema(engine)
        report.created = True
        return report
    if not state.known:
        migrations.require_current(state)  # says the register is newer than this program
    if state.up_to_date:
        create_schema(engine)  # puts back a missing full-text index, page index or tally
        return report
    if database is not None:
        report.copy = copy_sqlite(database)
    try:
        start = migrations.upgrade(engine, report.applied.append)
    except Exception as exc:
        raise _failed(engine, report, exc) from exc
    report.before, report.versioned = start.revision, start.versioned
    create_schema(engine)  # checks the result and installs the indexes and tallies
    return report


def _failed(engine: Engine, report: UpgradeReport, exc: Exception) -> UpgradeFailedError:
    try:
        with engine.begin() as connection:
            current = migrations.schema_state(connection).current
    except Exception:  # the register itself is away; the original error says more
        return UpgradeFailedError(
            "Pembaruan register berhenti: register tidak dapat dibaca lagi.",
            hint=f"Keterangan teknis untuk petugas TI: {type(exc).__name__}: {exc}",
        )
    left = migrations.pending(current)
    step = f" pada langkah «{migrations.title(left[0])}»" if left else ""
    kept = f" Salinan register sebelum upgrade: {report.copy}." if report.copy else ""
    return UpgradeFailedError(
        f"Pembaruan register berhenti{step}; langkah itu dibatalkan seluruhnya.",
        hint=f"Register kini pada versi «{migrations.title(current)}». Langkah yang sudah "
        "selesai tetap tersimpan; jalankan `pipeline upgrade` lagi setelah penyebabnya diatasi."
        f"{kept}\nKeterangan teknis untuk petugas TI: {type(exc).__name__}: {exc}",
    )


def copy_sqlite(database: Path) -> Path:
    """A consistent copy of the register beside it (owner-only, like the register), taken with
    SQLite's backup API so a writer still at work does not tear it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1, 100):
        extra = f"-{attempt}" if attempt > 1 else ""  # a second run within the same second
        target = database.with_name(f"{database.name}{COPY_SUFFIX}{stamp}{extra}")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(target)
    sqlite_copy(database, target)
    return target


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)
