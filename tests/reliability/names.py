"""Odd names and hostile file-system cases dropped into a live watcher: names with spaces,
Unicode, 250 characters, leading dashes, two names equal after Unicode normalisation, a
symlink to a file outside the inbox and one to a folder outside (refused, targets untouched),
a file deleted while being read, a folder of 500 files as one submission, and a file nobody
may read. The watcher must stay alive and account for every one.

Run as root, the watcher runs without the capabilities that let root read any file
(`setpriv`), so that a file without read permission is one.
"""

from __future__ import annotations

import os
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from tests.reliability import watcher as harness
from tests.reliability.kit import (
    ERROR_NOTE,
    Row,
    audit,
    corpus_files,
    distinct_copy,
    make_copies,
    make_workspace,
    query,
    sha256_of,
    stop_watcher,
    wait_drained,
    watcher_env,
)
from tests.reliability.watcher import LiveWatcher

FOLDER = "kiriman 500 berkas"
UNPRIVILEGED = "nobody"
DELETE_SIZE = 60 * 2**20
REFUSED = ("tautan", "folder tautan", "tidak boleh")


@dataclass
class NamesOutcome:
    row: Row
    registered_names: set[str]
    failed_notes: dict[str, str]  # parked name → its reason note
    folder_requests: set[int | None]
    folder_registered: int
    targets_untouched: bool
    deleted_outcome: str
    alive: bool
    log: str
    odd_names: list[str] = field(default_factory=list)


def odd_names() -> list[str]:
    cafe = "Surat Permohonan Café"
    return [
        "surat permohonan dinas kesehatan 2025.pdf",
        "Surat Permohonan – Dinas Pariwisata № 7 ✓ 漢字 ñ.docx",
        "p" * (250 - len(".pdf")) + ".pdf",
        "-rf --help.pdf",
        "--version.docx",
        unicodedata.normalize("NFC", cafe) + ".pdf",
        unicodedata.normalize("NFD", cafe) + ".pdf",
    ]


def run_names(workdir: Path, folder_files: int = 500) -> NamesOutcome:
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    home = make_workspace(workdir)
    env = watcher_env(home)
    url = f"sqlite:///{home / 'register.db'}"
    inbox = home / "inbox"
    outside = _outside_targets(workdir)
    before = _fingerprint(outside)
    watcher = _start(home, env)
    harness.wait_ready(watcher)

    dropped = _drop_odd_names(workdir, inbox)
    unreadable = inbox / "tidak boleh dibaca.pdf"
    distinct_copy(corpus_files()[5], unreadable, 9001)
    os.chmod(unreadable, 0)
    (inbox / "tautan ke luar.pdf").symlink_to(outside / "rahasia.pdf")
    (inbox / "folder tautan").symlink_to(outside / "folder")
    staging = workdir / "folder-staging" / FOLDER
    folder = make_copies(staging, folder_files, docx_share=0.9, start=3000)
    os.rename(staging, inbox / FOLDER)
    deleted = _drop_and_delete(inbox, home)

    wait_drained(home, url, [watcher], timeout=120 + 0.6 * folder_files)
    alive = watcher.alive()
    code, _ = stop_watcher(watcher)
    result = audit(home, url, {**dropped, **folder})
    notes = _notes(inbox / "failed")
    names = {str(n) for (n,) in query(url, "SELECT original_name FROM files")}
    folder_rows = query(url, f"SELECT request_id FROM files WHERE submission = '{FOLDER}'")
    requests = {None if r is None else int(str(r)) for (r,) in folder_rows}
    in_folder = int(
        str(query(url, f"SELECT count(*) FROM files WHERE submission = '{FOLDER}'")[0][0])
    )
    untouched = before == _fingerprint(outside)
    refused = sum(
        1 for name in notes if name.startswith(("tautan", "folder tautan", "tidak boleh"))
    )
    lost = len(result.lost) + (0 if refused == 3 else 3 - refused)
    row = Row(
        test="nama & sistem berkas yang aneh",
        dropped=len(dropped) + len(folder) + 4,
        registered=result.registered,
        failed=len(notes),
        lost=lost,
        duplicated=result.duplicated,
        seconds=round(time.monotonic() - started, 1),
        note=(
            f"symlink ditolak, target utuh: {'ya' if untouched else 'TIDAK'}; "
            f"folder {folder_files} berkas → {len(requests - {None})} permohonan; "
            f"dihapus saat dibaca: {deleted}; exit={code}"
        ),
        audit=result,
    )
    return NamesOutcome(
        row=row,
        registered_names=names,
        failed_notes=notes,
        folder_requests=requests,
        folder_registered=in_folder,
        targets_untouched=untouched,
        deleted_outcome=deleted,
        alive=alive,
        log=(home / "watch.log").read_text(encoding="utf-8", errors="replace"),
        odd_names=odd_names(),
    )


def _drop_odd_names(workdir: Path, inbox: Path) -> dict[str, str]:
    staging = workdir / "odd"
    staging.mkdir()
    sources = corpus_files()
    dropped: dict[str, str] = {}
    for serial, name in enumerate(odd_names()):
        source = sources[(serial * 7) % len(sources)]
        if Path(name).suffix != source.suffix:
            source = next(p for p in sources[serial:] if p.suffix == Path(name).suffix)
        target = staging / name
        distinct_copy(source, target, 8000 + serial)
        dropped[sha256_of(target)] = name
        os.rename(target, inbox / name)
    return dropped


def _outside_targets(workdir: Path) -> Path:
    outside = workdir / "di-luar-inbox"
    (outside / "folder").mkdir(parents=True)
    distinct_copy(corpus_files()[3], outside / "rahasia.pdf", 9100)
    for serial in range(3):
        distinct_copy(
            corpus_files()[serial], outside / "folder" / f"isi-{serial}.pdf", 9200 + serial
        )
    return outside


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(folder)): (sha256_of(p), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _drop_and_delete(inbox: Path, home: Path) -> str:
    """A large file that is deleted from the worker's folder the moment it is claimed."""
    name = "dihapus saat dibaca.pdf"
    staging = home.parent / name
    with staging.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.write(os.urandom(DELETE_SIZE))
        handle.write(b"\n%%EOF\n")
    os.rename(staging, inbox / name)
    work = inbox / ".work"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for found in work.rglob(name) if work.is_dir() else []:
            try:
                found.unlink()
                return "dihapus setelah diklaim"
            except FileNotFoundError:
                continue
        if not (inbox / name).exists() and not any(work.rglob(name)):
            return "sudah selesai sebelum sempat dihapus"
        time.sleep(0.002)
    return "tidak terlihat diklaim"


def _notes(failed: Path) -> dict[str, str]:
    if not failed.is_dir():
        return {}
    return {
        p.name[: -len(ERROR_NOTE)]: p.read_text(encoding="utf-8")
        for p in failed.iterdir()
        if p.name.endswith(ERROR_NOTE)
    }


# --------------------------------------------------------------------------- privileges

ROOT_READS_ALL = "dac_override,dac_read_search"


def _start(home: Path, env: dict[str, str]) -> LiveWatcher:
    """The watcher; as root, without the capabilities that bypass file permissions."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        drop = ",".join(f"-{cap}" for cap in ROOT_READS_ALL.split(","))
        prefix = ["setpriv", "--bounding-set", drop, "--inh-caps", drop]
    return harness.start(home, home / "watch.log", env, prefix=prefix, append=True)


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
