"""`pipeline upgrade`: bring a register made by an older release to this release's schema."""

from __future__ import annotations

import typer

from pipeline.cli.common import State


def run_upgrade(state: State) -> None:
    from pipeline.service.display import version_title as title
    from pipeline.service.operations.upgrade import upgrade_register

    report = upgrade_register(state.settings())
    typer.echo(f"Register: {report.where}")
    newest = title(report.head)
    if report.created:
        typer.echo(f"Belum ada register; register baru dibuat pada versi terbaru ({newest}).")
        return
    if not report.changed:
        typer.echo(f"Register sudah versi terbaru ({newest}). Tidak ada yang diubah.")
        return
    was = title(report.before)
    if report.versioned:
        typer.echo(f"Versi register sebelumnya: {was}.")
    elif report.before is None:
        typer.echo(f"Versi register sebelumnya: {was} (belum bernomor versi).")
    else:
        typer.echo(
            f"Versi register sebelumnya: {was} (belum bernomor versi; dikenali dari susunan "
            "tabelnya dan kini diberi nomor versi)."
        )
    if report.copy is not None:
        typer.echo(f"Salinan register sebelum upgrade: {report.copy}")
    if report.applied:
        typer.echo("Perubahan yang dijalankan:")
        for revision in report.applied:
            typer.echo(f"  ✓ {title(revision)}")
    else:
        typer.echo("Susunan tabelnya sudah lengkap; tidak ada tabel yang diubah.")
    typer.echo(
        f"Register sekarang versi terbaru ({newest}). Pemantau dan halaman web dapat "
        "dijalankan lagi."
    )
