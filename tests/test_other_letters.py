"""A letter that is no request, checked by the secretariat, on both registers (SQLite and
PostgreSQL): its flagged sender confirmed, its number corrected, the review count falling to
zero, and the file's history saying who did what."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from pipeline.cli.app import app as cli_app
from pipeline.inbox import claim_copy
from pipeline.register.tables import Event
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.queries.listing import (
    newest_other_files,
    other_files,
    other_letters_to_check,
)
from pipeline.service.steps.corrections import (
    InvalidCorrectionError,
    confirm_other_letter,
    correct_other_letter,
)
from tests.factories import regency_invitation_docx

CLERK = "sekretariat (Sekretariat)"


def test_checking_an_other_letter_empties_its_review_queue(
    services: Services, tmp_path: Path
) -> None:
    letter = regency_invitation_docx(tmp_path / "undangan.docx")
    assert ingest_claim(services, claim_copy(letter, services.settings.work)).status == "other"
    [row] = other_files(services)
    assert row["needs_review"] == ["opd"] and other_letters_to_check(services) == 1
    assert newest_other_files(services, 200, to_check_only=True) == ([row], 1)
    assert newest_other_files(services, 200, search="rapat koor") == ([row], 1)
    assert newest_other_files(services, 200, search="Kabupaten Jépara") == ([row], 1)
    assert newest_other_files(services, 200, search="banten") == ([], 0)

    assert confirm_other_letter(services, row["id"], "opd", CLERK) == row["opd"]
    assert confirm_other_letter(services, row["id"], "opd", "admin (Admin)") == row["opd"]
    assert other_letters_to_check(services) == 0
    assert newest_other_files(services, 200, to_check_only=True) == ([], 0)
    assert newest_other_files(services, 0) == ([], 1), "none shown, one in all"
    assert correct_other_letter(services, row["id"], "tanggal_surat", "7-1-2020", CLERK) == (
        "2020-01-06",
        "2020-01-07",
    )
    with pytest.raises(InvalidCorrectionError, match="tidak bisa dikoreksi pada surat lain"):
        correct_other_letter(services, row["id"], "subdomain", "x.bantenprov.go.id", CLERK)
    [checked] = other_files(services)
    assert checked["tanggal_surat"] == "2020-01-07" and checked["needs_review"] == []
    assert checked["sources"]["opd"]["confirmed_by"] == CLERK, "the first to confirm is kept"
    assert checked["sources"]["tanggal_surat"]["by"] == CLERK

    with Session(services.engine) as session:
        events = session.exec(
            select(Event).where(Event.file_id == row["id"]).order_by(col(Event.id))
        ).all()
    checks = [(e.action, e.who, e.note) for e in events if e.action in ("koreksi", "konfirmasi")]
    assert checks == [
        ("konfirmasi", CLERK, f"OPD '{row['opd']}' sudah diperiksa dan benar."),
        ("koreksi", CLERK, "Tanggal surat: '2020-01-06' → '2020-01-07'"),
    ]


def test_register_others_to_check_lists_only_letters_with_a_flagged_value(
    workspace: Path, services: Services, tmp_path: Path
) -> None:
    """The clerk's queue on the command line, as on the web page's 'Hanya yang perlu
    diperiksa'."""
    cli = CliRunner()
    command = ["--home", str(workspace), "register", "others", "--to-check"]
    assert cli.invoke(cli_app, command[:-1]).output.strip() == "Belum ada surat lain."
    letter = regency_invitation_docx(tmp_path / "undangan rakor.docx")
    assert ingest_claim(services, claim_copy(letter, services.settings.work)).status == "other"
    queue = cli.invoke(cli_app, command, env={"COLUMNS": "400"})
    assert queue.exit_code == 0, queue.output
    assert "undangan rakor.docx" in queue.output and "⚠ perlu diperiksa" in queue.output
    [row] = other_files(services)
    confirm_other_letter(services, row["id"], "opd", CLERK)
    emptied = cli.invoke(cli_app, command)
    assert emptied.output.strip() == "Tidak ada surat lain yang perlu diperiksa."
    everything = cli.invoke(cli_app, command[:-1], env={"COLUMNS": "400"})
    assert "undangan rakor.docx" in everything.output and "perlu diperiksa" not in everything.output
