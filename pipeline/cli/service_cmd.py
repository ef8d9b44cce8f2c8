"""`pipeline service install|status|backup`: run the workspace as the office's service."""

from __future__ import annotations

import grp
import pwd
import shlex
import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.common import State
from pipeline.errors import ConfigurationError, ExitCode

app = typer.Typer(
    help="Jalankan folder kerja ini sebagai layanan kantor (systemd).", no_args_is_help=True
)

ACTIVE_WORDS = {
    "active": "berjalan",
    "inactive": "berhenti",
    "failed": "berhenti karena galat",
    "activating": "sedang dimulai",
    "deactivating": "sedang dihentikan",
    "reloading": "sedang dimuat ulang",
}
ENABLED_WORDS = {
    "enabled": "menyala saat komputer hidup",
    "disabled": "tidak menyala saat komputer hidup",
    "static": "dijalankan oleh timer-nya",
    "masked": "diblokir (masked)",
    "not-found": "belum dikenal systemd (jalankan sudo systemctl daemon-reload)",
}


@app.command()
def install(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option(
            "--user", help="Pengguna yang menjalankan layanan (bawaan: pemilik folder kerja)."
        ),
    ] = None,
    dest: Annotated[Path, typer.Option("--dir", help="Folder tujuan berkas unit systemd.")] = Path(
        "/etc/systemd/system"
    ),
    backup_dir: Annotated[
        Path | None,
        typer.Option(
            "--backup-dir", help="Folder cadangan malam (bawaan: <folder kerja>/cadangan)."
        ),
    ] = None,
    keep: Annotated[
        int, typer.Option("--keep", min=1, help="Jumlah cadangan malam yang disimpan.")
    ] = 14,
    host: Annotated[str, typer.Option("--host", help="Alamat halaman web.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port halaman web.")] = 8000,
) -> None:
    """Tulis unit systemd: pemantau inbox, halaman web, pengingat harian, dan cadangan malam."""
    from pipeline.service.operations.units import (
        ENABLED,
        SYSTEMD_DIR,
        UnitPlan,
        descriptions,
        write_units,
    )
    from pipeline.settings import CONFIG_NAME

    state: State = ctx.obj
    workspace = state.home.resolve()
    if not (workspace / CONFIG_NAME).is_file():
        raise ConfigurationError(
            f"{workspace} bukan folder kerja pipeline (tidak ada {CONFIG_NAME}).",
            hint="Sebutkan folder kerja dengan --home, atau buat dulu dengan `pipeline init`.",
        )
    account = _service_account(user, workspace)
    plan = UnitPlan(
        workspace=workspace,
        executable=installed_executable(),
        user=account.pw_name,
        group=grp.getgrgid(account.pw_gid).gr_name,
        backup_root=(backup_dir or workspace / "cadangan").absolute(),
        keep=keep,
        host=host,
        port=port,
    )
    try:
        written = write_units(plan, dest)
    except PermissionError as exc:
        raise ConfigurationError(
            f"Tidak boleh menulis ke {dest}.",
            hint="Jalankan dengan sudo (folder systemd milik root), atau pilih folder lain "
            "dengan --dir lalu salin berkasnya.",
        ) from exc
    what = descriptions(plan)
    typer.echo(f"Berkas layanan ditulis ke {dest.absolute()}:")
    for path in written:
        typer.echo(f"  {path.name:26s} {what[path.name]}")
    typer.echo(
        f"Semuanya berjalan sebagai pengguna '{plan.user}' di folder kerja {workspace}, "
        f"dengan {plan.executable}."
    )
    if account.pw_uid != workspace.stat().st_uid:
        typer.echo(
            f"Perhatian: folder kerja bukan milik '{plan.user}'. Serahkan dulu: "
            f"sudo chown -R {plan.user}: {workspace}",
            err=True,
        )
    typer.echo("Langkah berikutnya (sebagai root):")
    if dest.absolute() != SYSTEMD_DIR:
        folder = shlex.quote(str(dest.absolute()))
        typer.echo(
            f"  sudo cp {folder}/pipeline-*.service {folder}/pipeline-*.timer {SYSTEMD_DIR}/"
        )
    typer.echo("  sudo systemctl daemon-reload")
    typer.echo(f"  sudo systemctl enable --now {' '.join(ENABLED)}")


