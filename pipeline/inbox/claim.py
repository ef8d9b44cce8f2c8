"""Claiming by atomic rename, so several watchers can share one folder without double work."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path

ERROR_SUFFIX = ".error.txt"
NAME_MAX = 255


@dataclass(frozen=True)
class Claim:
    """A file moved out of the drop zone into this worker's own folder."""

    original: Path  # where it was dropped (for messages and the failed/ copy)
    path: Path  # where it is now
    submission: str | None  # the subfolder it came in, if any
    job: int | None = None  # its row in the register's intake journal, if tracked


def worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def claim(path: Path, work_root: Path, inbox: Path) -> Claim | None:
    """Move `path` into this worker's folder; None if another worker took it first."""
    planned = plan_claim(path, work_root, inbox)
    return planned if move_into_claim(planned) else None


def plan_claim(path: Path, work_root: Path, inbox: Path) -> Claim:
    """Where `path` will lie once claimed (its folder is made; nothing is moved yet)."""
    relative = path.relative_to(inbox)
    submission = relative.parts[0] if len(relative.parts) > 1 else None
    target_dir = (work_root / worker_id()).joinpath(*relative.parts[:-1])
    target_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(target_dir, path.name)  # two "scan.pdf" in one folder stay two files
    return Claim(original=path, path=target, submission=submission)


def move_into_claim(planned: Claim) -> bool:
    """The atomic rename that claims; False if the file was gone (another worker took it)."""
    try:
        os.rename(planned.original, planned.path)
    except FileNotFoundError:
        return False
    return True


def finish(claimed: Claim) -> None:
    """The original is archived and registered: drop the worker's copy."""
    claimed.path.unlink(missing_ok=True)
    if claimed.submission:
        _remove_empty(claimed.path.parent)


def fail(claimed: Claim, failed_dir: Path, reason: str) -> Path:
    """Park the file in inbox/failed/ with `<name>.error.txt` saying why and what to do.

    The note is written before the file is moved, so a crash in between leaves the file in
    the worker's folder (to be failed again on restart), never a parked file without a reason.
    """
    failed_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(failed_dir, _fits(claimed.original.name, len(ERROR_SUFFIX)))
    note = target.with_name(target.name + ERROR_SUFFIX)
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    text = (
        f"Berkas : {claimed.original.name}\nWaktu  : {stamp}\n\n{reason.strip()}\n\n"
        "Setelah diperbaiki, taruh kembali berkasnya di folder inbox. "
        "Berkas ini tidak dihapus oleh sistem.\n"
    )
    try:
        note.write_text(text, encoding="utf-8")
    except OSError:
        # A full disk: an empty or half-written note must not stay behind (the file is
        # still claimed and may yet be registered once there is room).
        note.unlink(missing_ok=True)
        raise
    if claimed.path.exists() or claimed.path.is_symlink():
        try:
            os.replace(claimed.path, target)
        except OSError:
            note.unlink(missing_ok=True)
            raise
    if claimed.submission:
        _remove_empty(claimed.path.parent)
    return target


def _fits(name: str, extra: int) -> str:
    """Shorten a (long) name so that `name + extra characters` fits the 255-byte limit."""
    room = NAME_MAX - extra - len(" (99)")
    if len(name.encode()) <= room:
        return name
    stem, suffix = os.path.splitext(name)
    encoded = stem.encode()[: room - len(suffix.encode()) - 1]
    return encoded.decode(errors="ignore") + "~" + suffix


def stale_claims(work_root: Path) -> list[Path]:
    """Files left in this host's work folders by a worker that died mid-file."""
    if not work_root.is_dir():
        return []
    host = socket.gethostname()
    found: list[Path] = []
    for folder in work_root.iterdir():
        if folder.name.startswith(host + "-") and not _alive(folder.name.rsplit("-", 1)[-1]):
            found.extend(p for p in folder.rglob("*") if p.is_file())
    return sorted(found)


def sweep_dead_folders(work_root: Path) -> None:
    """Remove the empty folders dead workers of this host left (rmdir: never a file)."""
    if not work_root.is_dir():
        return
    host = socket.gethostname()
    for folder in work_root.iterdir():
        if folder.name.startswith(host + "-") and not _alive(folder.name.rsplit("-", 1)[-1]):
            for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
                _remove_empty(sub)
            _remove_empty(folder)


def _alive(pid: str) -> bool:
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_name(folder: Path, name: str) -> Path:
    candidate = folder / name
    counter = 1
    while candidate.exists():
        stem, suffix = os.path.splitext(name)
        candidate = folder / f"{stem} ({counter}){suffix}"
        counter += 1
    return candidate


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def claim_copy(path: Path, work_root: Path) -> Claim:
    """`pipeline ingest FILE` outside the inbox: work on a copy, leave the caller's file."""
    target_dir = work_root / worker_id()
    target_dir.mkdir(parents=True, exist_ok=True)
    target = _free_name(target_dir, path.name)
    shutil.copyfile(path, target)
    return Claim(original=path, path=target, submission=None)
