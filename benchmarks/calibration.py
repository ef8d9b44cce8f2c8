"""Reliability table of the extractor's confidence: for each confidence bin, how often the values
in it were right, per source (generated digital corpus, recorded OCR of the generated scans, the
tuning part of ../shared/real; `--held-out` adds the part of ../shared/real kept for measuring).

A confidence is honest when the observed share right in each bin is at least its lower edge; the
review threshold must sit where the observed error of the values above it is under 1 %.

    .venv/bin/python -m benchmarks.calibration [--held-out]
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Sequence

from benchmarks.confidence_data import Example, examples, real_examples
from pipeline.fields import SURE_CHANCE

BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 1.0001)
REVIEW_THRESHOLD = SURE_CHANCE  # Settings().pembacaan.ambang_peluang by default


def table(rows: Sequence[Example]) -> list[str]:
    out = [f"  {'confidence':>12} {'values':>7} {'right':>7} {'observed':>9}"]
    for low, high in itertools.pairwise(BINS):
        inside = [r for r in rows if low <= r.provenance.confidence < high]
        if not inside:
            continue
        right = sum(r.right for r in inside)
        label = f"{low:.3f}–{min(high, 1.0):.3f}"
        out.append(f"  {label:>12} {len(inside):7d} {right:7d} {right / len(inside):9.1%}")
    sure = [r for r in rows if r.provenance.confidence >= REVIEW_THRESHOLD]
    wrong = sum(not r.right for r in sure)
    share = len(sure) / len(rows) if rows else 0.0
    out.append(
        f"  sure (≥ {REVIEW_THRESHOLD}): {len(sure)} of {len(rows)} values ({share:.0%}), "
        f"{wrong} wrong ({wrong / len(sure) if sure else 0.0:.1%})"
    )
    return out


def main(argv: list[str]) -> int:
    rows = examples()
    if "--held-out" in argv:
        rows += real_examples("held-out")
    for source in ("digital", "scan", "real", "real-held-out"):
        mine = [r for r in rows if r.source == source]
        if mine:
            print(f"{source}:")
            print("\n".join(table(mine)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
