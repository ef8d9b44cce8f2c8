"""Read documents as plain JSON: the OCR cache, and stored OCR output that tests replay."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.readers.ocr import SheetLines
from pipeline.readers.scan import OcrJob, OcrRunner

OCR_VERSION = "ocr-19"  # bump when preprocessing or reading changes, so old entries are ignored
OCR_FOLDER = "ocr"  # archive/ocr/: the OCR cache, and the straightened photo pages beside it


def lines_to_json(lines: list[TextLine]) -> list[dict[str, Any]]:
    return [
        {
            "page": ln.page,
            "width": ln.width,
            "cells": [[round(c.x0, 2), c.text, round(c.conf, 3)] for c in ln.cells],
        }
        for ln in lines
    ]


def lines_from_json(data: list[dict[str, Any]]) -> list[TextLine]:
    return [
        TextLine(
            page=int(item["page"]),
            width=float(item["width"]),
            cells=tuple(Cell(float(x), str(t), float(c)) for x, t, c in item["cells"]),
        )
        for item in data
    ]


def document_to_json(doc: ReadDocument) -> dict[str, Any]:
    return {
        "media": doc.media.value,
        "form_fields": doc.form_fields,
        "needs_ocr": doc.needs_ocr,
        "signed": doc.signed,
        "ocr_pages": list(doc.ocr_pages),
        "pages": [
            {"number": p.number, "has_text": p.has_text, "lines": lines_to_json(list(p.lines))}
            for p in doc.pages
        ],
    }


def document_from_json(data: dict[str, Any]) -> ReadDocument:
    pages = tuple(
        Page(int(p["number"]), tuple(lines_from_json(p["lines"])), bool(p["has_text"]))
        for p in data["pages"]
    )
    return ReadDocument(
        media=Media(data["media"]),
        pages=pages,
        form_fields=dict(data["form_fields"]),
        needs_ocr=bool(data["needs_ocr"]),
        signed=bool(data["signed"]),
        ocr_pages=tuple(data["ocr_pages"]),
    )


def cached_runner(inner: OcrRunner, folder: Path) -> OcrRunner:
    """Keep each page's OCR by the file's SHA-256: a restart or a re-read costs nothing."""

    def run(jobs: list[OcrJob]) -> list[SheetLines]:
        digests = {path: _digest(path) for path in {job.path for job in jobs}}
        keys = [_key(job, digests[job.path]) for job in jobs]
        found = {k: _load(folder, k) for k in keys}
        todo = [
            dataclasses.replace(job, keep=str(straightened_path(folder, key)))
            for job, key in zip(jobs, keys, strict=True)
            if found[key] is None
        ]
        for job, sheet in zip(todo, inner(todo) if todo else [], strict=True):
            key = _key(job, digests[job.path])
            _store(folder, key, sheet)
            found[key] = sheet
        return [found[key] or [] for key in keys]

    return run


def straightened_path(folder: Path, key: str) -> Path:
    """Where a phone photo's page, as straightened and read, is kept beside its OCR text."""
    return folder / key[:2] / f"{key}.png"


def _digest(path: str) -> str:
    """Hashed in chunks, once per file: a 100 MB scan is not read into memory per page."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _key(job: OcrJob, digest: str) -> str:
    return ocr_key(digest, job.page)


def ocr_key(digest: str, page: int) -> str:
    """A page's entry in the OCR cache: the file's SHA-256, the page, the reader's version."""
    return f"{digest}-p{page}-{OCR_VERSION}"


def _load(folder: Path, key: str) -> SheetLines | None:
    """A sheet's OCR as kept: a list of its pages' lines (two for pages side by side)."""
    path = folder / key[:2] / f"{key}.json"
    try:
        return [lines_from_json(page) for page in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(folder: Path, key: str, sheet: SheetLines) -> None:
    target = folder / key[:2] / f"{key}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    data = [lines_to_json(lines) for lines in sheet]
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
