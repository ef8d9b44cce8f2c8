"""The watcher shell: notice files in inbox/, wait until each is completely written, ingest it.

A file is taken only when it has stopped changing: quiet for `stable_seconds`, or — when the
writer has closed it and its bytes end the way a complete file of its type ends — after a short
grace. A subfolder is one submission, taken when it has been quiet for `folder_quiet_seconds`.
A full rescan runs periodically as a safety net for events the OS never delivered (SMB, NFS).

The machine failing (the register away, a full or read-only disk, a wrong clock) pauses intake
instead of ending the watcher: see `pause.py`. A file that raises an error nobody expected is
given back to the inbox, and parked in inbox/failed/ once it has come back `MAX_RETURNS` times.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from pipeline import logbook
from pipeline.inbox import Claim, sha256_of, stale_claims, sweep_dead_folders, worker_id
from pipeline.inbox.complete import looks_complete, looks_unfinished
from pipeline.readers import is_ignored
from pipeline.register import intake, liveness, returns
from pipeline.service.context import Services
from pipeline.service.intake.claims import (
    claim_tracked,
    clock_plausible,
    drop_tracked,
    fail_tracked,
    keep_alive,
    recover,
    release_tracked,
    untracked_stale,
)
from pipeline.service.intake.ingest import IngestOutcome, ingest_claims
from pipeline.watcher.arming import InboxWatch
from pipeline.watcher.lanes import Lanes, lane_of
from pipeline.watcher.pause import REGISTER, Pause
from pipeline.watcher.ready import ReadyFile

CLOSED_GRACE = 0.3
ONCE_MAX_WAIT = 120.0
MAX_RETURNS = 3  # times a file is given back after an unexpected error before it is parked
STOP_MARK_WAIT = 5.0  # seconds the heartbeat gets to record that the watcher stopped


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


def _say(text: str) -> None:
    """What the watcher tells whoever runs it (a pause, a resume, a re-armed watch): on its
    screen and in the log."""
    print(text, flush=True)
    logbook.event("watcher", "watcher.notice", text)


class Watcher:
    def __init__(
        self,
        services: Services,
        report: Callable[[IngestOutcome], None],
        say: Callable[[str], None] = _say,
        *,
        ready_file: Path | None = None,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.report = report
        self.inbox = self.settings.inbox.resolve()
        self.seen: dict[Path, _Seen] = {}
        self.touched: queue.SimpleQueue[tuple[str, bool]] = queue.SimpleQueue()
        self.stop_requested = threading.Event()
        self.closed = threading.Event()  # the heartbeat runs until the last file is done
        self.summary = WatchSummary()
        width = services.settings.ocr.proses or os.cpu_count() or 1
        self.lanes = Lanes(width, self._ingest, self._release)
        self.heartbeat = threading.Thread(target=self._beat, name="heartbeat", daemon=True)
        settings = self.settings
        folders = (settings.archive, settings.outbox, settings.failed, settings.work)
        self.pause = Pause(services.engine, folders, say, lambda: clock_plausible(services))
        self.once = False
        self.rescan_due = False
        self.taken = 0  # units taken by the last round
        self.gave_back = False  # a file went back to the inbox after an unexpected error
        self.recovered = False  # the startup recovery is done (retried while paused)
        self.ready = ReadyFile(ready_file)  # written once watching, removed at the stop

    def waiting(self) -> int:
        """Files noticed and not yet finished (for progress displays)."""
        return len(self.seen) + self.lanes.in_flight()

    # -- running -------------------------------------------------------------------------
    def run(self, *, once: bool = False, polling: bool = False) -> WatchSummary:
        self.settings.inbox.mkdir(parents=True, exist_ok=True)
        self.once = once
        self.ready.clear()  # one a killed watcher left behind says nothing about this one
        self.heartbeat.start()
        try:
            return self._run_once() if once else self._watch(polling)
        finally:
            self.lanes.close()
            self.closed.set()
            self.heartbeat.join(timeout=STOP_MARK_WAIT)  # its last act marks us stopped

    def _watch(self, polling: bool) -> WatchSummary:
        watch = InboxWatch(
            self.inbox,
            _Events(self.touched),
            lambda entry: self.touched.put((str(entry), False)),
            self.pause.say,
            polling=polling,
            poll_seconds=self.settings.pemantau.jeda_detik,
        )
        watch.start()  # and put back when inbox/ is deleted and made again
        try:
            self._loop()
        finally:
            self.ready.clear()
            watch.stop()
        return self.summary

    def request_stop(self, *_: object) -> None:
        self.stop_requested.set()

    def install_signal_handlers(self) -> None:
        """SIGINT and SIGTERM stop the watcher. The handler only puts the signal in a queue
        (SimpleQueue.put is reentrant) and a thread of its own sets `stop_requested`: a
        handler runs in the main thread between two bytecodes, possibly inside
        `stop_requested.wait()` holding the Event's lock, and setting the Event there waited
        for that lock forever (a SIGTERM that never ended a watcher under libfaketime)."""
        signals: queue.SimpleQueue[int] = queue.SimpleQueue()

        def handler(signum: int, frame: FrameType | None) -> None:
            signals.put(signum)

        def relay() -> None:
            signals.get()
            self.request_stop()

        threading.Thread(target=relay, name="stop-signal", daemon=True).start()
        signal.signal(signal.SIGINT, handler)
        signal.signal(signal.SIGTERM, handler)

    def _loop(self) -> None:
        self._scan()
        self._guarded(self._recover_stale_claims)
        next_rescan = time.monotonic() + self.settings.pemantau.pindai_ulang_detik
        while not self.stop_requested.is_set():
            if self.recovered:
                self.ready.mark()  # the watch is armed (`_watch`) and the recovery done
            self._drain_events()
            if self.pause.ready():
                self.rescan_due = time.monotonic() >= next_rescan
                if self._guarded(self._round) and self.rescan_due:
                    next_rescan = time.monotonic() + self.settings.pemantau.pindai_ulang_detik
            self.stop_requested.wait(self._nap())

    def _round(self) -> None:
        """One round of work; raises what the machine's faults raise (the caller pauses)."""
        self.taken = 0
        if not self.recovered:
            self._recover_stale_claims()
        if self.rescan_due:
            self._scan()
            self._take_over_lapsed()
        self.taken = self._take_ready()

    def _nap(self) -> float:
        poll = self.settings.pemantau.jeda_detik
        return min(poll, self.pause.delay()) if self.pause.active else poll

    def _guarded(self, work: Callable[[], object]) -> bool:
        """Run `work`; a machine fault pauses intake (False) instead of ending the watcher."""
        try:
            work()
        except Exception as exc:
            if not self.pause.hit(exc):
                raise
            return False
        return True

    def _run_once(self) -> WatchSummary:
        """Take everything there is, then stop; give up only on files that never settle
        (the wait restarts whenever a file is taken, so a long queue is worked off)."""
        self._scan()
        self._guarded(self._recover_stale_claims)
        while True:
            deadline = time.monotonic() + ONCE_MAX_WAIT
            while (
                (self.seen or not self.recovered)
                and not self.stop_requested.is_set()
                and time.monotonic() < deadline
            ):
                self._scan()
                if self.pause.ready() and self._guarded(self._round) and self.taken:
                    deadline = time.monotonic() + ONCE_MAX_WAIT
                if self.seen or not self.recovered:
                    self.stop_requested.wait(self._nap())
            self.lanes.drain()
            # Files given back after an unexpected error are taken again until parked.
            if not self.gave_back or self.stop_requested.is_set():
                return self.summary
            self.gave_back = False
            self._scan()

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
        wait = self.settings.pemantau
        if path.is_dir():
            return quiet >= wait.folder_tenang_detik
        if quiet >= wait.stabil_detik:
            return quiet >= wait.belum_lengkap_detik or not looks_unfinished(path)
        return seen.closed and quiet >= CLOSED_GRACE and looks_complete(path)

    def _files_of(self, path: Path) -> list[Path]:
        """The files of a unit; a symlink is one file (refused later), never followed."""
        if path.is_symlink() or not path.is_dir():
            return [path]
        return sorted(
            p for p in path.rglob("*") if (p.is_symlink() or p.is_file()) and not is_ignored(p.name)
        )

    def _take(self, path: Path, lane: str) -> None:
        claims: list[Claim] = []
        try:
            for file in self._files_of(path):
                claimed = claim_tracked(self.services, file)
                if claimed is not None:
                    claims.append(claimed)
        except Exception:
            self._give_back(claims)  # a submission is taken whole or not at all
            self.seen.pop(path, None)
            raise
        self.pause.clear(REGISTER)
        if claims:
            self.lanes.submit(claims, lane)
        if path.is_dir() and not path.is_symlink():
            _remove_empty_tree(path)

    def _ingest(self, claims: list[Claim], into: int | None = None) -> None:
        while True:
            try:
                outcomes = ingest_claims(self.services, claims, into)
            except Exception as exc:
                if not self.pause.hit(exc):
                    self._taken_back(claims, exc)
                    return
                # The machine's fault: the files stay claimed until it is fixed.
                if not self._wait_out_pause():
                    self._give_back(claims)
                    return
                claims, into = self._left_of(claims, into)
                if not claims:
                    return
                continue
            self.pause.clear()
            for outcome in outcomes:
                self._tell(outcome)
            return

    def _tell(self, outcome: IngestOutcome) -> None:
        self.summary.outcomes.append(outcome)
        self.report(outcome)
        logbook.event(
            "watcher",
            f"file.{outcome.status}",
            outcome.message or outcome.status,
            logging.WARNING if outcome.status == "failed" else logging.INFO,
            file=outcome.name,
            request_id=outcome.request_id,
        )

    def _wait_out_pause(self) -> bool:
        """Wait (this lane) until the machine looks fixed; False on a stop, or when a
        one-shot run has waited long enough."""
        started = time.monotonic()
        while not self.stop_requested.wait(self.pause.delay()):
            if self.once and time.monotonic() - started > ONCE_MAX_WAIT:
                return False
            if self.pause.ready():
                return True
        return False

    def _left_of(self, claims: list[Claim], into: int | None) -> tuple[list[Claim], int | None]:
        """The claims still to do after an interrupted submission, and the request its
        finished part already joined."""
        left: list[Claim] = []
        for claimed in claims:
            # The register may fail again here: the next try (or a restart) settles it.
            with contextlib.suppress(Exception):
                job = intake.get_job(self.services.engine, claimed.job) if claimed.job else None
                if job is not None and job.request_id is not None:
                    into = into or job.request_id
            if claimed.path.exists() or claimed.path.is_symlink():
                left.append(claimed)
            else:
                with contextlib.suppress(Exception):
                    drop_tracked(self.services, claimed)  # finished before the fault
        return left, into

    def _taken_back(self, claims: list[Claim], exc: Exception) -> None:
        """An error nobody expected (a reader's bug, a hostile file): give the files back to
        be tried again, and park those that keep coming back with the reason."""
        names = ", ".join(c.original.name for c in claims)
        line = logbook.unexpected("watcher", f"Membaca {names}", exc, files=names)
        print(f"{line} Berkas dikembalikan ke inbox untuk dicoba lagi.", file=sys.stderr)
        error = f"{type(exc).__name__}: {exc}".strip()[:300]
        for claimed in claims:
            if not (claimed.path.exists() or claimed.path.is_symlink()):
                continue
            with contextlib.suppress(Exception):
                if self._count_return(claimed, error) >= MAX_RETURNS:
                    reason = _returned_reason(MAX_RETURNS, error)
                    fail_tracked(self.services, claimed, reason)
                    self._tell(IngestOutcome(claimed.original.name, "failed", message=reason))
                    continue
            with contextlib.suppress(Exception):
                release_tracked(self.services, claimed)
                self.gave_back = True

    def _count_return(self, claimed: Claim, error: str) -> int:
        digest = sha256_of(claimed.path)
        count = returns.note_return(self.services.engine, digest, claimed.original.name, error)
        if count >= MAX_RETURNS:
            returns.forget_return(self.services.engine, digest)
        return count

    def _give_back(self, claims: list[Claim]) -> None:
        """Back to the inbox untouched; a journal row the register could not drop now is
        settled by a later recovery (its file is gone from the worker's folder)."""
        for claimed in claims:
            if claimed.path.exists() or claimed.path.is_symlink():
                with contextlib.suppress(Exception):
                    release_tracked(self.services, claimed)

    def _release(self, claims: list[Claim]) -> None:
        self._give_back(claims)

    def _recover_stale_claims(self) -> None:
        """What a dead worker had claimed is finished now, from the state its journal rows
        record; files no row covers (a crashed `pipeline ingest`) are ingested by hash.
        PDF copies a dead worker (or an outage) left unmade are made now."""
        self._take_over_lapsed()
        self.lanes.drain()
        stale = stale_claims(self.settings.work)
        for path in untracked_stale(self.services, stale):
            self._ingest([Claim(original=self.inbox / path.name, path=path, submission=None)])
        sweep_dead_folders(self.settings.work)
        self.services.pdf_copies.finish_missing()
        self.recovered = True
        self.pause.clear(REGISTER)

    def _take_over_lapsed(self) -> None:
        for recovered in recover(self.services):
            self.lanes.submit(recovered.claims, into=recovered.into)

    def _beat(self) -> None:
        interval = liveness.beat_interval(self.settings.pemantau.masa_klaim_detik)
        self._alive()
        while not self.closed.wait(interval):
            with contextlib.suppress(Exception):  # a lost beat only shortens the lease
                keep_alive(self.services)
            self._alive()
        with contextlib.suppress(Exception):  # ended as asked: intake stopped from now
            liveness.stopped(self.services.engine, worker_id())

    def _alive(self) -> None:
        """The watcher's own heartbeat (doctor, the web page): intake is running."""
        with contextlib.suppress(Exception):  # a lost beat is renewed by the next one
            paused = self.pause.reason
            liveness.beat(self.services.engine, worker_id(), socket.gethostname(), paused)


def _returned_reason(times: int, error: str) -> str:
    return (
        f"Berkas ini {times} kali gagal diproses karena kesalahan yang tidak terduga "
        f"({error}), sehingga tidak dicoba lagi. Kemungkinan isinya rusak atau tidak wajar: "
        "minta OPD mengirim ulang berkasnya (atau simpan ulang sebagai PDF). Bila berkasnya "
        "baik, laporkan ke pengelola sistem (rinciannya di log pemantau)."
    )


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
