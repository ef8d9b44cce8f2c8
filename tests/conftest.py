"""Shared fixtures: real workspaces on disk, on SQLite and on the machine's PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from pipeline.service.context import Services, open_services
from pipeline.service.operations.workspace import init_workspace
from pipeline.settings import load_settings

PG_ADMIN = os.environ.get("PIPELINE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
SHARED = Path(__file__).resolve().parents[2] / "shared"


def _pg_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@pytest.fixture(autouse=True)
def _docx_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """PDF copies start LibreOffice (seconds per process); tests/test_signing.py covers them
    and turns them back on, every other test keeps documents DOCX only to stay fast."""
    monkeypatch.setenv("PIPELINE_KONVERSI__PDF", "false")


@pytest.fixture(scope="session")
def pg_server() -> str:
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is required in CI but is not reachable")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not reachable")
    return PG_ADMIN


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"pipeline_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = dict(part.split("=", 1) for part in pg_server.split())
    yield (f"postgresql+psycopg://{params['user']}@{params['host']}:{params['port']}/{name}")
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def workspace(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "ws"
    monkeypatch.setenv("PIPELINE_DB_URL", db_url)
    init_workspace(home)
    return home


@pytest.fixture
def services(workspace: Path) -> Iterator[Services]:
    opened = open_services(load_settings(workspace))
    yield opened
    opened.close()


@pytest.fixture
def client(office: tuple[Path, Services]) -> Iterator[TestClient]:
    """The web app on the test module's `office` workspace, redirects not followed."""
    from pipeline.web import create_app

    with TestClient(create_app(office[0]), follow_redirects=False) as opened:
        yield opened
