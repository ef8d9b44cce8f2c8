"""Ingest into a real register (SQLite and PostgreSQL): pairing, completion, numbering."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from pipeline.inbox import claim, claim_copy
from pipeline.register.tables import Event, ReceivedFile, Request
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import IngestOutcome, ingest_claim
from pipeline.service.queries.listing import RequestFilter, list_requests
from pipeline.settings import load_settings
from tests.factories import Submission, form_docx, form_pdf, letter_docx, letter_pdf


def _ingest(services: Services, path: Path) -> IngestOutcome:
    return ingest_claim(services, claim_copy(path, services.settings.work))


def _requests(services: Services) -> list[dict[str, object]]:
    return list_requests(services, RequestFilter())


def test_letter_then_form_pair_into_one_complete_request(services: Services, tmp_path: Path):
    sub = Submission()
    first = _ingest(services, letter_pdf(tmp_path / "surat.pdf", sub))
    assert first.status == "registered"
    [waiting] = _requests(services)
    assert waiting["status"] == "incomplete"
    assert "formulir_pengajuan" in waiting["missing"]

    second = _ingest(services, form_docx(tmp_path / "formulir.docx", sub))
    assert second.request_id == first.request_id
    [done] = _requests(services)
    assert done["status"] == "awaiting_kadis"
    assert done["missing"] == []
    assert done["nomor_surat"] == "555/787-Dinkes/X/2026"
    assert done["subdomain"] == "sikesehatan.bantenprov.go.id"
    assert done["penanggung_jawab"]["telepon"] == "+6281234567890"
    assert done["nomor_permohonan"].startswith("PRM-")
    assert done["due_at"] is not None
    [document] = done["documents"]
    assert document["kind"] == "lembar-disposisi-kadis"
    assert Path(document["path"]).is_file()
    assert {f["name"] for f in done["files"]} == {"surat.pdf", "formulir.docx"}


def test_unrelated_letters_of_one_opd_do_not_pair(services: Services, tmp_path: Path):
    _ingest(services, letter_pdf(tmp_path / "a.pdf", Submission(subdomain="alpha")))
    _ingest(services, form_pdf(tmp_path / "b.pdf", Submission(subdomain="beta")))
    rows = _requests(services)
    assert len(rows) == 2
    assert all(r["status"] == "incomplete" for r in rows)


def test_same_bytes_twice_is_a_duplicate_not_a_second_request(services: Services, tmp_path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    assert _ingest(services, path).status == "registered"
    copy = tmp_path / "salinan.pdf"
    copy.write_bytes(path.read_bytes())
    again = _ingest(services, copy)
    assert again.status == "duplicate"
    with Session(services.engine) as session:
        assert len(session.exec(select(ReceivedFile)).all()) == 1
        assert len(session.exec(select(Request)).all()) == 1
        assert any(e.action == "duplikat" for e in session.exec(select(Event)))


def test_unreadable_file_goes_to_failed_with_a_reason(services: Services, tmp_path: Path):
    inbox = services.settings.inbox
    broken = inbox / "rusak.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    outcome = ingest_claim(services, claim(broken, services.settings.work, inbox.resolve()))
    assert outcome.status == "failed"
    parked = services.settings.failed / "rusak.pdf"
    assert parked.is_file()
    reason = (services.settings.failed / "rusak.pdf.error.txt").read_text(encoding="utf-8")
    assert "rusak" in reason and "inbox" in reason
    assert not broken.exists()


def test_the_same_letter_sent_again_joins_its_request(services: Services, tmp_path: Path):
    sub = Submission()
    first = _ingest(services, letter_pdf(tmp_path / "surat.pdf", sub))
    again = _ingest(services, letter_docx(tmp_path / "surat.docx", sub))
    assert again.status == "registered" and again.request_id == first.request_id
    [request] = _requests(services)
    assert len(request["files"]) == 2
    with Session(services.engine) as session:
        assert any(e.action == "dikirim-ulang" for e in session.exec(select(Event)))


def test_original_is_archived_byte_identical(services: Services, tmp_path: Path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    _ingest(services, path)
    with Session(services.engine) as session:
        row = session.exec(select(ReceivedFile)).one()
    assert Path(row.archived_path).read_bytes() == path.read_bytes()


def _register_many(home: str, sources: list[str]) -> None:
    services = open_services(load_settings(Path(home)))
    try:
        for source in sources:
            ingest_claim(services, claim_copy(Path(source), services.settings.work))
    finally:
        services.close()


def test_agenda_numbers_are_gapless_with_two_processes(workspace: Path, tmp_path: Path):
    files = [
        str(
            letter_pdf(
                tmp_path / f"s{i}.pdf",
                Submission(
                    subdomain=f"app{i}",
                    opd="Dinas Sosial",
                    opd_caps="DINAS SOSIAL",
                    nomor=f"460/{100 + i}-Dinsos/XI/2026",
                ),
            )
        )
        for i in range(24)
    ]
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_register_many, args=(str(workspace), files[i::2])) for i in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    services = open_services(load_settings(workspace))
    try:
        numbers = sorted(int(r["nomor_agenda"]) for r in _requests(services))
    finally:
        services.close()
    assert numbers == list(range(1, 25))


def test_a_signed_letter_is_archived_byte_identical_and_marked_signed(
    services: Services, tmp_path: Path
):
    path = tmp_path / "bertanda-tangan.pdf"
    letter_pdf(path, Submission(), with_form=True)
    signed = path.read_bytes().replace(
        b"%%EOF", b"%%EOF\n% /ByteRange [0 100 200 300] /Adbe.pkcs7.detached\n%%EOF", 1
    )
    path.write_bytes(signed)
    assert _ingest(services, path).status == "registered"
    with Session(services.engine) as session:
        row = session.exec(select(ReceivedFile)).one()
    assert row.signed
    assert Path(row.archived_path).read_bytes() == signed


def _issue_many(home: str, count: int) -> None:
    from pipeline.service.steps.outgoing import issue_outgoing

    services = open_services(load_settings(Path(home)))
    try:
        for _ in range(count):
            with Session(services.engine) as session:
                number = issue_outgoing(services, session, datetime.now(UTC))
                session.add(Event(at=datetime.now(UTC), who="uji", action="nomor", note=number))
                session.commit()
    finally:
        services.close()


def test_two_processes_issue_1000_outgoing_numbers_without_gaps(workspace: Path):
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_issue_many, args=(str(workspace), 500)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0
    services = open_services(load_settings(workspace))
    try:
        with Session(services.engine) as session:
            numbers = [e.note for e in session.exec(select(Event).where(Event.action == "nomor"))]
    finally:
        services.close()
    serials = sorted(int((n or "").split("/")[1].split("-")[0]) for n in numbers)
    assert serials == list(range(1, 1001))


def test_a_register_from_an_older_version_gets_the_new_columns(tmp_path: Path) -> None:
    """Upgrading keeps the register: an unversioned documents table without `pdf_path` gains
    it through the migrations (`pipeline upgrade`), rows kept (tests/test_migrations.py)."""
    import sqlite3
    from contextlib import closing

    from pipeline.register import migrations
    from pipeline.register.db import create_schema, make_engine

    path = tmp_path / "register.db"
    first = make_engine(f"sqlite:///{path}")
    create_schema(first)
    first.dispose()
    with closing(sqlite3.connect(path)) as old, old:
        old.execute("ALTER TABLE documents DROP COLUMN pdf_path")
        old.execute("DROP TABLE alembic_version")  # as a release before the migrations made it
        old.execute(
            "INSERT INTO requests (tahun_agenda, nomor_agenda, status, has_letter, has_form,"
            " missing, provenance, problems, received_at, updated_at)"
            " VALUES (2026, '0001', 'diterima', 1, 1, '[]', '{}', '[]',"
            " '2026-11-27 01:00:00', '2026-11-27 01:00:00')"
        )
    engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(engine)
    create_schema(engine)
    engine.dispose()
    with closing(sqlite3.connect(path)) as upgraded:
        columns = {row[1] for row in upgraded.execute("PRAGMA table_info(documents)")}
        kept = upgraded.execute("SELECT nomor_agenda FROM requests").fetchall()
    assert "pdf_path" in columns and kept == [("0001",)]
