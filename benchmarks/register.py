"""Benchmark the register page's queries on a register of a million requests.

Fills a fresh register (SQLite in a temporary workspace; PostgreSQL in a database
`pipeline_bench` created here and dropped afterwards) with realistic requests (see
register_data.py): each with its search text (fields + letter), one file and two events. The
schema is the application's own (`create_schema`: FTS5/tsvector, indexes, tally triggers);
rows go in by bulk insert (SQLite executemany in large transactions, PostgreSQL COPY with the
GIN index built after the load, as one would for an import).

Then it times the service functions the web page and `pipeline register list` call, through
a real `Services`, and prints p50/p95 in milliseconds:
  search by text: first page (50 rows) and count, for words of different frequency;
  filter status + OPD + overdue: first page and count;
  open one request (`show_request`); the plain first page and the counts per status.

Usage: python -m benchmarks.register [--rows 1000000] [--backend sqlite|postgresql|both]
       [--repeat 40] [--keep]
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from benchmarks.register_data import (
    EVENT_COLUMNS,
    FILE_COLUMNS,
    REQUEST_COLUMNS,
    Row,
    batch,
)
from pipeline.register.db import create_schema, make_engine
from pipeline.service.context import Services, open_services
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.queries.listing import (
    RequestFilter,
    count_requests,
    list_requests,
    show_request,
    status_counts,
)
from pipeline.settings import load_settings

PG_ADMIN = os.environ.get("PIPELINE_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=test")
BENCH_DB = "pipeline_bench"
BATCH = 20_000
PAGE = 50


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="keep the filled registers (SQLite in DIR, PostgreSQL database pipeline_bench) "
        "and measure them again on the next run with the same DIR instead of refilling",
    )
    args = parser.parse_args(argv)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
            folder = args.keep or Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            url = _sqlite_url(folder) if backend == "sqlite" else _pg_database(bool(args.keep))
            try:
                _run(backend, url, folder / "ws", args)
            finally:
                if backend == "postgresql" and not args.keep:
                    _drop_pg_database()


def _run(backend: str, url: str, home: Path, args: argparse.Namespace) -> None:
    os.environ["PIPELINE_DB_URL"] = url
    engine = make_engine(url)
    create_schema(engine)
    with engine.connect() as connection:
        held = connection.exec_driver_sql("SELECT count(*) FROM requests").scalar_one()
    engine.dispose()
    if held != args.rows:
        if held:
            raise SystemExit(f"{url} holds {held:,} requests, not {args.rows:,}: remove it first")
        _fill(backend, url, args.rows)
    print(f"\n== {backend}: {args.rows:,} requests (load average {os.getloadavg()[0]:.1f})")
    init_workspace(home)
    services = open_services(load_settings(home))
    try:
        _measure(services, args.rows, args.repeat)
    finally:
        services.close()


def _fill(backend: str, url: str, count: int) -> None:
    started = time.perf_counter()
    fill = _fill_sqlite if backend == "sqlite" else _fill_postgres
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        make = functools.partial(batch, size=BATCH, count=count, now=datetime.now(UTC))
        fill(url, pool.imap(make, range(-(-count // BATCH))))
    print(f"{backend}: {count:,} requests filled in {time.perf_counter() - started:.0f} s")


def _sqlite_url(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'register.db'}"


def _fill_sqlite(url: str, source: Iterator[list[Row]]) -> None:
    """Bulk load as for an import: the per-row triggers (full-text, tally) are off while the
    rows go in; the FTS index is rebuilt in one pass and the tally recounted afterwards."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("PRAGMA cache_size=-400000")
    connection.execute("DROP TRIGGER search_texts_ai")
    connection.execute("DROP TRIGGER requests_tally_ai")
    insert = {
        "requests": _insert_sql("requests", REQUEST_COLUMNS),
        "search_texts": _insert_sql("search_texts", ["request_id", "fields", "letters"]),
        "files": _insert_sql("files", FILE_COLUMNS),
        "events": _insert_sql("events", EVENT_COLUMNS),
    }
    for rows in source:
        connection.execute("BEGIN")
        connection.executemany(insert["requests"], [r.request for r in rows])
        connection.executemany(
            insert["search_texts"], [(r.request[0], r.fields, r.letters) for r in rows]
        )
        connection.executemany(insert["files"], [r.file for r in rows])
        connection.executemany(insert["events"], [e for r in rows for e in r.events])
        connection.execute("COMMIT")
    connection.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    connection.execute("ANALYZE")
    connection.close()
    engine = make_engine(url)
    create_schema(engine)  # puts the triggers back and recounts the tally
    engine.dispose()


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"


