"""Ctrl+C in the terminal where `pipeline watch` runs reaches the watcher and its OCR workers
alike (one process group). The workers leave it to the watcher, which finishes the scans under
way, gives back the ones not started, and says goodbye: no traceback on the clerk's screen,
nothing left half done in inbox/.work, every file registered or back in the inbox."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.live_process import pipeline_env, run_pipeline
from tests.real_split import REAL
from tests.reliability.watcher import start_ready

SCANS = (  # multi-page scans: OCR is still under way when Ctrl+C comes
    "D021_rsud-soewondo-pati_pemberitahuan.pdf",
    "D016_kemenkes-bapelkes-smg_pengantar.pdf",
    "D019_bpjs-kudus_pemberitahuan.pdf",
)
SETTINGS = {"KONVERSI__PDF": "false"}
CLAIM_TIMEOUT = 30.0
STOP_TIMEOUT = 90.0


@pytest.mark.skipif(not (REAL / "truth.jsonl").is_file(), reason="no ../shared/real")
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")
@pytest.mark.slow
@pytest.mark.parametrize("after", [0.0, 1.5], ids=["as-workers-start", "while-pages-are-read"])
def test_ctrl_c_while_scans_are_read_finishes_them_without_a_traceback(
    tmp_path: Path, after: float
) -> None:
    """Ctrl+C `after` seconds once the watcher took a scan: just as the OCR workers are being
    started (a worker then holds the signal back until it ignores it), or while they read."""
    home = tmp_path / "kantor"
    assert run_pipeline(home, "init", str(home), settings=SETTINGS).returncode == 0
    inbox = home / "inbox"
    log = tmp_path / "watch.log"
    watcher = start_ready(home, log, pipeline_env(home, SETTINGS), prefix=["setsid"])
    try:
        for name in SCANS:
            shutil.copy(REAL / name, inbox / name)
        _wait_until_taken(inbox / ".work")
        time.sleep(after)
        os.killpg(watcher.pid, signal.SIGINT)  # what Ctrl+C does in a terminal
        watcher.process.wait(timeout=STOP_TIMEOUT)
    finally:
        watcher.kill()
    said = watcher.text()
    assert "Traceback" not in said and "KeyboardInterrupt" not in said, said[-3000:]
    assert "Selesai:" in said
    assert not [p for p in (inbox / ".work").rglob("*") if p.is_file()]
    for name in SCANS:
        read = f"{name}: surat lain" in said or f"{name}: tercatat" in said
        assert read or (inbox / name).is_file(), f"{name} is neither registered nor back"
    assert any(f"{name}: surat lain" in said for name in SCANS)  # the one under way, at least


def _wait_until_taken(work: Path) -> None:
    """Until the watcher has claimed a file (moved it into inbox/.work)."""
    started = time.monotonic()
    while time.monotonic() - started < CLAIM_TIMEOUT:
        if work.is_dir() and any(p.is_file() for p in work.rglob("*")):
            return
        time.sleep(0.05)
    raise AssertionError("the watcher took no file")
