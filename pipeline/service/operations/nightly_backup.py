"""`pipeline service backup ROOT --keep N`: the nightly backup the backup timer runs.

Each run makes a new dated folder `ROOT/cadangan-YYYY-MM-DD_HHMMSS` with `pipeline backup`'s
content, records it in the register (so `doctor` can tell its age), and then removes the
oldest finished backups so that `keep` remain. Only folders this command names are ever
removed, never while the new backup missed files, and never the backups it keeps; a folder
left unfinished by an interrupted run (no manifest) is removed once a newer backup is kept.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.register.tables import now_utc
from pipeline.service.operations.backup import MANIFEST, BackupResult, make_backup
from pipeline.settings import Settings
from pipeline.workflow.deadlines import WIB

PREFIX = "cadangan-"
STAMP = "%Y-%m-%d_%H%M%S"
OURS = re.compile(re.escape(PREFIX) + r"\d{4}-\d{2}-\d{2}_\d{6}")


@dataclass
class NightlyResult:
    backup: BackupResult
    removed: list[Path] = field(default_factory=list)


def nightly_backup(settings: Settings, root: Path, keep: int) -> NightlyResult:
    if keep < 1:
        raise ValueError("keep at least one backup")
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"{PREFIX}{now_utc().astimezone(WIB):{STAMP}}"
    made = make_backup(settings, folder)  # recorded in the register by make_backup
    result = NightlyResult(made)
    if not made.missing:  # an incomplete backup never costs a complete one
        result.removed = prune(root, keep)
    return result


def prune(root: Path, keep: int) -> list[Path]:
    """Remove the oldest finished backups beyond `keep`, and unfinished ones older than the
    oldest kept; returns what was removed."""
    ours = sorted(p for p in root.iterdir() if p.is_dir() and OURS.fullmatch(p.name))
    finished = [p for p in ours if (p / MANIFEST).is_file()]
    kept = finished[-keep:]
    if not kept:
        return []
    doomed = [p for p in finished if p not in kept]
    doomed += [p for p in ours if p not in finished and p.name < kept[0].name]
    for folder in doomed:
        shutil.rmtree(folder)
    return sorted(doomed)
