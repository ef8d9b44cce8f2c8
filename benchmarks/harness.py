"""What the benchmarks share: a real `pipeline watch` process to drop files into."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STOP_TIMEOUT = 30.0


@contextmanager
def running_watcher(home: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A watcher on `home`, logging to home/watch.log, stopped by SIGTERM on exit."""
    log_path = home / "watch.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "--home", str(home), "watch"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for_text(log_path, "Memantau", process)
            yield process
        finally:
            stop(process)


def wait_for_text(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        content = log.read_text(encoding="utf-8", errors="replace")
        if process.poll() is not None:
            raise SystemExit(f"watcher exited early:\n{content}")
        if text in content:
            return
        time.sleep(0.05)
    raise SystemExit("watcher did not start within 30 s")


def stop(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> int:
    """SIGTERM and wait: the watcher finishes what it has taken, then exits; killed if it
    takes longer than `timeout`. Its exit code, -9 when it had to be killed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            return -9
    return int(process.returncode)
