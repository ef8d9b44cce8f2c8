"""The register's schema versions, kept by Alembic.

The scripts in `versions/` take a register from the first release that had the intake journal
(the baseline) to the tables declared in `pipeline.register.tables` today. A new register is
created at the newest version and stamped with it; any other register must already be there,
or `pipeline upgrade` brings it there — no program opening it changes its tables on the side.

Registers made before the versions existed carry no `alembic_version` table: `recognise`
finds the newest version whose tables and columns are all there, so `pipeline upgrade` stamps
it before upgrading. The revisions up to and including the one that introduced the versions
create only what is missing (an older release's opening had added some of it by hand).

The full-text index, the page indexes and the status tallies are not Alembic's: they are made
idempotently (`install_*`) on every open of a current register, as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext, MigrationInfo
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from pipeline.errors import ConfigurationError
from pipeline.register import fulltext, tables  # (their tables are on the metadata)
from pipeline.register.indexes import REGISTER_INDEXES

FOLDER = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"
SCHEMA_LOCK = 7_344_151_515  # PostgreSQL advisory lock: one process changes the schema at a time
UPGRADE_HINT = (
    "Hentikan pemantau (`pipeline watch`) dan halaman web di semua komputer yang memakai "
    "register ini, lalu jalankan `pipeline upgrade` satu kali (register SQLite disalin dulu "
    "sebelum diubah)."
)


class RegisterOutdatedError(ConfigurationError):
    """The register was made by an older release and has not been upgraded yet."""


class RegisterTooNewError(ConfigurationError):
    """The register was upgraded by a newer release than the one running."""


@dataclass(frozen=True)
class SchemaState:
    """Where a register stands: `current` is its stamped revision (None when unversioned)."""

    current: str | None
    versioned: bool
    empty: bool  # none of the register's tables: a new register
    known: bool  # `current` is one of this release's revisions
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.versioned and self.current == self.head


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """A programmatic Alembic configuration for the packaged scripts: `connection` is used by
    `env.py` as it is (its transaction handling left to the migrations); `url` only for a
    developer running `command.revision(..., autogenerate=True)` against a register."""
    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.set_main_option("path_separator", "os")
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    revision = script_directory().get_current_head()
    assert revision is not None, "the packaged migrations have a single head"
    return revision


def revisions() -> list[Script]:
    """Every revision, oldest first."""
    return list(reversed(list(script_directory().walk_revisions("base", "heads"))))


def title(revision: str | None) -> str:
    """What a clerk is told a version is (Indonesian, no revision codes)."""
    if revision is None:
        return "sebelum jurnal penerimaan berkas (lebih lama dari 27 November 2026)"
    try:
        script = script_directory().get_revision(revision)
    except CommandError:
        script = None
    if script is None:
        return "versi yang tidak dikenal program ini"
    return str(getattr(script.module, "TITLE", script.doc))


def pending(current: str | None) -> list[str]:
    """The revisions an upgrade from `current` runs, oldest first."""
    found = current is None
    steps: list[str] = []
    for script in revisions():
        if found:
            steps.append(script.revision)
        found = found or script.revision == current
    return steps


def schema_state(connection: Connection) -> SchemaState:
    names = set(inspect(connection).get_table_names())
    versioned = VERSION_TABLE in names
    current = MigrationContext.configure(connection).get_current_revision() if versioned else None
    known = current is None or _known(current)
    empty = not versioned and not names & set(SQLModel.metadata.tables)
    return SchemaState(current, versioned, empty, known, head())


def _known(revision: str) -> bool:
    try:
        return script_directory().get_revision(revision) is not None
    except CommandError:
        return False


def require_current(state: SchemaState) -> None:
    """Refuse, in the clerk's words, a register that is not at this release's version."""
    if state.up_to_date:
        return
    if not state.known:
        raise RegisterTooNewError(
            "Register ini sudah diperbarui oleh versi pipeline yang lebih baru daripada "
            "program di komputer ini.",
            hint="Perbarui program pipeline di komputer ini; register tidak diubah.",
        )
    made = f"versi «{title(state.current)}»" if state.versioned else "belum bernomor versi"
    raise RegisterOutdatedError(
        f"Register ini dibuat oleh versi pipeline yang lebih lama ({made}) dan perlu "
        "diperbarui sebelum dipakai.",
        hint=UPGRADE_HINT,
    )


def recognise(connection: Connection) -> str | None:
    """The newest revision an unversioned register already holds: the last of an unbroken
    run of revisions, from the baseline, whose `present` check finds their tables and
    columns. None when even the baseline is incomplete (a register older than it)."""
    inspector = inspect(connection)
    found: str | None = None
    for script in revisions():
        present: Callable[[Any], bool] | None = getattr(script.module, "present", None)
        if present is None or not present(inspector):
            break
        found = script.revision
    return found


def stamp(connection: Connection, revision: str) -> None:
    """Record `revision` as the register's version without running anything."""
    MigrationContext.configure(connection).stamp(script_directory(), revision)


