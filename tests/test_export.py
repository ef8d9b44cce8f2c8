"""Excel and CSV out of the register, through the real command line: the export holds the
rows `register list --format json` shows, and the monthly report counts what happened."""

from __future__ import annotations

import csv
import json
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from pipeline.service.queries.export import HEADINGS, status_label
from pipeline.workflow.deadlines import WIB
from tests.factories import Submission, form_docx, letter_pdf
from tests.test_cli import pipeline

DINSOS = Submission(
    nomor="460/77-Dinsos/XI/2026",
    opd="Dinas Sosial",
    opd_caps="DINAS SOSIAL",
    subdomain="sibansos",
    nama="Agus Salim",
    email="agus.dinsos@bantenprov.go.id",
)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite workspace with three requests: two of Dinkes (one waiting for its letter),
    one of Dinsos accepted by the Kepala Dinas."""
    home = tmp_path_factory.mktemp("kantor")
    files = tmp_path_factory.mktemp("berkas")
    assert pipeline(home, "init").returncode == 0
    dropped = [
        letter_pdf(files / "dinkes.pdf", Submission(), with_form=True),
        letter_pdf(files / "dinsos.pdf", DINSOS, with_form=True),
        form_docx(files / "formulir.docx", Submission(subdomain="sirs", nama="Dewi Lestari")),
    ]
    ingested = pipeline(home, "ingest", *map(str, dropped))
    assert ingested.returncode == 0, ingested.stderr
    listed = json.loads(pipeline(home, "register", "list", "--format", "json").stdout)
    [dinsos] = [r for r in listed if r["opd"] == "Dinas Sosial"]
    accepted = pipeline(home, "advance", str(dinsos["id"]), "accept", "--by", "Kepala Dinas")
    assert accepted.returncode == 0, accepted.stderr
    return home


def _listed(home: Path, *conditions: str) -> list[dict[str, object]]:
    done = pipeline(home, "register", "list", "--format", "json", *conditions)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_xlsx_export_reopens_with_the_rows_register_list_shows(office: Path, tmp_path: Path):
    conditions = ("--opd", "dinkes", "--sort", "received_at", "--asc")
    expected = _listed(office, *conditions)
    assert len(expected) == 2
    target = tmp_path / "ekspor" / "register.xlsx"
    done = pipeline(
        office, "register", "export", "--format", "xlsx", "-o", str(target), *conditions
    )
    assert done.returncode == 0, done.stderr
    assert "2 permohonan diekspor" in done.stdout

    sheet = load_workbook(target).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADINGS
    column = {heading: index for index, heading in enumerate(HEADINGS)}
    assert [r[column["ID"]] for r in rows[1:]] == [e["id"] for e in expected]
    for row, wanted in zip(rows[1:], expected, strict=True):
        assert row[column["No. Agenda"]] == wanted["nomor_agenda"]
        assert row[column["Nomor Surat"]] == wanted["nomor_surat"]
        assert row[column["OPD"]] == wanted["opd"]
        assert row[column["Status"]] == status_label(str(wanted["status"]))
        received = datetime.fromisoformat(str(wanted["received_at"])).astimezone(WIB)
        assert row[column["Diterima"]] == received.replace(tzinfo=None, microsecond=0)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADINGS))}{len(rows)}"
    received_cell = sheet.cell(row=2, column=column["Diterima"] + 1)
    assert received_cell.is_date and received_cell.number_format == "DD/MM/YYYY HH:MM"
    letter_date = sheet.cell(row=2, column=column["Tanggal Surat"] + 1)
    assert letter_date.is_date and letter_date.number_format == "DD/MM/YYYY"
    perihal_width = sheet.column_dimensions["G"].width
    assert perihal_width >= len("Permohonan Integrasi Sistem Informasi")


def test_csv_export_has_the_same_rows_with_indonesian_headings(office: Path, tmp_path: Path):
    expected = _listed(office, "--q", "nawawi")
    target = tmp_path / "register.csv"
    done = pipeline(
        office, "register", "export", "--format", "csv", "-o", str(target), "--q", "nawawi"
    )
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["ID"]) for r in rows] == [e["id"] for e in expected]
    assert len(rows) == 2  # the two letters; the form alone has no letter text
    assert {r["Nomor Surat"] for r in rows} == {"555/787-Dinkes/X/2026", "460/77-Dinsos/XI/2026"}


def test_list_pages_and_rejects_a_date_that_is_not_a_date(office: Path):
    everything = _listed(office)
    assert [r["id"] for r in _listed(office, "--limit", "1", "--offset", "1")] == [
        everything[1]["id"]
    ]
    wrong = pipeline(office, "register", "list", "--since", "kemarin")
    assert wrong.returncode == 2
    assert "kemarin" in wrong.stderr


def test_monthly_report_counts_per_opd_and_times_the_steps(office: Path, tmp_path: Path):
    month = datetime.now(WIB).strftime("%Y-%m")
    target = tmp_path / "laporan.xlsx"
    done = pipeline(office, "report", "--month", month, "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert "3 permohonan diterima" in done.stdout

    book = load_workbook(target)
    assert book.sheetnames == ["Ringkasan", "Per OPD", "Waktu per Langkah", "Rincian Langkah"]
    per_opd = {row[0]: row for row in book["Per OPD"].iter_rows(min_row=2, values_only=True)}
    headings = next(book["Per OPD"].iter_rows(max_row=1, values_only=True))
    kabid = headings.index("Menunggu Kepala Bidang")
    kadis = headings.index("Menunggu Kepala Dinas")
    assert per_opd["Dinas Sosial"][kabid] == 1
    assert per_opd["Dinas Kesehatan"][kadis] == 1
    assert per_opd["Dinas Kesehatan"][-1] == 2
    assert per_opd["Jumlah"][-1] == 3
    steps = {
        row[0]: row for row in book["Waktu per Langkah"].iter_rows(min_row=2, values_only=True)
    }
    kadis_step = steps["Menunggu Kepala Dinas"]
    assert kadis_step[2] == 1 and kadis_step[5] == 1 and kadis_step[7] == 1.0  # done on time
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Persentase tepat waktu"] == 1.0
    with zipfile.ZipFile(target) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_report_month_must_be_written_as_year_and_month(office: Path, tmp_path: Path):
    done = pipeline(office, "report", "--month", "Oktober", "-o", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2
    assert "TTTT-BB" in done.stderr
