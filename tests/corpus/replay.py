"""Record what the pipeline's readers (OCR included) make of the scanned corpus, for replay.

    python tests/corpus/replay.py [--scans tests/corpus/scans] [--out tests/corpus/ocr_replay]

Writes `<case>.json` (the read document: lines, cells, OCR confidences) and a copy of
`<case>.expected.json` per scan, so extraction tests run on real OCR output without Tesseract
and without the 25 MB of images. Re-record after changing OCR preprocessing (bump
`pipeline.readers.replay.OCR_VERSION`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

from pipeline.readers import read_file
from pipeline.readers.replay import document_to_json
from pipeline.readers.scan import pool_runner, with_ocr_many
from pipeline.service.context import make_ocr_pool

HERE = Path(__file__).parent


def record(scans: Path, out: Path, workers: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    cases = sorted(scans.glob("*.expected.json"))
    docs = []
    for case in cases:
        expected = json.loads(case.read_text(encoding="utf-8"))
        source = case.with_name(expected["file"])
        docs.append((read_file(source), source))
    with make_ocr_pool(workers) as pool:
        filled = with_ocr_many(docs, pool_runner(pool), timeout=180)
    for case, doc in zip(cases, filled, strict=True):
        name = case.name.removesuffix(".expected.json")
        (out / f"{name}.json").write_text(json.dumps(document_to_json(doc), ensure_ascii=False))
        shutil.copyfile(case, out / case.name)
    return len(cases)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=Path, default=HERE / "scans")
    parser.add_argument("--out", type=Path, default=HERE / "ocr_replay")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    count = record(args.scans, args.out, args.workers)
    print(f"recorded {count} scans in {time.perf_counter() - started:.0f} s into {args.out}")


if __name__ == "__main__":
    main()
