"""Engine factory: SQLite by default (one writer at a time, waiting politely), PostgreSQL by URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlmodel import SQLModel

from pipeline.register import tables  # noqa: F401  (registers the tables on the metadata)


def make_engine(url: str, idle_seconds: float | None = None) -> Engine:
    """`idle_seconds`: on PostgreSQL, a session that sits inside a transaction this long
    (its process hung or frozen) is ended by the server, so its locks — the numbering
    counter, a pairing lock — do not hold every other worker up."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    if idle_seconds is None:
        return create_engine(url, pool_pre_ping=True)
    timeout = f"-c idle_in_transaction_session_timeout={int(idle_seconds * 1000)}"
    return create_engine(url, pool_pre_ping=True, connect_args={"options": timeout})


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front so two processes never deadlock on an upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
