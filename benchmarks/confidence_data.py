"""Labelled examples for the confidence model: every value the extractor gives, with whether it
was right, from the generated digital corpus, the recorded OCR of the generated scans, and the
tuning part of ../shared/real (its held-out part is never read here).

Each example is (source, document, field, value, its rule's own score and evidence, the model's
chance, right), and whether its document's sender is on the master list (where the model is
used). Real documents are read once (OCR included)
and their read text kept under ~/.cache/pipeline-confidence, keyed by the file's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.extract import OpdMatcher, read_fields
from pipeline.extract.confidence import calibrated, known_sender
from pipeline.fields import LETTER_HEADER
from pipeline.models import Extraction, FieldValue, Provenance, ReadDocument
from pipeline.readers.replay import document_from_json
from pipeline.readers.scan import pool_runner
from pipeline.service.context import make_matcher, make_ocr_pool
from pipeline.service.intake.extracting import extract_paths
from pipeline.settings import Settings
from tests.real_split import REAL, truth_of
from tests.scan_scoring import replay_cases
from tests.test_extract_corpus import CASES as DIGITAL_CASES
from tests.test_extract_corpus import flat, norm

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path.home() / ".cache" / "pipeline-confidence"


@dataclass(frozen=True)
class Example:
    source: str  # "digital", "scan" (generated) or "real"
    document: str
    field: str
    value: str
    raw: FieldValue  # as the rules gave it, before the model (the model's input)
    provenance: Provenance  # with the model's chance as its confidence
    right: bool
    known_sender: bool


def examples(sources: tuple[str, ...] = ("digital", "scan", "real")) -> list[Example]:
    matcher = make_matcher(Settings())
    found: list[Example] = []
    if "digital" in sources:
        found += list(_digital(matcher))
    if "scan" in sources:
        found += list(_scans(matcher))
    if "real" in sources:
        found += list(_real(matcher, "tune", "real"))
    return found


def real_examples(part: str) -> list[Example]:
    """One part of ../shared/real ('tune' or 'held-out'), labelled 'real' or 'real-held-out'."""
    label = "real" if part == "tune" else "real-held-out"
    return list(_real(make_matcher(Settings()), part, label))


def _digital(matcher: OpdMatcher) -> Iterator[Example]:
    settings = Settings()
    for case in DIGITAL_CASES:
        expected = json.loads(case.read_text(encoding="utf-8"))
        source = case.with_name(expected["file"])
        read = extract_paths([source], settings, matcher)[0]
        if read.document is not None:
            raw = read_fields(read.document, matcher)
            yield from _labelled("digital", source.name, raw, expected)


def _scans(matcher: OpdMatcher) -> Iterator[Example]:
    for case in replay_cases():
        expected = json.loads(case.read_text(encoding="utf-8"))
        recorded = case.with_name(case.name.replace(".expected.json", ".json"))
        doc = document_from_json(json.loads(recorded.read_text(encoding="utf-8")))
        yield from _labelled("scan", case.name, read_fields(doc, matcher), expected)


def _real(matcher: OpdMatcher, part: str, label: str) -> Iterator[Example]:
    for entry in truth_of(part):
        doc = _read_real(REAL / str(entry["file"]), matcher)
        if doc is not None:
            yield from _labelled(label, str(entry["file"]), read_fields(doc, matcher), entry)


def _labelled(
    source: str, document: str, raw: Extraction, expected: dict[str, Any]
) -> Iterator[Example]:
    truth = flat(expected["fields"])
    chances = calibrated(raw).fields
    known = known_sender(raw.fields)
    for name, value in raw.fields.items():
        if expected["kind"] == "other" and name not in LETTER_HEADER:
            continue
        if name not in truth:
            continue
        right = norm(name, value.value) == norm(name, truth[name])
        yield Example(
            source, document, name, value.value, value, chances[name].provenance, right, known
        )


def _read_real(path: Path, matcher: OpdMatcher) -> ReadDocument | None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = CACHE / f"{digest}.pickle"
    if cached.exists():
        document: ReadDocument | None = pickle.loads(cached.read_bytes())
        return document
    pool = make_ocr_pool(2)
    try:
        read = extract_paths([path], Settings(), matcher, pool_runner(pool))[0]
    finally:
        pool.shutdown()
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_bytes(pickle.dumps(read.document))
    return read.document


if __name__ == "__main__":
    rows = examples()
    for source in ("digital", "scan", "real"):
        mine = [r for r in rows if r.source == source]
        right = sum(r.right for r in mine)
        print(f"{source}: {len(mine)} values, {right} right")
