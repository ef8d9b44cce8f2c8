"""Bursts: thousands of files dropped at once into a running watcher.

All must be registered; the watcher's memory (its own process plus its OCR workers) is
sampled throughout; halfway through it is sent SIGTERM and must exit promptly with code 0
(files not yet started go back to the inbox), then a restart finishes the rest.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.reliability.kit import (
    Row,
    audit,
    db_url_of,
    drop,
    make_copies,
    make_workspace,
    pending_files,
    sampling,
    start_watcher,
    stop_watcher,
    wait_drained,
    watcher_env,
)
from tests.reliability.watcher import LiveWatcher, wait_ready

DOCX_SHARE = 0.7
SECONDS_PER_FILE = 1.0  # generous drain budget on a loaded 2-core machine


def run_burst(workdir: Path, files: int = 1000, scans: int = 3) -> Row:
    home = make_workspace(workdir)
    env = watcher_env(home)
    url = db_url_of(home, env)
    staging = workdir / "staging"
    dropped = make_copies(staging, files - scans, scans=scans, docx_share=DOCX_SHARE)
    watcher = start_watcher(home, env)
    wait_ready(watcher)
    started = time.monotonic()
    drop(staging, home / "inbox")
    with sampling(watcher.pid) as sampler:
        _wait_until_half_done(home, files, watcher)
        stop_code, stop_seconds = stop_watcher(watcher)
    left_at_stop = len(pending_files(home / "inbox"))
    watcher = start_watcher(home, env)
    wait_ready(watcher)
    with sampling(watcher.pid) as second:
        wait_drained(home, url, [watcher], timeout=60 + SECONDS_PER_FILE * files)
        code, _ = stop_watcher(watcher)
    elapsed = time.monotonic() - started
    result = audit(home, url, dropped)
    notes = [
        f"SIGTERM di tengah: keluar {stop_seconds:.1f} s, kode {stop_code}",
        f"{left_at_stop} berkas kembali menunggu",
        f"{files / elapsed:.1f} berkas/s",
        f"RSS dengan pekerja OCR {max(sampler.peak_tree_mb, second.peak_tree_mb)} MB",
    ]
    if not result.clean or code != 0 or stop_code != 0:
        notes.append(f"MASALAH: {result.problems()} exit={code}")
    return Row.audited(
        f"{files:,} berkas sekaligus".replace(",", "."),
        dropped,
        result,
        duplicated=result.duplicated + result.documents_repeated,
        peak_rss_mb=max(sampler.peak_mb, second.peak_mb),
        seconds=round(elapsed, 1),
        note="; ".join(notes),
        facts={
            "stop_seconds": stop_seconds,
            "stop_code": stop_code,
            "exit_code": code,
            "peak_tree_mb": max(sampler.peak_tree_mb, second.peak_tree_mb),
        },
    )


def _wait_until_half_done(home: Path, files: int, watcher: LiveWatcher) -> None:
    inbox = home / "inbox"
    deadline = time.monotonic() + SECONDS_PER_FILE * files
    while time.monotonic() < deadline and len(pending_files(inbox)) > files // 2:
        time.sleep(0.5)
