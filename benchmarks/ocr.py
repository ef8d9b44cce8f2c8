"""Benchmark OCR: the pipeline's page reading against raw Tesseract, the pool, and the watcher.

(a) seconds per page of `pipeline.readers.scan.run_job` (render or load the page, clean it,
    Tesseract through libtesseract's C API with the engine loaded once per process, build
    lines), one thread, against the raw `tesseract FILE - -l ind+eng` CLI (OMP_THREAD_LIMIT=1)
    on the same pages; a PDF page is first rendered with pypdfium2 at 300 dpi (grey) to a PNG,
    and that render is reported apart. The pipeline's time is split by timing its parts in
    place (render, prepare with cleaned_and_turn, Tesseract word passes, the second look at
    unsure lines, the vote on unsure letter numbers, the check of unsure dates, orientation
    checks); the ratio pipeline / raw should stay at or under 1.3;
(b) pages per second through the worker pool (`make_ocr_pool(0)` → `pool_runner`) against
    the same pages read one after another;
(c) a real `pipeline watch` on a fresh workspace: scans renamed into inbox/ at once, one
    digital PDF about a second later; seconds until its row is in the register
    (`files.original_name`, polled every 20 ms), and until the last scan's row. Median of runs.

The sample is deterministic: media in turn (scan-pdf, tiff, jpg, png, mixed-pdf), files by name
within each medium, only the pages `<case>.expected.json` lists as scanned.

`--only pipeline` or `--only raw` does one side of (a) alone and prints nothing, for timing each
as a whole process from outside (one against the other, in turn): the pipeline reads the sample's
pages; raw renders the PDF pages to PNG as (a) does and runs the Tesseract CLI on each.

Usage: python -m benchmarks.ocr [--scans DIR] [--pages 20] [--pool-pages 40] [--behind 20]
                                [--runs 3] [--skip-ocr] [--skip-pool] [--skip-watch]
                                [--only {pipeline,raw}]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import ParamSpec, TypeVar

import pypdfium2 as pdfium
from PIL import Image

from pipeline.errors import UnreadableFileError
from pipeline.models import Media
from pipeline.readers import needs_ocr_quick, ocr, rapid, scan
from pipeline.readers.ocr import LANGUAGES, TARGET_DPI, SheetLines, check_tesseract
from pipeline.readers.ocr_lines import VOTERS
from pipeline.readers.scan import OcrJob, pool_runner, run_job
from pipeline.readers.tesseract import detect_orientation, read_line_tsv, read_tsv
from pipeline.service.context import make_ocr_pool
from tests.reliability.watcher import watching

ROOT = Path(__file__).resolve().parents[1]
SCANS = ROOT / "tests" / "corpus" / "scans"
DIGITAL = ROOT / "tests" / "corpus" / "digital" / "D003_letter_pdf.pdf"
MEDIA_ORDER = ("scan-pdf", "tiff", "jpg", "png", "mixed-pdf")
PAGE_TIMEOUT = 300.0
POLL_SECONDS = 0.02
OUTCOME_SYMBOLS = ("✓", "=", "→", "✗", "?")
PARTS = (
    *("render", "prepare", "clean", "tesseract", "second look", "number vote", "date check"),
    "osd",
)

P = ParamSpec("P")
R = TypeVar("R")


# --------------------------------------------------------------------------- sample


@dataclass(frozen=True)
class Scan:
    path: Path
    medium: str
    dpi: int
    clean: bool
    pages: tuple[int, ...]  # the scanned pages, 1-based

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() == ".pdf"

    def jobs(self) -> list[OcrJob]:
        media = Media.PDF if self.is_pdf else Media.IMAGE
        return [OcrJob(str(self.path), media, page, PAGE_TIMEOUT) for page in self.pages]


def load_scans(folder: Path) -> list[Scan]:
    scans = []
    for expected in sorted(folder.glob("*.expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        path = folder / data["file"]
        if not path.is_file():
            continue
        pages = data.get("scanned_pages") or range(1, int(data.get("pages", 1)) + 1)
        scans.append(
            Scan(path, str(data["medium"]), int(data["dpi"]), bool(data["clean"]), tuple(pages))
        )
    if not scans:
        raise SystemExit(f"no scans in {folder}; run python -m tests.corpus.scans_make.make_scans")
    return scans


def sample(scans: Sequence[Scan], pages: int) -> list[Scan]:
    """Whole files, one medium after another, until they hold at least `pages` scanned pages."""
    by_medium: dict[str, list[Scan]] = defaultdict(list)
    for item in scans:
        by_medium[item.medium].append(item)
    order = [m for m in MEDIA_ORDER if m in by_medium] + sorted(set(by_medium) - set(MEDIA_ORDER))
    queues = [iter(by_medium[m]) for m in order]
    chosen: list[Scan] = []
    while sum(len(s.pages) for s in chosen) < pages and queues:
        for queue in list(queues):
            picked = next(queue, None)
            if picked is None:
                queues.remove(queue)
                continue
            chosen.append(picked)
            if sum(len(s.pages) for s in chosen) >= pages:
                break
    return chosen


# --------------------------------------------------------------------------- timing parts


@dataclass
class Spent:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, other: Spent) -> None:
        for name, value in other.seconds.items():
            self.seconds[name] += value
        for name, count in other.calls.items():
            self.calls[name] += count


def timed(spent: Spent, name: str, func: Callable[P, R]) -> Callable[P, R]:
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent.seconds[name] += time.perf_counter() - started
            spent.calls[name] += 1

    return wrapper


def instrumented_parts() -> list[tuple[ModuleType, str, str]]:
    """(module, function, label) of the steps of `run_job` timed in place."""
    return [
        (scan, "_render", "render"),
        (ocr, "_prepare", "prepare"),
        (ocr, "cleaned_and_turn", "clean"),
        (ocr, "_read_words", "tesseract"),
        (ocr, "second_look", "second look"),
        (ocr, "number_vote", "number vote"),
        (ocr, "date_check", "date check"),
        (ocr, "_orientation", "osd"),
    ]


@contextmanager
def instrumented(spent: Spent) -> Iterator[None]:
    """Wrap the steps with timers (a few µs each); the originals come back afterwards."""
    originals = [(module, name, getattr(module, name)) for module, name, _ in instrumented_parts()]
    for (module, name, label), (_, _, func) in zip(instrumented_parts(), originals, strict=True):
        setattr(module, name, timed(spent, label, func))
    try:
        yield
    finally:
        for module, name, func in originals:
            setattr(module, name, func)


# --------------------------------------------------------------------------- (a) per page


@dataclass
class Measured:
    scan: Scan
    pipeline: float
    parts: Spent
    lines: list[SheetLines]
    raw: float | None = None
    raw_render: float = 0.0

    @property
    def pages(self) -> int:
        return len(self.scan.pages)


def pipeline_pages(item: Scan) -> Measured:
    spent = Spent()
    lines = []
    started = time.perf_counter()
    with instrumented(spent):
        for job in item.jobs():
            lines.append(run_job(job))
    return Measured(item, time.perf_counter() - started, spent, lines)


def tesseract_cli(image: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = ["tesseract", str(image), "-", "-l", LANGUAGES]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def render_png(path: Path, number: int, target: Path) -> float:
    """Render a PDF page at 300 dpi in grey, as the pipeline does, and save it as PNG."""
    started = time.perf_counter()
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[number - 1]
        page.render(scale=TARGET_DPI / 72, grayscale=True).to_pil().save(target)
    finally:
        document.close()
    return time.perf_counter() - started


def raw_pages(item: Scan, scratch: Path) -> tuple[float, float]:
    """Seconds of the raw Tesseract calls, and of the PDF renders before them."""
    if not item.is_pdf:  # the CLI reads every frame of a multi-page TIFF in one call
        return tesseract_cli(item.path), 0.0
    raw = render = 0.0
    for number in item.pages:
        png = scratch / f"{item.path.stem}-{number}.png"
        render += render_png(item.path, number, png)
        raw += tesseract_cli(png)
    return raw, render


def warm_up(item: Scan, scratch: Path) -> None:
    """Load Tesseract's data into the page cache and RapidOCR's model, and pay the imports
    outside the timings."""
    check_tesseract()
    rapid.load()
    load_engines()
    run_job(item.jobs()[0])
    raw_pages(item, scratch)


def load_engines() -> None:
    """Load every Tesseract engine a page may call on (page, line, the number's voters,
    orientation), as a reader process keeps them from its first scan on: the first page to
    need a line or orientation engine would otherwise be timed loading it (about 0.1 s an
    engine), which is the raw CLI's cost per page, not the pipeline's."""
    blank = Image.new("L", (200, 60), 255)
    with suppress(UnreadableFileError):  # nothing to read is fine: the engine is loaded
        read_tsv(blank, PAGE_TIMEOUT)
    for language in dict.fromkeys((LANGUAGES, *VOTERS)):
        with suppress(UnreadableFileError):
            read_line_tsv(blank, PAGE_TIMEOUT, language)
    detect_orientation(blank)


def measure(units: Sequence[Scan], raw_count: int) -> list[Measured]:
    """The pipeline on every unit; raw Tesseract too on the first `raw_count` units."""
    results = []
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-ocr-") as scratch:
        warm_up(units[0], Path(scratch))
        for index, item in enumerate(units):
            result = pipeline_pages(item)
            if index < raw_count:
                result.raw, result.raw_render = raw_pages(item, Path(scratch))
            results.append(result)
    return results


# --------------------------------------------------------------------------- (b) pool


@dataclass(frozen=True)
class PoolRun:
    workers: int
    pages: int
    start: float
    seconds: float
    same: bool


def pool_run(units: Sequence[Scan], sequential: list[SheetLines]) -> PoolRun:
    jobs = [job for item in units for job in item.jobs()]
    workers = os.cpu_count() or 1
    executor = make_ocr_pool(0)
    try:
        started = time.perf_counter()
        for future in [executor.submit(check_tesseract) for _ in range(workers)]:
            future.result()
        start = time.perf_counter() - started
        started = time.perf_counter()
        lines = pool_runner(executor)(jobs)
        seconds = time.perf_counter() - started
    finally:
        executor.shutdown()
    return PoolRun(workers, len(jobs), start, seconds, lines == sequential)


# --------------------------------------------------------------------------- (c) watcher


@dataclass(frozen=True)
class WatchRun:
    digital: float | None  # seconds from the digital drop to its row
    last_scan: float | None  # seconds from the scans' drop to the last scan's row
    missing: int
    outcomes: dict[str, int]
    stop: float


def unique_pdf(source: Path, tag: str) -> bytes:
    """The PDF with a comment and a fresh %%EOF after its end: still valid, a new SHA-256."""
    return source.read_bytes() + f"\n% {tag}\n%%EOF\n".encode()


def init_workspace(home: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(home), "init"],
        check=True,
        capture_output=True,
        env=watcher_env(),
    )


def watcher_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def outcomes(log: Path, names: set[str]) -> dict[str, str]:
    """The watcher's reported outcome symbol of each of `names`."""
    found = {}
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        symbol, _, rest = line.partition(" ")
        name = rest.split(": ", 1)[0]
        if symbol in OUTCOME_SYMBOLS and name in names:
            found[name] = symbol
    return found


