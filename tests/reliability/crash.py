"""Crash safety: `kill -9` of a real `pipeline watch` at random moments while it ingests.

Files are dropped in waves; before each restart a new wave lands, so every kill falls while
files are being claimed, archived, read, registered or documented. After the last kill a
watcher runs until the inbox is empty and the audit checks each file registered once, its
original archived (hash equal), each document made once and agenda numbers without a gap.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from tests.reliability.kit import (
    Row,
    audit,
    db_url_of,
    drop,
    make_copies,
    make_workspace,
    start_watcher,
    stop_watcher,
    wait_drained,
    watcher_env,
)
from tests.reliability.watcher import wait_ready

SEED = 20261127
FIRST_KILL_AFTER = (0.4, 1.6)  # seconds after the watcher is ready (its ready file)


def run_crash(workdir: Path, kills: int = 20, wave: int = 6, seed: int = SEED) -> Row:
    started = time.monotonic()
    rng = random.Random(seed)
    home = make_workspace(workdir)
    env = watcher_env(home)
    url = db_url_of(home, env)
    staging = workdir / "staging"
    dropped: dict[str, str] = {}
    survived = 0
    for round_ in range(kills):
        made = make_copies(staging, wave, start=round_ * wave)
        dropped.update(made)
        drop(staging, home / "inbox")
        watcher = start_watcher(home, env)
        wait_ready(watcher)
        time.sleep(rng.uniform(*FIRST_KILL_AFTER))
        if watcher.alive():
            survived += 1
        watcher.kill()
    watcher = start_watcher(home, env)
    wait_ready(watcher)
    wait_drained(home, url, [watcher], timeout=120 + 2 * len(dropped))
    code, _ = stop_watcher(watcher)
    result = audit(home, url, dropped)
    note = "" if result.clean else result.problems()
    if code != 0:
        note += f" exit={code}"
    return Row.audited(
        "kill -9 selama ingest",
        dropped,
        result,
        duplicated=result.duplicated + result.documents_repeated,
        kills=survived,
        seconds=round(time.monotonic() - started, 1),
        note=note.strip() or f"dokumen yatim={result.orphan_documents}",
        facts={"exit_code": code},
    )
