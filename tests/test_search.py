"""Register search and filters on real registers (SQLite FTS5, PostgreSQL tsvector): what a
clerk finds by a word of the letter, an OPD, a status, a date range, lateness or a number."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlmodel import Session

from pipeline.inbox import claim_copy
from pipeline.register.tables import Request
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.queries.listing import (
    RequestFilter,
    count_requests,
    list_requests,
    status_counts,
)
from pipeline.service.steps.advance import advance
from pipeline.settings import load_settings
from pipeline.workflow.deadlines import WIB
from tests.factories import Submission, form_docx, letter_pdf

DINKES = Submission()
DINDIKBUD = Submission(
    nomor="421/55-Dindikbud/III/2026",
    opd="Dinas Pendidikan dan Kebudayaan",
    opd_caps="DINAS PENDIDIKAN DAN KEBUDAYAAN",
    subdomain="simdik",
    nama="Budi Hartono",
    email="budi.dik@bantenprov.go.id",
)
BKD = Submission(
    nomor="800/12-BKD/XI/2026",
    opd="Badan Kepegawaian Daerah",
    opd_caps="BADAN KEPEGAWAIAN DAERAH",
    subdomain="simpeg",
    nama="Rina Wulandari",
    email="rina.bkd@bantenprov.go.id",
)
FORM_ONLY = Submission(
    opd="Dinas Kesehatan", subdomain="sirs", nama="Dewi Lestari", email="dewi@bantenprov.go.id"
)


@dataclass
class Register:
    services: Services
    ids: dict[str, int]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def register(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Register]:
    """Four submissions, one register per backend, shared by this module's read-only tests:
    Dinkes (received in January, late), Dindikbud (March, accepted by the Kepala Dinas),
    BKD (today), and a Dinkes form without its letter."""
    home = tmp_path_factory.mktemp(f"search-{request.param}")
    database = _database(request, home)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPELINE_DB_URL", database)
        init_workspace(home)
        services = open_services(load_settings(home))
    ids = {
        "dinkes": _ingest(services, letter_pdf(home / "dinkes.pdf", DINKES, with_form=True)),
        "dindikbud": _ingest(services, letter_pdf(home / "dik.pdf", DINDIKBUD, with_form=True)),
        "bkd": _ingest(services, letter_pdf(home / "bkd.pdf", BKD, with_form=True)),
        "form_only": _ingest(services, form_docx(home / "formulir.docx", FORM_ONLY)),
    }
    advance(services, ids["dindikbud"], "accept", by="Kepala Dinas")
    _received(services, ids["dinkes"], datetime(2026, 1, 15, 9, 0, tzinfo=WIB), late=True)
    _received(services, ids["dindikbud"], datetime(2026, 3, 10, 23, 30, tzinfo=WIB))
    yield Register(services, ids)
    services.close()
    if request.param == "postgresql":
        with psycopg.connect(request.getfixturevalue("pg_server"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database.rsplit("/", 1)[1]}" WITH (FORCE)')


def _database(request: pytest.FixtureRequest, home: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{home / 'register.db'}"
    admin = request.getfixturevalue("pg_server")
    name = f"pipeline_t_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = dict(part.split("=", 1) for part in admin.split())
    return f"postgresql+psycopg://{params['user']}@{params['host']}:{params['port']}/{name}"


def _ingest(services: Services, path: Path) -> int:
    outcome = ingest_claim(services, claim_copy(path, services.settings.work))
    assert outcome.request_id is not None, outcome
    return outcome.request_id


def _received(services: Services, request_id: int, when: datetime, late: bool = False) -> None:
    """Back-date a request, as if it had arrived then (and, if late, missed its deadline)."""
    with Session(services.engine) as session:
        row = session.get(Request, request_id)
        assert row is not None
        row.received_at = when
        if late:
            row.due_at = datetime.now(UTC) - timedelta(days=2)
        session.add(row)
        session.commit()


def _ids(reg: Register, **conditions: object) -> set[int]:
    flt = RequestFilter(**conditions)  # type: ignore[arg-type]
    rows = list_requests(reg.services, flt)
    assert count_requests(reg.services, flt) == len(rows)
    return {row["id"] for row in rows}


def test_a_word_of_the_letter_finds_the_requests_whose_letter_says_it(register: Register):
    letters = {register.ids[k] for k in ("dinkes", "dindikbud", "bkd")}
    # "Syekh Nawawi" is only in the letters' address line, in no field
    assert _ids(register, q="nawawi") == letters
    assert _ids(register, q="Syekh NAWAWI") == letters
    assert _ids(register, q="siti aminah") == {register.ids["dinkes"]}
    assert _ids(register, q="kepegawai") == {register.ids["bkd"]}  # a word's beginning is enough
    assert _ids(register, q="simpeg.bantenprov.go.id") == {register.ids["bkd"]}
    assert _ids(register, q="dewi") == {register.ids["form_only"]}
    assert _ids(register, q="nawawi", status="awaiting_kabid") == {register.ids["dindikbud"]}
    assert _ids(register, q="tidakadadimanapun") == set()
    assert _ids(register, q="//") == set(register.ids.values())  # no word: no text condition


def test_filters_by_opd_status_dates_lateness_and_number(register: Register):
    ids = register.ids
    dinkes = {ids["dinkes"], ids["form_only"]}
    assert _ids(register, opd="dinkes") == dinkes
    assert _ids(register, opd="kesehatan") == dinkes
    assert _ids(register, opd="Pendidikan") == {ids["dindikbud"]}
    assert _ids(register, status="awaiting_kabid") == {ids["dindikbud"]}
    assert _ids(register, status="incomplete") == {ids["form_only"]}
    # 23:30 WIB on 10 March is still 10 March for the clerk, though 16:30 UTC
    assert _ids(register, since=date(2026, 3, 10), until=date(2026, 3, 10)) == {ids["dindikbud"]}
    assert _ids(register, until=date(2026, 3, 9)) == {ids["dinkes"]}
    assert _ids(register, since=date(2026, 3, 11)) == {ids["bkd"], ids["form_only"]}
    assert _ids(register, overdue=True) == {ids["dinkes"]}
    assert _ids(register, overdue=True, opd="bkd") == set()
    assert _ids(register, nomor="555 / 787 - Dinkes / X / 2026") == {ids["dinkes"]}
    assert _ids(register, nomor="simdik") == {ids["dindikbud"]}
    assert _ids(register, nomor="SIMPEG.bantenprov.go.id") == {ids["bkd"]}
    [bkd] = list_requests(register.services, RequestFilter(nomor="simpeg"))
    assert _ids(register, nomor=bkd["nomor_agenda"]) == {ids["bkd"]}
    assert _ids(register, nomor=bkd["nomor_permohonan"]) == {ids["bkd"]}


def test_sorting_paging_and_counts_per_status(register: Register):
    services = register.services
    newest = [r["id"] for r in list_requests(services, RequestFilter())]
    assert newest[-2:] == [register.ids["dindikbud"], register.ids["dinkes"]]  # oldest last
    oldest = [r["id"] for r in list_requests(services, RequestFilter(descending=False))]
    assert oldest == newest[::-1]
    page = list_requests(services, RequestFilter(limit=2, offset=1))
    assert [r["id"] for r in page] == newest[1:3]
    by_due = list_requests(services, RequestFilter(sort="due_at", descending=False))
    assert by_due[-1]["due_at"] is None  # requests without a deadline come last
    assert status_counts(services, RequestFilter()) == {
        "awaiting_kadis": 2,
        "awaiting_kabid": 1,
        "incomplete": 1,
    }
    assert count_requests(services, RequestFilter()) == 4
    assert count_requests(services, RequestFilter(status="awaiting_kadis")) == 2
    assert count_requests(services, RequestFilter(q="nawawi"), at_most=2) == 2
    assert status_counts(services, RequestFilter(opd="dinkes", status="incomplete")) == {
        "awaiting_kadis": 1,
        "incomplete": 1,
    }