def land_all(sources: Sequence[tuple[str, bytes]], staging: Path, inbox: Path) -> float:
    """Write the files beside the inbox, then rename them all in; the moment they landed."""
    for name, data in sources:
        (staging / name).write_bytes(data)
    started = time.perf_counter()
    for name, _ in sources:
        os.rename(staging / name, inbox / name)
    return started


def registered(db: sqlite3.Connection) -> set[str]:
    return {row[0] for row in db.execute("SELECT original_name FROM files")}


def follow(
    home: Path, scans: Sequence[Path], digital: tuple[str, bytes], delay: float, timeout: float
) -> tuple[float, float | None, dict[str, float], dict[str, str]]:
    """Drop the scans, the digital file `delay` s later; poll until every file has an outcome.

    Returns when the scans landed, when the digital file did, when each row appeared, and each
    file's reported outcome."""
    staging, inbox = home / "staging", home / "inbox"
    staging.mkdir()
    names = {p.name for p in scans} | {digital[0]}
    landed = land_all([(p.name, p.read_bytes()) for p in scans], staging, inbox)
    dropped: float | None = None
    seen: dict[str, float] = {}
    told: dict[str, str] = {}
    db = sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True, isolation_level=None)
    try:
        while time.perf_counter() - landed < timeout:
            if dropped is None and time.perf_counter() - landed >= delay:
                dropped = land_all([digital], staging, inbox)
            now = time.perf_counter()
            for name in (registered(db) & names) - seen.keys():
                seen[name] = now
            told = outcomes(home / "watch.log", names)
            if dropped is not None and names <= seen.keys() | told.keys():
                break
            time.sleep(POLL_SECONDS)
    finally:
        db.close()
    return landed, dropped, seen, told


