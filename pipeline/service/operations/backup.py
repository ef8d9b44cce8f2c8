"""`pipeline backup DIR`: the register, its archive files, the documents it made, the settings
and templates, with a manifest of SHA-256 hashes, consistent while the watcher keeps working.

The register is copied first (one snapshot); then exactly the archive files and documents that
snapshot references are copied. Archive files are named by their content and never change, so
copying them after the snapshot is safe; anything registered later is simply not in this backup.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import ConflictError, NotFoundError
from pipeline.register.db import make_engine
from pipeline.register.liveness import record_backup
from pipeline.service.operations.snapshot import Referenced, snapshot_register
from pipeline.settings import CONFIG_NAME, Settings

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


@dataclass
class BackupResult:
    folder: Path
    register: str
    archived: int = 0
    documents: int = 0
    total_bytes: int = 0
    missing: list[str] = field(default_factory=list)  # referenced but absent in the workspace


def make_backup(settings: Settings, folder: Path) -> BackupResult:
    _require_empty(folder)
    folder.mkdir(parents=True, exist_ok=True)
    register, referenced = snapshot_register(settings, folder)
    result = BackupResult(folder, register)
    hashes = {register: file_sha256(folder / register)}
    _copy_archive(settings, referenced, folder, hashes, result)
    _copy_documents(settings, referenced, folder, hashes, result)
    _copy_settings(settings, folder, hashes)
    result.total_bytes = sum((folder / name).stat().st_size for name in hashes)
    _write_manifest(settings, folder, hashes, result)
    _record(settings, result)
    return result


def _record(settings: Settings, made: BackupResult) -> None:
    """Kept in the register, so `doctor` can tell how old the last backup is (a manual one
    counts as much as the nightly one)."""
    engine = make_engine(settings.database_url)
    try:
        files = made.archived + made.documents
        record_backup(engine, str(made.folder.resolve()), files, made.total_bytes)
    finally:
        engine.dispose()


def _require_empty(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConflictError(
            f"Folder cadangan {folder} sudah berisi berkas.",
            hint="Pilih folder baru atau kosong, mis. cadangan/2026-08-17.",
        )


def _copy_archive(
    settings: Settings,
    referenced: Referenced,
    folder: Path,
    hashes: dict[str, str],
    result: BackupResult,
) -> None:
    for sha256, archived_path in sorted(set(referenced.archived)):
        relative = Path("archive", sha256[:2], Path(archived_path).name)
        source = settings.workspace / relative
        if not source.is_file():
            result.missing.append(str(relative))
            continue
        hashes[relative.as_posix()] = copy_hashed(source, folder / relative)
        result.archived += 1


def _copy_documents(
    settings: Settings,
    referenced: Referenced,
    folder: Path,
    hashes: dict[str, str],
    result: BackupResult,
) -> None:
    outbox = settings.outbox.resolve()
    for raw in sorted(set(referenced.documents)):
        path = Path(raw)
        if not path.is_relative_to(outbox) or not path.is_file():
            result.missing.append(raw)
            continue
        relative = Path("outbox") / path.relative_to(outbox)
        hashes[relative.as_posix()] = copy_hashed(path, folder / relative)
        result.documents += 1


def _copy_settings(settings: Settings, folder: Path, hashes: dict[str, str]) -> None:
    config = settings.workspace / CONFIG_NAME
    if config.is_file():
        hashes[CONFIG_NAME] = copy_hashed(config, folder / CONFIG_NAME)
    templates = settings.workspace / "templates"
    if templates.is_dir():
        for template in sorted(p for p in templates.rglob("*") if p.is_file()):
            relative = template.relative_to(settings.workspace)
            hashes[relative.as_posix()] = copy_hashed(template, folder / relative)


def _write_manifest(
    settings: Settings, folder: Path, hashes: dict[str, str], result: BackupResult
) -> None:
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "dibuat": datetime.now(UTC).isoformat(timespec="seconds"),
        "sumber": str(settings.workspace),
        "arsip_sumber": str(settings.archive.resolve()),
        "outbox_sumber": str(settings.outbox.resolve()),
        "register": result.register,
        "jumlah": {"arsip": result.archived, "dokumen": result.documents},
        "hilang_di_sumber": result.missing,
        "berkas": dict(sorted(hashes.items())),
    }
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)  # written last: no manifest, no finished backup


def read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    if not path.is_file():
        raise NotFoundError(
            f"{folder} bukan folder cadangan pipeline (tidak ada {MANIFEST}).",
            hint="Sebutkan folder yang dibuat oleh `pipeline backup`; cadangan yang terputus "
            "tidak memiliki manifest.",
        )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def copy_hashed(source: Path, target: Path) -> str:
    """Copy durably (temporary name, fsync, rename) and return the SHA-256 of what was copied."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    digest = hashlib.sha256()
    with source.open("rb") as reader, temporary.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    os.replace(temporary, target)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
