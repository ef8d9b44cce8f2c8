"""`pipeline extract`: read files and print their fields; the register is not touched."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from pipeline.cli.common import State
from pipeline.errors import ExitCode
from pipeline.fields import FIELDS, missing_text, value_in
from pipeline.service.context import make_matcher, make_ocr_pool, pooled_ocr
from pipeline.service.display import REVIEW_MARK, file_kind
from pipeline.service.intake.extracting import FileResult, extract_paths
from pipeline.service.paperwork.rendering import shown_value


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
            pool.shutdown(cancel_futures=True)  # Ctrl+C: only the pages under way finish
    for result in results:
        failed = failed or not result.ok
        if as_json:
            typer.echo(json.dumps(result.as_json(threshold), ensure_ascii=False))
        else:
            _print_human(result, threshold)
    if failed:
        raise typer.Exit(int(ExitCode.SOME_FILES_FAILED))


def _print_human(result: FileResult, threshold: float) -> None:
    """Each field by its name in words, '⚠ perlu diperiksa' where a clerk should look."""
    data = result.as_json(threshold)
    if not result.ok:
        typer.echo(f"✗ {result.file}: {result.error}")
        return
    typer.echo(f"✓ {result.file} — {file_kind(data['kind'])}")
    review = set(data["needs_review"])
    for field in FIELDS:
        value = shown_value(field, value_in(data["fields"], field))
        mark = f"  {REVIEW_MARK}" if field.name in review else ""
        typer.echo(f"    {field.label:28s} {value or '—'}{mark}")
    if data["missing"]:
        typer.echo("    Kurang: " + "; ".join(missing_text(code) for code in data["missing"]))
    for problem in data["problems"]:
        typer.echo(f"    ! {problem}")
