"""Benchmark reading (not extraction) on the real scans of ../shared/real: does the text the
readers make of each scan contain the truth's values?

For every file whose medium is scan or photo, the readers run as `pipeline extract` runs them
(`read_file`, then OCR of the pages without a usable text layer, one process) and the text of
all pages is searched for:

- nomor: the truth's nomor_surat, spaces ignored (many are handwritten: a miss is expected);
- tanggal: the truth's date written as a letter writes it ("6 Januari 2020", "06 Januari 2020",
  "6-1-2020"), spaces ignored;
- perihal, opd: the truth's words, case and punctuation ignored; besides the exact hit (`✓`)
  the share of the truth's words found in order in one stretch of the text is printed (0-100),
  so that a reading that got most of a subject line right still counts for something.

`--save DIR` writes each file's text and the table (`hits.json`); `--compare DIR` prints the
saved run beside this one (before / after). `--files D009 D107` reads only files whose name
starts with one of these.

Usage: python -m benchmarks.ocr_real [--real ../shared/real] [--files ...] [--save DIR]
                                     [--compare DIR] [--load DIR]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.models import ReadDocument
from pipeline.readers import read_file
from pipeline.readers.scan import serial_runner, with_ocr
from tests.real_split import SCANNED_MEDIA

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real"

MONTHS = (
    *("januari", "februari", "maret", "april", "mei", "juni"),
    *("juli", "agustus", "september", "oktober", "november", "desember"),
)
FIELDS = ("nomor", "tanggal", "perihal", "opd")


@dataclass
class Row:
    file: str
    seconds: float
    ocr_pages: int
    nomor: bool | None  # None: the truth has no value
    tanggal: bool | None
    perihal: float | None  # 100 = every word found in one stretch, in order
    opd: float | None

    def hit(self, name: str) -> bool | None:
        value = getattr(self, name)
        if value is None:
            return None
        return bool(value) if isinstance(value, bool) else value >= 100.0


def document_text(doc: ReadDocument) -> str:
    return "\n".join(line.text for page in doc.pages for line in page.lines)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.casefold())


def date_spellings(iso: str) -> list[str]:
    day = date.fromisoformat(iso)
    month = MONTHS[day.month - 1]
    days = {str(day.day), f"{day.day:02d}"}
    spelled = [f"{d}{month}{day.year}" for d in days] + [f"{d}{month},{day.year}" for d in days]
    numeric = [
        f"{d}{sep}{m}{sep}{day.year}"
        for d in days
        for m in {str(day.month), f"{day.month:02d}"}
        for sep in "-/."
    ]
    return spelled + numeric


def word_share(truth: str, text: str) -> float:
    """Percent of the truth's words matched, in order, by the best stretch of the text."""
    wanted = words(truth)
    if not wanted:
        return 0.0
    have = words(text)
    best = 0
    width = len(wanted)
    # anchor windows on words that begin like the truth's words: cheap and enough
    firsts = {w[:3] for w in wanted}
    for start, word in enumerate(have):
        if word[:3] not in firsts:
            continue
        window = have[start : start + width + 3]
        matcher = difflib.SequenceMatcher(None, wanted, window, autojunk=False)
        best = max(best, sum(block.size for block in matcher.get_matching_blocks()))
    return round(100.0 * best / width, 1)


def score(name: str, fields: dict[str, object], text: str, seconds: float, pages: int) -> Row:
    flat = squeeze(text)
    nomor = str(fields.get("nomor_surat") or "")
    tanggal = str(fields.get("tanggal_surat") or "")
    perihal = str(fields.get("perihal") or "")
    opd = str(fields.get("opd") or "")
    return Row(
        file=name,
        seconds=round(seconds, 2),
        ocr_pages=pages,
        nomor=squeeze(nomor) in flat if nomor else None,
        tanggal=any(s in flat for s in date_spellings(tanggal)) if tanggal else None,
        perihal=word_share(perihal, text) if perihal else None,
        opd=word_share(opd, text) if opd else None,
    )


