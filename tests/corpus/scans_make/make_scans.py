"""Turn cases of the digital corpus into a scanned corpus for testing OCR.

    python -m tests.corpus.scans_make.make_scans [--out DIR] [--count N] [--jobs J]

Defaults: out tests/corpus/scans, N = 120, J = 2. Deterministic: the cases, media and every
degradation come from a fixed seed and the case names. DOCX sources are converted to PDF with
LibreOffice headless (one batch call) into a temporary folder first. Each scan is written as
`SC###_<kind>_<medium>.<ext>` with `<name>.expected.json`, and `truth.jsonl` gathers them in
the shape ../shared/eval/score_extract.py reads (`style` is "clean" or "hard").
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium

from tests.corpus.scans_make.looks import draw_look
from tests.corpus.scans_make.plan import (
    ScanPlan,
    Source,
    assign_clean,
    assign_media,
    load_sources,
    scanned_pages,
    select,
)
from tests.corpus.scans_make.scan_media import make_scan

SEED = 20240917
CORPUS = Path(__file__).resolve().parent.parent
DIGITAL = CORPUS / "digital"
DEFAULT_OUT = CORPUS / "scans"
LO_PROFILE = "file:///tmp/lo-scans-profile"
LO_BATCH = 40
KEEP = {".gitignore", "README.md"}


def convert_docx(sources: list[Source], workdir: Path) -> dict[str, Path]:
    """PDF renderings of the DOCX sources, converted by LibreOffice in batches."""
    docx = [s for s in sources if s.is_docx]
    for start in range(0, len(docx), LO_BATCH):
        batch = docx[start : start + LO_BATCH]
        cmd = ["soffice", "--headless", f"-env:UserInstallation={LO_PROFILE}"]
        cmd += ["--convert-to", "pdf", "--outdir", str(workdir), *(str(s.path) for s in batch)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    pdfs = {s.name: workdir / f"{s.name}.pdf" for s in docx}
    missing = [name for name, path in pdfs.items() if not path.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not convert {missing}")
    return pdfs


def page_count(path: Path) -> int:
    doc = pdfium.PdfDocument(path)
    try:
        return len(doc)
    finally:
        doc.close()


def make_plans(
    chosen: list[Source], pdfs: dict[str, Path], rng: random.Random, seed: str = str(SEED)
) -> list[ScanPlan]:
    pages = {s.name: page_count(pdfs[s.name]) for s in chosen}
    media = assign_media(chosen, pages, rng)
    by_medium: dict[str, list[str]] = {}
    for name, medium in media.items():
        by_medium.setdefault(medium, []).append(name)
    clean = assign_clean(by_medium, rng)
    plans = []
    for index, s in enumerate(chosen, start=1):
        medium = media[s.name]
        plan = ScanPlan(
            index=index,
            source=s,
            pages=pages[s.name],
            medium=medium,
            clean=clean[s.name],
            seed=f"{seed}:{s.name}",
            scanned=scanned_pages(s, pages[s.name], medium),
        )
        draw_look(plan, random.Random(f"{seed}:{s.name}:look"))
        plans.append(plan)
    return plans


def expected_for(plan: ScanPlan) -> dict[str, Any]:
    return {
        "file": plan.file,
        "kind": plan.source.kind,
        "layout": plan.source.layout,
        "fields": plan.source.fields,
        "source": plan.source.path.name,
        "medium": plan.medium,
        "dpi": plan.dpi,
        "rotation": plan.rotation,
        "skew": plan.skew,
        "turn": plan.turn,
        "degradations": plan.degradations(),
        "clean": plan.clean,
        "pages": plan.pages,
        "scanned_pages": [i + 1 for i in plan.scanned],
        "params": plan.params(),
    }


def truth_line(expected: dict[str, Any]) -> str:
    record = {
        "file": expected["file"],
        "submission": None,
        "style": "clean" if expected["clean"] else "hard",
        "form_style": None,
        "medium": expected["medium"],
        "hard": not expected["clean"],
        "kind": expected["kind"],
        "fields": expected["fields"],
        "bad": None,
        "layout": expected["layout"],
        "source": expected["source"],
        "dpi": expected["dpi"],
        "rotation": expected["rotation"],
        "degradations": expected["degradations"],
    }
    return json.dumps(record, ensure_ascii=False)


def clear(out: Path) -> None:
    """Remove an earlier run's output (everything but README.md and .gitignore)."""
    for p in out.iterdir():
        if p.is_file() and p.name not in KEEP:
            p.unlink()


def run_plans(plans: list[ScanPlan], pdfs: dict[str, Path], out: Path, jobs: int) -> None:
    """Make every scan, the biggest first so the workers finish together."""
    order = sorted(plans, key=lambda p: (-len(p.scanned) * p.dpi**2, p.index))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(make_scan, p, pdfs[p.source.name], out) for p in order]
        for future in futures:
            future.result()


def write_expectations(plans: list[ScanPlan], out: Path) -> None:
    lines = []
    for plan in plans:
        expected = expected_for(plan)
        (out / f"{plan.name}.expected.json").write_text(
            json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        lines.append(truth_line(expected))
    (out / "truth.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def summarize(plans: list[ScanPlan], out: Path, seconds: float) -> str:
    rows: Counter[str] = Counter()
    for p in plans:
        lot = "clean" if p.clean else "hard"
        rows[f"medium   {p.medium:10s} {lot}"] += 1
        rows[f"kind     {p.source.kind:10s} {p.source.path.suffix}"] += 1
        rows[f"dpi      {p.dpi}"] += 1
        for name in p.degradations():
            rows[f"degrade  {name}"] += 1
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    lines = [f"{n:4d}  {key}" for key, n in sorted(rows.items())]
    n_clean = sum(p.clean for p in plans)
    lines.append(
        f"{len(plans)} scans ({n_clean} clean, {len(plans) - n_clean} hard), "
        f"{size / 1e6:.1f} MB in {out}, {seconds:.0f} s"
    )
    return "\n".join(lines)


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--digital", type=Path, default=DIGITAL, help="digital cases to scan")
    ap.add_argument("--seed", default=str(SEED), help="another seed: a held-out scan corpus")
    return ap.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    rng = random.Random(args.seed if args.seed != str(SEED) else SEED)  # the default as before
    try:
        chosen = select(load_sources(args.digital), args.count, rng)
    except ValueError as err:
        print(f"make_scans: {err}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    clear(args.out)
    with tempfile.TemporaryDirectory(prefix="scans-lo-") as tmp:
        pdfs = {s.name: s.path for s in chosen if not s.is_docx}
        pdfs.update(convert_docx(chosen, Path(tmp)))
        plans = make_plans(chosen, pdfs, rng, args.seed)
        run_plans(plans, pdfs, args.out, args.jobs)
    write_expectations(plans, args.out)
    print(summarize(plans, args.out, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
