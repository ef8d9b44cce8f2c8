"""Schema versions (Alembic).

A register made by the first release that had the intake journal (f3193c5, built here from
the project's own history with that release's code) is refused by this release's watcher and
commands until `pipeline upgrade`, which recognises and stamps it, keeps its data and leaves
exactly the schema a fresh `init` makes — on SQLite and on PostgreSQL. The revisions from an
empty database give the tables `pipeline.register.tables` declares (an autogenerate compare),
so a table or column added there without a revision fails here.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import SAWarning
from sqlmodel import SQLModel

from pipeline.register import migrations
from pipeline.register.db import create_schema, make_engine
from pipeline.register.migrations import RegisterOutdatedError, RegisterTooNewError
from pipeline.service.context import open_services
from pipeline.settings import load_settings
from tests.factories import Submission, letter_pdf

REPO = Path(__file__).resolve().parents[1]
BASELINE_COMMIT = "f3193c5"  # merge of the intake journal (issue 6): the first such release
BASELINE = "0001"
PASSWORD = "kata-sandi-lama-123"
OUTDATED = "dibuat oleh versi pipeline yang lebih lama"


# --- the old release, from history ----------------------------------------------------------


@pytest.fixture(scope="module")
def old_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release's `pipeline` package and templates, unpacked from git."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed: the old release is built from the project's history")
    found = subprocess.run(
        [git, "-C", str(REPO), "cat-file", "-e", f"{BASELINE_COMMIT}^{{commit}}"],
        capture_output=True,
    )
    if found.returncode != 0:
        pytest.skip(f"commit {BASELINE_COMMIT} is not in this checkout (a shallow clone?)")
    archive = subprocess.run(
        [git, "-C", str(REPO), "archive", "--format=tar", BASELINE_COMMIT, "pipeline", "templates"],
        capture_output=True,
        check=True,
    ).stdout
    target = tmp_path_factory.mktemp("release-f3193c5")
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _env(db_url: str | None, old: Path | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIPELINE_DB_URL")}
    env["PIPELINE_KONVERSI__PDF"] = "false"
    if db_url is not None:
        env["PIPELINE_DB_URL"] = db_url
    if old is not None:
        env["PYTHONPATH"] = str(old)  # ahead of this checkout's editable install
    return env


def _pipeline(
    home: Path,
    *args: str,
    db_url: str | None,
    old: Path | None = None,
    stdin: str = "",
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """`pipeline --home HOME ARGS…` in its own process: the old release's code when `old` is
    given (run from outside this checkout, so `-m pipeline` does not find it first)."""
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(home), *args],
        cwd=old.parent if old is not None else REPO,
        env=_env(db_url, old),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _old_register(old: Path, home: Path, db_url: str | None) -> None:
    """What an office running the old release holds: a request from a letter with its form,
    and a web account."""
    _ok(_pipeline(home, "init", db_url=db_url, old=old))
    letter = letter_pdf(home.parent / "surat-dinkes.pdf", Submission(), with_form=True)
    assert "permohonan #1" in _ok(_pipeline(home, "ingest", str(letter), db_url=db_url, old=old))
    user = ("user", "add", "admin", "--role", "admin", "--password-stdin")
    _ok(_pipeline(home, *user, db_url=db_url, old=old, stdin=PASSWORD + "\n"))


# --- what a schema is made of -----------------------------------------------------------------


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything a register's structure is: tables, columns, keys, indexes, and the objects
    made outside SQLAlchemy (FTS5 table and triggers, PostgreSQL functions and triggers).
    Indexes on expressions are compared as the database's own definitions."""
    with engine.connect() as connection, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", SAWarning)
        inspector = inspect(connection)
        tables: dict[str, Any] = {}
        for name in sorted(inspector.get_table_names()):
            tables[name] = {
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(name)
                ),
                "primary_key": inspector.get_pk_constraint(name)["constrained_columns"],
                "foreign_keys": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in inspector.get_foreign_keys(name)
                ),
                "indexes": sorted(
                    (str(i["name"]), tuple(str(c) for c in i["column_names"]), i["unique"])
                    for i in inspector.get_indexes(name)
                ),
                "unique": sorted(
                    tuple(u["column_names"]) for u in inspector.get_unique_constraints(name)
                ),
            }
        if connection.dialect.name == "sqlite":
            rows = connection.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE type IN ('trigger', 'index') OR sql LIKE 'CREATE VIRTUAL%'"
            )
        else:
            rows = connection.exec_driver_sql(
                "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema() UNION ALL "
                "SELECT 'trigger', tgname, tgrelid::regclass::text, pg_get_triggerdef(oid) "
                "FROM pg_trigger WHERE NOT tgisinternal UNION ALL "
                "SELECT 'function', proname, '', pg_get_functiondef(oid) FROM pg_proc "
                "WHERE pronamespace = current_schema()::regnamespace"
            )
        others = sorted(tuple(str(v) for v in row) for row in rows)
    return {"tables": tables, "others": others}