def watch_run(scans: Sequence[Path], run: int, delay: float, timeout: float) -> WatchRun:
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-watch-") as scratch:
        home = Path(scratch) / "ws"
        init_workspace(home)
        digital = (f"digital-run{run}-{DIGITAL.name}", unique_pdf(DIGITAL, f"bench-run-{run}"))
        with watching(home, home / "watch.log", watcher_env(), stop_at_exit=True) as watcher:
            landed, dropped, seen, told = follow(home, scans, digital, delay, timeout)
            stopping = time.perf_counter()
            watcher.stop()
            stopped = time.perf_counter() - stopping
    digital_at = seen.get(digital[0])
    scan_times = [seen[p.name] for p in scans if p.name in seen]
    counts: dict[str, int] = defaultdict(int)
    for symbol in told.values():
        counts[symbol] += 1
    return WatchRun(
        digital=digital_at - dropped if digital_at is not None and dropped is not None else None,
        last_scan=max(scan_times) - landed if len(scan_times) == len(scans) else None,
        missing=len(scans) + 1 - len(seen),
        outcomes=dict(counts),
        stop=stopped,
    )


# --------------------------------------------------------------------------- report


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def per_page(seconds: float, pages: int) -> float:
    return seconds / pages if pages else 0.0


def print_ocr_table(results: Sequence[Measured]) -> None:
    print(
        f"{'file':34} {'pg':>2} {'dpi':>3} {'pipe/pg':>7} {'render':>6} {'prep':>5} "
        f"{'clean':>5} {'tess':>5} {'look':>5} {'vote':>5} {'date':>5} {'osd':>5} {'pass':>4} "
        f"{'raw/pg':>6} {'rend':>5} {'ratio':>5}"
    )
    for r in results:
        if r.raw is None:
            continue
        s, n = r.parts.seconds, r.pages
        print(
            f"{r.scan.path.name[:34]:34} {n:2d} {r.scan.dpi:3d} {r.pipeline / n:7.2f} "
            f"{s['render'] / n:6.2f} {(s['prepare'] - s['clean']) / n:5.2f} "
            f"{s['clean'] / n:5.2f} {s['tesseract'] / n:5.2f} {s['second look'] / n:5.2f} "
            f"{s['number vote'] / n:5.2f} {s['date check'] / n:5.2f} {s['osd'] / n:5.2f} "
            f"{r.parts.calls['tesseract'] / n:4.1f} {r.raw / n:6.2f} {r.raw_render / n:5.2f} "
            f"{r.pipeline / r.raw:5.2f}"
        )


