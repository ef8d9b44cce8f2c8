"""Letters that are no request (*surat lain*) on the web page: a clerk sees each one's number,
date, sender and subject, which of them to check, and opens the original; a request's file is
not reachable through this page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pipeline.inbox import claim_copy
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.paperwork.attachments import files_of
from pipeline.service.queries.listing import other_files
from tests.factories import regency_invitation_docx
from tests.test_web import log_in, offline_office
from tests.test_web_office import visible

SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    """Two requests and, dropped after them, a regency's invitation (no request)."""
    folder = tmp_path_factory.mktemp("others")
    with offline_office(folder) as (home, services):
        letter = regency_invitation_docx(folder / "undangan dinkes jepara.docx")
        assert ingest_claim(services, claim_copy(letter, services.settings.work)).status == "other"
        yield home, services


def test_a_clerk_sees_each_other_letters_header_and_what_to_check(client: TestClient):
    log_in(client, "sekretariat")
    landing = client.get("/").text
    assert 'href="/surat-lain"' in landing, "the menu leads to it"
    page = visible(client.get("/surat-lain").text)
    assert "undangan dinkes jepara" in page and page.startswith("Surat lain — ")
    assert "005/123/2020" in page and "6 Januari 2020" in page
    assert "Undangan Rapat Koordinasi" in page
    assert "Dinas Kesehatan Kabupaten Jepara perlu diperiksa" in page
    assert page.count("perlu diperiksa") == 1, "number, date and subject were read sure"


def test_the_original_opens_sandboxed_and_a_requests_file_is_not_reachable(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    [letter] = other_files(services)
    log_in(client, "kasi")
    original = client.get(f"/surat-lain/{letter['id']}?lihat=1")
    assert original.status_code == 200 and original.content.startswith(b"PK")
    assert original.headers["content-disposition"].startswith("attachment"), "a DOCX is no page"
    assert original.headers["content-security-policy"] == SANDBOX
    [request_file, *_] = files_of(services, 1)
    missing = client.get(f"/surat-lain/{request_file.id}")
    assert missing.status_code == 404
    assert f"Berkas {request_file.id} tidak ada di daftar surat lain." in missing.text
    assert client.get("/surat-lain/99999").status_code == 404
