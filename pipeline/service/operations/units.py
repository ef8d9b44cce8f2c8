"""systemd units that run a workspace as the office's service (`pipeline service install`).

Six units: the watcher and the web page (restarted on failure, started at boot), and two
timers with their one-shot services: the daily `remind` at 07:00 WIB on working days and the
nightly backup with retention. The unit text is data below; only the values are filled in,
escaped the way systemd reads them (a `%` or a space in the workspace path stays literal).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from string import Template

SYSTEMD_DIR = Path("/etc/systemd/system")
REMIND_CALENDAR = "Mon..Fri *-*-* 07:00:00 Asia/Jakarta"
BACKUP_CALENDAR = "*-*-* 01:30:00 Asia/Jakarta"
DEFAULT_KEEP = 14  # nightly backups kept


@dataclass(frozen=True)
class UnitPlan:
    workspace: Path
    executable: Path  # the installed `pipeline` command
    user: str
    group: str
    backup_root: Path
    keep: int = DEFAULT_KEEP
    host: str = "127.0.0.1"
    port: int = 8000


@dataclass(frozen=True)
class UnitText:
    name: str
    what: str  # one line for the clerk's screen
    template: str


HEADER = """\
# Dibuat oleh `pipeline service install` untuk folder kerja $workspace_note.
# Jangan diubah dengan tangan: jalankan perintah itu lagi untuk membuatnya ulang.
"""

SERVICE_BODY = """\
User=$user
Group=$group
Environment=$home_env
Environment=PYTHONUNBUFFERED=1
WorkingDirectory=$workdir
UMask=0027
"""

# KillMode=mixed: `systemctl stop` sends SIGTERM to the watcher alone, which finishes the files
# under way and stops its OCR workers itself; SIGKILL reaches the rest only after the timeout.
WATCH = UnitText(
    "pipeline-watch.service",
    "pemantau inbox (pipeline watch), dijalankan ulang bila berhenti karena galat",
    HEADER
    + """\
[Unit]
Description=Pemantau inbox pipeline (pencatatan surat permohonan)
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
"""
    + SERVICE_BODY
    + """\
ExecStart=$exe --home $home watch
Restart=on-failure
RestartSec=10
KillSignal=SIGTERM
KillMode=mixed
TimeoutStopSec=90

[Install]
WantedBy=multi-user.target
""",
)

WEB = UnitText(
    "pipeline-web.service",
    "halaman web register (pipeline serve di $address), dijalankan ulang bila gagal",
    HEADER
    + """\
[Unit]
Description=Halaman web register pipeline
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
"""
    + SERVICE_BODY
    + """\
ExecStart=$exe --home $home serve --host $host --port $port
Restart=on-failure
RestartSec=10
TimeoutStopSec=30

[Install]
WantedBy=multi-user.target
""",
)

REMIND = UnitText(
    "pipeline-remind.service",
    "pengingat tenggat (pipeline remind), dijalankan oleh pipeline-remind.timer",
    HEADER
    + """\
[Unit]
Description=Pengingat tenggat permohonan (pipeline remind)
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=oneshot
"""
    + SERVICE_BODY
    + """\
ExecStart=$exe --home $home remind
""",
)

REMIND_TIMER = UnitText(
    "pipeline-remind.timer",
    "pengingat tiap hari kerja (Senin–Jumat) pukul 07.00 WIB",
    HEADER
    + """\
[Unit]
Description=Pengingat tenggat tiap hari kerja pukul 07.00 WIB

[Timer]
OnCalendar=$remind_calendar
Persistent=true
Unit=pipeline-remind.service

[Install]
WantedBy=timers.target
""",
)

BACKUP = UnitText(
    "pipeline-backup.service",
    "cadangan ke $backup_note, $keep cadangan terakhir disimpan",
    HEADER
    + """\
[Unit]
Description=Cadangan malam pipeline (register, arsip, dokumen)
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=oneshot
"""
    + SERVICE_BODY
    + """\
