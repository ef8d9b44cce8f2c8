"""A new field end to end (issue 16): the penanggung jawab's NIP is one row in the field table
plus its rule in the form reader, and is then read, kept, shown, exported and searched."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.service.context import open_services
from pipeline.service.operations.users import add_user
from pipeline.service.steps.corrections import InvalidCorrectionError, correct_field
from pipeline.settings import load_settings
from pipeline.web import create_app
from tests.factories import Submission, form_docx, form_pdf, letter_pdf
from tests.test_cli import pipeline
from tests.test_web import PASSWORD, log_in

WRITTEN = "19761107 200309 1 003"  # as forms print it
NIP = "197611072003091003"
WITH_NIP = Submission(nip=WRITTEN)


def test_extract_reads_the_nip_row_of_a_word_or_pdf_form(tmp_path: Path):
    for form in (
        form_docx(tmp_path / "formulir.docx", WITH_NIP),
        form_pdf(tmp_path / "formulir.pdf", WITH_NIP),
    ):
        done = pipeline(tmp_path, "extract", "--json", str(form))
        assert done.returncode == 0, done.stderr
        result = json.loads(done.stdout)
        assert result["fields"]["penanggung_jawab"]["nip"] == NIP, form.name
        assert WRITTEN in result["provenance"]["penanggung_jawab.nip"]["matched"]


def test_the_signers_nip_under_the_letter_is_not_the_penanggung_jawabs(tmp_path: Path):
    """The letter is signed 'NIP. 19700101 199503 1 001'; a form without a NIP row gives none."""
    both = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    done = pipeline(tmp_path, "extract", "--json", str(both))
    result = json.loads(done.stdout)
    assert result["kind"] == "letter+form"
    assert result["fields"]["penanggung_jawab"]["nip"] is None


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace holding one request whose form carries the NIP (beside the signer's)."""
    home = tmp_path_factory.mktemp("kantor")
    files = tmp_path_factory.mktemp("berkas")
    assert pipeline(home, "init").returncode == 0
    both = letter_pdf(files / "surat.pdf", WITH_NIP, with_form=True)
    done = pipeline(home, "ingest", str(both))
    assert done.returncode == 0, done.stderr
    return home


def test_the_register_keeps_and_shows_the_nip(office: Path):
    shown = json.loads(pipeline(office, "register", "show", "1", "--format", "json").stdout)
    assert shown["penanggung_jawab"]["nip"] == NIP
    assert shown["provenance"]["penanggung_jawab.nip"]["file"] == "surat.pdf"
    table = pipeline(office, "register", "show", "1").stdout
    assert "Penanggung jawab — NIP" in table and NIP in table
    listed = pipeline(office, "register", "list", "--format", "csv").stdout.splitlines()
    [row] = csv.DictReader(listed)
    assert row["pj_nip"] == NIP


def test_the_export_has_a_nip_column(office: Path, tmp_path: Path):
    target = tmp_path / "register.csv"
    done = pipeline(office, "register", "export", "--format", "csv", "-o", str(target))
    assert done.returncode == 0, done.stderr
    with target.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["NIP"] == NIP


def test_search_finds_the_request_by_its_nip(office: Path):
    found = pipeline(office, "register", "list", "--format", "json", "--q", NIP)
    assert [r["id"] for r in json.loads(found.stdout)] == [1]
    other = pipeline(office, "register", "list", "--format", "json", "--q", "197001011995031001")
    assert json.loads(other.stdout) == []  # the signer's NIP is only in the letter's text


def test_the_request_page_shows_the_nip(office: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    services = open_services(load_settings(office))
    try:
        add_user(services, "sekretariat", "sekretariat", PASSWORD)
    finally:
        services.close()
    with TestClient(create_app(office), follow_redirects=False) as client:
        log_in(client, "sekretariat")
        page = client.get("/permohonan/1")
    assert page.status_code == 200
    assert "Penanggung jawab — NIP" in page.text and NIP in page.text


def test_a_corrected_nip_is_kept_as_18_digits_and_a_wrong_one_refused(office: Path):
    services = open_services(load_settings(office))
    try:
        assert correct_field(services, 1, "penanggung_jawab.nip", WRITTEN, "uji") == (NIP, NIP)
        with pytest.raises(InvalidCorrectionError):
            correct_field(services, 1, "penanggung_jawab.nip", "1976 1107", "uji")
    finally:
        services.close()
