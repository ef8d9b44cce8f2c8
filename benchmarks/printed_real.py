"""The digital files of ../shared/real printed and scanned, then read through OCR.

The real scans are few (33) and come from a handful of archives; the digital files are read
from their text layer. Printed and scanned (`tests/corpus/printed.py`: rendered grey at
200 dpi, softened, grained, a little askew), the same real layouts — request letters and
forms, decrees, SOPs, templates — go through OCR instead, where colons and column gaps get
lost. Word, .doc and RTF files are made PDF by LibreOffice first. Each copy keeps its
original's truth and source, so it is scored in the same two parts (`tests/real_split.py`):
tuned on, and only measured.

    python -m benchmarks.printed_real [--keep DIR] [--dpi 200] [-v]

`--keep DIR` leaves the printed files and their truth.jsonl there (otherwise a temporary
folder); `-v` goes to the scorer (every miss, every sure value that is wrong).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.score_real import score_part
from tests.corpus.printed import SCAN_DPI, as_pdf, printed_pages, save_as_scan
from tests.real_split import REAL, SCANNED_MEDIA, truth_of


def printed_name(original: str) -> str:
    """'R010_wsb-template_x.pdf' → 'P010_wsb-template_x_printed.pdf' (D and R numbers do
    not meet among the digital files)."""
    stem = Path(original).stem
    return f"P{stem[1:]}_printed.pdf"


def build(folder: Path, dpi: int) -> int:
    """Print every digital file of ../shared/real into `folder`, with its truth.jsonl."""
    entries = [e for e in truth_of("all") if e["medium"] not in SCANNED_MEDIA]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for entry in entries:
            original = str(entry["file"])
            pdf = as_pdf(REAL / original, Path(scratch))
            name = printed_name(original)
            save_as_scan(printed_pages(pdf, original, dpi), folder / name, dpi)
            rows.append({**entry, "file": name, "medium": "scan"})
            print(f"printed {original}", flush=True)
    (folder / "truth.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--dpi", type=int, default=SCAN_DPI)
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"{build(folder, args.dpi)} digital files printed at {args.dpi} dpi into {folder}")
        extra = ["-v"] if args.v else []
        codes = [score_part(part, folder, extra) for part in ("tune", "held-out")]
    return max(codes)


if __name__ == "__main__":
    raise SystemExit(main())