def print_media_table(results: Sequence[Measured]) -> None:
    groups: dict[str, list[Measured]] = defaultdict(list)
    for r in results:
        if r.raw is not None:
            groups[r.scan.medium].append(r)
    print(f"{'medium':10} {'pages':>5} {'pipe/pg':>7} {'raw/pg':>6} {'ratio':>5}")
    for medium, members in groups.items():
        pages = sum(r.pages for r in members)
        pipe = sum(r.pipeline for r in members)
        raw = sum(r.raw or 0.0 for r in members)
        print(f"{medium:10} {pages:5d} {pipe / pages:7.2f} {raw / pages:6.2f} {pipe / raw:5.2f}")


def print_ocr_summary(results: Sequence[Measured]) -> None:
    compared = [r for r in results if r.raw is not None]
    pages = sum(r.pages for r in compared)
    pipe = sum(r.pipeline for r in compared)
    raw = sum(r.raw or 0.0 for r in compared)
    spent = Spent()
    for r in compared:
        spent.add(r.parts)
    s = spent.seconds
    pdf_pages = sum(r.pages for r in compared if r.scan.is_pdf)
    render = sum(r.raw_render for r in compared)
    rest = pipe - s["render"] - s["prepare"] - s["tesseract"] - s["osd"]
    rest -= s["second look"] + s["number vote"] + s["date check"]
    print(
        f"ocr: pipeline {pipe / pages:.2f} s/page, raw tesseract {raw / pages:.2f} s/page, "
        f"ratio {pipe / raw:.2f} (n={pages})"
    )
    print(
        f"ocr parts: render {s['render'] / pages:.2f}, clean {s['clean'] / pages:.2f} "
        f"({100 * s['clean'] / pipe:.0f}%), other prepare {(s['prepare'] - s['clean']) / pages:.2f}"
        f", tesseract {s['tesseract'] / pages:.2f} ({100 * s['tesseract'] / pipe:.0f}%, "
        f"{spent.calls['tesseract'] / pages:.2f} passes/page), second look "
        f"{s['second look'] / pages:.2f} ({100 * s['second look'] / pipe:.0f}%), "
        f"number vote {s['number vote'] / pages:.2f} ({100 * s['number vote'] / pipe:.0f}%), "
        f"date check {s['date check'] / pages:.2f} ({100 * s['date check'] / pipe:.0f}%), "
        f"osd {s['osd'] / pages:.2f} "
        f"({spent.calls['osd']} calls), rest {rest / pages:.2f} s/page"
    )
    print(
        f"ocr raw pdf render: {per_page(render, pdf_pages):.2f} s/page (n={pdf_pages}); "
        f"ratio with it {pipe / (raw + render):.2f}"
    )


