"""Property: whatever a clerk combines (words, OPD, status, dates, lateness, sort), the register
returns exactly the requests that satisfy every condition, in the asked order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from pipeline.register.fulltext import SearchText, index_request, words
from pipeline.register.tables import Request
from pipeline.service.context import Services, open_services
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.queries import listing as queries
from pipeline.service.queries.listing import (
    SOP_ORDER,
    SORTABLE,
    RequestFilter,
    count_requests,
    list_requests,
    opd_names,
)
from pipeline.settings import load_settings
from pipeline.workflow import Status
from pipeline.workflow.deadlines import WIB

OPDS = [
    "Dinas Kesehatan",
    "Dinas Sosial",
    "Badan Kepegawaian Daerah",
    "Dinas Pendidikan dan Kebudayaan",
    "Kantor Contoh di Luar Daftar",
    None,
]
WORDS = ["simpeg", "simrs", "bansos", "integrasi", "data", "pasien", "aset", "kepegawaian"]
NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    home = tmp_path_factory.mktemp("property")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPELINE_DB_URL", f"sqlite:///{home / 'register.db'}")
        init_workspace(home)
        services = open_services(load_settings(home))
    _fill(services, home)
    yield services
    services.close()


def _fill(services: Services, home: Path) -> None:
    rng = random.Random(5)
    with Session(services.engine) as session:
        for n in range(1, 41):
            received = datetime(2025, 1, 1, tzinfo=WIB) + timedelta(hours=rng.randint(0, 17_000))
            status = rng.choice(list(Status))
            request = Request(
                tahun_agenda=received.year,
                nomor_agenda=f"{n:04d}",
                opd=rng.choice(OPDS),
                perihal=f"Permohonan integrasi {rng.choice(WORDS)}",
                subdomain=rng.choice([None, f"{rng.choice(WORDS)}{n}.bantenprov.go.id"]),
                status=status.value,
                received_at=received,
                due_at=rng.choice([None, NOW - timedelta(days=3), NOW + timedelta(days=3)]),
                updated_at=received,
            )
            session.add(request)
            session.flush()
            index_request(session, request, " ".join(rng.sample(WORDS, 3)))
        session.commit()


def _expected(services: Services, flt: RequestFilter) -> list[int]:
    with Session(services.engine) as session:
        rows = list(session.exec(select(Request)))
        indexed = session.exec(select(SearchText))
        texts = {t.request_id: f"{t.fields} {t.letters}".split() for t in indexed}
    kept = [r for r in rows if _satisfies(r, texts[r.id or 0], flt, services)]
    return [
        r.id or 0 for r in sorted(kept, key=lambda r: _sort_key(r, flt), reverse=flt.descending)
    ]


def _satisfies(r: Request, text: list[str], flt: RequestFilter, services: Services) -> bool:
    received = r.received_at.astimezone(WIB).date()
    checks = [
        not flt.status or r.status == flt.status,
        not flt.opd or _opd_matches(r.opd, flt.opd, services),
        not flt.q or _has_words(text, words(flt.q)),
        not flt.since or received >= flt.since,
        not flt.until or received <= flt.until,
        not flt.overdue or (r.due_at is not None and r.due_at < datetime.now(UTC)),
    ]
    return all(checks)


def _has_words(text: list[str], wanted: list[str]) -> bool:
    """Every word whole, the last one (still being typed) as a word's beginning."""
    *whole, started = wanted
    return set(whole) <= set(text) and any(w.startswith(started) for w in text)


def _opd_matches(opd: str | None, text: str, services: Services) -> bool:
    names = opd_names(text, services.matcher.directory)
    if names:
        return opd in names
    return opd is not None and text.lower() in opd.lower()


def _sort_key(r: Request, flt: RequestFilter) -> tuple[object, ...]:
    value = getattr(r, flt.sort)
    if flt.sort == "status":  # statuses sort in the SOP's order, not the alphabet's
        value = SOP_ORDER.index(value)
    missing = value is None
    # rows without a value come last whichever the direction
    return (not missing if flt.descending else missing, value if not missing else 0, r.id)


filters = st.builds(
    RequestFilter,
    status=st.none() | st.sampled_from([s.value for s in Status]),
    opd=st.none() | st.sampled_from(["dinkes", "sosial", "BKD", "daerah", "contoh", "x"]),
    q=st.none() | st.lists(st.sampled_from([*WORDS, "sim", "pega"]), max_size=2).map(" ".join),
    since=st.none() | st.dates(date(2024, 12, 1), date(2027, 1, 1)),
    until=st.none() | st.dates(date(2024, 12, 1), date(2027, 1, 1)),
    overdue=st.booleans(),
    sort=st.sampled_from(SORTABLE),
    descending=st.booleans(),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flt=filters)
def test_the_register_returns_exactly_what_satisfies_the_filter(
    register: Services, flt: RequestFilter
):
    got = [row["id"] for row in list_requests(register, flt)]
    assert got == _expected(register, flt)
    assert count_requests(register, flt) == len(got)
    with pytest.MonkeyPatch.context() as patch:  # words in most letters take another path
        patch.setattr(queries, "COMMON_MATCHES", 2)
        assert [row["id"] for row in list_requests(register, flt)] == got