Nice=10
IOSchedulingClass=idle
ExecStart=$exe --home $home service backup $backup_root --keep $keep
""",
)

BACKUP_TIMER = UnitText(
    "pipeline-backup.timer",
    "cadangan tiap malam pukul 01.30 WIB",
    HEADER
    + """\
[Unit]
Description=Cadangan pipeline tiap malam pukul 01.30 WIB

[Timer]
OnCalendar=$backup_calendar
Persistent=true
Unit=pipeline-backup.service

[Install]
WantedBy=timers.target
""",
)

UNITS = (WATCH, WEB, REMIND, REMIND_TIMER, BACKUP, BACKUP_TIMER)
# What `systemctl enable --now` starts: the timers start their one-shot services.
ENABLED = (
    "pipeline-watch.service",
    "pipeline-web.service",
    "pipeline-remind.timer",
    "pipeline-backup.timer",
)


def render_units(plan: UnitPlan) -> dict[str, str]:
    """Unit file name → its text."""
    values = _values(plan)
    return {unit.name: Template(unit.template).substitute(values) for unit in UNITS}


def descriptions(plan: UnitPlan) -> dict[str, str]:
    """Unit file name → what it does, for the screen."""
    values = {
        "address": f"{plan.host}:{plan.port}",
        "backup_note": str(plan.backup_root),
        "keep": str(plan.keep),
    }
    return {unit.name: Template(unit.what).substitute(values) for unit in UNITS}


def write_units(plan: UnitPlan, folder: Path) -> list[Path]:
    """Write every unit into `folder` (each whole or not at all); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, text in render_units(plan).items():
        target = folder / name
        temporary = folder / f".{name}.tmp"
        temporary.write_text(text, encoding="utf-8")
        temporary.chmod(0o644)
        os.replace(temporary, target)
        written.append(target)
    return written


def _values(plan: UnitPlan) -> dict[str, str]:
    home = str(plan.workspace)
    return {
        "workspace_note": _comment(home),
        "user": plan.user,
        "group": plan.group,
        "home_env": quote_argument(f"PIPELINE_HOME={home}", command=False),
        "workdir": _specifiers(home),
        "exe": quote_argument(str(plan.executable)),
        "home": quote_argument(home),
        "host": quote_argument(plan.host),
        "port": str(plan.port),
        "backup_root": quote_argument(str(plan.backup_root)),
        "keep": str(plan.keep),
        "remind_calendar": REMIND_CALENDAR,
        "backup_calendar": BACKUP_CALENDAR,
    }


SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@")


def quote_argument(value: str, command: bool = True) -> str:
    """One word of a command line (or, not `command`, an Environment= assignment) as systemd
    reads it: quoted when it holds anything but plain characters; `%` and `$` never expand."""
    escaped = _specifiers(value)
    if command:
        escaped = escaped.replace("$", "$$")
    if escaped and all(ch in SAFE for ch in value):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _specifiers(value: str) -> str:
    return value.replace("%", "%%")


def _comment(value: str) -> str:
    return value.replace("\n", " ")


# -- what runs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitState:
    name: str
    installed: bool
    enabled: str  # systemctl is-enabled's word, or "" without systemd
    active: str  # systemctl is-active's word, or ""


def systemd_running() -> bool:
    """Is this machine run by systemd (not a container without it)?"""
    return Path("/run/systemd/system").is_dir() and shutil.which("systemctl") is not None


def unit_states(folder: Path = SYSTEMD_DIR) -> list[UnitState]:
    """Each unit: its file in `folder`, and what systemd says of it when systemd runs."""
    running = systemd_running()
    states = []
    for unit in UNITS:
        installed = (folder / unit.name).is_file()
        enabled = _systemctl("is-enabled", unit.name) if running else ""
        active = _systemctl("is-active", unit.name) if running else ""
        states.append(UnitState(unit.name, installed, enabled, active))
    return states


def _systemctl(verb: str, unit: str) -> str:
    try:
        done = subprocess.run(
            ["systemctl", verb, unit], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    words = done.stdout.split()
    return words[0] if words else "not-found"  # is-enabled says nothing of an unknown unit
