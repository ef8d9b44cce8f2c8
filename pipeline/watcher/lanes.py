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
DIGITAL_ROOM = 4  # units taken but not finished: enough to keep the lane busy, no more
DIGITAL = "digital"
SCAN = "scan"


class Lanes:
    def __init__(
        self,
        scan_threads: int,
        work: Callable[[list[Claim], int | None], None],
        release: Callable[[list[Claim]], None],
    ) -> None:
        self._digital = ThreadPoolExecutor(DIGITAL_THREADS, thread_name_prefix="digital")
        self._scans = ThreadPoolExecutor(max(1, scan_threads), thread_name_prefix="scan")
        self._work = work
        self._release = release
        self._pending: dict[Future[None], tuple[str, list[Claim]]] = {}
        self._room = {DIGITAL: DIGITAL_ROOM, SCAN: max(1, scan_threads) + 1}
        self._lock = threading.Lock()

    def submit(self, claims: list[Claim], lane: str | None = None, into: int | None = None) -> None:
        """`into`: the request a recovered submission already joined."""
        lane = lane or lane_of([c.path for c in claims])
        executor = self._scans if lane == SCAN else self._digital
        future = executor.submit(self._work, claims, into)
        with self._lock:
            self._pending[future] = (lane, claims)
        future.add_done_callback(self._done)

    def has_room(self, lane: str) -> bool:
        """Files are claimed only as fast as a lane works them off, so a burst of thousands
        stays in the inbox (where other workers can take it) instead of in this process."""
        with self._lock:
            queued = sum(1 for name, _ in self._pending.values() if name == lane)
        return queued < self._room[lane]

    def in_flight(self) -> int:
        with self._lock:
            return len(self._pending)

    def busy(self) -> bool:
        with self._lock:
            return bool(self._pending)

    def drain(self) -> None:
        """Wait for the files already taken: each is finished, never left half done."""
        with self._lock:
            pending = set(self._pending)
        wait(pending)

    def close(self) -> None:
        """Finish the files being worked on; give the ones not started back to the inbox,
        so a stop is prompt however long the queue."""
        with self._lock:
            waiting = [(f, claims) for f, (_, claims) in self._pending.items()]
        for future, claims in waiting:
            if future.cancel():
                self._release(claims)
        self.drain()
        self._digital.shutdown(wait=True)
        self._scans.shutdown(wait=True)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.pop(future, None)
        if not future.cancelled():
            future.result()  # surface a bug in the log instead of losing it silently


def lane_of(paths: list[Path]) -> str:
    return SCAN if any(_needs_ocr(path) for path in paths) else DIGITAL


def _needs_ocr(path: Path) -> bool:
    if path.is_symlink():  # refused unread (its target may be anything, even a FIFO)
        return False
    try:
        return needs_ocr_quick(path)
    except Exception:  # a broken file fails fast in the digital lane with its own message
        return False
