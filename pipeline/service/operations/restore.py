"""`pipeline restore DIR`: check every file of a backup against its manifest, then put the
register, archive, documents, settings and templates back into the workspace.

A register that already holds files is never overwritten without `force`. Settings and templates
that differ are kept beside the restored ones as `<name>.sebelum-pulih`. Paths the register
stores (archive files, documents) are rewritten to the workspace restored into.

An interrupted restore is finished by running it again. A mark in the workspace
(`.pemulihan.json`) says which backup was being restored until the restore is done; `doctor`
reports it. On SQLite the register is put in place atomically: the backup's copy is written
beside the register, its paths rewritten there, and then copied over the register in one
SQLite transaction, so the register is never left pointing at the backup's source workspace.
On PostgreSQL the rewrite follows `pg_restore`; a restore stopped between the two is finished
by the next run (the mark lets it overwrite the half-restored register without `--force`).
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from pipeline.errors import ConflictError, UnreadableFileError
from pipeline.register.db import make_engine
from pipeline.service.operations.backup import MANIFEST, copy_hashed, file_sha256, read_manifest
from pipeline.service.operations.snapshot import (
    SQLITE_COPY,
    is_sqlite,
    restore_register,
    sqlite_copy,
)
from pipeline.service.operations.workspace import init_workspace
from pipeline.settings import CONFIG_NAME, Settings, load_settings
from pipeline.workflow.deadlines import wib_text

KEPT_SUFFIX = ".sebelum-pulih"
MARK = ".pemulihan.json"  # in the workspace while a restore is unfinished
STAGING_SUFFIX = ".pulih"  # register.db.pulih: the backup's register, moved, before the swap


@dataclass(frozen=True)
class RestoreResult:
    files: int  # files the register knows
    archived: int
    documents: int
    kept_aside: list[str]
    resumed: bool = False  # an interrupted restore of the same backup was finished


@dataclass(frozen=True)
class UnfinishedRestore:
    """What the mark of an interrupted restore says."""

    backup: str  # the backup folder
    manifest: str  # SHA-256 of its manifest
    started: datetime

    def started_text(self) -> str:
        return f"{wib_text(self.started)} WIB"


def restore_backup(home: Path, source: Path, *, force: bool = False) -> RestoreResult:
    manifest = read_manifest(source)
    verify_backup(source, manifest)
    home, source = home.resolve(), source.resolve()
    settings = _settings_after_restore(home, source)
    resumed = _may_restore(home, source, settings, manifest, force)
    _write_mark(home, source)
    kept = _restore_plain_files(home, source, manifest)
    init_workspace(home)
    _restore_register(settings, source / manifest["register"], manifest)
    (home / MARK).unlink(missing_ok=True)
    counts = manifest["jumlah"]
    files = registered_files(settings)
    return RestoreResult(files, counts["arsip"], counts["dokumen"], kept, resumed)


def verify_backup(source: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its recorded SHA-256."""
    bad = []
    for relative, expected in manifest["berkas"].items():
        path = source / relative
        if not path.is_file():
            bad.append(f"{relative} (hilang)")
        elif file_sha256(path) != expected:
            bad.append(f"{relative} (isi berubah)")
    if bad:
        shown = ", ".join(bad[:10]) + (" …" if len(bad) > 10 else "")
        raise UnreadableFileError(
            f"Cadangan {source} rusak: {len(bad)} berkas tidak cocok dengan manifest: {shown}.",
            hint="Pakai cadangan lain; tidak ada yang diubah di folder kerja.",
        )


def _settings_after_restore(home: Path, source: Path) -> Settings:
    """The workspace's settings once the backup's pipeline.toml is in place."""
    origin = source if (source / CONFIG_NAME).is_file() else home
    return load_settings(origin).model_copy(update={"workspace": home})


# -- may this restore go ahead? ---------------------------------------------------------------
def _may_restore(
    home: Path, source: Path, settings: Settings, manifest: dict[str, Any], force: bool
) -> bool:
    """True when this run finishes an interrupted restore of the same backup; raises when the
    workspace holds a register (or another unfinished restore) that `force` must overwrite."""
    unfinished = unfinished_restore(home)
    if unfinished is not None and unfinished.manifest == file_sha256(source / MANIFEST):
        return True
    if force:
        return False
    if unfinished is not None:
        raise ConflictError(
            f"Pemulihan dari cadangan {unfinished.backup} (dimulai {unfinished.started_text()}) "
            "terputus dan belum selesai.",
            hint=f"Jalankan lagi `pipeline restore {unfinished.backup}` untuk menyelesaikannya, "
            "atau tambahkan --force untuk memulihkan cadangan ini sebagai gantinya.",
        )
    known = registered_files(settings)
    if known and _unmoved_copy_of(settings, manifest) == known:
        return True  # the backup's own register, left unmoved by an interrupted restore
    if known:
        raise ConflictError(
            f"Register tujuan sudah berisi {known} berkas; pemulihan akan menimpanya.",
            hint="Pulihkan ke folder kerja baru, atau tambahkan --force bila memang ingin "
            "menimpa register ini (hentikan `pipeline watch` lebih dulu).",
        )
    return False


