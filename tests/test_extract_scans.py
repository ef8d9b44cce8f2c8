"""Scanned corpora, replayed: ≥ 95 % of fields right, ≥ 98 % on the clean half, and of the
values marked sure ≥ 99.5 % right and ≥ 70 % of the values given (the rest are flagged
needs_review or left empty): a review queue that holds everything would be no help.

720 scans: the 120 the rules were tuned on (ocr_replay/) and five held-out sets of 120 made
from digital corpora and degradations of other seeds (ocr_replay_heldout/seed-D-S/). The OCR
output was recorded by tests/corpus/replay.py from scans made by
tests/corpus/scans_make/make_scans.py; test_ocr_live.py runs real Tesseract on a few pages.
"""

from __future__ import annotations

import pytest

from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.scan_scoring import replay_cases, replay_folders, score

CASES = replay_cases()


@pytest.mark.skipif(not CASES, reason="no recorded OCR output: run tests/corpus/replay.py")
def test_scanned_corpus_accuracy_and_confidence():
    settings = Settings()
    threshold = settings.pembacaan.ambang_peluang
    tallies = score(CASES, make_matcher(settings), threshold)
    everything, clean = tallies["all"], tallies["clean"]
    report = (
        f"all {everything.rate():.1%} clean {clean.rate():.1%} hard "
        f"{tallies['hard'].rate():.1%} confident-right {everything.precision():.1%} "
        f"({everything.confident} confident of {everything.given} given, "
        f"{everything.sure_share():.0%})"
    )
    print(report)
    for folder in replay_folders():
        part = score(replay_cases([folder]), make_matcher(settings), threshold)
        print(f"  {folder.name}: {part['all'].rate():.1%}, clean {part['clean'].rate():.1%}")
    assert len(CASES) >= 100 and len(replay_folders()) == 6
    misses = "\n".join(everything.misses[:80])
    assert everything.rate() >= 0.95, report + "\n" + misses
    assert clean.rate() >= 0.98, report + "\n" + misses
    assert everything.precision() >= 0.995, report + "\n" + misses
    assert everything.sure_share() >= 0.70, report
