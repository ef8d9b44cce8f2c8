"""The ready file of `pipeline watch --ready-file PATH`.

Written once the watcher is watching — the inbox watch armed and the startup recovery done —
and removed when it stops, so a script, a test or a service manager waits for a file instead
of reading the log. It holds the watcher's process id. It is written atomically (a temporary
file renamed into place): whoever sees it sees it whole.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class ReadyFile:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.written = False

    def clear(self) -> None:
        """Removed (also a stale one a killed watcher left behind)."""
        self.written = False
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def mark(self) -> None:
        """Written, once."""
        if self.path is None or self.written:
            return
        write_atomically(self.path, f"{os.getpid()}\n")
        self.written = True


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
