"""`pipeline watch` in a terminal: the per-file lines above a live progress bar (rich)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pipeline.service.context import Services
from pipeline.service.intake.ingest import IngestOutcome
from pipeline.watcher import Watcher, WatchSummary

REFRESH_SECONDS = 0.5


def watch_with_progress(
    services: Services,
    report: Callable[[IngestOutcome], None],
    *,
    once: bool,
    polling: bool,
    ready_file: Path | None = None,
) -> WatchSummary:
    console = Console()
    progress = Progress(
        TextColumn("[bold]berkas"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[antre]} menunggu"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("berkas", total=0, antre=0)
    done = 0

    def shown(outcome: IngestOutcome) -> None:
        nonlocal done
        done += 1
        report(outcome)  # rich shows printed lines above the live bar

    watcher = Watcher(services, shown, ready_file=ready_file)
    watcher.install_signal_handlers()
    stop = threading.Event()

    def refresh() -> None:
        while not stop.wait(REFRESH_SECONDS):
            waiting = watcher.waiting()
            progress.update(task, completed=done, total=done + waiting, antre=waiting)

    with progress:
        if not once:
            console.print(
                f"Memantau {services.settings.inbox} (Ctrl+C untuk berhenti)…", markup=False
            )
        updater = threading.Thread(target=refresh, daemon=True)
        updater.start()
        try:
            return watcher.run(once=once, polling=polling)
        finally:
            stop.set()
            updater.join()
