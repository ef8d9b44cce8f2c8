"""`pipeline templates check`: every template's variables against the context it gets."""

from __future__ import annotations

import typer

app = typer.Typer(help="Templat dokumen Word.", no_args_is_help=True)


@app.command()
def check(ctx: typer.Context) -> None:
    """Periksa variabel setiap templat: yang tidak dikenal dan yang tidak dipakai."""
    from pipeline.service.paperwork.template_check import check_all

    settings = ctx.obj.settings()
    reports = check_all(settings)
    bad = False
    for report in reports:
        status = "SALAH" if report.broken else ("AWAS" if report.split else "OK")
        typer.echo(f"{status:5s} {report.template}")
        bad = bad or report.broken
        for error in report.errors:
            typer.echo(f"      galat: {error}")
        for name in report.unknown:
            typer.echo(f"      variabel tidak dikenal: {name}")
        for split in report.split:
            typer.echo(f"      {split}")
        for name in report.unused:
            typer.echo(f"      data tidak dipakai: {name}")
    if bad:
        raise typer.Exit(1)