def _fill_postgres(url: str, source: Iterator[list[Row]]) -> None:
    with psycopg.connect(_libpq(url), autocommit=True) as connection:
        connection.execute("DROP INDEX IF EXISTS ix_search_texts_tsv")
        for table in ("requests", "search_texts", "files", "events"):
            connection.execute(f"ALTER TABLE {table} SET (autovacuum_enabled = false)")
        for rows in source:
            with connection.transaction():
                _copy(connection, "requests", REQUEST_COLUMNS, [_pg(r.request) for r in rows])
                _copy(
                    connection,
                    "search_texts",
                    ["request_id", "fields", "letters"],
                    [(r.request[0], r.fields, r.letters) for r in rows],
                )
                _copy(connection, "files", FILE_COLUMNS, [_pg(r.file) for r in rows])
                _copy(connection, "events", EVENT_COLUMNS, [_pg(e) for r in rows for e in r.events])
        connection.execute("CREATE INDEX ix_search_texts_tsv ON search_texts USING gin (tsv)")
        for table in ("requests", "search_texts", "files", "events"):
            connection.execute(f"ALTER TABLE {table} RESET (autovacuum_enabled)")
        connection.execute("VACUUM ANALYZE")


def _copy(
    connection: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    data: list[tuple[object, ...]],
) -> None:
    with connection.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for values in data:
            copy.write_row(values)


def _pg(values: tuple[object, ...]) -> tuple[object, ...]:
    """SQLite's UTC datetime text gets its zone for PostgreSQL's timestamptz."""
    return tuple(
        f"{v}+00" if isinstance(v, str) and len(v) == 26 and v[10] == " " else v for v in values
    )


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _pg_database(reuse: bool) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)
        ).fetchone()
        if exists and not reuse:
            connection.execute(f'DROP DATABASE "{BENCH_DB}" WITH (FORCE)')
        if not exists or not reuse:
            connection.execute(f'CREATE DATABASE "{BENCH_DB}"')
    params = dict(part.split("=", 1) for part in PG_ADMIN.split())
    return f"postgresql+psycopg://{params['user']}@{params['host']}:{params['port']}/{BENCH_DB}"


def _drop_pg_database() -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


SEARCHES = {
    "text, rare (person's name)": ["siti aminah", "budi santoso", "rina hakim", "eko fauzi"],
    "text, ~5% (application)": ["simpeg", "sipd", "lapor", "bansos", "samsat"],
    "text, 2 words (app + OPD)": ["simrs kesehatan", "simpeg kepegawaian"],
}
COMMON_WORD = "integrasi"  # in every letter: the worst case, measured last with few repeats
OPDS = ["Dinas Kesehatan", "Badan Kepegawaian Daerah", "dinkes", "pendidikan", "Bappeda"]
STEPS = ["awaiting_kadis", "awaiting_kabid", "in_analysis", "in_integration"]


def _measure(services: Services, count: int, repeat: int) -> None:
    rng = random.Random(7)

    def narrowed() -> dict[str, object]:
        return {"status": rng.choice(STEPS), "opd": rng.choice(OPDS), "overdue": True}

    _report("status + OPD + overdue: first page", repeat, lambda: _page(services, **narrowed()))
    _report("status + OPD + overdue: count", repeat, lambda: _count(services, **narrowed()))
    _report(
        "open one request (show_request)",
        repeat,
        lambda: show_request(services, rng.randint(1, count)),
    )
    _report("plain first page (newest first)", repeat, lambda: _page(services))
    everything = RequestFilter()
    _report("counts per status (no filter)", repeat, lambda: status_counts(services, everything))
    for label, words in SEARCHES.items():

        def word(pool: list[str] = words) -> str:
            return rng.choice(pool)

        _report(f"{label}: first page", repeat, lambda: _page(services, q=word()))
        _report(f"{label}: count", repeat, lambda: _count(services, q=word()))
    apps = SEARCHES["text, ~5% (application)"]
    _report(
        "counts per status (text, ~5%)",
        repeat,
        lambda: status_counts(services, RequestFilter(q=rng.choice(apps))),
    )
    few = max(3, repeat // 6)
    _report("text, common (every letter): first page", few, lambda: _page(services, q=COMMON_WORD))
    _report("text, common (every letter): count", few, lambda: _count(services, q=COMMON_WORD))
    common = RequestFilter(q=COMMON_WORD)
    _report(
        "text, common: count up to 10,000",
        few,
        lambda: count_requests(services, common, at_most=10_000),
    )


def _page(services: Services, **conditions: object) -> int:
    return len(list_requests(services, RequestFilter(limit=PAGE, **conditions)))  # type: ignore[arg-type]


def _count(services: Services, **conditions: object) -> int:
    return count_requests(services, RequestFilter(**conditions))  # type: ignore[arg-type]


def _report(label: str, repeat: int, call: Callable[[], object]) -> None:
    """Wall-clock p50/p95, and the p50 CPU time of this process: on a machine shared with
    other work the wall clock waits for the CPU; for SQLite (in-process) the CPU time is what
    the query costs on an idle machine."""
    call()  # warm the cache as an office server would be
    wall, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        result = call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    p50 = statistics.median(wall)
    p95 = statistics.quantiles(wall, n=20)[18] if len(wall) >= 20 else max(wall)
    shown = f"{result:,}" if isinstance(result, int) else "ok"
    print(
        f"{label:<48} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  cpu p50 {statistics.median(cpu):6.1f}"
        f" ms  ({shown})",
        flush=True,
    )


if __name__ == "__main__":
    main()
