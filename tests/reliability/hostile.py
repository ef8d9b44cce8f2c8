"""Hostile contents through a real watcher: every file registered or in failed/ with a reason.

    python -m tests.reliability.hostile [WORKDIR]

Builds the files of `hostile_files.py`, drops them into a fresh workspace's inbox while a real
`pipeline watch` runs (with `batas.maks_detik` lowered to 10 s so the slow file meets it in a
few seconds; every other limit at its default) and returns one row for RELIABILITY.md.
`tests/reliability/report.py` calls `run_hostile`, `test_hostile.py` `run_hostile_detail`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.hostile_files import Hostile, build_hostile, drop
from tests.reliability.kit import sampling
from tests.reliability.watcher import (
    ERROR_NOTE,
    LiveWatcher,
    WatcherFailed,
    wait_drained,
    watching,
)

ROW_NAME = "Berkas rusak/berbahaya"
RUN_MAX_SECONDS = 10.0
DRAIN_TIMEOUT = 240.0
SETTINGS = {"PEMANTAU__STABIL_DETIK": "1.0", "BATAS__MAKS_DETIK": str(RUN_MAX_SECONDS)}


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
    with watching(home, home / "watch.log", pipeline_env(home, SETTINGS)) as watcher:
        with sampling(watcher.pid) as sampler:
            started = time.monotonic()
            for item in plan:
                drop(staging, home / "inbox", item.name)
            drained = drained_in_time(home / "inbox", watcher)
            seconds = time.monotonic() - started
            alive = watcher.alive()
        exit_code, _ = watcher.stop()
    log = watcher.text()
    if not drained:
        print(f"inbox not drained within {DRAIN_TIMEOUT:.0f} s", file=sys.stderr)
    registered, problems = registered_files(home)
    notes = failed_notes(home / "inbox" / "failed")
    row = count_row(plan, registered, notes, sampler.peak_tree_mb, seconds)
    return HostileRun(row, plan, notes, problems, alive, exit_code, log)


def init_workspace(home: Path) -> None:
    done = run_pipeline(home, "init", str(home), settings=SETTINGS)
    if done.returncode != 0:
        raise RuntimeError(f"pipeline init failed:\n{done.stderr}")


def drained_in_time(inbox: Path, watcher: LiveWatcher) -> bool:
    try:
        wait_drained(inbox, [watcher], DRAIN_TIMEOUT)
    except WatcherFailed:
        return False
    return True


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
