"""Operations: `pipeline doctor`, `pipeline backup DIR`, `pipeline restore DIR`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pipeline.cli.common import State
from pipeline.errors import ExitCode

STYLE = {"ok": "green", "peringatan": "yellow", "masalah": "bold red"}


def run_doctor(state: State, *, as_json: bool, quick: bool) -> None:
    from pipeline.service.operations.doctor import diagnose

    report = diagnose(state.settings(), hash_files=not quick)
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        table = Table("Pemeriksaan", "Status", "Keterangan", title="Pemeriksaan pipeline")
        for finding in report.findings:
            detail = "\n".join([finding.detail, *(f"  • {item}" for item in finding.items)])
            style = STYLE.get(finding.status, "")
            # Text, not markup: a detail may hold "[pemantau]" or a path with brackets.
            table.add_row(finding.check, Text(finding.status, style=style), Text(detail))
        console = Console()
        console.print(table)
        verdict = "Semua baik." if report.healthy else "Ada masalah: lihat baris 'masalah'."
        console.print(verdict)
    if not report.healthy:
        sys.exit(ExitCode.SOME_FILES_FAILED)


def run_backup(state: State, folder: Path) -> None:
    from pipeline.service.operations.backup import make_backup

    result = make_backup(state.settings(), folder)
    typer.echo(
        f"Cadangan dibuat di {result.folder.resolve()}: register ({result.register}), "
        f"{result.archived} berkas arsip, {result.documents} dokumen, "
        f"{result.total_bytes / 1_000_000:.1f} MB."
    )
    if result.missing:
        typer.echo(
            f"Peringatan: {len(result.missing)} berkas yang dicatat register tidak ada di folder "
            "kerja dan tidak ikut dicadangkan (lihat `pipeline doctor`):",
            err=True,
        )
        for item in result.missing[:10]:
            typer.echo(f"  • {item}", err=True)
        sys.exit(ExitCode.SOME_FILES_FAILED)


def run_restore(state: State, folder: Path, *, force: bool) -> None:
    from pipeline.service.operations.restore import restore_backup

    result = restore_backup(state.home, folder, force=force)
    if result.resumed:
        typer.echo("Pemulihan sebelumnya terputus; sekarang diselesaikan.")
    typer.echo(
        f"Dipulihkan ke {state.home.resolve()}: {result.files} berkas di register, "
        f"{result.archived} berkas arsip, {result.documents} dokumen (semua cocok dengan "
        "manifest)."
    )
    for item in result.kept_aside:
        typer.echo(f"Berkas lama disimpan sebagai {item}")