@contextmanager
def _database(backend: str, folder: Path) -> Iterator[str]:
    """An empty register database of `backend`, dropped afterwards on PostgreSQL."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'{uuid.uuid4().hex[:8]}.db'}"
        return
    from tests.conftest import PG_ADMIN, _pg_available

    if not _pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    name = f"pipeline_m_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    params = dict(part.split("=", 1) for part in PG_ADMIN.split())
    try:
        yield f"postgresql+psycopg://{params['user']}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fresh_schema(backend: str, folder: Path) -> dict[str, Any]:
    """The schema this release's `pipeline init` makes."""
    with _database(backend, folder) as url:
        home = folder / f"fresh-{backend}"
        _ok(_pipeline(home, "init", db_url=None if backend == "sqlite" else url))
        register = f"sqlite:///{home / 'register.db'}" if backend == "sqlite" else url
        engine = make_engine(register)
        try:
            return _schema(engine)
        finally:
            engine.dispose()


def _version_table(engine: Engine) -> bool:
    with engine.connect() as connection:
        return inspect(connection).has_table(migrations.VERSION_TABLE)


# --- the old release's register, upgraded -----------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_register_of_the_first_journal_release_is_refused_then_upgraded(
    backend: str, old_release: Path, tmp_path: Path
) -> None:
    with _database(backend, tmp_path) as made:
        db_url = None if backend == "sqlite" else made
        home = tmp_path / "ws"
        _old_register(old_release, home, db_url)
        url = made if db_url else f"sqlite:///{home / 'register.db'}"
        engine = make_engine(url)
        try:
            assert not _version_table(engine)  # the old release's own register
            before = _schema(engine)

            # This release's watcher and commands refuse it, in the clerk's words, untouched.
            for args in (("watch", "--once"), ("serve", "--port", "0"), ("register", "list")):
                refused = _pipeline(home, *args, db_url=db_url, timeout=120)
                assert refused.returncode == 7, refused.stdout + refused.stderr
                assert OUTDATED in refused.stderr and "pipeline upgrade" in refused.stderr
                assert "Traceback" not in refused.stderr
            checked = _pipeline(home, "doctor", "--quick", db_url=db_url)  # reads, no service
            assert "Traceback" not in checked.stderr, checked.stderr
            assert "Versi register" in checked.stdout and "pipeline upgrade" in checked.stdout
            assert checked.returncode != 0, checked.stdout  # doctor is not 'sehat' about it
            assert _schema(engine) == before and not _version_table(engine)

            said = _ok(_pipeline(home, "upgrade", db_url=db_url))
            assert "27 November 2026: jurnal penerimaan berkas" in said
            assert "dikenali dari susunan tabelnya" in said
            for revision in migrations.pending(BASELINE):
                assert f"✓ {migrations.title(revision)}" in said
            assert "Register sekarang versi terbaru" in said
            if backend == "sqlite":
                copy = Path(said.split("Salinan register sebelum upgrade: ")[1].split("\n")[0])
                with closing(sqlite3.connect(copy)) as old:
                    tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
                    assert migrations.VERSION_TABLE not in tables
                    assert old.execute("SELECT count(*) FROM requests").fetchone() == (1,)
                assert copy.stat().st_mode & 0o077 == 0

            again = _ok(_pipeline(home, "upgrade", db_url=db_url))
            assert "Register sudah versi terbaru" in again
            healthy = _pipeline(home, "doctor", "--quick", db_url=db_url)
            assert "Versi register" in healthy.stdout and "sesuai" in healthy.stdout

            with engine.connect() as connection:
                version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                assert version.scalar_one() == migrations.head()
                request = connection.execute(
                    text("SELECT nomor_agenda, opd, subdomain, status FROM requests")
                ).one()
                assert (
                    request.opd == "Dinas Kesehatan"
                    and request.subdomain == "sikesehatan.bantenprov.go.id"
                )
                assert connection.execute(text("SELECT count(*) FROM files")).scalar_one() == 1
                assert connection.execute(text("SELECT count(*) FROM events")).scalar_one() >= 1
                account = connection.execute(
                    text("SELECT name, failed_logins, locked_until FROM users")
                ).one()
                assert tuple(account) == ("admin", None, None)
            assert _schema(engine) == _fresh_schema(backend, tmp_path)
        finally:
            engine.dispose()

        # The old request is found by its words, and intake carries on.
        listed = _pipeline(
            home, "register", "list", "--q", "sikesehatan", "--format", "json", db_url=db_url
        )
        rows = json.loads(_ok(listed))
        assert [row["nomor_agenda"] for row in rows] == [request.nomor_agenda]
        _ok(_pipeline(home, "watch", "--once", db_url=db_url))


