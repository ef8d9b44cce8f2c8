"""The watcher shell: notice files in inbox/, wait until each is completely written, ingest it.

A file is taken only when it has stopped changing: quiet for `stable_seconds`, or — when the
writer has closed it and its bytes end the way a complete file of its type ends — after a short
grace. A subfolder is one submission, taken when it has been quiet for `folder_quiet_seconds`.
A full rescan runs periodically as a safety net for events the OS never delivered (SMB, NFS).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from pipeline.inbox import Claim, stale_claims, sweep_dead_folders
from pipeline.inbox.complete import looks_complete, looks_unfinished
from pipeline.readers import is_ignored
from pipeline.service.context import Services
from pipeline.service.ingest import IngestOutcome, ingest_claims
from pipeline.service.intake import (
    claim_tracked,
    keep_alive,
    recover,
    release_tracked,
    untracked_stale,
)
from pipeline.watcher.lanes import Lanes, lane_of

CLOSED_GRACE = 0.3
ONCE_MAX_WAIT = 120.0


@dataclass
class _Seen:
    size: int
    mtime: float
    changed_at: float
    closed: bool = False
    lane: str | None = None  # decided once, when the file is ready


@dataclass
class WatchSummary:
    outcomes: list[IngestOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


class _Events(FileSystemEventHandler):
    def __init__(self, touched: queue.SimpleQueue[tuple[str, bool]]) -> None:
        self.touched = touched

    def on_any_event(self, event: FileSystemEvent) -> None:
        # A file renamed into place is as final as one its writer closed; a rename from
        # outside the watched tree arrives as "created".
        closed = event.event_type in ("closed", "moved", "created")
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw:
                self.touched.put((str(raw), closed))


class Watcher:
    def __init__(self, services: Services, report: Callable[[IngestOutcome], None]) -> None:
        self.services = services
        self.settings = services.settings
        self.report = report
        self.inbox = self.settings.inbox.resolve()
        self.seen: dict[Path, _Seen] = {}
        self.touched: queue.SimpleQueue[tuple[str, bool]] = queue.SimpleQueue()
        self.stop_requested = threading.Event()
        self.closed = threading.Event()  # the heartbeat runs until the last file is done
        self.summary = WatchSummary()
        width = services.settings.ocr.workers or os.cpu_count() or 1
        self.lanes = Lanes(width, self._ingest, self._release)
        self.heartbeat = threading.Thread(target=self._beat, name="heartbeat", daemon=True)

    def waiting(self) -> int:
        """Files noticed and not yet finished (for progress displays)."""
        return len(self.seen) + self.lanes.in_flight()

    # -- running -------------------------------------------------------------------------
    def run(self, *, once: bool = False, polling: bool = False) -> WatchSummary:
        self.settings.inbox.mkdir(parents=True, exist_ok=True)
        self.heartbeat.start()
        self._recover_stale_claims()
        try:
            return self._run_once() if once else self._watch(polling)
        finally:
            self.lanes.close()
            self.closed.set()

    def _watch(self, polling: bool) -> WatchSummary:
        observer = (
            PollingObserver(timeout=self.settings.watcher.poll_seconds) if polling else Observer()
        )
        observer.schedule(_Events(self.touched), str(self.inbox), recursive=True)
        observer.start()
        try:
            self._loop()
        finally:
            observer.stop()
            observer.join(timeout=5)
        return self.summary

    def request_stop(self, *_: object) -> None:
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        def handler(signum: int, frame: FrameType | None) -> None:
            self.request_stop()

        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def _loop(self) -> None:
        self._scan()
        next_rescan = time.monotonic() + self.settings.watcher.rescan_seconds
        while not self.stop_requested.is_set():
            self._drain_events()
            if time.monotonic() >= next_rescan:
                self._scan()
                self._take_over_lapsed()
                next_rescan = time.monotonic() + self.settings.watcher.rescan_seconds
            self._take_ready()
            self.stop_requested.wait(self.settings.watcher.poll_seconds)

    def _run_once(self) -> WatchSummary:
        """Take everything there is, then stop; give up only on files that never settle
        (the wait restarts whenever a file is taken, so a long queue is worked off)."""
        deadline = time.monotonic() + ONCE_MAX_WAIT
        self._scan()
        while self.seen and not self.stop_requested.is_set() and time.monotonic() < deadline:
            self._scan()
            if self._take_ready():
                deadline = time.monotonic() + ONCE_MAX_WAIT
            if self.seen:
                time.sleep(self.settings.watcher.poll_seconds)
        self.lanes.drain()
        return self.summary

    # -- noticing ------------------------------------------------------------------------
    def _drain_events(self) -> None:
        while True:
            try:
                raw, closed = self.touched.get_nowait()
            except queue.Empty:
                return
            path = Path(raw)
            if self._wanted(path):
                self._note(self._unit_of(path), closed)

    def _scan(self) -> None:
        for path in self._candidates():
            self._note(path, False)

    def _candidates(self) -> Iterator[Path]:
        try:
            entries = list(self.inbox.iterdir())
        except OSError:
            return
        for entry in entries:
            if self._wanted(entry):
                yield entry

    def _wanted(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.inbox)
        except ValueError:
            return False
        if not relative.parts or relative.parts[0] in {"failed", ".work"}:
            return False
        return not any(is_ignored(part) for part in relative.parts)

    def _unit_of(self, path: Path) -> Path:
        """A file inside a subfolder belongs to the subfolder's submission."""
        relative = path.relative_to(self.inbox)
        return self.inbox / relative.parts[0]

    def _note(self, path: Path, closed: bool) -> None:
        state = _stat_unit(path)
        if state is None:
            self.seen.pop(path, None)
            return
        size, mtime = state
        now = time.monotonic()
        previous = self.seen.get(path)
        if previous is None:
            # Fast only for a file that appeared whole at once (moved in) or was closed.
            whole = closed and path.is_file() and looks_complete(path, strict=True)
            self.seen[path] = _Seen(size, mtime, now, whole)
        elif (previous.size, previous.mtime) != (size, mtime):
            self.seen[path] = _Seen(size, mtime, now, False)
        elif closed:
            previous.closed = True

    # -- taking --------------------------------------------------------------------------
    def _take_ready(self) -> int:
        """Take the files that are ready while their lane has room; how many were taken."""
        lanes, taken = self.lanes, 0
        for path in sorted(self.seen, key=lambda p: self.seen[p].changed_at):
            if self.stop_requested.is_set():
                break
            if not (lanes.has_room("digital") or lanes.has_room("scan")):
                break
            if self._ready(path):
                lane = self._lane(path)
                if lane is not None and lanes.has_room(lane):
                    self.seen.pop(path, None)
                    self._take(path, lane)
                    taken += 1
        return taken

    def _lane(self, path: Path) -> str | None:
        seen = self.seen[path]
        if seen.lane is None:
            files = self._files_of(path)
            seen.lane = lane_of(files) if files else "digital"
        return seen.lane

    def _ready(self, path: Path) -> bool:
        seen = self.seen[path]
        state = _stat_unit(path)
        if state is None:
            self.seen.pop(path, None)
            return False
        if state != (seen.size, seen.mtime):
            self.seen[path] = _Seen(state[0], state[1], time.monotonic())
            return False
        quiet = time.monotonic() - seen.changed_at
        wait = self.settings.watcher
        if path.is_dir():
            return quiet >= wait.folder_quiet_seconds
        if quiet >= wait.stable_seconds:
            return quiet >= wait.unfinished_seconds or not looks_unfinished(path)
        return seen.closed and quiet >= CLOSED_GRACE and looks_complete(path)

    def _files_of(self, path: Path) -> list[Path]:
        """The files of a unit; a symlink is one file (refused later), never followed."""
        if path.is_symlink() or not path.is_dir():
            return [path]
        return sorted(
            p for p in path.rglob("*") if (p.is_symlink() or p.is_file()) and not is_ignored(p.name)
        )

    def _take(self, path: Path, lane: str) -> None:
        claims = [c for c in (claim_tracked(self.services, f) for f in self._files_of(path)) if c]
        if claims:
            self.lanes.submit(claims, lane)
        if path.is_dir() and not path.is_symlink():
            _remove_empty_tree(path)

    def _ingest(self, claims: list[Claim], into: int | None = None) -> None:
        try:
            outcomes = ingest_claims(self.services, claims, into)
        except Exception:
            # Not the file's fault (the register unreachable, a bug): give back what is
            # left so it is tried again, instead of holding it claimed until a restart.
            traceback.print_exc()
            for claimed in claims:
                if claimed.path.exists():
                    with contextlib.suppress(Exception):
                        release_tracked(self.services, claimed)
            return
        for outcome in outcomes:
            self.summary.outcomes.append(outcome)
            self.report(outcome)

    def _release(self, claims: list[Claim]) -> None:
        for claimed in claims:
            release_tracked(self.services, claimed)

    def _recover_stale_claims(self) -> None:
        """What a dead worker had claimed is finished now, from the state its journal rows
        record; files no row covers (a crashed `pipeline ingest`) are ingested by hash."""
        self._take_over_lapsed()
        self.lanes.drain()
        stale = stale_claims(self.settings.work)
        for path in untracked_stale(self.services, stale):
            self._ingest([Claim(original=self.inbox / path.name, path=path, submission=None)])
        sweep_dead_folders(self.settings.work)

    def _take_over_lapsed(self) -> None:
        for recovered in recover(self.services):
            self.lanes.submit(recovered.claims, into=recovered.into)

    def _beat(self) -> None:
        interval = self.settings.watcher.lease_seconds / 3
        while not self.closed.wait(interval):
            with contextlib.suppress(Exception):  # a lost beat only shortens the lease
                keep_alive(self.services)


def _stat_unit(path: Path) -> tuple[int, float] | None:
    """Size and newest mtime of a file, or of all files in a folder."""
    try:
        if path.is_dir():
            stats = [p.stat() for p in path.rglob("*") if p.is_file()]
            return sum(s.st_size for s in stats), max((s.st_mtime for s in stats), default=0.0)
        stat = path.stat()
        return stat.st_size, stat.st_mtime
    except OSError:
        return None


def _remove_empty_tree(folder: Path) -> None:
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
        with contextlib.suppress(OSError):
            sub.rmdir()
    with contextlib.suppress(OSError):
        folder.rmdir()
