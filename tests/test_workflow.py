"""The SOP steps: legal moves only, an event per move, deadlines in Indonesian working days."""

from __future__ import annotations

import socket
from datetime import date, datetime
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session, select

from pipeline.inbox import claim_copy
from pipeline.register.tables import Event, Request
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.steps.advance import advance
from pipeline.service.steps.reminders import duties, send_by_email
from pipeline.workflow import Status, TransitionError, WorkingCalendar, due_for, next_status
from pipeline.workflow.deadlines import WIB
from tests.factories import Submission, letter_pdf


def _complete_request(services: Services, tmp_path: Path) -> int:
    path = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    outcome = ingest_claim(services, claim_copy(path, services.settings.work))
    assert outcome.request_id is not None
    return outcome.request_id


def test_the_whole_sop_in_order(services: Services, tmp_path: Path):
    request_id = _complete_request(services, tmp_path)
    steps = [
        ("accept", "awaiting_kabid"),
        ("dispose", "in_analysis"),
        ("submit-analysis", "in_integration"),
        ("complete", "completed"),
    ]
    for action, expected in steps:
        result = advance(services, request_id, action, note=f"catatan {action}", by="Budi")
        assert result.to_status == expected
    with Session(services.engine) as session:
        events = session.exec(
            select(Event).where(Event.request_id == request_id).order_by(Event.id)
        ).all()
        moves = [(e.action, e.from_status, e.to_status, e.who) for e in events if e.who == "Budi"]
    assert moves[0] == ("accept", "awaiting_kadis", "awaiting_kabid", "Budi")
    assert moves[-1] == ("complete", "in_integration", "completed", "Budi")


def test_an_illegal_action_names_status_and_action_and_changes_nothing(
    services: Services, tmp_path: Path
):
    request_id = _complete_request(services, tmp_path)
    with pytest.raises(TransitionError) as raised:
        advance(services, request_id, "complete")
    assert "complete" in raised.value.message and "awaiting_kadis" in raised.value.message
    with Session(services.engine) as session:
        assert session.get(Request, request_id).status == "awaiting_kadis"  # type: ignore[union-attr]
        assert not [e for e in session.exec(select(Event)) if e.action == "complete"]


def test_an_incomplete_request_cannot_be_accepted(services: Services, tmp_path: Path):
    path = letter_pdf(tmp_path / "surat.pdf", Submission())
    outcome = ingest_claim(services, claim_copy(path, services.settings.work))
    with pytest.raises(TransitionError, match="incomplete"):
        advance(services, outcome.request_id or 0, "accept")


def test_rejection_ends_the_request(services: Services, tmp_path: Path):
    request_id = _complete_request(services, tmp_path)
    result = advance(services, request_id, "reject", note="Subdomain sudah dipakai")
    assert result.to_status == "rejected" and result.due_at is None
    with pytest.raises(TransitionError):
        advance(services, request_id, "accept")


def test_deadlines_skip_weekends_holidays_and_cuti_bersama():
    calendar = WorkingCalendar(cuti_bersama=[date(2026, 12, 24)])
    friday = datetime(2026, 12, 18, 9, 0, tzinfo=WIB)
    assert due_for(Status.AWAITING_KADIS, friday, calendar).date() == date(2026, 12, 21)
    wednesday = datetime(2026, 12, 23, 9, 0, tzinfo=WIB)
    # 24th is cuti bersama, 25th Christmas, then the weekend: Monday the 28th
    assert due_for(Status.AWAITING_KABID, wednesday, calendar).date() == date(2026, 12, 28)
    assert due_for(Status.IN_ANALYSIS, wednesday, calendar).date() == date(2026, 12, 29)
    assert due_for(Status.INCOMPLETE, wednesday, calendar) is None


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=10),
)
def test_adding_working_days_lands_on_a_working_day(start: date, days: int):
    calendar = WorkingCalendar()
    due = calendar.add_working_days(start, days)
    assert calendar.is_working_day(due)
    assert (due - start).days >= days


@pytest.mark.parametrize("status", list(Status))
def test_every_status_either_allows_a_named_action_or_is_final(status: Status):
    allowed = [
        a
        for a in ("accept", "reject", "dispose", "submit-analysis", "complete")
        if _allowed(status, a)
    ]
    final = status in (Status.REJECTED, Status.COMPLETED, Status.INCOMPLETE)
    assert bool(allowed) != final


def _allowed(status: Status, action: str) -> bool:
    try:
        next_status(status, action)
    except TransitionError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


