"""Read and extract files without touching the register (`pipeline extract`, and ingest)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import IgnoredFileError, MissingDependencyError, PipelineError
from pipeline.extract import OpdMatcher, extract
from pipeline.models import Extraction, ReadDocument
from pipeline.readers import read_file
from pipeline.readers.limits import Deadline
from pipeline.readers.scan import OcrRunner, with_ocr_many
from pipeline.settings import Settings

OCR_PENDING = "Berkas hasil pindaian/foto: perlu OCR; isian diketik petugas sampai OCR tersedia."


@dataclass(frozen=True)
class FileResult:
    file: str
    extraction: Extraction | None
    document: ReadDocument | None = None
    error: str | None = None
    skipped: bool = False
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.extraction is not None

    def as_json(self, review_threshold: float) -> dict[str, Any]:
        if self.extraction is None:
            return {
                "file": self.file,
                "ok": False,
                "kind": None,
                "fields": None,
                "missing": [],
                "problems": [],
                "error": self.error,
                **({"skipped": True} if self.skipped else {}),
            }
        ex = self.extraction
        return {
            "file": self.file,
            "ok": True,
            "kind": ex.kind.value,
            "fields": ex.nested_values(),
            "missing": ex.missing(),
            "problems": list(self.problems),
            "error": None,
            "needs_ocr": ex.needs_ocr,
            "ocr_pages": list(self.document.ocr_pages) if self.document else [],
            "needs_review": needs_review(ex, review_threshold),
            "provenance": {k: v.provenance.as_dict() for k, v in ex.fields.items()},
        }


def needs_review(extraction: Extraction, threshold: float) -> list[str]:
    return [k for k, v in extraction.fields.items() if v.provenance.confidence < threshold]


def extract_path(
    path: Path, settings: Settings, matcher: OpdMatcher, ocr: OcrRunner | None = None
) -> FileResult:
    return extract_paths([path], settings, matcher, ocr)[0]


def extract_paths(
    paths: Sequence[Path], settings: Settings, matcher: OpdMatcher, ocr: OcrRunner | None = None
) -> list[FileResult]:
    """Read every file, OCR all their scanned pages together, then extract each. Each file has
    `limits.max_seconds` from the moment its reading starts."""
    started: list[Deadline] = []
    read: list[FileResult] = []
    for path in paths:  # each file's clock starts when its reading does
        started.append(Deadline.start(settings.limits.max_seconds))
        read.append(_read(path, settings, started[-1]))
    documents = [(r.document, Path(r.file)) for r in read if r.document is not None]
    deadlines = [d for r, d in zip(read, started, strict=True) if r.document is not None]
    filled, ocr_problem = _ocr(documents, _queued(documents, deadlines), settings, ocr)
    by_file = {str(path): doc for doc, path in zip(filled, (p for _, p in documents), strict=True)}
    return [_extracted(r, by_file[r.file], matcher, ocr_problem) if r.document else r for r in read]


def _queued(
    documents: list[tuple[ReadDocument, Path]], deadlines: list[Deadline]
) -> list[Deadline]:
    """Scans OCR'd together queue behind each other: the k-th scan of a batch may wait for the
    k-1 before it, so it gets their budgets too (a single file keeps its own deadline)."""
    queued, ahead = [], 0
    for (document, _), deadline in zip(documents, deadlines, strict=True):
        queued.append(Deadline(deadline.at + ahead * deadline.seconds, deadline.seconds))
        ahead += document.needs_ocr
    return queued


def _read(path: Path, settings: Settings, deadline: Deadline) -> FileResult:
    try:
        document = read_file(path, settings.limits, deadline)
    except IgnoredFileError as exc:
        return FileResult(str(path), None, error=exc.message, skipped=True)
    except PipelineError as exc:
        return FileResult(str(path), None, error=exc.for_humans())
    except OSError as exc:
        return FileResult(str(path), None, error=f"Berkas tidak bisa dibaca: {exc.strerror}.")
    return FileResult(str(path), None, document)


def _ocr(
    documents: list[tuple[ReadDocument, Path]],
    deadlines: list[Deadline],
    settings: Settings,
    ocr: OcrRunner | None,
) -> tuple[list[ReadDocument], str | None]:
    """OCR the pages without a text layer; without Tesseract the files wait for a clerk."""
    plain = [doc for doc, _ in documents]
    if ocr is None or not any(doc.needs_ocr for doc in plain):
        return plain, None
    try:
        filled = with_ocr_many(
            documents,
            ocr,
            settings.ocr.page_seconds,
            deadlines=deadlines,
            max_pixels=settings.limits.max_pixels,
        )
    except MissingDependencyError as exc:
        return plain, exc.for_humans()
    return filled, None


def _extracted(
    read: FileResult, document: ReadDocument, matcher: OpdMatcher, ocr_problem: str | None
) -> FileResult:
    extraction = extract(document, matcher)
    pending = (ocr_problem or OCR_PENDING,) if extraction.needs_ocr else ()
    problems = extraction.problems + document.notes + pending
    return FileResult(read.file, extraction, document, problems=problems)
