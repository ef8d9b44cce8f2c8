"""The database structure an OPD sends (.sql, .csv, .xlsx): kept with its request and
tabulated in the analysis report."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from pipeline.readers.schema import read_schema
from pipeline.register.tables import ReceivedFile

SCHEMA_SUFFIXES = (".sql", ".csv", ".xlsx")
KIND = "struktur-data"


def is_schema_file(path: Path) -> bool:
    return path.suffix.lower() in SCHEMA_SUFFIXES


def schema_fields(path: Path) -> dict[str, Any]:
    """The tables of a structure file, as stored with the file's register row."""
    return {"tabel": [asdict(table) for table in read_schema(path)]}


def request_tables(session: Session, request_id: int) -> tuple[dict[str, Any], ...]:
    """Every table of every structure file the request has, for the analysis report."""
    rows = session.exec(
        select(ReceivedFile).where(ReceivedFile.request_id == request_id, ReceivedFile.kind == KIND)
    )
    return tuple(table for row in rows for table in row.fields.get("tabel", []))
