"""Acceptance: `pipeline backup` while a real watcher is registering files, then `pipeline
restore` into a fresh folder: the restored workspace is clean by `pipeline doctor` and its
register lists exactly what the backup's snapshot held."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from pipeline.service.context import open_services
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.queries.listing import RequestFilter, list_requests
from pipeline.settings import load_settings
from tests.factories import Submission, letter_pdf
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.watcher import start_ready

pytestmark = pytest.mark.slow

FILES = 12
BACKUP_AFTER = 4
DRAIN_TIMEOUT = 120.0
SETTINGS = {"PEMANTAU__STABIL_DETIK": "0.5"}


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_pipeline(home, *args, settings=SETTINGS)


def _listed(home: Path) -> list[dict[str, Any]]:
    done = _cli(home, "register", "list", "--format", "json")
    assert done.returncode == 0, done.stderr
    listed: list[dict[str, Any]] = json.loads(done.stdout)
    return listed


def _letters(folder: Path) -> list[Path]:
    folder.mkdir()
    made = []
    for number in range(1, FILES + 1):
        submission = replace(
            Submission(),
            nomor=f"555/{number}-Dinkes/X/2026",
            subdomain=f"sehat{number}",
            email=f"siti{number}.dinkes@bantenprov.go.id",
        )
        made.append(letter_pdf(folder / f"surat-{number}.pdf", submission, with_form=True))
    return made


def _wait_for(condition: object, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-3000:]
        if callable(condition) and condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out; watcher log:\n{log.read_text(errors='replace')[-3000:]}")


def test_backup_while_watching_restores_to_a_clean_identical_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    home, backup, restored = tmp_path / "ws", tmp_path / "cadangan", tmp_path / "pulih"
    init_workspace(home)
    letters = _letters(tmp_path / "staging")
    inbox, log = home / "inbox", tmp_path / "watch.log"
    watcher = start_ready(home, log, pipeline_env(home, SETTINGS), timeout=DRAIN_TIMEOUT).process
    try:
        dropper = threading.Thread(target=_drop, args=(letters, inbox), daemon=True)
        dropper.start()
        _wait_for(lambda: len(list(home.glob("archive/??/*"))) >= BACKUP_AFTER, watcher, log)
        made = _cli(home, "backup", str(backup))
        assert made.returncode == 0, made.stderr
        dropper.join()
        _wait_for(lambda: not [p for p in inbox.rglob("*") if p.is_file()], watcher, log)
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.wait(timeout=30)

    snapshot = _snapshot_listing(backup, tmp_path / "snapshot")
    assert BACKUP_AFTER <= len(snapshot) <= FILES
    assert len(_listed_in_process(home)) == FILES

    done = _cli(restored, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    doctor = _cli(restored, "doctor", "--json")
    assert doctor.returncode == 0, doctor.stdout
    findings = {c["check"]: c["status"] for c in json.loads(doctor.stdout)["pemeriksaan"]}
    assert all(findings[c] == "ok" for c in findings if c.startswith(("Arsip", "Dokumen")))
    moved = json.dumps(snapshot).replace(str(home.resolve()), str(restored.resolve()))
    assert _listed(restored) == json.loads(moved)


def _drop(letters: list[Path], inbox: Path) -> None:
    for path in letters:
        os.rename(path, inbox / path.name)
        time.sleep(0.15)


def _snapshot_listing(backup: Path, folder: Path) -> list[dict[str, Any]]:
    """What the backup's register copy lists, read from a copy (the backup stays untouched)."""
    folder.mkdir()
    shutil.copyfile(backup / "register.db", folder / "register.db")
    return _listed_in_process(folder)


def _listed_in_process(home: Path) -> list[dict[str, Any]]:
    """The rows `pipeline register list --format json` prints, by the same service call."""
    services = open_services(load_settings(home))
    try:
        rows = list_requests(services, RequestFilter())
    finally:
        services.close()
    listed: list[dict[str, Any]] = json.loads(json.dumps(rows, ensure_ascii=False))
    return listed
