"""Benchmark the intake: pipeline throughput against raw text extraction, and drop latency.

(a) files per second through the whole pipeline in-process (claim, hash, archive, read,
    extract, register, documents) on a fresh temporary workspace, the way `pipeline ingest` does;
(b) files per second of raw text extraction of the same files: pdfplumber `extract_words()` on
    every page of a PDF, python-docx paragraph and table text of a DOCX;
(c) the ratio pipeline / raw;
(d) median and p90 seconds from a file landing in inbox/ (atomic rename) of a running
    `pipeline watch` process to its row in the register (`files.original_name`, polled every
    20 ms), over files dropped one at a time.

Usage: python -m benchmarks.ingest [--corpus DIR] [--files N] [--rounds 5] [--drops 40]
       [--interval 1.5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import docx
import pdfplumber

from pipeline.inbox import claim_copy
from pipeline.service.context import open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.workspace import init_workspace
from pipeline.settings import load_settings
from tests.reliability.watcher import watching

ROOT = Path(__file__).resolve().parents[1]
CORPUS_CANDIDATES = (
    ROOT / "tests" / "corpus" / "digital",
    ROOT.parent / "shared" / "samples",
    Path("/work/shared/samples"),
)
DIGITAL_SAMPLE_SUFFIXES = ("_pdf.pdf", "_docx.docx", "_other.docx")
POLL_SECONDS = 0.02
REGISTER_TIMEOUT = 30.0


# --------------------------------------------------------------------------- corpus


def default_corpus() -> Path:
    for candidate in CORPUS_CANDIDATES:
        if candidate.is_dir() and any(candidate.glob("*.pdf")):
            return candidate
    raise SystemExit("no corpus found; pass --corpus DIR")


def corpus_files(folder: Path) -> list[Path]:
    """Digital PDF and DOCX files; in the shared samples only the digital ones (no scans)."""
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".pdf", ".docx"))
    if (folder / "truth.jsonl").is_file():
        files = [p for p in files if p.name.endswith(DIGITAL_SAMPLE_SUFFIXES)]
    if not files:
        raise SystemExit(f"no PDF or DOCX files in {folder}")
    return files


def unique_bytes(source: Path, tag: str) -> bytes:
    """The file's bytes, changed harmlessly so that its SHA-256 is new.

    A PDF gets a comment line and a fresh `%%EOF` after its end (still a valid PDF, and it
    still ends like a complete one); a DOCX gets a ZIP archive comment.
    """
    data = source.read_bytes()
    if source.suffix.lower() == ".pdf":
        return data + f"\n% {tag}\n%%EOF\n".encode()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / source.name
        copy.write_bytes(data)
        with zipfile.ZipFile(copy, "a") as archive:
            archive.comment = tag.encode()
        return copy.read_bytes()


def prepare_files(sources: Sequence[Path], count: int, folder: Path) -> list[Path]:
    """`count` files with distinct bytes: the sources first, then marked copies in turn."""
    if count <= len(sources):
        return list(sources[:count])
    folder.mkdir(parents=True, exist_ok=True)
    files = list(sources)
    for number in range(count - len(sources)):
        source = sources[number % len(sources)]
        target = folder / f"copy{number:04d}-{source.name}"
        target.write_bytes(unique_bytes(source, f"copy-{number}"))
        files.append(target)
    return files


# --------------------------------------------------------------------------- throughput


@dataclass(frozen=True)
class Timing:
    media: str
    files: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.files / self.seconds if self.seconds else 0.0


def media_of(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def time_each(files: Sequence[Path], work: Callable[[Path], None]) -> dict[str, float]:
    """Seconds spent per media type."""
    spent: dict[str, float] = {}
    for path in files:
        started = time.perf_counter()
        work(path)
        media = media_of(path)
        spent[media] = spent.get(media, 0.0) + time.perf_counter() - started
    return spent


def timings(files: Sequence[Path], spent: dict[str, float]) -> dict[str, Timing]:
    counts = Counter(media_of(p) for p in files)
    result = {m: Timing(m, counts[m], spent.get(m, 0.0)) for m in sorted(counts)}
    result["all"] = Timing("all", len(files), sum(spent.values()))
    return result


def raw_text(path: Path) -> None:
    if media_of(path) == "pdf":
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_words()
        return
    document = docx.Document(str(path))
    _ = [p.text for p in document.paragraphs]
    _ = [cell.text for table in document.tables for row in table.rows for cell in row.cells]


@contextmanager
def fresh_workspace() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as scratch:
        home = Path(scratch) / "ws"
        init_workspace(home)
        yield home


def pipeline_run(files: Sequence[Path]) -> tuple[dict[str, float], Counter[str]]:
    """Ingest every file into a fresh workspace; seconds per media and outcome counts."""
    outcomes: Counter[str] = Counter()
    with fresh_workspace() as home:
        services = open_services(load_settings(home))
        try:

            def ingest(path: Path) -> None:
                claimed = claim_copy(path, services.settings.work)
                outcomes[ingest_claim(services, claimed).status] += 1

            spent = time_each(files, ingest)
        finally:
            services.close()
    return spent, outcomes


def warm_up(files: Sequence[Path]) -> None:
    """Pay the one-off costs (imports, font and template loading) outside the timings."""
    sample = [next(p for p in files if media_of(p) == m) for m in {media_of(p) for p in files}]
    pipeline_run(sample)
    time_each(sample, raw_text)


# --------------------------------------------------------------------------- latency


def watcher_env(home: Path, stable_seconds: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update(
        {
            "PIPELINE_HOME": str(home),
            "PYTHONUNBUFFERED": "1",
            "PIPELINE_PEMANTAU__STABIL_DETIK": str(stable_seconds),
        }
    )
    return env


def wait_for_row(db: sqlite3.Connection, name: str, since: float) -> float | None:
    """Seconds from `since` until the register has a file row named `name`."""
    while time.perf_counter() - since < REGISTER_TIMEOUT:
        if db.execute("SELECT 1 FROM files WHERE original_name = ?", (name,)).fetchone():
            return time.perf_counter() - since
        time.sleep(POLL_SECONDS)
    return None


def land(data: bytes, name: str, inbox: Path, staging: Path, way: str) -> float:
    """Put the file into the inbox; the moment it landed (perf_counter)."""
    if way == "write":  # written in place and closed: the watcher sees the close
        started = time.perf_counter()
        (inbox / name).write_bytes(data)
        return started
    (staging / name).write_bytes(data)
    started = time.perf_counter()
    os.rename(staging / name, inbox / name)
    return started


def measure_latency(sources: Sequence[Path], args: argparse.Namespace) -> tuple[list[float], int]:
    """Drop files one at a time into a running watcher; latencies and how many never came."""
    latencies: list[float] = []
    lost = 0
    with (
        fresh_workspace() as home,
        watching(
            home, home / "watch.log", watcher_env(home, args.stable_seconds), stop_at_exit=True
        ),
    ):
        staging, inbox = home / "staging", home / "inbox"
        staging.mkdir()
        db = sqlite3.connect(f"file:{home / 'register.db'}?mode=ro", uri=True, isolation_level=None)
        try:
            for number in range(args.drops):
                source = sources[number % len(sources)]
                name = f"drop{number:03d}-{source.name}"
                data = unique_bytes(source, f"drop-{number}")
                started = land(data, name, inbox, staging, args.drop_way)
                latency = wait_for_row(db, name, started)
                if latency is None:
                    lost += 1
                else:
                    latencies.append(latency)
                time.sleep(max(0.0, args.interval - (time.perf_counter() - started)))
        finally:
            db.close()
    return latencies, lost


# --------------------------------------------------------------------------- report


def print_throughput(pipeline: dict[str, Timing], raw: dict[str, Timing]) -> None:
    print(
        f"{'media':6} {'files':>5} {'pipeline s':>10} {'files/s':>8} {'raw s':>7} "
        f"{'files/s':>8} {'ratio':>6}"
    )
    for media, timing in pipeline.items():
        other = raw[media]
        ratio = timing.rate / other.rate if other.rate else 0.0
        print(
            f"{media:6} {timing.files:5d} {timing.seconds:10.2f} {timing.rate:8.1f} "
            f"{other.seconds:7.2f} {other.rate:8.1f} {ratio:6.2f}"
        )


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="folder of digital PDF/DOCX files (default: tests/corpus/digital, "
        "else the shared samples' digital files)",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=0,
        help="files for the throughput run (default: the corpus, at least 60; "
        "distinct copies are made when more are asked than there are)",
    )
    parser.add_argument("--drops", type=int, default=40, help="files dropped for latency")
    parser.add_argument("--interval", type=float, default=1.5, help="seconds between drops")
    parser.add_argument(
        "--stable-seconds",
        type=float,
        default=1.0,
        help="the watcher's quiet time before a file is taken",
    )
    parser.add_argument(
        "--drop-way",
        choices=("rename", "write"),
        default="rename",
        help="rename: atomic rename into inbox/ (default); write: written in place and closed",
    )
    parser.add_argument(
        "--rounds", type=int, default=5, help="pipeline/raw passes in turn (median taken)"
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    return parser.parse_args(argv)


def run_throughput(sources: Sequence[Path], count: int, rounds: int) -> None:
    """Pipeline and raw reading in turn, `rounds` times; the median seconds of each are
    compared, because one pass of either swings by a fifth on a shared 2-core machine."""
    pipeline_spent: list[dict[str, float]] = []
    raw_spent: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-copies-") as scratch:
        files = prepare_files(sources, count, Path(scratch))
        warm_up(files)
        for _ in range(rounds):
            spent, outcomes = pipeline_run(files)
            pipeline_spent.append(spent)
            raw_spent.append(time_each(files, raw_text))
        pipeline = timings(files, median_spent(pipeline_spent))
        raw = timings(files, median_spent(raw_spent))
    print_throughput(pipeline, raw)
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    total, base = pipeline["all"], raw["all"]
    pairs = zip(pipeline_spent, raw_spent, strict=True)
    each = sorted(sum(r.values()) / sum(p.values()) for p, r in pairs)
    print(
        f"ingest: pipeline {total.rate:.1f} files/s, raw {base.rate:.1f} files/s, "
        f"ratio {total.rate / base.rate:.2f} (median of {rounds} rounds; "
        f"rounds {each[0]:.2f}-{each[-1]:.2f})"
    )


def median_spent(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Per media, the median seconds over `runs`."""
    return {m: statistics.median(run.get(m, 0.0) for run in runs) for m in runs[0]}


def run_latency(sources: Sequence[Path], args: argparse.Namespace) -> None:
    latencies, lost = measure_latency(sources, args)
    if not latencies:
        print(f"drop-to-register: no file reached the register (lost {lost})")
        return
    extra = f", lost {lost}" if lost else ""
    print(
        f"drop-to-register: median {statistics.median(latencies):.2f} s, "
        f"p90 {percentile(latencies, 0.9):.2f} s (n={len(latencies)}{extra}; "
        f"min {min(latencies):.2f} s, max {max(latencies):.2f} s, "
        f"{args.drop_way}, stable_seconds {args.stable_seconds:g})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    corpus = args.corpus or default_corpus()
    sources = corpus_files(corpus)
    kinds = Counter(media_of(p) for p in sources)
    print(f"corpus: {corpus} ({', '.join(f'{n} {m}' for m, n in sorted(kinds.items()))})")
    if not args.skip_throughput:
        run_throughput(sources, args.files or max(60, len(sources)), args.rounds)
    if not args.skip_latency:
        run_latency(sources, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
