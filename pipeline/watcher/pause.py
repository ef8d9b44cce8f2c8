"""Intake paused for the machine's sake: the register away, the disk full or read-only, the
clock wrong. None of these is a file's fault, so no file is failed for them: the watcher stops
claiming, says once why (in Indonesian), retries with a growing delay and resumes by itself.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Engine

from pipeline.inbox.faults import is_machine_fault, machine_fault_text
from pipeline.register.clock import ClockError
from pipeline.register.db import register_away, register_reachable

RETRY_FIRST = 1.0
RETRY_MAX = 5.0  # seconds between tries once the delay has grown
DISK_ROOM = 1024 * 1024  # free bytes a folder needs before intake resumes

REGISTER, DISK, CLOCK = "register", "disk", "clock"


def fault_kind(exc: BaseException) -> str | None:
    """Which machine fault `exc` is, or None when it may be the file's (or a bug)."""
    if isinstance(exc, ClockError):
        return CLOCK
    if is_machine_fault(exc):
        return DISK
    seen: BaseException | None = exc
    while seen is not None:
        if register_away(seen):
            return REGISTER
        seen = seen.__cause__ or seen.__context__
    return None


def fault_message(kind: str, exc: BaseException) -> str:
    retry = f"mencoba lagi tiap {RETRY_MAX:g} detik"
    if kind == REGISTER:
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:160]
        return (
            f"Register tidak dapat dihubungi; {retry}. Berkas tetap menunggu di inbox "
            f"(penyebab: {cause})."
        )
    if kind == DISK:
        return (
            f"Penerimaan berkas dihentikan sementara: {machine_fault_text(exc)}; {retry}. "
            "Berkas tetap menunggu di inbox; kosongkan disk atau perbaiki sistem berkasnya."
        )
    text = exc.message if isinstance(exc, ClockError) else str(exc)
    return f"Penerimaan berkas dihentikan sementara: {text} Mencoba lagi tiap {RETRY_MAX:g} detik."


class Pause:
    """Shared by the main loop and the lanes; every method is thread-safe."""

    def __init__(
        self,
        engine: Engine,
        folders: Iterable[Path],
        say: Callable[[str], None],
        clock_ok: Callable[[], bool],
    ) -> None:
        self.engine = engine
        self.folders = list(folders)
        self.say = say
        self.clock_ok = clock_ok
        self._lock = threading.Lock()
        self._kind: str | None = None
        self._since = 0.0
        self._delay = RETRY_FIRST
        self._next = 0.0
        self._reason: str | None = None  # what was said when this pause began
        self.resumed_after: list[float] = []  # seconds each pause lasted (for tests, logs)

    @property
    def active(self) -> bool:
        with self._lock:
            return self._kind is not None

    @property
    def reason(self) -> str | None:
        """Why intake is paused, as it was said (None while it runs)."""
        with self._lock:
            return self._reason if self._kind is not None else None

    def hit(self, exc: BaseException) -> bool:
        """Record `exc` if it is a machine fault (True); say so once per pause."""
        kind = fault_kind(exc)
        if kind is None:
            return False
        with self._lock:
            now = time.monotonic()
            if self._kind != kind:
                if self._kind is None:
                    self._since = now
                self._kind, self._delay = kind, RETRY_FIRST
                announce = True
            else:
                self._delay = min(self._delay * 2, RETRY_MAX)
                announce = False
            self._next = now + self._delay
        if announce:
            message = fault_message(kind, exc)
            with self._lock:
                self._reason = message
            self.say(message)
        return True

    def ready(self) -> bool:
        """No pause, or its delay is over and the machine looks fixed (then try real work)."""
        with self._lock:
            kind, due = self._kind, time.monotonic() >= self._next
        if kind is None:
            return True
        if not due:
            return False
        if self._probe(kind):
            return True
        with self._lock:
            self._delay = min(self._delay * 2, RETRY_MAX)
            self._next = time.monotonic() + self._delay
        return False

    def clear(self, kind: str | None = None) -> None:
        """Real work succeeded (of `kind`, or of every kind): resume and say so."""
        with self._lock:
            if self._kind is None or (kind is not None and self._kind != kind):
                return
            lasted = time.monotonic() - self._since
            self._kind = None
            self.resumed_after.append(lasted)
        self.say(f"Penerimaan berkas dilanjutkan (terhenti {lasted:.0f} detik).")

    def delay(self) -> float:
        with self._lock:
            return max(0.05, self._next - time.monotonic()) if self._kind else 0.0

    def _probe(self, kind: str) -> bool:
        if not register_reachable(self.engine):
            return False
        if kind == DISK:
            return all(_writable(folder) for folder in self.folders)
        if kind == CLOCK:
            return self.clock_ok()
        return True


def _writable(folder: Path) -> bool:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return os.access(folder, os.W_OK) and shutil.disk_usage(folder).free >= DISK_ROOM
    except OSError:
        return False
