"""What the reliability runs share: workspaces, byte-distinct corpus copies, real watcher
processes, a memory sampler, and the audit that counts lost and duplicated files.

Used by `python -m tests.reliability.report` (full size, RELIABILITY.md) and
`tests/reliability/test_reliability.py` (reduced). The watcher processes are those of
`tests.reliability.watcher`: each one waited for through its ready file.
"""

from __future__ import annotations

import hashlib
import os
import threading
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import create_engine, text

from pipeline.service.operations.workspace import init_workspace
from tests.reliability import watcher as harness
from tests.reliability.watcher import ERROR_NOTE, LiveWatcher

ROOT = Path(__file__).resolve().parents[2]
DIGITAL = ROOT / "tests" / "corpus" / "digital"
SCANS = ROOT / "tests" / "corpus" / "scans_small"
PDF_STAMP = b"D:20000101000000"


@dataclass
class Row:
    """One line of RELIABILITY.md."""

    test: str
    dropped: int = 0
    registered: int = 0
    failed: int = 0  # parked in inbox/failed/ with a reason
    lost: int = 0
    duplicated: int = 0
    kills: int = 0
    peak_rss_mb: float | None = None
    seconds: float = 0.0
    note: str = ""
    audit: Audit | None = None  # the details behind the counts (for the tests)
    facts: dict[str, float] = field(default_factory=dict)

    @classmethod
    def audited(cls, test: str, dropped: dict[str, str], result: Audit, **rest: Any) -> Row:
        """A row that takes its counts from the audit of the `dropped` files (sha256 → name);
        `rest` are the other fields (duplicated, seconds, note, facts, …)."""
        return cls(
            test=test,
            dropped=len(dropped),
            registered=result.registered,
            failed=result.failed,
            lost=len(result.lost),
            audit=result,
            **rest,
        )


# --------------------------------------------------------------------------- workspace


def make_workspace(root: Path) -> Path:
    home = root / "ws"
    init_workspace(home)
    return home


