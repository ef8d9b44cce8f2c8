"""Engine factory: SQLite by default (one writer at a time, waiting politely), PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import SQLModel

from pipeline.register import (
    migrations,
    tables,  # noqa: F401  (registers the tables on the metadata)
)
from pipeline.register.fulltext import install_fulltext
from pipeline.register.indexes import install_indexes
from pipeline.register.tallies import install_tallies

BUSY_TIMEOUT_MS = 30_000  # a writer waits this long for SQLite's lock, then gives up
CONNECT_TIMEOUT = 10  # seconds for a PostgreSQL connection
PROBE_TIMEOUT = 1.0


def make_engine(url: str, idle_seconds: float | None = None, *, read_only: bool = False) -> Engine:
    """`idle_seconds`: on PostgreSQL, a session that sits inside a transaction this long
    (its process hung or frozen) is ended by the server, so its locks — the numbering
    counter, a pairing lock — do not hold every other worker up.

    `read_only`: for commands that only read (`register list`). On SQLite their transactions
    begin deferred instead of taking the write lock, so they read the last committed state
    at once while another process writes (WAL), instead of waiting up to the busy timeout.
    Creating the schema stays possible (nothing is written when it is already there)."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, read_only)
    # A server that does not answer (a network away) fails a connection in seconds instead
    # of holding the watcher; a refused one (PostgreSQL restarting) fails at once.
    connect: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT}
    if idle_seconds is not None:
        connect["options"] = f"-c idle_in_transaction_session_timeout={int(idle_seconds * 1000)}"
    return create_engine(url, pool_pre_ping=True, connect_args=connect)


def register_away(exc: BaseException) -> bool:
    """Whether `exc` says the register cannot be reached or written just now (a server
    restarting or stopped, a SQLite file locked past the busy timeout or on a full disk),
    rather than that a statement is wrong."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError | PoolTimeout)


def register_reachable(engine: Engine, timeout: float = PROBE_TIMEOUT) -> bool:
    """Can the register take a transaction now? On SQLite the probe takes the write lock
    (BEGIN IMMEDIATE) but waits for it only `timeout` seconds, not the busy timeout."""
    try:
        if engine.dialect.name != "sqlite":
            with engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
            return True
        raw = engine.raw_connection()  # below SQLAlchemy's own BEGIN
        try:
            cursor = raw.cursor()
            cursor.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
            try:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("ROLLBACK")
            finally:
                cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            raw.close()
    except Exception:  # any failure means "not yet"; the real work says what it is
        return False
    return True


def _sqlite_engine(url: str, read_only: bool = False) -> Engine:
    _private_database_file(url)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front so two processes never deadlock on an upgrade; a
        # reader takes none (a WAL reader never waits for a writer).
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


def _private_database_file(url: str) -> None:
    """A new SQLite register (letters, names, phone numbers, password hashes, sessions) is made
    readable by its owner only (0600) before SQLite opens it; SQLite gives its -wal and -shm
    files the same mode. An empty file is an empty SQLite database."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    if path.exists() or not path.parent.is_dir():
        return
    with contextlib.suppress(FileExistsError):  # another process made it first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def create_schema(engine: Engine) -> None:
    """A new register is made at the newest schema version and stamped with it; any other
    register must be at that version already (`pipeline upgrade` brings an older one there),
    or RegisterOutdatedError / RegisterTooNewError says so in the clerk's words. Then the
    full-text index, page indexes and status tallies are put in place where missing."""
    for attempt in range(CREATE_ATTEMPTS):
        try:
            with engine.begin() as connection:
                _hold_schema_lock(connection)
                state = migrations.schema_state(connection)
                if state.empty:
                    SQLModel.metadata.create_all(connection)
                    migrations.stamp(connection, state.head)
                else:
                    migrations.require_current(state)
                install_derived(connection)
            return
        except DBAPIError as exc:
            # On PostgreSQL the lock makes a second process wait for the first one's schema;
            # should two still meet on a table, the second looks again.
            raced = any(words in str(exc.orig).lower() for words in RACE_WORDS)
            if not raced or attempt == CREATE_ATTEMPTS - 1:
                raise


CREATE_ATTEMPTS = 3
RACE_WORDS = ("already exists", "duplicate key")


def _hold_schema_lock(connection: Connection) -> None:
    """On PostgreSQL, processes opening a new register make its schema one at a time, and
    wait while `pipeline upgrade` runs (SQLite's BEGIN IMMEDIATE already serialises them)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({migrations.SCHEMA_LOCK})")


def install_derived(connection: Connection) -> None:
    """The full-text index, page indexes and status tallies (idempotent: what exists stays)."""
    present = _present_objects(connection)
    install_fulltext(connection, present)
    install_indexes(connection, present)
    install_tallies(connection, present)


def _present_objects(connection: Any) -> set[str]:
    """Names of the indexes and triggers already there: PostgreSQL locks a table for DDL even
    when IF NOT EXISTS would make it a no-op, so what exists is never re-created."""
    if connection.dialect.name != "postgresql":
        return set()
    rows = connection.exec_driver_sql(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
        "UNION SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    )
    return {str(name) for (name,) in rows}