def unfinished_restore(home: Path) -> UnfinishedRestore | None:
    """The restore that was started in `home` and did not finish, if any."""
    try:
        data = json.loads((home / MARK).read_text(encoding="utf-8"))
        started = datetime.fromisoformat(str(data["mulai"]))
        return UnfinishedRestore(str(data["cadangan"]), str(data["manifest"]), started)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_mark(home: Path, source: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    mark = {
        "cadangan": str(source),
        "manifest": file_sha256(source / MANIFEST),
        "mulai": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    temporary = home / f"{MARK}.tmp"
    temporary.write_text(json.dumps(mark, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, home / MARK)


def registered_files(settings: Settings) -> int:
    return _count(settings, "SELECT count(*) FROM files") or 0


def _unmoved_copy_of(settings: Settings, manifest: dict[str, Any]) -> int | None:
    """How many files of the register still lie in the backup's source archive."""
    old, new = manifest["arsip_sumber"], str(settings.archive.resolve())
    if old == new:
        return None
    sql = "SELECT count(*) FROM files WHERE substr(archived_path, 1, :length) = :old"
    return _count(settings, sql, {"length": len(old) + 1, "old": old + os.sep})


def _count(settings: Settings, sql: str, values: dict[str, Any] | None = None) -> int | None:
    if is_sqlite(settings) and not settings.register_path.is_file():
        return None
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text(sql), values or {}).scalar_one())
    except SQLAlchemyError:
        return None  # no register tables yet
    finally:
        engine.dispose()


# -- files -------------------------------------------------------------------------------------
def _restore_plain_files(home: Path, source: Path, manifest: dict[str, Any]) -> list[str]:
    """Archive, documents, settings and templates; a different existing file is kept aside.
    A file an interrupted run already copied is the same file and is left as it is."""
    kept: list[str] = []
    for relative in manifest["berkas"]:
        if relative == manifest["register"]:
            continue
        target = home / relative
        if target.is_file() and file_sha256(target) != manifest["berkas"][relative]:
            aside = target.with_name(target.name + KEPT_SUFFIX)
            os.replace(target, aside)
            kept.append(str(aside.relative_to(home)))
        if not target.is_file():
            copy_hashed(source / relative, target)
    return kept


# -- register ----------------------------------------------------------------------------------
def _restore_register(settings: Settings, copy: Path, manifest: dict[str, Any]) -> None:
    if copy.name == SQLITE_COPY and is_sqlite(settings):
        _swap_in_sqlite(settings, copy, manifest)
        return
    restore_register(settings, copy)  # PostgreSQL (or a kind mismatch it explains)
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            relocate(connection, manifest, settings)
    finally:
        engine.dispose()


def _swap_in_sqlite(settings: Settings, copy: Path, manifest: dict[str, Any]) -> None:
    """Move the paths in a staging copy, then replace the register in one transaction."""
    staging = settings.register_path.with_name(settings.register_path.name + STAGING_SUFFIX)
    _remove_sqlite_file(staging)
    os.close(os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private, like it
    sqlite_copy(copy, staging, single_file=False)
    engine = make_engine(URL.create("sqlite", database=str(staging)).render_as_string())
    try:
        with engine.begin() as connection:
            relocate(connection, manifest, settings)
    finally:
        engine.dispose()
    sqlite_copy(staging, settings.register_path, single_file=False)
    _remove_sqlite_file(staging)


def _remove_sqlite_file(path: Path) -> None:
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def relocate(connection: Connection, manifest: dict[str, Any], settings: Settings) -> None:
    """Rewrite the register's paths from the backup's source workspace to this one, and drop
    the source's claims in progress (their files lie in the source's inbox, not in the
    backup: the source finishes them)."""
    old_archive, old_outbox = manifest["arsip_sumber"], manifest["outbox_sumber"]
    new_archive, new_outbox = str(settings.archive.resolve()), str(settings.outbox.resolve())
    moves = (
        ("files", "archived_path", old_archive, new_archive),
        ("documents", "path", old_outbox, new_outbox),
        ("documents", "pdf_path", old_outbox, new_outbox),
    )
    for table, column, old, new in moves:
        if old == new:
            continue
        connection.execute(
            text(
                f"UPDATE {table} SET {column} = :new || substr({column}, :rest) "
                f"WHERE substr({column}, 1, :length) = :old"
            ),
            {"new": new, "rest": len(old) + 1, "length": len(old) + 1, "old": old + os.sep},
        )
    if Path(manifest["sumber"]).resolve() != settings.workspace.resolve():
        connection.execute(text("DELETE FROM intake"))


# -- checking ----------------------------------------------------------------------------------
def paths_outside(engine: Engine, workspace: Path) -> list[str]:
    """Register rows whose archive file or document lies outside `workspace` (the web page
    refuses to serve them, backups skip them): 'berkas #id name: path' / 'dokumen …'."""
    homes = (os.path.normpath(workspace), os.path.normpath(workspace.resolve()))
    with engine.connect() as connection:
        rows = connection.execute(text(PATH_ROWS)).all()
    outside = []
    for kind, row_id, name, path in rows:
        where = os.path.normpath(os.path.join(homes[1], str(path)))
        if not any(where == home or where.startswith(home + os.sep) for home in homes):
            outside.append(f"{kind} #{row_id} {name}: {path}")
    return outside


PATH_ROWS = (
    "SELECT 'berkas', id, original_name, archived_path FROM files "
    "UNION ALL SELECT 'dokumen', id, doc_id, path FROM documents "
    "UNION ALL SELECT 'PDF dokumen', id, doc_id, pdf_path FROM documents "
    "WHERE pdf_path IS NOT NULL"
)
