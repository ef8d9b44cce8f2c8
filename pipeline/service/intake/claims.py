"""Claims the register knows about: a journal row before the move, recovery after a crash.

Each file's way is claimed → archived → registered (the register's transaction that records
the file, its request and the documents also marks the job `registered`), then the worker's
copy is removed and the job row deleted. A worker that dies leaves its rows behind; a restart
on the same host takes them over at once (the pid is gone), any other worker once the lease
has lapsed. What a job's state says is left to do is then done, and nothing twice.
"""

from __future__ import annotations

import os
import socket
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from pipeline.inbox import (
    Claim,
    claim_copy,
    fail,
    finish,
    move_into_claim,
    plan_claim,
    worker_id,
)
from pipeline.register import intake
from pipeline.register.clock import clock_problem
from pipeline.register.tables import IntakeJob
from pipeline.service.context import Services


@dataclass(frozen=True)
class Recovered:
    """Claims taken over from a dead worker, to be ingested together (one submission)."""

    claims: list[Claim]
    into: int | None  # the request part of the submission already joined


def claim_tracked(services: Services, path: Path) -> Claim | None:
    """Journal, then move: a crash between the two leaves a row whose file is absent."""
    settings = services.settings
    inbox = settings.inbox.resolve()
    planned = plan_claim(path, settings.work, inbox)
    job = intake.open_job(
        services.engine,
        str(planned.path),
        str(path.relative_to(inbox)),
        planned.submission,
        worker_id(),
        settings.pemantau.masa_klaim_detik,
    )
    if not move_into_claim(planned):
        intake.close_job(services.engine, job)
        return None
    return Claim(planned.original, planned.path, planned.submission, job)


def claim_for_ingest(services: Services, path: Path) -> Claim | None:
    """`pipeline ingest FILE`: a file in the inbox is claimed through the journal, as the
    watcher claims it; a file elsewhere is copied in and its original left where it is."""
    if path.is_relative_to(services.settings.inbox.resolve()):
        return claim_tracked(services, path)
    return claim_copy(path, services.settings.work)


def clock_plausible(services: Services) -> bool:
    """Whether the clock may number again (see pipeline.register.clock)."""
    with Session(services.engine) as session:
        return clock_problem(session) is None


def keep_alive(services: Services) -> int:
    return intake.heartbeat(
        services.engine, worker_id(), services.settings.pemantau.masa_klaim_detik
    )


def recover(services: Services) -> list[Recovered]:
    """Take over the jobs of dead workers; finish at once those that need no more work."""
    engine = services.engine
    lease = services.settings.pemantau.masa_klaim_detik
    dead = {w for w in intake.workers_with_jobs(engine) if _dead_here(w)}
    groups: dict[tuple[str, str | None], list[IntakeJob]] = defaultdict(list)
    for job in intake.orphaned_jobs(engine, dead):
        if job.worker != worker_id() and intake.take_over(engine, job, worker_id(), lease):
            key = (job.worker, job.submission) if job.submission else (job.path, None)
            groups[key].append(job)
    recovered: list[Recovered] = []
    for jobs in groups.values():
        into = next((j.request_id for j in jobs if j.request_id is not None), None)
        left = [_claim_of(services, job) for job in jobs if not _settle(services, job)]
        if left:
            recovered.append(Recovered(left, into))
    return recovered


def finish_tracked(services: Services, claimed: Claim, close: bool = True) -> None:
    finish(claimed)
    if close and claimed.job is not None:
        intake.close_job(services.engine, claimed.job)


def close_tracked(services: Services, claims: Sequence[Claim]) -> None:
    for claimed in claims:
        if claimed.job is not None:
            intake.close_job(services.engine, claimed.job)


def fail_tracked(services: Services, claimed: Claim, reason: str) -> None:
    """Reason first in the journal, then the move to failed/, then the row goes."""
    if not (claimed.path.exists() or claimed.path.is_symlink()):
        drop_tracked(services, claimed)  # deleted while being read: nothing to park
        return
    if claimed.job is not None:
        intake.mark(services.engine, claimed.job, intake.FAILED, reason=reason)
    fail(claimed, services.settings.failed, reason)
    if claimed.job is not None:
        intake.close_job(services.engine, claimed.job)


def drop_tracked(services: Services, claimed: Claim) -> None:
    """The file vanished under us (deleted by someone): nothing left to track."""
    if claimed.job is not None:
        intake.close_job(services.engine, claimed.job)


def release_tracked(services: Services, claimed: Claim) -> None:
    """Give a claimed file back to the inbox untouched (a stop before it was started)."""
    target = claimed.original
    if target.exists():
        return  # something new has that name: keep ours claimed, a restart finishes it
    target.parent.mkdir(parents=True, exist_ok=True)
    os.rename(claimed.path, target)
    if claimed.job is not None:
        intake.close_job(services.engine, claimed.job)


def untracked_stale(services: Services, stale: list[Path]) -> Iterator[Path]:
    """Files in dead workers' folders that no journal row covers (e.g. `pipeline ingest`)."""
    known = intake.tracked_paths(services.engine)
    return (path for path in stale if str(path) not in known)


def _settle(services: Services, job: IntakeJob) -> bool:
    """Finish a job whose remaining step needs no reading; True when it is settled."""
    claimed = _claim_of(services, job)
    assert job.id is not None
    if job.state == intake.REGISTERED:
        finish_tracked(services, claimed)
        return True
    if not (claimed.path.exists() or claimed.path.is_symlink()):
        intake.close_job(services.engine, job.id)  # never moved, or gone: the inbox has it
        return True
    if job.state == intake.FAILED:
        fail_tracked(services, claimed, job.reason or "")
        return True
    return False


def _claim_of(services: Services, job: IntakeJob) -> Claim:
    original = services.settings.inbox.resolve() / job.original
    return Claim(original, Path(job.path), job.submission, job.id)


def _dead_here(worker: str) -> bool:
    """A worker of this host whose process is gone (its lease need not be waited for)."""
    host, _, pid = worker.rpartition("-")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
