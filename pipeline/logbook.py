"""Structured logs: one JSON line per event, for the office's IT staff.

The watcher, the web page and every command write their events to `log/pipeline.jsonl` in the
workspace (rotated at 10 MB, five old files kept) and, when systemd started them (it sets
JOURNAL_STREAM), to standard error as well, where journald keeps them. Each line holds the time
(UTC), the level, the component (`watcher`, `web`, `cli`, ...), an event code, the message in
Indonesian and the ids it concerns (request_id, file, sha256, ...). A traceback goes into the
log, never onto a clerk's screen: the screen gets one Indonesian line that says where the
details are (`unexpected`).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

ROOT = "pipeline"
LOG_FILE = Path("log") / "pipeline.jsonl"
MAX_BYTES = 10 * 1024 * 1024
BACKUPS = 5
WORKSPACE_MARK = "pipeline.toml"  # a folder holding it is a workspace
_configured: dict[str, Path | str | None] = {}


class JsonLines(logging.Formatter):
    """A record as one JSON object on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "component": record.name.removeprefix(f"{ROOT}.") or ROOT,
            "event": getattr(record, "event", None) or "message",
            "message": record.getMessage(),
            **getattr(record, "ids", {}),
        }
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(workspace: Path | None) -> Path | None:
    """Send the `pipeline` loggers to the workspace's log file (when `workspace` is one) and,
    under systemd, to the journal. Called again for another workspace (tests run many in one
    process), the handlers are set anew. Returns the log file, if any."""
    key = str(workspace.resolve()) if workspace is not None else ""
    if _configured.get("key") == key:
        return log_file()
    root = logging.getLogger(ROOT)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(logging.INFO)
    root.propagate = False
    target = _file_handler(root, workspace)
    if os.environ.get("JOURNAL_STREAM"):
        _add(root, logging.StreamHandler(sys.stderr))
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    threading.excepthook = _thread_crashed
    _configured.update(key=key, file=target)
    return target


def log_file() -> Path | None:
    found = _configured.get("file")
    return found if isinstance(found, Path) else None


def _file_handler(root: logging.Logger, workspace: Path | None) -> Path | None:
    if workspace is None or not (workspace / WORKSPACE_MARK).is_file():
        return None
    target = (workspace / LOG_FILE).resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            target, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError:
        return None  # a read-only workspace: commands still run, without a log file
    _add(root, handler)
    return target


def _add(root: logging.Logger, handler: logging.Handler) -> None:
    handler.setFormatter(JsonLines())
    root.addHandler(handler)


def event(component: str, code: str, message: str, level: int = logging.INFO, **ids: Any) -> None:
    """Record one event: `code` a stable dotted name (`file.registered`), `ids` what it is
    about (request_id=12, file='surat.pdf')."""
    extra = {"event": code, "ids": {k: v for k, v in ids.items() if v is not None}}
    logging.getLogger(f"{ROOT}.{component}").log(level, message, extra=extra)


def unexpected(component: str, what: str, exc: BaseException, **ids: Any) -> str:
    """Log an error nobody expected with its traceback; return the one Indonesian line to
    show on screen instead of the traceback."""
    extra = {"event": "error.unexpected", "ids": {k: v for k, v in ids.items() if v is not None}}
    logging.getLogger(f"{ROOT}.{component}").error(
        "%s: %s", what, exc, exc_info=(type(exc), exc, exc.__traceback__), extra=extra
    )
    where = log_file()
    details = f" Rinciannya dicatat di {where}." if where else ""
    return f"{what}: kesalahan tak terduga ({type(exc).__name__}).{details}"


def _thread_crashed(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is None or isinstance(args.exc_value, SystemExit):
        return
    name = args.thread.name if args.thread else "thread"
    line = unexpected("thread", f"Proses latar '{name}' berhenti", args.exc_value)
    print(line, file=sys.stderr)
