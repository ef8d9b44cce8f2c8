"""The key that signs session cookies: made once per workspace, readable by its owner only."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_NAME = ".web-secret"


def session_secret(home: Path) -> str:
    path = home / SECRET_NAME
    if not path.exists():
        _create(path, secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


def _create(path: Path, value: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process made it first; use theirs
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
