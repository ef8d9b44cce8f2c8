"""Content-addressed archive: the original bytes, kept forever under their SHA-256."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def archive_original(source: Path, sha256: str, archive: Path) -> Path:
    """Copy `source` to `archive/ab/abcdef….<ext>` durably; an existing copy is kept as is."""
    target = archive / sha256[:2] / f"{sha256}{source.suffix.lower()[:10]}"
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, temporary)
        _fsync(temporary)
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)  # a full disk must not keep half a copy
        raise
    _fsync_dir(target.parent)
    return target


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