def watcher_env(home: Path, db_url: str | None = None, **watcher: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    env.update({"PIPELINE_HOME": str(home), "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)})
    settings = {"stabil_detik": 0.5, "pindai_ulang_detik": 2.0, "folder_tenang_detik": 1.0}
    settings.update(watcher)
    for key, value in settings.items():
        env[f"PIPELINE_PEMANTAU__{key.upper()}"] = str(value)
    env["PIPELINE_OCR__PROSES"] = "1"
    if db_url:
        env["PIPELINE_DB_URL"] = db_url
    return env


def db_url_of(home: Path, env: dict[str, str]) -> str:
    return env.get("PIPELINE_DB_URL") or f"sqlite:///{home / 'register.db'}"


# --------------------------------------------------------------------------- files


def corpus_files() -> list[Path]:
    return sorted(p for p in DIGITAL.iterdir() if p.suffix in {".pdf", ".docx"})


def _mix(sources: list[Path], docx_share: float) -> list[Path]:
    words = [p for p in sources if p.suffix == ".docx"]
    pdfs = [p for p in sources if p.suffix == ".pdf"]
    per_ten = round(docx_share * 10)
    return [
        (words[i % len(words)] if i % 10 < per_ten else pdfs[i % len(pdfs)])
        for i in range(len(words) + len(pdfs))
    ]


def distinct_copy(source: Path, target: Path, serial: int) -> None:
    """A byte-distinct copy that still reads the same (a stamp no reader looks at)."""
    data = source.read_bytes()
    if source.suffix == ".pdf" and PDF_STAMP in data:
        stamp = f"D:{serial:014d}".encode()
        target.write_bytes(data.replace(PDF_STAMP, stamp, 1))
    elif source.suffix == ".docx":
        target.write_bytes(data)
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = f"salinan {serial}".encode()
    elif source.suffix == ".png":
        target.write_bytes(_png_with_text(data, f"salinan {serial}".encode()))
    elif source.suffix in {".tif", ".tiff"}:
        target.write_bytes(data + f"salinan {serial}".encode())  # bytes after the IFDs
    else:
        raise ValueError(f"no distinct copy for {source.name}")


def _png_with_text(data: bytes, note: bytes) -> bytes:
    body = b"tEXt" + b"Comment\x00" + note
    chunk = len(body) - 4
    block = chunk.to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    end = data.rindex(b"IEND") - 4
    return data[:end] + block + data[end:]


def make_copies(
    staging: Path, count: int, scans: int = 0, start: int = 0, docx_share: float = 0.5
) -> dict[str, str]:
    """`count` digital copies (about `docx_share` of them Word files, the rest PDFs) and
    `scans` scan copies in `staging`; sha256 → name."""
    staging.mkdir(parents=True, exist_ok=True)
    sources = _mix(corpus_files(), docx_share)
    scan_sources = [p for p in sorted(SCANS.iterdir()) if p.suffix in {".png", ".tif", ".tiff"}]
    made: dict[str, str] = {}
    plan = [sources[(start + i) % len(sources)] for i in range(count)]
    plan += [scan_sources[(start + i) % len(scan_sources)] for i in range(scans)]
    for offset, source in enumerate(plan):
        serial = start + offset
        target = staging / f"{serial:05d} {source.stem}{source.suffix}"
        distinct_copy(source, target, serial + 1)
        made[sha256_of(target)] = target.name
    return made


def drop(staging: Path, inbox: Path, names: list[str] | None = None) -> None:
    """Atomic renames into the inbox: every file lands whole at once."""
    for name in names if names is not None else sorted(os.listdir(staging)):
        os.rename(staging / name, inbox / name)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- processes


def start_watcher(
    home: Path, env: dict[str, str], *, polling: bool = False, log_name: str = "watch.log"
) -> LiveWatcher:
    """A watcher on `home` (not yet waited for: `harness.wait_ready`), appending to its log."""
    args = ["--polling"] if polling else []
    return harness.start(home, home / log_name, env, args=args, append=True)


def stop_watcher(watcher: LiveWatcher, timeout: float = 60.0) -> tuple[int, float]:
    """SIGTERM; returns the exit code and the seconds it took to exit."""
    return watcher.stop(timeout)


@dataclass
class RssSampler:
    """Peak resident memory of the watcher process alone and with its OCR worker processes
    (sampled every 50 ms)."""

    pid: int
    peak: int = 0
    peak_tree: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self._stop.wait(0.05):
            own, tree = _rss(self.pid)
            self.peak, self.peak_tree = max(self.peak, own), max(self.peak_tree, tree)

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def peak_tree_mb(self) -> float:
        return round(self.peak_tree / 2**20, 1)


def _rss(pid: int) -> tuple[int, int]:
    try:
        process = psutil.Process(pid)
        own = int(process.memory_info().rss)
        total = own
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return own, int(total)
    except psutil.Error:
        return 0, 0


@contextmanager
def sampling(pid: int) -> Iterator[RssSampler]:
    sampler = RssSampler(pid)
    thread = threading.Thread(target=sampler.run, daemon=True)
    thread.start()
    try:
        yield sampler
    finally:
        sampler._stop.set()
        thread.join()


# --------------------------------------------------------------------------- waiting


def pending_files(inbox: Path) -> list[Path]:
    """Files still in the inbox or in a worker's folder (not parked in failed/)."""
    found: list[Path] = []
    for folder, _dirs, files in os.walk(inbox):
        relative = Path(folder).relative_to(inbox)
        if relative.parts and relative.parts[0] == "failed":
            continue
        found.extend(Path(folder) / name for name in files)
    return found


def wait_drained(
    home: Path,
    url: str,
    watchers: list[LiveWatcher],
    timeout: float,
    settle: float = 1.0,
) -> None:
    """Until nothing is left in the inbox and the intake journal is empty."""

    def no_rows() -> bool:
        return journal_rows(url) == 0

    harness.wait_drained(home / "inbox", watchers, timeout, settle=settle, also=no_rows)


def journal_rows(url: str) -> int:
    try:
        return int(query(url, "SELECT count(*) FROM intake")[0][0])
    except Exception:  # the table appears with the first watcher
        return 0


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- audit


@dataclass
class Audit:
    registered: int
    failed: int
    lost: list[str]
    duplicated: int
    documents_missing: int
    documents_repeated: int
    orphan_documents: int
    agenda_gaps: list[int]
    leftovers: int
    failed_without_reason: int
    archive_mismatches: int

    @property
    def clean(self) -> bool:
        return not (
            self.lost
            or self.duplicated
            or self.documents_missing
            or self.documents_repeated
            or self.agenda_gaps
            or self.leftovers
            or self.failed_without_reason
            or self.archive_mismatches
        )

    def problems(self) -> str:
        return ", ".join(
            f"{name}={value}"
            for name, value in vars(self).items()
            if value and name not in {"registered", "failed"}
        )


def audit(home: Path, url: str, dropped: dict[str, str]) -> Audit:
    """Every dropped file (sha256 → name) registered once or parked with a reason."""
    files = query(url, "SELECT sha256, archived_path FROM files")
    registered = Counter(str(sha) for sha, _ in files)
    mismatches = sum(
        1
        for sha, archived in files
        if str(sha) in dropped
        and (not Path(str(archived)).is_file() or sha256_of(Path(str(archived))) != sha)
    )
    parked, unexplained = _parked(home / "inbox" / "failed")
    duplicate_notes = query(url, "SELECT count(*) FROM events WHERE action = 'duplikat'")[0][0]
    repeats = sum(n - 1 for n in registered.values() if n > 1) + int(str(duplicate_notes))
    repeats += len(set(parked) & set(registered))
    lost = [name for sha, name in dropped.items() if sha not in registered and sha not in parked]
    missing, repeated, orphans = _documents(home, url)
    return Audit(
        registered=sum(1 for sha in dropped if sha in registered),
        failed=sum(1 for sha in dropped if sha in parked),
        lost=lost,
        duplicated=repeats,
        documents_missing=missing,
        documents_repeated=repeated,
        orphan_documents=orphans,
        agenda_gaps=_agenda_gaps(url),
        leftovers=len(pending_files(home / "inbox")) + journal_rows(url),
        failed_without_reason=unexplained,
        archive_mismatches=mismatches,
    )


def _parked(failed: Path) -> tuple[dict[str, str], int]:
    parked: dict[str, str] = {}
    unexplained = 0
    if not failed.is_dir():
        return parked, 0
    for path in failed.iterdir():
        if path.name.endswith(ERROR_NOTE) or path.is_dir():
            continue
        if not path.with_name(path.name + ERROR_NOTE).is_file():
            unexplained += 1
        if path.is_symlink():
            continue
        try:
            parked[sha256_of(path)] = path.name
        except OSError:
            parked[path.name] = path.name
    return parked, unexplained


def _documents(home: Path, url: str) -> tuple[int, int, int]:
    """Documents whose file is missing; a (request, kind) made twice; files nobody recorded."""
    rows = query(url, "SELECT request_id, kind, path FROM documents")
    missing = sum(1 for _, _, path in rows if not Path(str(path)).is_file())
    kinds = Counter((request, kind) for request, kind, _ in rows)
    repeated = sum(n - 1 for n in kinds.values() if n > 1)
    recorded = {str(Path(str(path)).resolve()) for _, _, path in rows}
    on_disk = {str(p.resolve()) for p in (home / "outbox").rglob("*.docx")}
    return missing, repeated, len(on_disk - recorded)


def _agenda_gaps(url: str) -> list[int]:
    numbers = sorted(int(str(n)) for (n,) in query(url, "SELECT nomor_agenda FROM requests"))
    expected = list(range(1, len(numbers) + 1))
    return sorted(set(expected) ^ set(numbers))


def log_of(home: Path, name: str = "watch.log") -> str:
    path = home / name
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
