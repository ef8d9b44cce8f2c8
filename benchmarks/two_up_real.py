"""The multi-page scans of ../shared/real copied two pages to a sheet, then read.

An office copier or an A3 scanner often returns two A4 pages side by side on one landscape
sheet, turned on its side when the sheet was fed the long way. Every scanned PDF of
../shared/real with two pages or more becomes such a file (`tests/corpus/two_up.py`): its pages
rendered grey at 150 dpi, two to a sheet (1|2, 3|4), the sheet turned `--turn` degrees, one
image page a sheet. Each copy keeps its original's truth and is scored like it, by
../shared/eval/score_extract.py. `--layout one-up` puts the same grey pages one to a sheet
instead, which is what a two-up sheet should read as; `--layout original` scores the documents
as they came.

    python -m benchmarks.two_up_real [--layout two-up|one-up|original] [--turn 90]
        [--keep DIR] [-v]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium

from benchmarks.score_real import score_part, work_folder
from tests.corpus.two_up import one_up_copy, two_up_copy
from tests.real_split import REAL, SCANNED_MEDIA, truth_of


def multi_page_scans() -> list[dict[str, object]]:
    """The truth entries of the scanned PDFs of ../shared/real with two pages or more."""
    chosen = []
    for entry in truth_of("all"):
        path = REAL / str(entry["file"])
        if entry["medium"] in SCANNED_MEDIA and path.suffix.lower() == ".pdf":
            document = pdfium.PdfDocument(str(path))
            pages = len(document)
            document.close()
            if pages >= 2:
                chosen.append(entry)
    return chosen


def copied(original: str, folder: Path, layout: str, turn: int) -> str:
    """`original` put into `folder` in `layout`; the copy's name."""
    stem = Path(original).stem
    if layout == "two-up":
        name = f"{stem}_two-up-{turn}.pdf"
        two_up_copy(REAL / original, folder / name, turn)
    elif layout == "one-up":
        name = f"{stem}_one-up.pdf"
        one_up_copy(REAL / original, folder / name)
    else:
        name = original
        (folder / name).symlink_to(REAL / original)
    return name


def build(folder: Path, layout: str, turn: int) -> int:
    """The chosen documents into `folder` in `layout`, with their truth.jsonl."""
    rows = []
    for entry in multi_page_scans():
        name = copied(str(entry["file"]), folder, layout, turn)
        rows.append({**entry, "file": name})
    (folder / "truth.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return len(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turn", type=int, choices=(0, 90, 270), default=90)
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--layout", choices=("two-up", "one-up", "original"), default="two-up")
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args(argv)
    with work_folder(args.keep) as folder:
        count = build(folder, args.layout, args.turn)
        turned = f", turned {args.turn}°" if args.layout == "two-up" else ""
        print(f"{count} multi-page scans, {args.layout}{turned}, in {folder}")
        return score_part("all", folder, ["-v"] if args.v else [])


if __name__ == "__main__":
    raise SystemExit(main())