def installed_executable() -> Path:
    """The `pipeline` command of this installation (beside the Python that runs it)."""
    beside = Path(sys.executable).parent / "pipeline"
    if beside.is_file():
        return beside.absolute()
    found = shutil.which("pipeline")
    if found is None:
        raise ConfigurationError(
            "Perintah `pipeline` yang terpasang tidak ditemukan.",
            hint="Pasang proyek ini (mis. `bash scripts/start.sh`), lalu jalankan "
            "`.venv/bin/pipeline service install`.",
        )
    return Path(found).absolute()


def _service_account(name: str | None, workspace: Path) -> pwd.struct_passwd:
    """The unprivileged account the services run as: `name`, or the workspace's owner."""
    try:
        account = pwd.getpwnam(name) if name else pwd.getpwuid(workspace.stat().st_uid)
    except KeyError as exc:
        raise ConfigurationError(
            f"Pengguna '{name}' tidak ada di komputer ini.",
            hint=f"Buat dulu: sudo useradd --system --home-dir {workspace} {name}",
        ) from exc
    if account.pw_uid == 0:
        raise ConfigurationError(
            "Layanan tidak dijalankan sebagai root"
            + ("." if name else f": folder kerja {workspace} milik root."),
            hint="Buat pengguna khusus dan serahkan folder kerja kepadanya, mis. "
            f"`sudo useradd --system --home-dir {workspace} pipeline && sudo chown -R "
            f"pipeline: {workspace}`, lalu ulangi dengan --user pipeline.",
        )
    return account


@app.command()
def status(
    ctx: typer.Context,
    dest: Annotated[Path, typer.Option("--dir", help="Folder berkas unit systemd.")] = Path(
        "/etc/systemd/system"
    ),
) -> None:
    """Tampilkan layanan yang terpasang dan berjalan, denyut pemantau, dan cadangan terakhir."""
    from pipeline.service.operations.doctor import BAD, service_findings
    from pipeline.service.operations.units import systemd_running, unit_states

    state: State = ctx.obj
    running = systemd_running()
    typer.echo("Layanan:")
    for unit in unit_states(dest):
        if not unit.installed and unit.enabled in ("", "not-found"):
            typer.echo(f"  {unit.name:26s} belum dipasang")
            continue
        if not running:
            typer.echo(f"  {unit.name:26s} terpasang di {dest}")
            continue
        active = ACTIVE_WORDS.get(unit.active, unit.active)
        enabled = ENABLED_WORDS.get(unit.enabled, unit.enabled)
        typer.echo(f"  {unit.name:26s} {active}; {enabled}")
    if not running:
        typer.echo(
            "  systemd tidak berjalan di komputer ini (mis. di dalam kontainer): layanan di "
            "atas tidak dijalankan olehnya. Jalankan pemantau dengan scripts/start.sh atau "
            "pengawas proses lain (lihat README, bagian layanan)."
        )
    findings = service_findings(state.settings())
    for finding in findings:
        typer.echo(f"{finding.check}: {finding.detail}")
    if any(f.status == BAD for f in findings):
        sys.exit(ExitCode.SOME_FILES_FAILED)


@app.command()
def backup(
    ctx: typer.Context,
    root: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder tempat cadangan bertanggal dibuat.")
    ],
    keep: Annotated[
        int, typer.Option("--keep", min=1, help="Jumlah cadangan terakhir yang disimpan.")
    ] = 14,
) -> None:
    """Cadangan malam: folder baru bertanggal di FOLDER, cadangan lama di atas --keep dihapus."""
    from pipeline.service.operations.nightly_backup import nightly_backup

    state: State = ctx.obj
    result = nightly_backup(state.settings(), root, keep)
    made = result.backup
    typer.echo(
        f"Cadangan dibuat di {made.folder.resolve()}: {made.archived} berkas arsip, "
        f"{made.documents} dokumen, {made.total_bytes / 1_000_000:.1f} MB."
    )
    for folder in result.removed:
        typer.echo(f"Cadangan lama dihapus: {folder}")
    if made.missing:
        typer.echo(
            f"Peringatan: {len(made.missing)} berkas yang dicatat register tidak ada di folder "
            "kerja dan tidak ikut dicadangkan; cadangan lama tidak dihapus (lihat "
            "`pipeline doctor`).",
            err=True,
        )
        sys.exit(ExitCode.SOME_FILES_FAILED)
