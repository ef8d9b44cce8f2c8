"""Everything a shell needs to call the service, built once by a factory (no singletons)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from pipeline.register.db import create_schema, make_engine
from pipeline.register.db import register_away as register_away  # for the shells
from pipeline.settings import Settings
from pipeline.workflow import WorkingCalendar

# Reading files (PDF, Word, OCR) and extraction are imported where they are first used, not
# here: every command opens the services, and most (register list, status, advance) read no
# file; importing the readers took about half of such a command's start-up.
if TYPE_CHECKING:
    from pipeline.extract import OpdMatcher
    from pipeline.readers.scan import OcrRunner
    from pipeline.service.intake.extracting import DocxCopies
    from pipeline.service.paperwork.pdf_copies import PdfCopies

MIN_IDLE_SECONDS = 10.0
PACKAGED_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
_STARTING = threading.Lock()  # two lanes meeting their first .doc start one LibreOffice


@dataclass
class Services:
    settings: Settings
    engine: Engine
    calendar: WorkingCalendar
    _matcher: OpdMatcher | None = field(default=None, repr=False)
    _pool: ProcessPoolExecutor | None = field(default=None, repr=False)
    _pdf: PdfCopies | None = field(default=None, repr=False)
    _docx: DocxCopies | None = field(default=None, repr=False)

    @property
    def matcher(self) -> OpdMatcher:
        """The OPD master list, loaded on first use."""
        if self._matcher is None:
            self._matcher = make_matcher(self.settings)
        return self._matcher

    @property
    def pdf_copies(self) -> PdfCopies:
        """PDF copies of generated documents; LibreOffice starts on the first one."""
        from pipeline.service.paperwork.pdf_copies import PdfCopies

        if self._pdf is None:
            self._pdf = PdfCopies(self.settings, self.engine)
        return self._pdf

    @property
    def docx_copies(self) -> DocxCopies:
        """DOCX copies of .doc/.rtf/.odt/.docm files, kept under archive/converted; the
        LibreOffice that makes them starts on the first such file and stays warm."""
        from pipeline.service.intake.extracting import CONVERTED_FOLDER, DocxCopies

        with _STARTING:
            if self._docx is None:
                folder = self.settings.archive / CONVERTED_FOLDER
                self._docx = DocxCopies.from_settings(self.settings, folder)
            return self._docx

    @property
    def ocr(self) -> OcrRunner | None:
        """Runs OCR jobs in worker processes (one Tesseract thread each), started on first use."""
        from pipeline.readers.replay import OCR_FOLDER, cached_runner
        from pipeline.readers.scan import pool_runner

        if not self.settings.ocr.aktif:
            return None
        if self._pool is None:
            self._pool = make_ocr_pool(self.settings.ocr.proses)
        return cached_runner(pool_runner(self._pool), self.settings.archive / OCR_FOLDER)

    @property
    def templates(self) -> Path:
        own = self.settings.workspace / "templates"
        return own if own.is_dir() else PACKAGED_TEMPLATES

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()  # after the queued PDFs are written
            self._pdf = None
        if self._docx is not None:
            self._docx.close()
            self._docx = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.engine.dispose()


def pooled_ocr(pool: ProcessPoolExecutor) -> OcrRunner:
    """OCR through `pool`'s worker processes, without the workspace's cache."""
    from pipeline.readers.scan import pool_runner

    return pool_runner(pool)


def make_ocr_pool(workers: int) -> ProcessPoolExecutor:
    from pipeline.readers.scan import leave_interrupts_to_the_parent

    count = workers or os.cpu_count() or 1
    return ProcessPoolExecutor(
        max_workers=count,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=leave_interrupts_to_the_parent,
    )


def make_matcher(settings: Settings) -> OpdMatcher:
    """The OPD master list: the office's own copy (`daftar_opd`, relative to the workspace)
    when set, else the one shipped with the package."""
    from pipeline.extract import OpdMatcher
    from pipeline.reference import load_opd_directory

    own = settings.daftar_opd
    return OpdMatcher(load_opd_directory(settings.workspace / own if own else None))


def idle_limit(settings: Settings) -> float:
    """How long a transaction may wait on its own process: about the lease, never so short
    that rendering a document inside the registration transaction could hit it."""
    return max(MIN_IDLE_SECONDS, 2 * settings.pemantau.masa_klaim_detik)


def open_services(settings: Settings, *, read_only: bool = False) -> Services:
    """`read_only`: for commands that only read; they never wait for a writer's lock."""
    idle = idle_limit(settings)
    engine = make_engine(settings.database_url, idle_seconds=idle, read_only=read_only)
    create_schema(engine)
    calendar = WorkingCalendar(settings.kalender.cuti_bersama)
    return Services(settings, engine, calendar)
