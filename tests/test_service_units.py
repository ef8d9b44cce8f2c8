"""`pipeline service install|status|backup`: the systemd units an office installs, checked by
systemd's own tools (`systemd-analyze verify` and `calendar`), and the nightly backup's
retention on a real workspace."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from pipeline.register.db import make_engine
from pipeline.register.tables import BackupRecord, now_utc
from pipeline.service.operations.backup import MANIFEST
from pipeline.service.operations.doctor import OK, WARN, diagnose
from pipeline.service.operations.nightly_backup import nightly_backup
from pipeline.service.operations.units import BACKUP_CALENDAR, REMIND_CALENDAR
from pipeline.settings import load_settings
from tests.live_process import run_pipeline

SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
JAKARTA = ZoneInfo("Asia/Jakarta")
UNITS = (
    "pipeline-watch.service",
    "pipeline-web.service",
    "pipeline-remind.service",
    "pipeline-remind.timer",
    "pipeline-backup.service",
    "pipeline-backup.timer",
)


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [SYSTEMD_ANALYZE, *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "TZ": "UTC", "LC_ALL": "C"},
        )
    except OSError as exc:
        pytest.skip(f"systemd-analyze cannot run in this machine: {exc}")


@pytest.fixture(scope="module")
def analyze_works() -> None:
    """systemd-analyze must at least parse a trivial calendar here, or these tests skip."""
    done = _analyze("calendar", "daily")
    if done.returncode != 0:
        pytest.skip(f"systemd-analyze cannot run in this machine: {done.stderr.strip()}")


def _unprivileged_user() -> str:
    """An existing account that is not root (the services never run as root)."""
    if os.getuid() != 0:
        return pwd.getpwuid(os.getuid()).pw_name
    for account in pwd.getpwall():
        if 1000 <= account.pw_uid < 65534:
            return account.pw_name
    for account in pwd.getpwall():
        if 0 < account.pw_uid < 65534:
            return account.pw_name
    pytest.skip("no unprivileged account on this machine to run the services as")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    home = tmp_path / "kantor %25 arsip"  # a '%' and a space must survive systemd's parsing
    done = run_pipeline(home, "init", str(home))
    assert done.returncode == 0, done.stderr
    return home


def _install(home: Path, units: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_pipeline(home, "service", "install", "--dir", str(units), *args)


def _directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def test_installed_units_pass_systemd_verify_and_run_the_installed_command(
    workspace: Path, tmp_path: Path, analyze_works: None
) -> None:
    user = _unprivileged_user()
    units = tmp_path / "units"
    done = _install(workspace, units, "--user", user)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in units.iterdir()) == sorted(UNITS)
    # The clerk is told what was written and what to run next, in Indonesian.
    assert "Berkas layanan ditulis ke" in done.stdout
    assert "pemantau inbox" in done.stdout and "07.00 WIB" in done.stdout
    enable = (
        "sudo systemctl enable --now pipeline-watch.service pipeline-web.service "
        "pipeline-remind.timer pipeline-backup.timer"
    )
    assert enable in done.stdout
    assert "sudo systemctl daemon-reload" in done.stdout

    verified = _analyze("verify", *(str(units / name) for name in UNITS))
    assert verified.returncode == 0, verified.stderr
    assert verified.stderr.strip() == "", verified.stderr  # not even a warning

    executable = Path(sys.executable).parent / "pipeline"
    for name in ("pipeline-watch.service", "pipeline-web.service"):
        unit = _directives((units / name).read_text(encoding="utf-8"))
        assert unit["Restart"] == ["on-failure"]
        assert unit["WantedBy"] == ["multi-user.target"]
        assert unit["User"] == [user]
        assert unit["WorkingDirectory"] == [str(workspace.resolve()).replace("%", "%%")]
        command = unit["ExecStart"][0]
        assert command.startswith(f"{executable} ")
        assert executable.is_absolute() and executable.is_file()
    watch = _directives((units / "pipeline-watch.service").read_text(encoding="utf-8"))
    assert watch["ExecStart"][0].endswith(" watch")
    web = _directives((units / "pipeline-web.service").read_text(encoding="utf-8"))
    assert " serve --host 127.0.0.1 --port 8000" in web["ExecStart"][0]
    backup = _directives((units / "pipeline-backup.service").read_text(encoding="utf-8"))
    assert backup["ExecStart"][0].endswith("--keep 14")
    assert " service backup " in backup["ExecStart"][0]


def _elapses(calendar: str, count: int) -> list[datetime]:
    """The next `count` moments systemd would start a timer with this OnCalendar, as WIB."""
    done = _analyze("calendar", f"--iterations={count}", calendar)
    assert done.returncode == 0, done.stderr
    stamps = re.findall(r"\w{3} (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC", done.stdout)
    assert len(stamps) == count, done.stdout
    return [datetime.fromisoformat(f"{stamp}+00:00").astimezone(JAKARTA) for stamp in stamps]


def test_the_reminder_runs_at_seven_wib_on_working_days_only(
    workspace: Path, tmp_path: Path, analyze_works: None
) -> None:
    units = tmp_path / "units"
    assert _install(workspace, units, "--user", _unprivileged_user()).returncode == 0
    timer = _directives((units / "pipeline-remind.timer").read_text(encoding="utf-8"))
    assert timer["OnCalendar"] == [REMIND_CALENDAR]
    moments = _elapses(timer["OnCalendar"][0], 10)  # two working weeks
    assert all((m.hour, m.minute) == (7, 0) for m in moments), moments
    assert {m.isoweekday() for m in moments} == {1, 2, 3, 4, 5}  # Senin..Jumat, never weekend
    assert moments == sorted(moments) and moments[-1] - moments[0] < timedelta(days=14)

    nightly = _directives((units / "pipeline-backup.timer").read_text(encoding="utf-8"))
    assert nightly["OnCalendar"] == [BACKUP_CALENDAR]
    nights = _elapses(nightly["OnCalendar"][0], 7)
    assert all((m.hour, m.minute) == (1, 30) for m in nights)
    assert {m.isoweekday() for m in nights} == set(range(1, 8))  # every night


def test_install_refuses_to_run_the_services_as_root(workspace: Path, tmp_path: Path) -> None:
    done = _install(workspace, tmp_path / "units", "--user", "root")
    assert done.returncode != 0
    assert "tidak dijalankan sebagai root" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "units").exists()


def test_install_runs_as_the_workspace_owner_by_default(workspace: Path, tmp_path: Path) -> None:
    owner = pwd.getpwuid(workspace.stat().st_uid).pw_name
    done = _install(workspace, tmp_path / "units")
    if owner == "root":  # a workspace root owns is refused with the way out
        assert done.returncode != 0 and "milik root" in done.stderr
        assert "useradd" in done.stderr
        return
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "units" / "pipeline-watch.service").read_text(encoding="utf-8")
    assert f"User={owner}\n" in text


def test_install_outside_a_workspace_says_so(tmp_path: Path) -> None:
    done = run_pipeline(tmp_path / "bukan", "service", "install", "--dir", str(tmp_path / "u"))
    assert done.returncode != 0
    assert "bukan folder kerja pipeline" in done.stderr and "pipeline init" in done.stderr


def test_status_without_systemd_says_so_and_lists_what_is_installed(
    workspace: Path, tmp_path: Path
) -> None:
    units = tmp_path / "units"
    assert _install(workspace, units, "--user", _unprivileged_user()).returncode == 0
    (units / "pipeline-web.service").unlink()
    done = run_pipeline(workspace, "service", "status", "--dir", str(units))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    web = next(line for line in lines if "pipeline-web.service" in line)
    assert "belum dipasang" in web
    if not Path("/run/systemd/system").is_dir():
        assert "systemd tidak berjalan di komputer ini" in done.stdout
        watch = next(line for line in lines if "pipeline-watch.service" in line)
        assert "terpasang" in watch
    assert "pemantau belum pernah berjalan" in done.stdout
    assert "belum ada cadangan tercatat" in done.stdout


def test_nightly_backup_keeps_the_newest_and_doctor_tells_its_age(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    settings = load_settings(workspace)
    before = {f.check: f for f in diagnose(settings, hash_files=False).findings}
    assert before["Cadangan"].status == WARN
    assert "belum ada cadangan" in before["Cadangan"].detail

    root = tmp_path / "cadangan"
    (root / "catatan-lain").mkdir(parents=True)  # not ours: never touched
    made = []
    for _ in range(3):
        made.append(nightly_backup(settings, root, keep=2).backup.folder)
        time.sleep(1.05)  # folders are named to the second
    left = sorted(p.name for p in root.iterdir())
    assert left == sorted(["catatan-lain", made[1].name, made[2].name])
    assert all((root / name / MANIFEST).is_file() for name in left if name != "catatan-lain")

    after = {f.check: f for f in diagnose(settings, hash_files=False).findings}
    assert after["Cadangan"].status == OK
    assert "0 menit lalu" in after["Cadangan"].detail and made[2].name in after["Cadangan"].detail

    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as session:
            for row in session.exec(select(BackupRecord)).all():
                row.made_at = now_utc() - timedelta(days=3)
                session.add(row)
            session.commit()
    finally:
        engine.dispose()
    stale = {f.check: f for f in diagnose(settings, hash_files=False).findings}
    assert stale["Cadangan"].status == WARN
    assert "3 hari lalu" in stale["Cadangan"].detail
    assert "lebih dari 2 hari" in stale["Cadangan"].detail


def test_service_backup_command_prints_what_it_kept(workspace: Path, tmp_path: Path) -> None:
    root = tmp_path / "cadangan"
    done = run_pipeline(workspace, "service", "backup", str(root), "--keep", "1")
    assert done.returncode == 0, done.stderr
    assert "Cadangan dibuat di" in done.stdout
    assert [p.name.startswith("cadangan-") for p in root.iterdir()] == [True]


def test_a_manual_backup_counts_for_doctor_too(workspace: Path, tmp_path: Path) -> None:
    done = run_pipeline(workspace, "backup", str(tmp_path / "cadangan-manual"))
    assert done.returncode == 0, done.stderr
    checked = run_pipeline(workspace, "doctor", "--quick")
    line = next(x for x in checked.stdout.splitlines() if "Cadangan" in x)
    assert "cadangan terakhir 0 menit lalu" in line and "ok" in line