def test_late_requests_are_reminded_by_email(services: Services, tmp_path: Path):
    request_id = _complete_request(services, tmp_path)
    with Session(services.engine) as session:
        request = session.get(Request, request_id)
        assert request is not None
        request.due_at = datetime(2020, 1, 2, 16, 0, tzinfo=WIB)
        session.add(request)
        session.commit()
    services.settings.pejabat.kepala_dinas.email = "kadis@diskominfo.bantenprov.go.id"
    found = duties(services)
    assert [d.official.jabatan for d in found] == [services.settings.pejabat.kepala_dinas.jabatan]
    assert "TERLAMBAT" in found[0].text()
    handler = _Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings = services.settings.model_copy(deep=True)
        settings.smtp.host, settings.smtp.port = (
            "127.0.0.1",
            controller.server.sockets[0].getsockname()[1],
        )
        settings.pejabat.kepala_dinas.email = "kadis@diskominfo.bantenprov.go.id"
        assert send_by_email(settings, found) == 1
    finally:
        controller.stop()
    mail = message_from_bytes(handler.messages[0])
    assert "terlambat" in mail["Subject"]
    assert "kadis@diskominfo.bantenprov.go.id" in mail["To"]


def _docx_text(path: str) -> str:
    import docx

    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_step_makes_its_document(services: Services, tmp_path: Path):
    request_id = _complete_request(services, tmp_path)
    advance(services, request_id, "accept", note="Segera tindak lanjuti")
    advance(services, request_id, "dispose")
    advance(services, request_id, "submit-analysis")
    done = advance(
        services,
        request_id,
        "complete",
        note="API tersedia di https://sikesehatan.bantenprov.go.id/api/v1.",
    )
    year = datetime.now(WIB).year
    assert done.number is not None and done.number.startswith("555/1-Diskominfo SP/")
    assert done.number.endswith(f"/{year}")
    from pipeline.service.queries.listing import show_request

    kinds = [d["kind"] for d in show_request(services, request_id)["documents"]]
    assert kinds == [
        "lembar-disposisi-kadis",
        "lembar-disposisi-kabid",
        "laporan-hasil-analisis",
        "surat-selesai-integrasi",
    ]
    kabid = _docx_text(show_request(services, request_id)["documents"][1]["path"])
    assert "Segera tindak lanjuti" in kabid
    letter = _docx_text(done.document or "")
    assert "https://sikesehatan.bantenprov.go.id/api/v1" in letter and done.number in letter


def test_outgoing_numbers_follow_each_other(services: Services, tmp_path: Path):
    first = _complete_request(services, tmp_path)
    second_path = letter_pdf(
        tmp_path / "dua.pdf",
        Submission(subdomain="kedua", nomor="555/2-Dinkes/X/2026"),
        with_form=True,
    )
    second = ingest_claim(services, claim_copy(second_path, services.settings.work)).request_id
    one = advance(services, first, "reject", note="Subdomain sudah dipakai")
    two = advance(services, second or 0, "reject", note="Berkas tidak sesuai")
    assert one.number is not None and two.number is not None
    assert one.number.split("/")[1].startswith("1-") and two.number.split("/")[1].startswith("2-")
    assert "Subdomain sudah dipakai" in _docx_text(one.document or "")


def test_an_incomplete_submission_gets_one_shortfall_letter_after_half_an_hour(
    services: Services, tmp_path: Path
):
    from datetime import timedelta

    from pipeline.service.steps.shortfall import shortfall_letters

    path = letter_pdf(tmp_path / "surat.pdf", Submission())
    outcome = ingest_claim(services, claim_copy(path, services.settings.work))
    assert shortfall_letters(services) == []  # a form often follows within minutes
    later = datetime.now(WIB) + timedelta(minutes=31)
    [letter] = shortfall_letters(services, later)
    assert letter.request_id == outcome.request_id and letter.number is not None
    text = _docx_text(letter.path)
    assert "Formulir Pengajuan Integrasi" in text and letter.number in text
    assert shortfall_letters(services, later + timedelta(minutes=5)) == []  # told once


DDL = """
CREATE TABLE `pasien` (
  `id` int NOT NULL AUTO_INCREMENT COMMENT 'Nomor pasien',
  `nama` varchar(120) NOT NULL COMMENT 'Nama lengkap',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB;
CREATE TABLE kunjungan (id bigint, pasien_id int REFERENCES pasien(id), tanggal date);
"""


def test_the_analysis_report_tabulates_the_structure_the_opd_sent(
    services: Services, tmp_path: Path
):
    request_id = _complete_request(services, tmp_path)
    advance(services, request_id, "accept")
    schema = tmp_path / "struktur.sql"
    schema.write_text(DDL, encoding="utf-8")
    result = advance(
        services, request_id, "dispose", attachment=schema, note="Perkiraan biaya Rp 15.000.000"
    )
    report = _docx_text(result.document or "")
    for word in ("pasien", "kunjungan", "Nama lengkap", "varchar(120)", "lima belas juta"):
        assert word in report
