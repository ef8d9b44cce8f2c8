"""`pipeline watch --ready-file` and the harness that waits on it."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.fault_kit import request_pdf
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.watcher import WatcherFailed, start, wait_ready, watch_command

SETTINGS = {
    "PEMANTAU__STABIL_DETIK": "0.5",
    "PEMANTAU__PINDAI_ULANG_DETIK": "120",  # a file seen quickly was seen by the armed watch
    "KONVERSI__PDF": "false",
}
QUICK = 20.0


def registered(home: Path) -> list[str]:
    with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
        return [name for (name,) in db.execute("SELECT original_name FROM files")]


def test_the_ready_file_is_written_once_watching_and_removed_at_the_stop(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    ready, log = tmp_path / "siap" / "watch.ready", tmp_path / "watch.log"
    ready.parent.mkdir()
    ready.write_text("1\n")  # a killed watcher's, left behind
    with log.open("wb") as sink:
        process = subprocess.Popen(
            watch_command(home, ready),
            env=pipeline_env(home, SETTINGS),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (ready.is_file() and ready.read_text() == f"{process.pid}\n"):
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "no ready file within 60 s"
            time.sleep(0.05)
        assert not list(ready.parent.glob(".*.tmp")), "written through a temporary file"
        (home / "inbox" / "surat.pdf").write_bytes(request_pdf(7))
        deadline = time.monotonic() + QUICK
        while "surat.pdf" not in registered(home):
            assert time.monotonic() < deadline, "a file dropped once ready waited for a rescan"
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    assert not ready.exists(), "the ready file outlived the watcher"


def test_a_watcher_that_dies_at_start_fails_the_wait_with_its_log(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    (home / "pipeline.toml").write_text("[watcher\nrusak", encoding="utf-8")
    watcher = start(home, tmp_path / "watch.log", pipeline_env(home, SETTINGS))
    with pytest.raises(WatcherFailed, match="before it was ready") as failed:
        wait_ready(watcher, timeout=60)
    assert watcher.tail().strip() and watcher.tail()[-200:] in str(failed.value)
    assert not watcher.ready_file.exists()
