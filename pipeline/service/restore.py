"""`pipeline restore DIR`: check every file of a backup against its manifest, then put the
register, archive, documents, settings and templates back into the workspace.

A register that already holds files is never overwritten without `force`. Settings and templates
that differ are kept beside the restored ones as `<name>.sebelum-pulih`. Paths the register
stores (archive files, documents) are rewritten to the workspace restored into.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from pipeline.errors import ConflictError, UnreadableFileError
from pipeline.register.db import make_engine
from pipeline.service.backup import copy_hashed, file_sha256, read_manifest
from pipeline.service.snapshot import restore_register
from pipeline.service.workspace import init_workspace
from pipeline.settings import CONFIG_NAME, Settings, load_settings

KEPT_SUFFIX = ".sebelum-pulih"


@dataclass(frozen=True)
class RestoreResult:
    files: int  # files the register knows
    archived: int
    documents: int
    kept_aside: list[str]


def restore_backup(home: Path, source: Path, *, force: bool = False) -> RestoreResult:
    manifest = read_manifest(source)
    verify_backup(source, manifest)
    home = home.resolve()
    settings = _settings_after_restore(home, source)
    known = registered_files(settings)
    if known and not force:
        raise ConflictError(
            f"Register tujuan sudah berisi {known} berkas; pemulihan akan menimpanya.",
            hint="Pulihkan ke folder kerja baru, atau tambahkan --force bila memang ingin "
            "menimpa register ini (hentikan `pipeline watch` lebih dulu).",
        )
    kept = _restore_plain_files(home, source, manifest)
    init_workspace(home)
    restore_register(settings, source / manifest["register"])
    _relocate_paths(settings, manifest)
    counts = manifest["jumlah"]
    return RestoreResult(registered_files(settings), counts["arsip"], counts["dokumen"], kept)


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


def registered_files(settings: Settings) -> int:
    if settings.database_url.startswith("sqlite") and not settings.register_path.is_file():
        return 0
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM files")).scalar_one())
    except SQLAlchemyError:
        return 0  # no register tables yet
    finally:
        engine.dispose()


def _restore_plain_files(home: Path, source: Path, manifest: dict[str, Any]) -> list[str]:
    """Archive, documents, settings and templates; a different existing file is kept aside."""
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


def _relocate_paths(settings: Settings, manifest: dict[str, Any]) -> None:
    engine = make_engine(settings.database_url)
    try:
        with engine.begin() as connection:
            _relocate(connection, manifest, settings)
    finally:
        engine.dispose()


def _relocate(connection: Connection, manifest: dict[str, Any], settings: Settings) -> None:
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
        rows = connection.execute(text(f"SELECT id, {column} FROM {table}")).all()
        for row_id, value in rows:
            if value and value.startswith(old + os.sep):
                connection.execute(
                    text(f"UPDATE {table} SET {column} = :value WHERE id = :id"),
                    {"value": new + value[len(old) :], "id": row_id},
                )
