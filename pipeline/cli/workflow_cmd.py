"""`pipeline advance` and `pipeline remind`: the SOP steps and their deadlines."""

from __future__ import annotations

from pathlib import Path

import typer

from pipeline.cli.common import State
from pipeline.service.display import STATUS_LABELS, Status, action_label, wib_text


def run_advance(
    state: State,
    request_id: int,
    action: str,
    note: str | None,
    by: str | None,
    attachment: Path | None,
) -> None:
    from pipeline.service.steps.advance import advance

    services = state.services()
    try:
        result = advance(services, request_id, action, note=note, by=by, attachment=attachment)
    finally:
        services.close()
    label = STATUS_LABELS[Status(result.to_status)]
    due = wib_text(result.due_at)
    typer.echo(
        f"✓ Permohonan #{result.request_id} {action_label(action)}: "
        f"{result.from_status} → {result.to_status} ({label}); tenggat berikut: {due}"
    )
    if result.document:
        number = f" nomor {result.number}" if result.number else ""
        typer.echo(f"  dokumen dibuat{number}: {result.document}")
    if result.attached:
        typer.echo(f"  lampiran disimpan: {result.attached}")


def run_remind(state: State) -> None:
    from pipeline.service.steps.reminders import duties, send_by_email
    from pipeline.service.steps.shortfall import shortfall_letters

    services = state.services()
    try:
        letters = shortfall_letters(services)
        found = duties(services)
        sent = send_by_email(services.settings, found)
    finally:
        services.close()
    for letter in letters:
        typer.echo(f"Surat kekurangan berkas {letter.number} dibuat: {letter.path}")
    if not found:
        typer.echo("Tidak ada permohonan yang jatuh tempo hari ini atau terlambat.")
    for duty in found:
        typer.echo(duty.text())
    if sent:
        typer.echo(f"{sent} e-mail pengingat terkirim.")
