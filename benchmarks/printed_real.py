"""The digital files of ../shared/real printed and scanned, then read through OCR.

The real scans are few (33) and come from a handful of archives; the digital files are read
from their text layer. Printed and scanned (`tests/corpus/printed.py`: rendered grey at
200 dpi, softened, grained, a little askew), the same real layouts — request letters and
forms, decrees, SOPs, templates — go through OCR instead, where colons and column gaps get
lost. Word, .doc and RTF files are made PDF by LibreOffice first. Each copy keeps its
original's truth and source, so it is scored in the same two parts (`tests/real_split.py`):
tuned on, and only measured.

`--look photo` photographs each file's first page instead, on a desk by a phone, as WhatsApp
sends it (perspective, a shadow, 1,600 pixels long, JPEG; the page about 1,000 pixels across,
120 dpi); `pipeline.readers.photo` finds the page and straightens it. Only the fields that page
shows are scored: a field is kept when every word of its value (a date: as a letter writes it)
is in the page's text.

    python -m benchmarks.printed_real [--keep DIR] [--dpi 200] [--look scan|photo] [-v]

`--keep DIR` leaves the printed files and their truth.jsonl there (otherwise a temporary
folder); `-v` goes to the scorer (every miss, every sure value that is wrong).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import pypdfium2 as pdfium
from babel.dates import get_month_names

from benchmarks.score_real import score_part, work_folder
from tests.corpus.printed import (
    SCAN_DPI,
    as_pdf,
    photographed_page,
    printed_pages,
    save_as_photo,
    save_as_scan,
)
from tests.real_split import REAL, SCANNED_MEDIA, truth_of

WORD_RE = re.compile(r"\w+")
MONTHS = get_month_names("wide", locale="id")


def printed_name(original: str) -> str:
    """'R010_wsb-template_x.pdf' → 'P010_wsb-template_x_printed.pdf' (D and R numbers do
    not meet among the digital files)."""
    stem = Path(original).stem
    return f"P{stem[1:]}_printed.pdf"


def photo_name(original: str) -> str:
    """'R010_wsb-template_x.pdf' → 'F010_wsb-template_x_photo.jpg'."""
    stem = Path(original).stem
    return f"F{stem[1:]}_photo.jpg"


def first_page_text(pdf: Path) -> str:
    document = pdfium.PdfDocument(str(pdf))
    try:
        return str(document[0].get_textpage().get_text_range())
    finally:
        document.close()


def on_the_page(value: str, text: str) -> bool:
    """Whether `value` is printed in `text`: every word of it, or, for a date (YYYY-MM-DD),
    the date as a letter writes it ('6 Juni 2024', '06-06-2024')."""
    date = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", value)
    if date is None:
        return set(WORD_RE.findall(value.lower())) <= set(WORD_RE.findall(text.lower()))
    year, month, day = date.groups()
    name = MONTHS[int(month)]
    written = rf"\b0?{int(day)}\s*(?:{name}|[-/.]\s*0?{int(month)}\s*[-/.])\s*{year}\b"
    return re.search(written, text, re.IGNORECASE) is not None


def shown_fields(fields: dict[str, Any], text: str) -> dict[str, Any]:
    """The truth's fields a photo of a page with `text` shows (an empty one stays: a value
    read for it is invented)."""
    shown: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, dict):
            if inner := shown_fields(value, text):
                shown[name] = inner
        elif not value or on_the_page(str(value), text):
            shown[name] = value
    return shown


def build(folder: Path, dpi: int, look: str = "scan") -> int:
    """Print every digital file of ../shared/real into `folder` (scanned, or its first page
    photographed), with its truth.jsonl."""
    entries = [e for e in truth_of("all") if e["medium"] not in SCANNED_MEDIA]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for entry in entries:
            original = str(entry["file"])
            pdf = as_pdf(REAL / original, Path(scratch))
            if look == "photo":
                name = photo_name(original)
                save_as_photo(photographed_page(pdf, original), folder / name, original)
                fields = shown_fields(cast("dict[str, Any]", entry["fields"]), first_page_text(pdf))
                rows.append({**entry, "file": name, "medium": "photo", "fields": fields})
            else:
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
    parser.add_argument("--look", choices=("scan", "photo"), default="scan")
    parser.add_argument("-v", action="store_true")
    args = parser.parse_args(argv)
    with work_folder(args.keep) as folder:
        count = build(folder, args.dpi, args.look)
        how = "photographed" if args.look == "photo" else f"printed at {args.dpi} dpi"
        print(f"{count} digital files {how} into {folder}")
        extra = ["-v"] if args.v else []
        codes = [score_part(part, folder, extra) for part in ("tune", "held-out")]
    return max(codes)


if __name__ == "__main__":
    raise SystemExit(main())