@dataclass(frozen=True)
class Start:
    """Where an upgrade found the register: stamped at `revision`, or unversioned and
    recognised as `revision` (None: older than the baseline)."""

    revision: str | None
    versioned: bool


def upgrade(engine: Engine, done: Callable[[str], None] | None = None) -> Start:
    """Stamp an unversioned register with the revision it holds, then run the pending ones,
    each in its own transaction (a failure leaves the register at the last one finished);
    `done` is told each revision as it is applied. On PostgreSQL the whole run holds the
    schema lock, so a watcher starting meanwhile waits for the result instead of refusing
    a register halfway. On SQLite the foreign keys are off while the revisions run (SQLite's
    copy-and-move of a table others refer to needs it) and checked before each commits."""
    with engine.connect() as connection:
        dialect = connection.dialect.name
        if dialect == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({SCHEMA_LOCK})")
            connection.commit()
        try:
            with connection.begin():
                state = schema_state(connection)
                start = Start(state.current, state.versioned)
                if not state.versioned and not state.empty:
                    start = Start(recognise(connection), False)
                    if start.revision is not None:
                        stamp(connection, start.revision)
            if dialect == "sqlite":
                _sqlite_foreign_keys(connection, on=False)
            config = alembic_config(connection)
            if done is not None:
                config.attributes["on_step"] = done
            command.upgrade(config, "head")
        finally:
            # A connection that broke took its session (and the lock) with it.
            with contextlib.suppress(SQLAlchemyError):
                connection.rollback()
                if dialect == "sqlite":
                    _sqlite_foreign_keys(connection, on=True)
                elif dialect == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_unlock({SCHEMA_LOCK})")
                    connection.commit()
    return start


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """The pragma works only outside a transaction: set on the driver's connection, below
    the engine's own BEGIN."""
    assert not connection.in_transaction()
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def on_version_apply(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Alembic's per-step hook (see env.py): hands the applied revision to `upgrade`'s `done`."""
    if ctx.connection is not None and ctx.connection.dialect.name == "sqlite":
        broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:  # raised inside the revision's transaction: it is rolled back
            raise RuntimeError(f"revision {step.up_revision_id} breaks foreign keys: {broken[:5]}")
    done = ctx.config.attributes.get("on_step") if ctx.config is not None else None
    if done is not None and step.up_revision_id is not None:
        done(step.up_revision_id)


def render_item(kind: str, item: Any, autogen_context: Any) -> str | Literal[False]:
    """New revisions get plain, frozen types: SQLModel's AutoString as `sa.String()` and the
    register's AwareDateTime as `sa.DateTime(timezone=True)`."""
    if kind == "type" and isinstance(item, AutoString):
        return "sa.String()"
    if kind == "type" and isinstance(item, tables.AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_object(
    item: Any, name: str | None, kind: str, reflected: bool, compare_to: Any
) -> bool:
    """What autogenerate compares: the tables of `pipeline.register.tables`, not the objects
    the `install_*` functions make (FTS5 tables, page indexes, tallies, PostgreSQL's tsv)."""
    if kind == "table":
        return name in SQLModel.metadata.tables
    if kind == "index":
        return name not in REGISTER_INDEXES and name != fulltext.POSTGRES_INDEX
    if kind == "column":
        return not (name == "tsv" and getattr(item.table, "name", None) == "search_texts")
    return True