# --- the revisions against tables.py ----------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_revisions_make_what_tables_py_declares(backend: str, tmp_path: Path) -> None:
    """From an empty database the revisions give exactly the declared tables (autogenerate
    finds nothing to add), the same schema `create_schema` makes, and survive going down to
    the baseline and up again."""
    with _database(backend, tmp_path) as migrated_url, _database(backend, tmp_path) as new_url:
        migrated, new = make_engine(migrated_url), make_engine(new_url)
        try:
            migrations.upgrade(migrated)
            with migrated.connect() as connection:
                context = MigrationContext.configure(
                    connection,
                    opts={"include_object": migrations.include_object, "compare_type": True},
                )
                differences = compare_metadata(context, SQLModel.metadata)
            assert differences == [], (
                "pipeline/register/tables.py and the revisions disagree: add a revision "
                f"(see pipeline/register/migrations/README.md): {differences}"
            )
            create_schema(migrated)  # stamped at head: accepted, indexes and tallies added
            create_schema(new)
            assert _schema(migrated) == _schema(new)

            with migrated.connect() as connection:
                command.downgrade(migrations.alembic_config(connection), BASELINE)
            with migrated.connect() as connection:
                assert migrations.schema_state(connection).current == BASELINE
            migrations.upgrade(migrated)
            assert _schema(migrated) == _schema(new)
        finally:
            migrated.dispose()
            new.dispose()


def test_a_new_register_is_stamped_at_the_newest_version(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'register.db'}")
    try:
        create_schema(engine)
        create_schema(engine)  # opening it again changes nothing
        with engine.connect() as connection:
            state = migrations.schema_state(connection)
            assert state.up_to_date and state.current == migrations.head()
            assert migrations.recognise(connection) == migrations.head()
    finally:
        engine.dispose()


def test_a_register_older_than_the_baseline_is_brought_up(tmp_path: Path) -> None:
    """Unversioned, without `documents.pdf_path`, the search text or the tables added since:
    nothing is recognised, every revision fills in what it lacks, the rows are kept and
    become searchable."""
    path = tmp_path / "register.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    with closing(sqlite3.connect(path)) as old, old:
        for table in ("alembic_version", "search_texts", "web_sessions", "intake_returns"):
            old.execute(f"DROP TABLE {table}")
        old.execute("DROP TABLE search_fts")
        old.execute("ALTER TABLE documents DROP COLUMN pdf_path")
        old.execute("ALTER TABLE users DROP COLUMN last_login_at")
        old.execute(
            "INSERT INTO requests (tahun_agenda, nomor_agenda, opd, status, has_letter,"
            " has_form, missing, provenance, problems, received_at, updated_at)"
            " VALUES (2026, '0001', 'Dinas Pendidikan', 'diterima', 1, 1, '[]', '{}', '[]',"
            " '2026-11-20 01:00:00', '2026-11-20 01:00:00')"
        )
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(RegisterOutdatedError):
            create_schema(engine)
        with engine.connect() as connection:
            assert migrations.recognise(connection) is None
        migrations.upgrade(engine)
        create_schema(engine)
        with engine.connect() as connection:
            columns = {c["name"] for c in inspect(connection).get_columns("documents")}
            searched = connection.exec_driver_sql(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH 'pendidikan'"
            ).all()
        assert "pdf_path" in columns and searched == [(1,)]
        assert _schema(engine) == _schema_of_new(tmp_path)
    finally:
        engine.dispose()


