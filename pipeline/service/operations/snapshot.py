"""A consistent copy of the register while the watcher keeps writing, and putting it back.

SQLite: the online backup API (one step, under one read transaction: WAL writers go on).
PostgreSQL: `pg_dump` of an exported snapshot, so the list of archive files is read from the
very same snapshot the dump holds.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from pipeline.errors import ConfigurationError, MissingDependencyError
from pipeline.register.db import make_engine
from pipeline.settings import Settings

SQLITE_COPY = "register.db"
PG_DUMP = "register.dump"
PG_HINT = "Pasang klien PostgreSQL: sudo apt-get install postgresql-client."


@dataclass(frozen=True)
class Referenced:
    """What the register snapshot points at: archive files and generated documents."""

    archived: list[tuple[str, str]]  # sha256, archived_path
    documents: list[str]  # paths


def is_sqlite(settings: Settings) -> bool:
    return settings.database_url.startswith("sqlite")


def snapshot_register(settings: Settings, folder: Path) -> tuple[str, Referenced]:
    """Write the register copy into `folder`; return its file name and what it references."""
    if is_sqlite(settings):
        target = folder / SQLITE_COPY
        sqlite_copy(settings.register_path, target)
        copy = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            return SQLITE_COPY, _referenced(lambda sql: copy.execute(sql).fetchall())
        finally:
            copy.close()
    return PG_DUMP, _pg_dump(settings, folder / PG_DUMP)


def restore_register(settings: Settings, copy: Path) -> None:
    """Replace the register named by `settings` with the copy (same kind of database)."""
    if copy.name == SQLITE_COPY:
        if not is_sqlite(settings):
            raise ConfigurationError(
                "Cadangan ini berisi register SQLite, tetapi db_url folder tujuan adalah "
                "PostgreSQL.",
                hint="Kosongkan db_url (PIPELINE_DB_URL) untuk memulihkan ke SQLite.",
            )
        sqlite_copy(copy, settings.register_path)
        return
    if is_sqlite(settings):
        raise ConfigurationError(
            "Cadangan ini berisi register PostgreSQL, tetapi folder tujuan memakai SQLite.",
            hint="Isi db_url (atau PIPELINE_DB_URL) dengan basis data PostgreSQL tujuan.",
        )
    _run(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--dbname", _libpq_url(settings), str(copy)],
    )


def sqlite_copy(source: Path, target: Path, *, single_file: bool = True) -> None:
    """SQLite's backup API, page by page in one step (the target changes in one transaction,
    so a process killed half-way leaves it as it was). A `single_file` copy is made a
    self-contained file (no WAL beside it); a live register restored over keeps its mode."""
    src, dst = sqlite3.connect(source, timeout=30), sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst)
        if single_file:
            dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def _pg_dump(settings: Settings, target: Path) -> Referenced:
    engine = make_engine(settings.database_url)
    try:
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection, connection.begin():
            snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            arguments = ["--format=custom", "--no-owner", f"--snapshot={snapshot}"]
            _run("pg_dump", [*arguments, f"--file={target}", _libpq_url(settings)])
            return _referenced(_reader(connection))
    finally:
        engine.dispose()


def _reader(connection: Connection) -> Callable[[str], list[tuple[str, ...]]]:
    def read(sql: str) -> list[tuple[str, ...]]:
        return [tuple(row) for row in connection.execute(text(sql)).all()]

    return read


def _referenced(read: Callable[[str], list[tuple[str, ...]]]) -> Referenced:
    archived = [(str(s), str(p)) for s, p in read("SELECT sha256, archived_path FROM files")]
    documents: list[str] = []
    for docx, pdf in read("SELECT path, pdf_path FROM documents"):
        signed = Path(docx).with_suffix(".signed.pdf")  # an official's signed copy, if any
        documents += [str(docx), *([str(pdf)] if pdf else []), *([str(signed)] * signed.is_file())]
    return Referenced(archived, documents)


def _libpq_url(settings: Settings) -> str:
    url = make_url(settings.database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _run(program: str, arguments: list[str]) -> None:
    if shutil.which(program) is None:
        raise MissingDependencyError(f"Program {program} tidak terpasang.", hint=PG_HINT)
    done = subprocess.run([program, *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ConfigurationError(
            f"{program} gagal: {done.stderr.strip()[:500]}",
            hint="Periksa db_url dan hak akses ke PostgreSQL.",
        )
