"""Tools for the fault tests (issue 15): letters to drop, a register to look into, a running
watcher to watch, a PostgreSQL cluster of the test's own, and small file systems to fill.

The watcher and the register queries are those of the reliability drivers
(`tests.reliability.watcher`, `tests.reliability.kit`)."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.live_drops import ERROR_NOTE, form_lines, letter_lines, make_submission, pdf_bytes
from tests.live_process import pipeline_env, run_pipeline
from tests.reliability.kit import query
from tests.reliability.watcher import LiveWatcher, start_ready

FAST = {"PEMANTAU__STABIL_DETIK": "0.5", "KONVERSI__PDF": "false"}
AWAY = "Register tidak dapat dihubungi; mencoba lagi tiap"
PG_BIN = Path("/usr/lib/postgresql/15/bin")
FAKETIME_LIB = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


def request_pdf(index: int) -> bytes:
    """A letter and its form in one PDF: a complete request (numbered, with a sheet)."""
    sub = make_submission(random.Random(index), index)
    return pdf_bytes([letter_lines(sub), form_lines(sub)], f"permohonan {index}")


def drop(home: Path, name: str, data: bytes) -> None:
    """Written beside the inbox, then renamed in: whole at once, as a share's copy ends."""
    staging = home / "staging"
    staging.mkdir(exist_ok=True)
    (staging / name).write_bytes(data)
    os.rename(staging / name, home / "inbox" / name)


def stage(home: Path, name: str, data: bytes) -> None:
    staging = home / "staging"
    staging.mkdir(exist_ok=True)
    (staging / name).write_bytes(data)


def release(home: Path, name: str) -> None:
    os.rename(home / "staging" / name, home / "inbox" / name)


def registered(url: str) -> list[str]:
    """Original names of the files the register holds (a name twice = registered twice)."""
    return [str(name) for (name,) in query(url, "SELECT original_name FROM files ORDER BY id")]


def sqlite_url(home: Path) -> str:
    return f"sqlite:///{home / 'register.db'}"


def parked(home: Path) -> dict[str, str]:
    """Files in inbox/failed/ and their notes ('' when a note has no file, or is empty)."""
    failed = home / "inbox" / "failed"
    if not failed.is_dir():
        return {}
    found: dict[str, str] = {}
    for path in failed.iterdir():
        if path.name.endswith(ERROR_NOTE):
            found.setdefault(path.name[: -len(ERROR_NOTE)], "")
        else:
            note = path.with_name(path.name + ERROR_NOTE)
            found[path.name] = note.read_text(encoding="utf-8") if note.is_file() else ""
    return found


def empty_notes(home: Path) -> list[str]:
    return [
        p.name
        for p in home.rglob(f"*{ERROR_NOTE}")
        if p.stat().st_size == 0 or not p.with_name(p.name[: -len(ERROR_NOTE)]).exists()
    ]


def wait_for(check: Callable[[], bool], timeout: float, what: str, step: float = 0.2) -> float:
    """Seconds until `check()` held; fails the test after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    pytest.fail(f"not within {timeout:.0f} s: {what}")


@contextlib.contextmanager
def live_watcher(
    home: Path, log: Path, settings: dict[str, str], env: dict[str, str] | None = None
) -> Iterator[LiveWatcher]:
    """A ready watcher (its ready file written) for the block, killed afterwards if the block
    did not stop it; `env` is added to its environment (a faked clock)."""
    # libfaketime's clock_nanosleep fails, so such a watcher polls (Event.wait, no sleep)
    args = ["--polling"] if env else []
    watcher = start_ready(home, log, pipeline_env(home, settings) | (env or {}), args=args)
    try:
        yield watcher
    finally:
        watcher.kill()


def init_workspace(home: Path, settings: dict[str, str]) -> None:
    done = run_pipeline(home, "init", str(home), settings=settings, timeout=120)
    assert done.returncode == 0, done.stderr


def faketime_env(offset: str) -> dict[str, str]:
    """A process whose clock is `offset` away (libfaketime: "-2d", "+3y", "@2019-06-01 …")."""
    if not FAKETIME_LIB.is_file():
        pytest.skip("libfaketime is not installed (apt-get install faketime)")
    # Monotonic time stays real: libfaketime 0.9.10 hangs Python's timed lock waits otherwise.
    return {
        "LD_PRELOAD": str(FAKETIME_LIB),
        "FAKETIME": offset,
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_NO_CACHE": "1",
    }


# --------------------------------------------------------------------------- PostgreSQL


@dataclass
class OwnPostgres:
    """A throw-away cluster on its own port: stopping it disturbs nobody else's tests."""

    data: Path
    port: int
    run_as: list[str]

    def _ctl(self, *args: str) -> None:
        command = [*self.run_as, str(PG_BIN / "pg_ctl"), "-D", str(self.data / "db"), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", options, "-l", str(self.data / "log"), "-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def running(self) -> bool:
        command = [*self.run_as, str(PG_BIN / "pg_ctl"), "-D", str(self.data / "db"), "status"]
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0

    def new_database(self) -> str:
        name = f"faults_{os.getpid()}_{int(time.time() * 1000) % 10**8}"
        admin = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"


def own_postgres() -> Iterator[OwnPostgres]:
    if not (PG_BIN / "initdb").is_file():
        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = Path(tempfile.mkdtemp(prefix="pipeline-pg-", dir="/tmp"))
    if run_as:
        shutil.chown(data, "postgres", "postgres")
    initdb = [str(PG_BIN / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres"]
    subprocess.run([*run_as, *initdb, "--no-sync"], check=True, capture_output=True, timeout=120)
    cluster = OwnPostgres(data, _free_port(), run_as)
    cluster.start()
    try:
        yield cluster
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            cluster.stop()
        shutil.rmtree(data, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --------------------------------------------------------------------------- small disks


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of `megabytes` at `where` (root only; skipped with the reason otherwise)."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(disk: Path) -> Path:
    """Fill the file system holding `disk` to the last byte; the filler file to delete."""
    filler = disk / "filler.bin"
    chunk = b"\0" * 65536
    with contextlib.suppress(OSError), filler.open("wb") as out:
        while True:
            out.write(chunk)
            out.flush()
    with contextlib.suppress(OSError), filler.open("ab") as out:  # the last partial chunk
        while True:
            out.write(b"\0" * 512)
            out.flush()
    return filler


def remount(disk: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(disk)], check=True, timeout=30)