def _schema_of_new(folder: Path) -> dict[str, Any]:
    engine = make_engine(f"sqlite:///{folder / 'new.db'}")
    try:
        create_schema(engine)
        return _schema(engine)
    finally:
        engine.dispose()


def test_a_register_upgraded_by_a_newer_release_is_refused(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    _ok(_pipeline(home, "init", db_url=None))
    with closing(sqlite3.connect(home / "register.db")) as register, register:
        register.execute("UPDATE alembic_version SET version_num = 'dari-versi-baru'")
    with pytest.raises(RegisterTooNewError, match="lebih baru"):
        open_services(load_settings(home)).close()
    for args in (("watch", "--once"), ("upgrade",)):
        refused = _pipeline(home, *args, db_url=None)
        assert refused.returncode == 7 and "Perbarui program pipeline" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_a_failing_revision_is_undone_whole_and_the_upgrade_can_be_run_again(
    tmp_path: Path,
) -> None:
    """Each revision runs in its own transaction: the one that fails leaves nothing behind,
    the ones before it stay done, and after the cause is removed a second run finishes."""
    from pipeline.service.operations.upgrade import UpgradeFailedError, upgrade_register
    from pipeline.service.operations.workspace import init_workspace

    home = tmp_path / "ws"
    init_workspace(home)
    path = home / "register.db"
    with closing(sqlite3.connect(path)) as register, register:
        register.execute("DROP TABLE alembic_version")
        register.execute("DROP TABLE web_sessions")
        register.execute("DROP TABLE login_failures")
        # A table of that name left by something else, without a column the release needs.
        register.execute("CREATE TABLE login_failures (id INTEGER PRIMARY KEY, name VARCHAR)")
        for column in ("failed_logins", "locked_until", "last_login_at"):
            register.execute(f"ALTER TABLE users DROP COLUMN {column}")
    settings = load_settings(home)

    with pytest.raises(UpgradeFailedError) as failed:
        upgrade_register(settings)
    said = failed.value.for_humans()
    assert f"pada langkah «{migrations.title('0003')}»" in said
    assert f"Register kini pada versi «{migrations.title('0002')}»" in said
    assert "pipeline upgrade" in said and "Salinan register sebelum upgrade" in said
    with closing(sqlite3.connect(path)) as register:
        assert register.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]
        tables = {row[0] for row in register.execute("SELECT name FROM sqlite_master")}
        assert "web_sessions" not in tables  # created by the failed revision, then undone
        users = {row[1] for row in register.execute("PRAGMA table_info(users)")}
        assert {"failed_logins", "locked_until", "last_login_at"} <= users

    with closing(sqlite3.connect(path)) as register, register:
        register.execute("DROP TABLE login_failures")
    report = upgrade_register(settings)
    assert report.before == "0002" and report.applied == migrations.pending("0002")
    assert report.applied[0] == "0003" and report.applied[-1] == migrations.head()
    assert _schema_of(f"sqlite:///{path}") == _schema_of_new(tmp_path)