def print_pool(run: PoolRun, sequential: float) -> None:
    rate = run.pages / run.seconds
    base = run.pages / sequential
    print(
        f"ocr pool: {rate:.2f} pages/s with {run.workers} workers vs {base:.2f} sequential "
        f"(x{rate / base:.2f}, n={run.pages}, pool start {run.start:.1f} s, "
        f"same lines as sequential: {'yes' if run.same else 'NO'})"
    )


def print_watch(runs: Sequence[WatchRun], behind: int, pages: int) -> None:
    for number, run in enumerate(runs, start=1):
        told = ", ".join(f"{k}{v}" for k, v in sorted(run.outcomes.items()))
        print(
            f"watch run {number}: digital {fmt(run.digital)} s, last scan {fmt(run.last_scan)} s, "
            f"outcomes {told}, missing rows {run.missing}, stop {run.stop:.1f} s"
        )
    digital = [r.digital for r in runs if r.digital is not None]
    last = [r.last_scan for r in runs if r.last_scan is not None]
    if not digital:
        print(f"digital behind {behind} scans: never registered")
        return
    print(
        f"digital behind {behind} scans ({pages} pages): median {statistics.median(digital):.2f} s "
        f"(runs: {', '.join(fmt(r.digital) for r in runs)}), last scan registered after "
        f"{fmt(statistics.median(last) if last else None)} s "
        f"(runs: {', '.join(fmt(r.last_scan) for r in runs)})"
    )


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scans", type=Path, default=SCANS, help="folder of generated scans")
    parser.add_argument("--pages", type=int, default=20, help="pages for pipeline vs raw")
    parser.add_argument("--pool-pages", type=int, default=40, help="pages for the pool run")
    parser.add_argument("--behind", type=int, default=20, help="scans dropped before the PDF")
    parser.add_argument("--runs", type=int, default=3, help="watcher runs")
    parser.add_argument("--delay", type=float, default=1.0, help="s between scans and the PDF")
    parser.add_argument("--timeout", type=float, default=600.0, help="s to wait for the scans")
    parser.add_argument("--skip-ocr", action="store_true", help="skip (a) and (b)")
    parser.add_argument("--skip-pool", action="store_true")
    parser.add_argument("--skip-watch", action="store_true")
    parser.add_argument("--only", choices=("pipeline", "raw"), help="one side of (a), silent")
    return parser.parse_args(argv)


def run_one_side(scans: Sequence[Scan], side: str, pages: int) -> None:
    """The pipeline's reading of the sample, or raw Tesseract's, and nothing else."""
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-ocr-") as scratch:
        for item in sample(scans, pages):
            if side == "pipeline":
                pipeline_pages(item)
            else:
                raw_pages(item, Path(scratch))


def run_ocr(scans: Sequence[Scan], args: argparse.Namespace) -> None:
    compared = sample(scans, args.pages)
    units = sample(scans, max(args.pages, args.pool_pages))  # `compared` is its beginning
    print(f"load before ocr: {load_average()}")
    results = measure(units, len(compared))
    print_ocr_table(results)
    print_media_table(results)
    print_ocr_summary(results)
    print(f"load after ocr: {load_average()}")
    if args.skip_pool:
        return
    sequential = sum(r.pipeline for r in results)
    run = pool_run(units, [lines for r in results for lines in r.lines])
    print_pool(run, sequential)
    print(f"load after pool: {load_average()}")


def run_watch(scans: Sequence[Scan], args: argparse.Namespace) -> None:
    if needs_ocr_quick(DIGITAL):
        raise SystemExit(f"{DIGITAL.name} is not a digital PDF")
    behind = scans[: args.behind]
    pages = sum(len(s.pages) for s in behind)
    print(f"load before watch: {load_average()}")
    runs = [
        watch_run([s.path for s in behind], run, args.delay, args.timeout)
        for run in range(1, args.runs + 1)
    ]
    print_watch(runs, len(behind), pages)
    print(f"load after watch: {load_average()}")


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if shutil.which("tesseract") is None:
        raise SystemExit("tesseract is not installed")
    scans = load_scans(args.scans)
    if args.only:
        run_one_side(scans, args.only, args.pages)
        return 0
    print(f"scans: {args.scans} ({len(scans)} files), {os.cpu_count()} cores")
    if not args.skip_ocr:
        run_ocr(scans, args)
    if not args.skip_watch:
        run_watch(scans, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
