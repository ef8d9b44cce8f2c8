"""`pipeline watch` and `pipeline ingest`: the watcher shell and its one-shot sibling."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pipeline.cli.common import State
from pipeline.errors import ExitCode
from pipeline.service.intake.ingest import IngestOutcome

if TYPE_CHECKING:
    from pipeline.service.context import Services
    from pipeline.watcher import WatchSummary

ONCE_WAIT = 120.0  # `watch --once` waits this long for a register that is away at start

SYMBOL = {
    "registered": "✓",
    "duplicate": "=",
    "returned": "↩",
    "other": "→",
    "failed": "✗",
    "vanished": "?",
}
WORDS = {
    "registered": "tercatat",
    "duplicate": "duplikat (sudah pernah diterima)",
    "other": "surat lain, perlu diteruskan manual",
    "failed": "gagal, dipindah ke inbox/failed/",
    "returned": "dokumen bertanda tangan kembali, dilampirkan pada permohonannya",
    "vanished": "hilang sebelum selesai dibaca (tidak tercatat)",
}


def report(outcome: IngestOutcome) -> None:
    """'✓ surat.pdf: tercatat → permohonan #12 [Menunggu Kepala Dinas]'."""
    words = WORDS.get(outcome.status, "")
    request = f" → permohonan #{outcome.request_id}" if outcome.request_id else ""
    said = outcome.message
    detail = f" [{said}]" if said and said not in words else ""
    typer.echo(f"{SYMBOL.get(outcome.status, '?')} {outcome.name}: {words}{request}{detail}")
    sys.stdout.flush()


def _services_when_reachable(state: State, once: bool) -> Services:
    """Open the register; a register that is away at start is waited for, as the running
    watcher waits for it (a one-shot run gives up after a while)."""
    from pipeline.service.context import register_away
    from pipeline.watcher.pause import RETRY_MAX, fault_message

    started, delay, told = time.monotonic(), 1.0, False
    while True:
        try:
            return state.services()
        except Exception as exc:
            if not register_away(exc) or (once and time.monotonic() - started > ONCE_WAIT):
                raise
            if not told:
                typer.echo(fault_message("register", exc))
                told = True
        time.sleep(delay)
        delay = min(delay * 2, RETRY_MAX)


def run_watch(state: State, *, once: bool, polling: bool, ready_file: Path | None = None) -> None:
    from pipeline.service.intake.mail_polling import start_mailbox
    from pipeline.watcher import Watcher

    services = _services_when_reachable(state, once)
    start_mailbox(services, once)  # [surel]: a thread saving new messages into the inbox
    if sys.stdout.isatty():
        from pipeline.cli.watch_progress import watch_with_progress

        try:
            summary = watch_with_progress(
                services, report, once=once, polling=polling, ready_file=ready_file
            )
        finally:
            services.close()
        _print_summary(summary)
        return
    watcher = Watcher(services, report, ready_file=ready_file)
    watcher.install_signal_handlers()
    if not once:
        typer.echo(f"Memantau {services.settings.inbox} (Ctrl+C untuk berhenti)…")
    try:
        summary = watcher.run(once=once, polling=polling)
    finally:
        services.close()
    _print_summary(summary)


def _print_summary(summary: WatchSummary) -> None:
    typer.echo(
        f"Selesai: {summary.count('registered')} tercatat, {summary.count('duplicate')} "
        f"duplikat, {summary.count('other')} surat lain, {summary.count('failed')} gagal."
    )


def run_ingest(state: State, files: list[Path]) -> None:
    from pipeline.service.intake.claims import claim_for_ingest
    from pipeline.service.intake.ingest import ingest_claim

    services = state.services()
    failed = False
    try:
        for path in files:
            resolved = path.resolve()
            if not resolved.is_file():
                typer.echo(f"✗ {path}: berkas tidak ditemukan.")
                failed = True
                continue
            claimed = claim_for_ingest(services, resolved)
            if claimed is None:
                continue
            outcome = ingest_claim(services, claimed)
            failed = failed or outcome.status == "failed"
            report(outcome)
    finally:
        services.close()
    if failed:
        raise typer.Exit(int(ExitCode.SOME_FILES_FAILED))
