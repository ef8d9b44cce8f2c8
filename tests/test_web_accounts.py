"""Managing web accounts from the command line, as an admin would: list, new password, new
role, disable, enable; and wrong passwords in a row locking an account for a while."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli.app import app as cli_app
from pipeline.web import create_app
from tests.live_process import run_pipeline
from tests.test_web import csrf_of

SARI, BUDI = "sandi-sari-1", "sandi-budi-1"


# Long enough that the checks made while locked (three CLI calls) finish inside it on a busy
# machine; the lock's end is then awaited from when it began.
LOCKOUT_SECONDS = 6.0


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    monkeypatch.setenv("PIPELINE_WEB__MAKS_GAGAL_MASUK", "3")
    monkeypatch.setenv("PIPELINE_WEB__LAMA_KUNCI_MENIT", str(LOCKOUT_SECONDS / 60))
    folder = tmp_path / "kantor"
    assert run("init", str(folder)).exit_code == 0
    for name, role, password in (("sari", "sekretariat", SARI), ("budi", "kadis", BUDI)):
        made = run(
            "--home",
            str(folder),
            "user",
            "add",
            name,
            "--role",
            role,
            "--password-stdin",
            stdin=password,
        )
        assert made.exit_code == 0, made.output
    return folder


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli_app, list(args), input=None if stdin is None else stdin + "\n")


def user(home: Path, *args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return run("--home", str(home), "user", *args, stdin=stdin)


def real_cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """The installed command as an admin types it: exit codes and messages included."""
    return run_pipeline(home, "user", *args, stdin=stdin + "\n")


def log_in(client: TestClient, name: str, password: str) -> int:
    data = {"csrf_token": csrf_of(client), "name": name, "password": password, "next": "/"}
    return client.post("/login", data=data).status_code


def accounts(home: Path) -> dict[str, dict[str, object]]:
    listed = user(home, "list", "--json")
    assert listed.exit_code == 0, listed.output
    return {row["nama"]: row for row in json.loads(listed.output)}


def test_wrong_passwords_in_a_row_lock_the_account_for_a_while(home: Path) -> None:
    with TestClient(create_app(home), follow_redirects=False) as client:
        assert [log_in(client, "sari", "salah-salah") for _ in range(3)] == [401] * 3
        started = time.monotonic()  # the lock runs from the third wrong password
        locked = client.post(
            "/login", data={"csrf_token": csrf_of(client), "name": "sari", "password": SARI}
        )
        assert locked.status_code == 429 and "dikunci" in locked.text, "right password, locked"
        assert log_in(client, "budi", BUDI) == 303, "another account is not locked"
        assert accounts(home)["sari"]["terkunci_sampai"] is not None
        assert "terkunci" in user(home, "list").output
        time.sleep(max(0.0, started + LOCKOUT_SECONDS + 0.5 - time.monotonic()))
        client.cookies.clear()
        assert log_in(client, "sari", SARI) == 303, "the lock ends by itself"
    assert accounts(home)["sari"]["terakhir_masuk"] is not None


def test_enable_lifts_a_lock_at_once(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_WEB__LAMA_KUNCI_MENIT", "60")
    with TestClient(create_app(home), follow_redirects=False) as client:
        for _ in range(3):
            log_in(client, "budi", "salah-salah")
        assert log_in(client, "budi", BUDI) == 429
        assert user(home, "enable", "budi").exit_code == 0
        assert log_in(client, "budi", BUDI) == 303


def test_a_new_password_ends_old_sessions_and_disable_ends_them_at_once(home: Path) -> None:
    with TestClient(create_app(home), follow_redirects=False) as client:
        assert log_in(client, "sari", SARI) == 303
        assert client.get("/").status_code == 200
        changed = user(home, "passwd", "sari", "--password-stdin", stdin="sandi-baru-99")
        assert changed.exit_code == 0, changed.output
        assert client.get("/").status_code == 303, "a session from the old password survived"
        client.cookies.clear()
        assert log_in(client, "sari", SARI) == 401
        assert log_in(client, "sari", "sandi-baru-99") == 303
        assert client.get("/").status_code == 200
        assert user(home, "disable", "sari").exit_code == 0
        assert client.get("/").status_code == 303, "a disabled account kept its session"
        client.cookies.clear()
        assert log_in(client, "sari", "sandi-baru-99") == 401
    assert accounts(home)["sari"]["aktif"] is False


def test_a_new_role_takes_effect_and_mistakes_are_refused_in_indonesian(home: Path) -> None:
    assert user(home, "role", "sari", "kabid").exit_code == 0
    assert accounts(home)["sari"]["peran"] == "kabid"
    with TestClient(create_app(home), follow_redirects=False) as client:
        assert log_in(client, "sari", SARI) == 303
        assert "Kepala Bidang" in client.get("/").text
    unknown = real_cli(home, "passwd", "tidakada", "--password-stdin", stdin="sandi-apa-saja")
    assert unknown.returncode == 4 and "tidak ada" in unknown.stderr
    wrong_role = real_cli(home, "role", "sari", "raja")
    assert wrong_role.returncode == 2 and "tidak dikenal" in wrong_role.stderr
    short = real_cli(home, "passwd", "sari", "--password-stdin", stdin="pendek")
    assert short.returncode == 2 and "terlalu pendek" in short.stderr
