"""`pipeline doctor`, `pipeline backup` and `pipeline restore` on real workspaces."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from sqlmodel import Session

from pipeline.errors import ConflictError, UnreadableFileError
from pipeline.inbox import claim_copy
from pipeline.register.tables import IntakeJob, now_utc
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.backup import make_backup
from pipeline.service.operations.doctor import BAD, OK, WARN, DoctorReport, diagnose
from pipeline.service.operations.restore import restore_backup
from pipeline.service.operations.workspace import init_workspace
from pipeline.settings import load_settings
from tests.factories import Submission, letter_pdf
from tests.live_process import run_pipeline


def _submission(number: int) -> Submission:
    return replace(
        Submission(),
        nomor=f"555/{number}-Dinkes/X/2026",
        subdomain=f"sehat{number}",
        email=f"siti{number}.dinkes@bantenprov.go.id",
    )


def _ingest(services: Services, folder: Path, numbers: range) -> None:
    folder.mkdir(exist_ok=True)
    for number in numbers:
        path = letter_pdf(folder / f"surat-{number}.pdf", _submission(number), with_form=True)
        assert ingest_claim(services, claim_copy(path, services.settings.work)).status in (
            "registered"
        )


@pytest.fixture
def sqlite_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    home = tmp_path / "ws"
    init_workspace(home)
    services = open_services(load_settings(home))
    _ingest(services, tmp_path / "drops", range(1, 4))
    yield services
    services.close()


def _status(report: DoctorReport, check: str) -> tuple[str, list[str]]:
    found = [f for f in report.findings if f.check == check]
    assert len(found) == 1, check
    return found[0].status, found[0].items


def test_doctor_finds_missing_changed_orphaned_and_stuck_files(sqlite_services: Services):
    settings = sqlite_services.settings
    assert diagnose(settings).healthy
    archived = sorted(p for p in settings.archive.glob("??/*") if p.is_file())
    assert len(archived) == 3
    archived[0].unlink()
    archived[1].write_bytes(archived[1].read_bytes() + b"\n% diubah")
    (settings.archive / "ab").mkdir(exist_ok=True)
    (settings.archive / "ab" / ("ab" * 32 + ".pdf")).write_bytes(b"%PDF-1.4 sisa")
    next(settings.outbox.rglob("*.docx")).unlink()
    dead_worker = settings.work / f"{socket.gethostname()}-999999999"
    dead_worker.mkdir(parents=True)
    (dead_worker / "surat-99.pdf").write_bytes(b"%PDF-1.4")

    report = diagnose(settings)

    assert not report.healthy
    status, items = _status(report, "Arsip: berkas hilang")
    assert status == BAD and len(items) == 1 and archived[0].name[:12] in items[0]
    status, items = _status(report, "Arsip: SHA-256")
    assert status == BAD and len(items) == 1 and archived[1].name[:12] in items[0]
    status, items = _status(report, "Arsip: tanpa catatan")
    assert status == WARN and items == [f"archive/ab/{'ab' * 32}.pdf"]
    assert _status(report, "Dokumen keluaran")[0] == BAD
    status, items = _status(report, "Klaim tertahan")
    assert status == BAD and items[0].endswith("surat-99.pdf")
    assert _status(report, "Tesseract (OCR)")[0] == OK
    assert _status(report, "Arsip: berkas hilang")[0] == BAD


def test_doctor_sees_claims_another_machine_stopped_renewing(sqlite_services: Services):
    settings = sqlite_services.settings
    assert _status(diagnose(settings), "Klaim di register")[0] == OK

    def claimed(name: str, expired_minutes: float) -> IntakeJob:
        lease = now_utc() - timedelta(minutes=expired_minutes)
        return IntakeJob(
            path=f"/mnt/inbox/.work/mesin-b-4242/{name}",
            original=name,
            worker="mesin-b-4242",
            state="archived",
            lease_until=lease,
        )

    with Session(sqlite_services.engine) as session:
        session.add(claimed("baru-berhenti.pdf", 2))
        session.commit()
    status, items = _status(diagnose(settings), "Klaim di register")
    assert status == WARN and "baru-berhenti.pdf — mesin-b-4242" in items[0]
    with Session(sqlite_services.engine) as session:
        session.add(claimed("lama-berhenti.pdf", 30))
        session.commit()
    report = diagnose(settings)
    assert _status(report, "Klaim di register")[0] == BAD and not report.healthy


def test_doctor_cli_exits_non_zero_with_json(sqlite_services: Services):
    home = sqlite_services.settings.workspace
    next(sqlite_services.settings.archive.glob("??/*")).unlink()
    done = run_pipeline(home, "doctor", "--json")
    assert done.returncode != 0
    report = json.loads(done.stdout)
    assert report["sehat"] is False
    assert {"Register", "Izin folder", "Ruang disk"} <= {c["check"] for c in report["pemeriksaan"]}


def test_restore_refuses_a_damaged_backup_and_a_full_register(
    sqlite_services: Services, tmp_path: Path
):
    settings = sqlite_services.settings
    backup = tmp_path / "cadangan"
    make_backup(settings, backup)
    with pytest.raises(ConflictError) as refused:
        restore_backup(settings.workspace, backup)
    assert "--force" in refused.value.for_humans()
    next(backup.glob("archive/??/*")).write_bytes(b"rusak")
    with pytest.raises(UnreadableFileError, match="tidak cocok dengan manifest"):
        restore_backup(tmp_path / "baru", backup)
    assert not (tmp_path / "baru").exists()
    with pytest.raises(ConflictError):
        make_backup(settings, backup)  # never into a folder that holds files


@pytest.mark.postgres
def test_postgresql_register_round_trips_through_pg_dump(
    pg_url: str, pg_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PIPELINE_DB_URL", pg_url)
    source = tmp_path / "ws"
    init_workspace(source)
    services = open_services(load_settings(source))
    _ingest(services, tmp_path / "drops", range(10, 12))
    services.close()
    make_backup(load_settings(source), tmp_path / "cadangan")

    target_db = pg_url.rsplit("/", 1)[1] + "_pulih"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{target_db}"')
    try:
        monkeypatch.setenv("PIPELINE_DB_URL", pg_url.rsplit("/", 1)[0] + "/" + target_db)
        result = restore_backup(tmp_path / "pulih", tmp_path / "cadangan")
        assert result.files == 2
        assert diagnose(load_settings(tmp_path / "pulih")).healthy
    finally:
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')


def test_doctor_reports_a_register_it_cannot_reach(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PIPELINE_DB_URL", "postgresql+psycopg://nobody@127.0.0.1:1/tidak_ada")
    home = tmp_path / "ws"
    home.mkdir()
    report = diagnose(load_settings(home))
    assert _status(report, "Register")[0] == BAD
    assert _status(report, "Izin folder")[0] == BAD  # no `pipeline init` yet
    shutil.rmtree(home)
