"""Hostile contents through a real watcher: every file registered or in failed/ with a reason.

    python benchmarks/reliability_hostile.py [WORKDIR]

Builds the files of `hostile_files.py`, drops them into a fresh workspace's inbox while a real
`pipeline watch` runs (with `limits.max_seconds` lowered to 10 s so the slow file meets it in a
few seconds; every other limit at its default) and returns one row for RELIABILITY.md.
`benchmarks/reliability.py` imports `run_hostile`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from harness import running_watcher
from hostile_files import Hostile, build_hostile, drop

ROW_NAME = "Berkas rusak/berbahaya"
RUN_MAX_SECONDS = 10.0
DRAIN_TIMEOUT = 240.0
ERROR_NOTE = ".error.txt"


@dataclass
class HostileRun:
    row: dict[str, int | float | str]
    plan: list[Hostile]
    notes: dict[str, str]  # failed name → its error note
    problems: dict[str, list[str]]  # registered name → the problems kept with it
    alive: bool  # the watcher was still running when the inbox had drained
    exit_code: int | None  # after SIGTERM
    log: str = field(repr=False, default="")


def run_hostile(workdir: Path) -> dict[str, int | float | str]:
    return run_hostile_detail(workdir).row


def run_hostile_detail(workdir: Path) -> HostileRun:
    home, staging = workdir / "ws", workdir / "hostile"
    plan = build_hostile(staging)
    init_workspace(home)
    env = watcher_env(home)
    with running_watcher(home, env) as process:
        sampler = RssSampler(process.pid)
        started = time.monotonic()
        for item in plan:
            drop(staging, home / "inbox", item.name)
        drained = wait_until_drained(home / "inbox", process)
        seconds = time.monotonic() - started
        alive = process.poll() is None
        peak = sampler.stop()
    log = (home / "watch.log").read_text(encoding="utf-8", errors="replace")
    if not drained:
        print(f"inbox not drained within {DRAIN_TIMEOUT:.0f} s", file=sys.stderr)
    registered, problems = registered_files(home)
    notes = failed_notes(home / "inbox" / "failed")
    row = count_row(plan, registered, notes, peak, seconds)
    return HostileRun(row, plan, notes, problems, alive, process.returncode, log)


def init_workspace(home: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pipeline", "init", str(home)],
        env=watcher_env(home),
        check=True,
        capture_output=True,
    )


def watcher_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(
        {
            "PIPELINE_HOME": str(home),
            "PIPELINE_WATCHER__STABLE_SECONDS": "1.0",
            "PIPELINE_LIMITS__MAX_SECONDS": str(RUN_MAX_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class RssSampler:
    """Peak resident memory of the watcher and its OCR workers together, sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(0.05):
            try:
                tree = [self.process, *self.process.children(recursive=True)]
                total = sum(_rss(p) for p in tree)
            except psutil.Error:
                return
            self.peak = max(self.peak, total)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak / (1024 * 1024)


def _rss(process: psutil.Process) -> int:
    try:
        return int(process.memory_info().rss)
    except psutil.Error:
        return 0


def pending(inbox: Path) -> list[Path]:
    """Files not yet taken or being worked on, and failed files whose note is not written."""
    failed = inbox / "failed"
    left = [p for p in inbox.rglob("*") if p.is_file() and failed not in p.parents]
    parked = [p for p in failed.glob("*") if not p.name.endswith(ERROR_NOTE)]
    return left + [p for p in parked if not p.with_name(p.name + ERROR_NOTE).is_file()]


def wait_until_drained(inbox: Path, process: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        if not pending(inbox):
            return True
        time.sleep(0.2)
    return False


def registered_files(home: Path) -> tuple[Counter[str], dict[str, list[str]]]:
    names: Counter[str] = Counter()
    problems: dict[str, list[str]] = {}
    with sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True) as db:
        for name, raw in db.execute("SELECT original_name, problems FROM files"):
            names[name] += 1
            problems[name] = json.loads(raw) if raw else []
    return names, problems


def failed_notes(failed: Path) -> dict[str, str]:
    if not failed.is_dir():
        return {}
    return {
        p.name: p.with_name(p.name + ERROR_NOTE).read_text(encoding="utf-8")
        for p in failed.iterdir()
        if not p.name.endswith(ERROR_NOTE) and p.with_name(p.name + ERROR_NOTE).is_file()
    }


def count_row(
    plan: list[Hostile],
    registered: Counter[str],
    notes: dict[str, str],
    peak_mb: float,
    seconds: float,
) -> dict[str, int | float | str]:
    names = [item.name for item in plan]
    with_reason = [n for n in names if notes.get(n, "").strip()]
    lost = [n for n in names if n not in registered and n not in with_reason]
    twice = [n for n in names if registered[n] > 1 or (registered[n] and n in notes)]
    return {
        "test": ROW_NAME,
        "dropped": len(names),
        "registered": sum(1 for n in names if registered[n]),
        "failed_with_reason": len(with_reason),
        "lost": len(lost),
        "duplicated": len(twice),
        "peak_rss_mb": round(peak_mb, 1),
        "seconds": round(seconds, 1),
    }


def main() -> int:
    if len(sys.argv) > 1:
        folder = Path(sys.argv[1])
        folder.mkdir(parents=True, exist_ok=True)
        row = run_hostile(folder)
    else:
        with tempfile.TemporaryDirectory(prefix="hostile-") as temporary:
            row = run_hostile(Path(temporary))
    for key, value in row.items():
        print(f"{key:>20}: {value}")
    return 0 if row["lost"] == 0 and row["duplicated"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
