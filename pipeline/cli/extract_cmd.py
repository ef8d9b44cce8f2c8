"""`pipeline extract`: read files and print their fields; the register is not touched."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pipeline.cli.common import State
from pipeline.errors import ExitCode
from pipeline.service.context import make_matcher, make_ocr_pool, pooled_ocr
from pipeline.service.intake.extracting import FileResult, extract_paths


def run_extract(state: State, files: list[Path], *, as_json: bool) -> None:
    settings = state.settings()
    matcher = make_matcher(settings)
    threshold = settings.pembacaan.ambang_peluang
    failed = False
    pool = make_ocr_pool(settings.ocr.proses) if settings.ocr.aktif else None
    try:
        results = extract_paths(files, settings, matcher, pooled_ocr(pool) if pool else None)
    finally:
        if pool:
            pool.shutdown()
    for result in results:
        failed = failed or not result.ok
        if as_json:
            typer.echo(json.dumps(result.as_json(threshold), ensure_ascii=False))
        else:
            _print_human(result, threshold)
    if failed:
        raise typer.Exit(int(ExitCode.SOME_FILES_FAILED))


def _print_human(result: FileResult, threshold: float) -> None:
    data = result.as_json(threshold)
    if not result.ok:
        typer.echo(f"✗ {result.file}: {result.error}")
        return
    typer.echo(f"✓ {result.file} — jenis: {data['kind']}")
    fields = dict(data["fields"])
    person = fields.pop("penanggung_jawab")
    rows = [*fields.items(), *((f"penanggung_jawab.{k}", v) for k, v in person.items())]
    for name, value in rows:
        mark = " (perlu diperiksa)" if name in data["needs_review"] else ""
        typer.echo(f"    {name:26s} {value if value is not None else '—'}{mark}")
    for problem in data["problems"]:
        typer.echo(f"    ! {problem}")
