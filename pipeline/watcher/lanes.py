"""Two lanes of work, so a queue of scans never delays a digital file dropped after it.

Digital files (a text layer or Word) go to a lane of their own; files that need OCR go to a
lane as wide as the OCR pool, whose threads mostly wait for Tesseract's worker processes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

from pipeline.inbox import Claim
from pipeline.readers import needs_ocr_quick

DIGITAL_THREADS = 1


class Lanes:
    def __init__(self, scan_threads: int, work: Callable[[list[Claim]], None]) -> None:
        self._digital = ThreadPoolExecutor(DIGITAL_THREADS, thread_name_prefix="digital")
        self._scans = ThreadPoolExecutor(max(1, scan_threads), thread_name_prefix="scan")
        self._work = work
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    def submit(self, claims: list[Claim]) -> None:
        lane = self._scans if any(_needs_ocr(c.path) for c in claims) else self._digital
        future = lane.submit(self._work, claims)
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def drain(self) -> None:
        """Wait for the files already taken: each is finished, never left half done."""
        with self._lock:
            pending = set(self._pending)
        wait(pending)

    def close(self) -> None:
        self.drain()
        self._digital.shutdown(wait=True)
        self._scans.shutdown(wait=True)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)
        future.result()  # surface a bug in the log instead of losing it silently


def _needs_ocr(path: Path) -> bool:
    try:
        return needs_ocr_quick(path)
    except Exception:  # a broken file fails fast in the digital lane with its own message
        return False