def read_text(path: Path) -> tuple[str, float, int]:
    started = time.perf_counter()
    try:
        doc = with_ocr(read_file(path), path, serial_runner, timeout=300)
    except PipelineError as exc:  # e.g. a format the readers do not take (yet)
        print(f"{path.name}: {exc.message}")
        return "", time.perf_counter() - started, 0
    return document_text(doc), time.perf_counter() - started, len(doc.ocr_pages)


def truth_rows(real: Path, prefixes: Sequence[str]) -> list[dict[str, object]]:
    rows = []
    for line in (real / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("medium") not in SCANNED_MEDIA:
            continue
        if prefixes and not str(item["file"]).startswith(tuple(prefixes)):
            continue
        rows.append(item)
    return rows


def cell(row: Row | None, name: str) -> str:
    if row is None:
        return "  . "
    value = getattr(row, name)
    if value is None:
        return "  - "
    if isinstance(value, bool):
        return "  ✓ " if value else "  ✗ "
    return "  ✓ " if value >= 100 else f"{value:3.0f} "


def print_table(rows: Sequence[Row], before: dict[str, Row]) -> None:
    heads = " ".join(f"{n[:4]:>4}" for n in FIELDS)
    both = f"{heads} | {heads}" if before else heads
    print(f"{'file':48} {both} {'s':>6} {'ocr':>3}")
    for row in rows:
        now = " ".join(cell(row, n) for n in FIELDS)
        old = " ".join(cell(before.get(row.file), n) for n in FIELDS)
        shown = f"{old} | {now}" if before else now
        print(f"{row.file[:48]:48} {shown} {row.seconds:6.1f} {row.ocr_pages:3d}")
    for label, group in (("before", list(before.values())), ("now", list(rows))):
        if not group or (label == "before" and not before):
            continue
        if label == "before":
            group = [before[r.file] for r in rows if r.file in before]
        print(f"{label:6}: {summary(group)}")


def summary(rows: Sequence[Row]) -> str:
    parts = []
    for name in FIELDS:
        scored = [r.hit(name) for r in rows if r.hit(name) is not None]
        parts.append(f"{name} {sum(bool(h) for h in scored)}/{len(scored)}")
    for name in ("perihal", "opd"):
        shares = [float(getattr(r, name)) for r in rows if getattr(r, name) is not None]
        if shares:
            parts.append(f"{name} words {sum(shares) / len(shares):.1f}%")
    seconds = sum(r.seconds for r in rows)
    pages = sum(r.ocr_pages for r in rows)
    parts.append(f"{seconds:.0f} s, {pages} OCR pages ({seconds / max(pages, 1):.2f} s/page)")
    return ", ".join(parts)


def load(folder: Path) -> dict[str, Row]:
    data = json.loads((folder / "hits.json").read_text(encoding="utf-8"))
    return {item["file"]: Row(**item) for item in data}


def save(folder: Path, row: Row, text: str) -> None:
    """Add one file's text and row to a saved run (kept after each file: runs are long)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{row.file}.txt").write_text(text, encoding="utf-8")
    merged = load(folder) if (folder / "hits.json").is_file() else {}
    merged[row.file] = row
    payload = [asdict(merged[k]) for k in sorted(merged)]
    (folder / "hits.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--real", type=Path, default=REAL)
    parser.add_argument("--files", nargs="*", default=[], help="name prefixes to read")
    parser.add_argument("--save", type=Path, help="write texts and hits.json here")
    parser.add_argument("--compare", type=Path, help="a saved run to print beside this one")
    parser.add_argument("--load", type=Path, help="print a saved run instead of reading")
    args = parser.parse_args(argv)
    if not (args.real / "truth.jsonl").is_file():
        raise SystemExit(f"no truth.jsonl in {args.real}")
    before = load(args.compare) if args.compare else {}
    if args.load:
        saved = load(args.load)
        print_table([saved[k] for k in sorted(saved)], before)
        return 0
    rows = []
    for item in truth_rows(args.real, args.files):
        name = str(item["file"])
        text, seconds, pages = read_text(args.real / name)
        fields = item["fields"]
        assert isinstance(fields, dict)
        rows.append(score(name, fields, text, seconds, pages))
        if args.save:
            save(args.save, rows[-1], text)
        print(f"read {name} in {seconds:.1f} s", flush=True)
    print_table(rows, before)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
