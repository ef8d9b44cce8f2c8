"""Is intake running? A real `pipeline watch` process renews its heartbeat in the register;
`pipeline doctor` and the secretariat's web page tell when it stopped — asked to stop, or
killed without a word — with the moment in WIB."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from pipeline.service.context import open_services
from pipeline.service.operations.users import add_user
from pipeline.settings import load_settings
from pipeline.web import create_app
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.watcher import start_ready

LEASE = 2.0  # the heartbeat is renewed every LEASE/3 s and stale after 2×LEASE s
SETTINGS = {
    "PEMANTAU__MASA_KLAIM_DETIK": str(LEASE),
    "KONVERSI__PDF": "false",
    "OCR__AKTIF": "false",
}
PASSWORD = "kata-sandi-uji"
JAKARTA = ZoneInfo("Asia/Jakarta")
STOPPED = re.compile(r"pemantau tidak berjalan sejak (\d{2}-\d{2}-\d{4} \d{2}:\d{2}) WIB")


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A workspace with a secretariat and a Kepala Dinas account; the in-process web page
    reads the same settings as the watcher process."""
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    for name, value in SETTINGS.items():
        monkeypatch.setenv(f"PIPELINE_{name}", value)
    home = tmp_path / "kantor"
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    services = open_services(load_settings(home))
    try:
        add_user(services, "sekretariat", "sekretariat", PASSWORD)
        add_user(services, "kadis", "kadis", PASSWORD)
    finally:
        services.close()
    return home


@pytest.fixture
def page(office: Path) -> Iterator[TestClient]:
    with TestClient(create_app(office), follow_redirects=False) as client:
        yield client


def _log_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    done = client.post(
        "/login",
        data={"csrf_token": token.group(1), "name": name, "password": PASSWORD, "next": "/"},
    )
    assert done.status_code == 303


def _banner(client: TestClient) -> str | None:
    html = client.get("/").text
    found = re.search(r'<p class="alert intake-stopped" role="alert">(.*?)</p>', html, re.S)
    return found.group(1) if found else None


def _watcher_check(home: Path) -> dict[str, str]:
    done = run_pipeline(home, "doctor", "--json", "--quick", settings=SETTINGS)
    checks = {c["check"]: c for c in json.loads(done.stdout)["pemeriksaan"]}
    found: dict[str, str] = checks["Pemantau inbox"]
    return found


def _start(home: Path, log: Path) -> subprocess.Popen[bytes]:
    return start_ready(home, log, pipeline_env(home, SETTINGS), timeout=30).process


def _wait_for(condition: object, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.25)
    pytest.fail(f"not within {timeout} s")


def _wib(text: str) -> datetime:
    return datetime.strptime(text, "%d-%m-%Y %H:%M").replace(tzinfo=JAKARTA)


def _near(shown: str, moment: datetime) -> bool:
    """`shown` (minutes, WIB) is the minute of `moment`, or the one before."""
    return timedelta(0) <= moment - _wib(shown) < timedelta(minutes=2)


@pytest.mark.slow
def test_doctor_and_the_banner_follow_a_real_watcher(
    office: Path, page: TestClient, tmp_path: Path
) -> None:
    # Before any watcher ran: both say intake never started.
    assert "belum pernah berjalan" in _watcher_check(office)["detail"]
    _log_in(page, "sekretariat")
    banner = _banner(page)
    assert banner is not None and "pemantau inbox belum pernah dijalankan" in banner

    watcher = _start(office, tmp_path / "watch-1.log")
    try:
        check = _watcher_check(office)
        assert check["status"] == "ok", check
        assert check["detail"].startswith("berjalan di ")
        assert _banner(page) is None  # intake runs: nothing to tell the secretariat

        # Asked to stop (systemctl stop sends SIGTERM): stopped from that moment on.
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
        stopped_at = datetime.now(JAKARTA)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(timeout=10)
    check = _watcher_check(office)
    assert check["status"] == "peringatan"
    shown = STOPPED.search(check["detail"])
    assert shown and _near(shown.group(1), stopped_at), check["detail"]
    banner = _banner(page)
    assert banner is not None and banner.startswith("Penerimaan berkas berhenti")
    assert f"tidak berjalan sejak {shown.group(1)} WIB" in banner
    assert "Beri tahu pengelola sistem" in banner

    # Officials do not handle intake: they are not shown the banner.
    _log_in(page, "kadis")
    assert _banner(page) is None


@pytest.mark.slow
def test_a_killed_watcher_is_seen_stopped_once_its_heartbeat_goes_stale(
    office: Path, page: TestClient, tmp_path: Path
) -> None:
    _log_in(page, "sekretariat")
    watcher = _start(office, tmp_path / "watch-2.log")
    try:
        _wait_for(lambda: _banner(page) is None, 10)
        watcher.kill()  # kill -9: no chance to say it stopped
        watcher.wait(timeout=10)
        killed_at = datetime.now(JAKARTA)
    finally:
        if watcher.poll() is None:
            watcher.kill()
            watcher.wait(timeout=10)
    assert _banner(page) is None  # the last beat is still fresh for 2×LEASE seconds
    _wait_for(lambda: _banner(page) is not None, 4 * LEASE + 5)
    banner = _banner(page)
    assert banner is not None
    shown = re.search(r"sejak (\d{2}-\d{2}-\d{4} \d{2}:\d{2}) WIB", banner)
    assert shown and _near(shown.group(1), killed_at), banner
    check = _watcher_check(office)
    assert check["status"] == "peringatan" and shown.group(1) in check["detail"]

    # Started again, intake runs and the banner goes.
    again = _start(office, tmp_path / "watch-3.log")
    try:
        _wait_for(lambda: _banner(page) is None, 10)
        assert _watcher_check(office)["status"] == "ok"
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=60)


@pytest.mark.slow
def test_a_running_watcher_that_takes_no_files_is_shown_held_up_with_its_reason(
    office: Path, page: TestClient, tmp_path: Path
) -> None:
    """The archive's disk read-only: the watcher runs but takes no file (intake paused, the
    register reachable). The secretariat is told intake is held up, and why; doctor warns
    the same way; once the disk is writable again the banner goes."""
    from tests.factories import Submission, letter_pdf
    from tests.fault_kit import remount, small_disk

    _log_in(page, "sekretariat")
    with small_disk(office / "archive", 8) as archive:
        watcher = _start(office, tmp_path / "watch-4.log")
        try:
            _wait_for(lambda: _banner(page) is None, 10)
            remount(archive, "ro")
            letter_pdf(office / "inbox" / "arsip-ro.pdf", Submission())
            _wait_for(lambda: _banner(page) is not None, 30)
            banner = _banner(page)
            assert banner is not None and banner.startswith("Penerimaan berkas tertahan.")
            assert "hanya-baca" in banner and "Berkas tetap menunggu di inbox" in banner
            check = _watcher_check(office)
            assert check["status"] == "peringatan", check
            assert "tidak menerima berkas" in check["detail"], check
            remount(archive, "rw")
            _wait_for(lambda: _banner(page) is None, 30)
            assert _watcher_check(office)["status"] == "ok"
        finally:
            watcher.send_signal(signal.SIGTERM)
            watcher.wait(timeout=60)
