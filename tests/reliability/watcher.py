"""One harness for a real `pipeline watch` process: start it with `--ready-file`, wait for
that file (the watcher writes it once its inbox watch is armed and its startup recovery is
done), wait for the inbox to drain, stop it.

A watcher that dies before it is ready, or while the inbox is drained, fails the caller with
the tail of its log.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
TAIL = 3000
ERROR_NOTE = ".error.txt"


class WatcherFailed(RuntimeError):
    """The watcher died, or did not get ready or drain the inbox in time."""


@dataclass
class LiveWatcher:
    process: subprocess.Popen[bytes]
    log: Path
    ready_file: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self) -> str:
        return self.text()[-TAIL:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = STOP_TIMEOUT) -> tuple[int, float]:
        """SIGTERM: the watcher finishes what it has taken, then exits; killed if it takes
        longer than `timeout`. Its exit code (-9 when it had to be killed) and the seconds
        the stop took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return -9, time.monotonic() - started
        return int(self.process.returncode), time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL (and SIGCONT, should it be frozen), then reaped."""
        if self.process.poll() is None:
            self.process.kill()
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGCONT)
        self.process.wait(timeout=STOP_TIMEOUT)


def watch_command(
    home: Path, ready_file: Path, *, args: Sequence[str] = (), prefix: Sequence[str] = ()
) -> list[str]:
    """`[prefix…] python -m pipeline --home HOME watch [args…] --ready-file READY`."""
    pipeline = [sys.executable, "-m", "pipeline", "--home", str(home), "watch", *args]
    return [*prefix, *pipeline, "--ready-file", str(ready_file)]


def start(
    home: Path,
    log: Path,
    env: Mapping[str, str],
    *,
    args: Sequence[str] = (),
    prefix: Sequence[str] = (),
    append: bool = False,
) -> LiveWatcher:
    """A watcher on `home`, everything it prints going to `log` (appended to with `append`),
    its ready file beside the log (`watch.log` → `watch.ready`). Not yet waited for."""
    ready_file = log.with_suffix(".ready")
    with contextlib.suppress(FileNotFoundError):
        ready_file.unlink()  # a killed watcher's: only the new one's counts
    with log.open("ab" if append else "wb") as sink:
        process = subprocess.Popen(
            watch_command(home, ready_file, args=args, prefix=prefix),
            env=dict(env),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return LiveWatcher(process, log, ready_file)


def wait_ready(watcher: LiveWatcher, timeout: float = START_TIMEOUT) -> float:
    """Until the watcher has written its ready file; the seconds that took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if watcher.ready_file.is_file():
            return time.monotonic() - started
        if not watcher.alive():
            code = watcher.process.returncode
            raise WatcherFailed(f"watcher exited ({code}) before it was ready:\n{watcher.tail()}")
        time.sleep(0.05)
    raise WatcherFailed(f"watcher not ready within {timeout:.0f} s:\n{watcher.tail()}")


def start_ready(
    home: Path,
    log: Path,
    env: Mapping[str, str],
    *,
    args: Sequence[str] = (),
    prefix: Sequence[str] = (),
    append: bool = False,
    timeout: float = START_TIMEOUT,
) -> LiveWatcher:
    """`start`, then `wait_ready`; a watcher that never gets ready is killed."""
    watcher = start(home, log, env, args=args, prefix=prefix, append=append)
    try:
        wait_ready(watcher, timeout)
    except BaseException:
        watcher.kill()
        raise
    return watcher


@contextlib.contextmanager
def watching(
    home: Path,
    log: Path,
    env: Mapping[str, str],
    *,
    args: Sequence[str] = (),
    prefix: Sequence[str] = (),
    timeout: float = START_TIMEOUT,
    stop_at_exit: bool = False,
) -> Iterator[LiveWatcher]:
    """A ready watcher for the block; afterwards killed (or, with `stop_at_exit`, stopped by
    SIGTERM) if the block did not stop it."""
    watcher = start_ready(home, log, env, args=args, prefix=prefix, timeout=timeout)
    try:
        yield watcher
    finally:
        if stop_at_exit:
            watcher.stop()
        watcher.kill()


# --------------------------------------------------------------------------- the inbox


def pending(inbox: Path) -> list[Path]:
    """Files waiting in the inbox or being worked on (also in .work/), subfolders not yet
    taken, and files parked in failed/ whose note is not written yet."""
    failed = inbox / "failed"
    waiting = [p for p in inbox.rglob("*") if p.is_file() and failed not in p.parents]
    waiting += [p for p in inbox.iterdir() if p.is_dir() and p.name not in {"failed", ".work"}]
    parked = [p for p in failed.iterdir()] if failed.is_dir() else []
    notes = [p for p in parked if not p.name.endswith(ERROR_NOTE)]
    return waiting + [p for p in notes if not p.with_name(p.name + ERROR_NOTE).is_file()]


def wait_drained(
    inbox: Path,
    watchers: Sequence[LiveWatcher],
    timeout: float,
    *,
    settle: float = 0.0,
    also: Callable[[], bool] = lambda: True,
) -> float:
    """Until nothing is pending in the inbox (and `also()` holds) for `settle` seconds; the
    seconds waited. Fails when every watcher has exited, or after `timeout`."""
    started = time.monotonic()
    quiet_since: float | None = None
    while time.monotonic() - started < timeout:
        if not any(w.alive() for w in watchers):
            tails = "\n".join(w.tail() for w in watchers)
            raise WatcherFailed(f"watcher exited before the inbox was drained:\n{tails}")
        if not pending(inbox) and also():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= settle:
                return time.monotonic() - started
        else:
            quiet_since = None
        time.sleep(0.25)
    left = sorted(str(p.relative_to(inbox)) for p in pending(inbox))
    raise WatcherFailed(f"inbox not drained within {timeout:.0f} s; still there: {left[:20]}")
