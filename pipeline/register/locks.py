"""Serialise pairing decisions: two workers must not both open a request for one submission.

SQLite already runs one writing transaction at a time (BEGIN IMMEDIATE); on PostgreSQL a
transaction-scoped advisory lock per OPD does the same for the few statements that decide.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session


def lock_pairing(session: Session, key: str) -> None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
