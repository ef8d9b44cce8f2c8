"""Scanned corpus, replayed: ≥ 95 % of fields right, ≥ 98 % on the clean half, and of the
values marked confident ≥ 99 % right (the rest are flagged needs_review or left empty).

The OCR output was recorded by tests/corpus/replay.py from scans made by
tests/corpus/scans_make/make_scans.py; test_ocr_live.py runs real Tesseract on a few pages.
"""

from __future__ import annotations

import pytest

from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.scan_scoring import replay_cases, score

CASES = replay_cases()


@pytest.mark.skipif(not CASES, reason="no recorded OCR output: run tests/corpus/replay.py")
def test_scanned_corpus_accuracy_and_confidence():
    settings = Settings()
    tallies = score(CASES, make_matcher(settings), settings.extraction.review_threshold)
    everything, clean = tallies["all"], tallies["clean"]
    report = (
        f"all {everything.rate():.1%} clean {clean.rate():.1%} hard "
        f"{tallies['hard'].rate():.1%} confident-right {everything.precision():.1%} "
        f"({everything.confident} confident of {everything.total})"
    )
    print(report)
    assert len(CASES) >= 100
    misses = "\n".join(everything.misses[:80])
    assert everything.rate() >= 0.95, report + "\n" + misses
    assert clean.rate() >= 0.98, report + "\n" + misses
    assert everything.precision() >= 0.99, report + "\n" + misses
