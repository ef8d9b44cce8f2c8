"""Read and extract one file without touching the register (`pipeline extract`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import IgnoredFileError, PipelineError
from pipeline.extract import OpdMatcher, extract
from pipeline.models import Extraction, ReadDocument
from pipeline.readers import read_file
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
            "needs_review": needs_review(ex, review_threshold),
            "provenance": {k: v.provenance.as_dict() for k, v in ex.fields.items()},
        }


def needs_review(extraction: Extraction, threshold: float) -> list[str]:
    return [k for k, v in extraction.fields.items() if v.provenance.confidence < threshold]


def extract_path(path: Path, settings: Settings, matcher: OpdMatcher) -> FileResult:
    try:
        document = read_file(
            path, max_pages=settings.limits.max_pages, max_bytes=settings.limits.max_bytes
        )
    except IgnoredFileError as exc:
        return FileResult(str(path), None, error=exc.message, skipped=True)
    except PipelineError as exc:
        return FileResult(str(path), None, error=exc.for_humans())
    except OSError as exc:
        return FileResult(str(path), None, error=f"Berkas tidak bisa dibaca: {exc.strerror}.")
    extraction = extract(document, matcher)
    problems = extraction.problems + ((OCR_PENDING,) if extraction.needs_ocr else ())
    return FileResult(str(path), extraction, document, problems=problems)
