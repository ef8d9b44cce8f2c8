"""Several workers, one register: `pipeline watch` processes on one inbox and one PostgreSQL
database. Mid-run one worker hangs (SIGSTOP: alive, but its heartbeat stops) and another is
killed (SIGKILL), each while holding a claimed file. The others must take the hung worker's
files over once its lease lapses, the dead worker's at once, and finish everything: each file
registered once, agenda numbers without a gap.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from pipeline.register.db import create_schema, make_engine
from tests.reliability.kit import (
    Row,
    audit,
    drop,
    make_copies,
    make_workspace,
    pending_files,
    query,
    start_watcher,
    stop_watcher,
    wait_drained,
    watcher_env,
)
from tests.reliability.watcher import LiveWatcher, wait_ready

PG_ADMIN = os.environ.get("PIPELINE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
LEASE_SECONDS = 3.0
HOLD_TIMEOUT = 120.0
TAKEOVER_TIMEOUT = 90.0  # the lease, plus the server ending a frozen transaction


@contextmanager
def scratch_database(admin: str = PG_ADMIN) -> Iterator[str]:
    """A dedicated, empty PostgreSQL database, dropped afterwards."""
    name = f"pipeline_rel_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = dict(part.split("=", 1) for part in admin.split())
    try:
        yield f"postgresql+psycopg://{params['user']}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_workers(workdir: Path, url: str, files: int = 300, workers: int = 3) -> Row:
    started = time.monotonic()
    home = make_workspace(workdir)
    engine = make_engine(url)
    create_schema(engine)  # once, before the workers race to create it
    engine.dispose()
    env = watcher_env(home, url, masa_klaim_detik=LEASE_SECONDS, pindai_ulang_detik=1.0)
    dropped = make_copies(workdir / "staging", files, docx_share=0.7)
    watchers = [start_watcher(home, env, log_name=f"watch-{n}.log") for n in range(workers)]
    try:
        held, codes = _run(home, url, watchers, files, workdir)
    finally:
        for watcher in watchers:  # nothing left running (or frozen) whatever happened
            watcher.kill()
    result = audit(home, url, dropped)
    note = f"{workers} pekerja; {held} berkas pekerja yang macet diambil alih setelah lease"
    if not result.clean or any(codes):
        note += f"; MASALAH: {result.problems()} exit={codes}"
    return Row(
        test=f"{workers} pekerja, satu register PostgreSQL",
        dropped=len(dropped),
        registered=result.registered,
        failed=result.failed,
        lost=len(result.lost) + len(pending_files(home / "inbox")),
        duplicated=result.duplicated + result.documents_repeated,
        kills=2,
        seconds=round(time.monotonic() - started, 1),
        note=note,
        audit=result,
        facts={"taken_over_after_lease": held, "exit_codes": max(codes, default=0)},
    )


def _run(
    home: Path, url: str, watchers: list[LiveWatcher], files: int, workdir: Path
) -> tuple[int, list[int]]:
    for watcher in watchers:
        wait_ready(watcher)
    drop(workdir / "staging", home / "inbox")
    hung, killed = watchers[0].process, watchers[1].process
    held = _stop_while_holding(url, hung)
    _wait_holding(url, killed)
    watchers[1].kill()
    _wait_released(url, hung, timeout=TAKEOVER_TIMEOUT)
    watchers[0].kill()
    survivors = watchers[2:]
    wait_drained(home, url, survivors, timeout=60 + 1.5 * files)
    return held, [stop_watcher(p)[0] for p in survivors]


def _worker(process: subprocess.Popen[bytes]) -> str:
    return f"{socket.gethostname()}-{process.pid}"


def _held_by(url: str, process: subprocess.Popen[bytes]) -> int:
    rows = query(url, f"SELECT count(*) FROM intake WHERE worker = '{_worker(process)}'")
    return int(str(rows[0][0]))


def _wait_holding(url: str, process: subprocess.Popen[bytes]) -> None:
    """Until the worker holds at least one claimed file (so the signal lands mid-file)."""
    deadline = time.monotonic() + HOLD_TIMEOUT
    while time.monotonic() < deadline:
        if _held_by(url, process):
            return
        time.sleep(0.02)
    raise RuntimeError("the worker never held a file")


def _stop_while_holding(url: str, process: subprocess.Popen[bytes]) -> int:
    """SIGSTOP the worker at a moment it holds a claimed file; how many it holds then. It may
    finish its file between the check and the signal, so it is let go and caught again."""
    deadline = time.monotonic() + HOLD_TIMEOUT
    while time.monotonic() < deadline:
        _wait_holding(url, process)
        process.send_signal(signal.SIGSTOP)
        held = _held_by(url, process)
        if held:
            return held
        process.send_signal(signal.SIGCONT)
    raise RuntimeError("the worker was never caught holding a file")


def _wait_released(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _held_by(url, process):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the hung worker's files were not taken over within {timeout:.0f} s")