def _schema_of(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        return _schema(engine)
    finally:
        engine.dispose()


def _open_new_register(url: str) -> None:
    engine = make_engine(url)
    try:
        create_schema(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_processes_opening_a_new_register_together_make_it_once(
    backend: str, tmp_path: Path
) -> None:
    """Watchers started at the same time on a new register: one makes and stamps it, the
    others find it made."""
    import multiprocessing

    with _database(backend, tmp_path) as url:
        context = multiprocessing.get_context("spawn")
        workers = [context.Process(target=_open_new_register, args=(url,)) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
            assert worker.exitcode == 0
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                stamped = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
                assert stamped.all() == [(migrations.head(),)]
        finally:
            engine.dispose()


RECREATE_REQUESTS = '''"""Test only: a revision that rebuilds a table other tables refer to."""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None
TITLE = "uji: tabel permohonan dibangun ulang"


def upgrade() -> None:
    with op.batch_alter_table("requests", recreate="always") as batch:
        batch.add_column(sa.Column("catatan", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("requests", recreate="always") as batch:
        batch.drop_column("catatan")
'''


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection:sqlalchemy.exc.SAWarning")
def test_a_revision_may_rebuild_a_table_that_others_refer_to_on_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's copy-and-move of `requests` (referred to by files, documents, events and the
    search text) runs with the foreign keys off and checked before each revision commits;
    the connection gets them back afterwards."""
    home = tmp_path / "ws"
    _ok(_pipeline(home, "init", db_url=None))
    letter = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    _ok(_pipeline(home, "ingest", str(letter), db_url=None))
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.FOLDER, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    rebuild = RECREATE_REQUESTS.replace("{head}", migrations.head())
    (scripts / "versions" / "r9001_rebuild_requests.py").write_text(rebuild)
    before = _schema_of(f"sqlite:///{home / 'register.db'}")
    monkeypatch.setattr(migrations, "FOLDER", scripts)
    migrations.script_directory.cache_clear()

    engine = make_engine(f"sqlite:///{home / 'register.db'}")
    try:
        applied: list[str] = []
        migrations.upgrade(engine, applied.append)
        assert applied == ["9001"]
        create_schema(engine)  # the triggers and page indexes went with the old table
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            joined = connection.exec_driver_sql(
                "SELECT count(*) FROM files JOIN requests ON requests.id = files.request_id "
                "JOIN documents ON documents.request_id = requests.id"
            ).scalar_one()
            assert joined >= 1
            columns = {c["name"] for c in inspect(connection).get_columns("requests")}
            assert "catatan" in columns
        after = _schema(engine)
        assert after["others"] == before["others"]
    finally:
        engine.dispose()
        migrations.script_directory.cache_clear()  # the packaged scripts again


def test_stored_confidences_become_chances_and_what_was_sure_stays_sure(tmp_path: Path) -> None:
    """Revision 0008: a register of the release before holds rule scores (review line 0.85);
    after `pipeline upgrade` it holds chances (line 0.99) and flags exactly what it flagged."""
    from datetime import UTC, datetime

    from sqlmodel import Session

    from pipeline.register.tables import Request
    from pipeline.service.operations.upgrade import upgrade_register
    from pipeline.service.operations.workspace import init_workspace
    from pipeline.service.queries.listing import needs_review

    home = tmp_path / "ws"
    init_workspace(home)
    settings = load_settings(home)
    scores = {"nomor_surat": 0.95, "perihal": 0.6, "opd": 0.85, "subdomain": 1.0}
    old = {name: {"rule": "x/y", "confidence": score} for name, score in scores.items()}
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            session.add(
                Request(
                    tahun_agenda=2026,
                    nomor_agenda="001",
                    status="incomplete",
                    provenance=old,
                    received_at=datetime.now(UTC),
                    updated_at=datetime.now(UTC),
                )
            )
            session.commit()
    finally:
        engine.dispose()
    with closing(sqlite3.connect(home / "register.db")) as register, register:
        register.execute("UPDATE alembic_version SET version_num = '0007'")
    assert needs_review(old, 0.85) == ["perihal"]

    report = upgrade_register(settings)
    assert report.applied == ["0008"]
    with closing(sqlite3.connect(home / "register.db")) as register:
        [(stored,)] = register.execute("SELECT provenance FROM requests").fetchall()
    new = json.loads(stored)
    assert needs_review(new, settings.pembacaan.ambang_peluang) == ["perihal"]
    assert new["subdomain"]["confidence"] == 1.0 and new["opd"]["confidence"] == 0.99
    assert new["nomor_surat"]["rule"] == "x/y"  # only the confidence changes
