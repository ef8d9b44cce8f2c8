"""PDF copies of generated documents, made in the background beside each DOCX in outbox/.

`make_document` runs inside the transaction that registers a letter or moves a step, and
must not wait for LibreOffice (a cold start takes seconds; a warm conversion ~0.2 s). So it
only queues the document; one background thread converts the queue in order with the warm
converter and then records `Document.pdf_path`. `drain()` (called by `Services.close()`)
waits for the queue, so a one-shot command still leaves every PDF written. When LibreOffice
is missing or fails, the document stays DOCX only and its request's history says why
(`pdf-gagal`). A register that is away while a copy is recorded is waited for (with a growing
delay), and a copy never made (a kill, an outage, a full disk) is made by the next watcher
start: `finish_missing()`.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from pipeline.convert import ConversionError, PdfConverter
from pipeline.errors import PipelineError
from pipeline.register.db import register_away
from pipeline.register.tables import Document
from pipeline.service.steps.history import record
from pipeline.settings import Settings
from pipeline.workflow import Action

ROW_WAIT_SECONDS = 30.0  # the creating transaction commits after the job is queued
AWAY_WAIT_SECONDS = 600.0  # a register away longer than this: the next start finishes it
RETRY_MAX = 5.0


@dataclass(frozen=True)
class PdfJob:
    doc_id: str
    docx: Path
    token: str

    @property
    def pdf(self) -> Path:
        return self.docx.with_suffix(".pdf")


class PdfCopies:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        options = settings.konversi
        self.enabled = options.pdf
        self.engine = engine
        self.converter = PdfConverter(
            options.soffice, options.python_uno, options.batas_detik, background=True
        )
        self._jobs: queue.Queue[PdfJob | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # one conversion at a time through the one converter

    def submit(self, job: PdfJob) -> None:
        if not self.enabled:
            return
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="pdf-copies", daemon=True)
            self._thread.start()
        self._jobs.put(job)

    def convert_now(self, job: PdfJob) -> Path:
        """Convert synchronously (signing needs the PDF now) and record it."""
        with self._lock:
            self.converter.convert(job.docx, job.pdf, (job.token, job.doc_id))
        self._record(job, wait=0.0)
        return job.pdf

    def finish_missing(self) -> int:
        """Documents whose PDF copy was never recorded: a PDF already beside the DOCX (made,
        then the process died before recording it) is recorded, the others are queued.
        Returns how many were queued or recorded."""
        if not self.enabled:
            return 0
        with Session(self.engine) as session:
            missing = session.exec(
                select(Document).where(col(Document.pdf_path).is_(None)).order_by(col(Document.id))
            ).all()
        done = 0
        for document in missing:
            job = PdfJob(document.doc_id, Path(document.path), document.token)
            if not job.docx.is_file():
                continue  # doctor reports the missing document itself
            if _newer_pdf(job):
                self._record(job, wait=0.0)
            else:
                self.submit(job)
            done += 1
        return done

    def drain(self) -> None:
        self._jobs.join()

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        self._thread = None
        self.converter.close()

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                self._convert(job)
            except Exception as exc:  # the copier must outlive any one job
                with contextlib.suppress(Exception):
                    assert job is not None
                    self._note_failure(job, ConversionError(f"{type(exc).__name__}: {exc}."))
            finally:
                self._jobs.task_done()

    def _convert(self, job: PdfJob) -> None:
        try:
            with self._lock:
                self.converter.convert(job.docx, job.pdf, (job.token, job.doc_id))
        except PipelineError as exc:
            self._note_failure(job, exc)
            return
        except OSError as exc:  # LibreOffice could not be started, the folder is not writable
            if _empty(job.pdf):  # a full disk leaves an empty PDF behind
                job.pdf.unlink(missing_ok=True)
            self._note_failure(job, ConversionError(f"{exc.strerror or exc}."))
            return
        self._record(job, wait=ROW_WAIT_SECONDS)

    def _record(self, job: PdfJob, wait: float) -> None:
        def set_path(session: Session, document: Document) -> None:
            document.pdf_path = str(job.pdf)
            session.add(document)

        self._when_committed(job.doc_id, wait, set_path)

    def _note_failure(self, job: PdfJob, exc: PipelineError) -> None:
        note = f"Salinan PDF {job.docx.name} tidak dibuat: {exc}"
        if exc.hint:
            note += f" {exc.hint}"

        def add_event(session: Session, document: Document) -> None:
            record(session, Action.PDF_FAILED, request_id=document.request_id, note=note)

        self._when_committed(job.doc_id, ROW_WAIT_SECONDS, add_event)

    def _when_committed(
        self, doc_id: str, wait: float, change: Callable[[Session, Document], None]
    ) -> None:
        """Apply `change` to the document row once its transaction has committed; a
        register that is away is waited for (the copy is recorded when it is back)."""
        deadline = time.monotonic() + wait
        away_until = time.monotonic() + AWAY_WAIT_SECONDS
        delay = 0.5
        while True:
            try:
                with Session(self.engine) as session:
                    document = _document(session, doc_id)
                    if document is not None:
                        change(session, document)
                        session.commit()
                        return
            except SQLAlchemyError as exc:
                if not register_away(exc) or time.monotonic() >= away_until:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                deadline = max(deadline, time.monotonic() + 1.0)
                continue
            if time.monotonic() >= deadline:
                return  # the transaction that made the document was rolled back
            time.sleep(0.05)


def _newer_pdf(job: PdfJob) -> bool:
    try:
        pdf = job.pdf.stat()
        return pdf.st_size > 0 and pdf.st_mtime >= job.docx.stat().st_mtime
    except OSError:
        return False


def _empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return False


def _document(session: Session, doc_id: str) -> Document | None:
    return session.exec(select(Document).where(Document.doc_id == doc_id)).first()
