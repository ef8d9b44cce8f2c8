"""Letters that are no request (*surat lain*) on the web page: a clerk sees each one's number,
date, sender and subject, which of them to check, and opens the original; confirms a flagged
value or corrects one, and the page says who did; a request's file is not reachable through
this page."""

from __future__ import annotations

import sqlite3
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
from tests.test_web import csrf_of, log_in, offline_office
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
    marks = client.get("/surat-lain").text.count('class="review-mark"')
    assert marks == 1, "number, date and subject were read sure"
    assert "1 surat lain berisi nilai yang perlu diperiksa." in visible(landing)
    to_check = visible(client.get("/surat-lain?periksa=1").text)
    assert "undangan dinkes jepara" in to_check and "Tampilkan semua" in to_check
    for found in ("dinkes", "KESEHATAN rapat", "005/123"):  # file name, sender + subject, number
        assert "undangan dinkes jepara" in visible(client.get(f"/surat-lain?q={found}").text)
    missing = visible(client.get("/surat-lain?q=bupati").text)
    assert "Tidak ada surat lain yang cocok dengan pencarian." in missing


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


def test_a_clerk_confirms_a_flagged_sender_corrects_a_number_and_the_page_says_who(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    [letter] = other_files(services)
    assert letter["needs_review"] == ["opd"]
    base = f"/surat-lain/{letter['id']}"
    log_in(client, "kadis")
    token = csrf_of(client, "/surat-lain")
    page = visible(client.get("/surat-lain").text)
    assert "Koreksi" not in page and "Benar" not in page, "only the secretariat checks values"
    refused = client.post(f"{base}/konfirmasi", data={"csrf_token": token, "field": "opd"})
    assert refused.status_code == 403
    log_in(client, "sekretariat")
    token = csrf_of(client, "/surat-lain")
    queue = client.get('/surat-lain?periksa=1&q=dinkes"><').text
    assert '<input type="hidden" name="q" value="dinkes&#34;&gt;&lt;">' in queue, "escaped"
    assert '<input type="hidden" name="periksa" value="1">' in queue
    kept = {"csrf_token": token, "field": "opd", "periksa": "1", "q": "dinkes jepara"}
    confirmed = client.post(f"{base}/konfirmasi", data=kept)
    assert confirmed.status_code == 303, "back to the queue and the search the clerk was in"
    where = f"/surat-lain?periksa=1&q=dinkes+jepara#berkas-{letter['id']}"
    assert confirmed.headers["location"] == where
    fix = {"csrf_token": token, "field": "nomor_surat", "value": " 005/124/2020 "}
    assert client.post(f"{base}/koreksi", data=fix).status_code == 303
    page = visible(client.get("/surat-lain").text)
    assert 'class="review-mark"' not in client.get("/surat-lain").text, "the queue is empty"
    assert "surat lain berisi" not in visible(client.get("/").text)
    empty = visible(client.get("/surat-lain?periksa=1").text)
    assert "Tidak ada surat lain yang perlu diperiksa." in empty
    assert "005/124/2020" in page and "005/123/2020" not in page
    assert "diisi petugas sekretariat (Sekretariat)" in page  # the number
    assert "dikonfirmasi benar oleh sekretariat (Sekretariat)" in page  # the sender
    [row] = other_files(services)
    assert row["nomor_surat"] == "005/124/2020" and row["opd"] == letter["opd"]
    notes = _history_of(office[0], letter["id"])
    assert notes == [
        (
            "konfirmasi",
            "sekretariat (Sekretariat)",
            f"OPD '{letter['opd']}' sudah diperiksa dan benar.",
        ),
        ("koreksi", "sekretariat (Sekretariat)", "Nomor surat: '005/123/2020' → '005/124/2020'"),
    ]


def test_a_wrong_date_a_request_field_or_a_requests_file_is_refused_in_indonesian(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    [letter] = other_files(services)
    log_in(client, "sekretariat")
    token = csrf_of(client, "/surat-lain")
    base = f"/surat-lain/{letter['id']}/koreksi"
    bad_date = client.post(
        base, data={"csrf_token": token, "field": "tanggal_surat", "value": "31-02-2020"}
    )
    assert bad_date.status_code == 400 and "Tanggal '31-02-2020' tidak sah." in visible(
        bad_date.text
    )
    dated = client.post(
        base, data={"csrf_token": token, "field": "tanggal_surat", "value": "07-01-2020"}
    )
    assert dated.status_code == 303 and "7 Januari 2020" in client.get("/surat-lain").text
    not_header = client.post(base, data={"csrf_token": token, "field": "subdomain", "value": "x"})
    assert (
        not_header.status_code == 400 and "tidak bisa dikoreksi pada surat lain" in not_header.text
    )
    [request_file, *_] = files_of(services, 1)
    elsewhere = {"csrf_token": token, "field": "perihal", "value": "Lain"}
    missing = client.post(f"/surat-lain/{request_file.id}/koreksi", data=elsewhere)
    assert missing.status_code == 404
    assert f"Berkas {request_file.id} tidak ada di daftar surat lain." in missing.text
    no_token = client.post(base, data={"field": "perihal", "value": "Lain"})
    assert no_token.status_code == 403


def _history_of(home: Path, file_id: int) -> list[tuple[str, str, str]]:
    with sqlite3.connect(home / "register.db") as db:
        rows = db.execute(
            "SELECT action, who, note FROM events"
            " WHERE file_id = ? AND action IN ('koreksi', 'konfirmasi') ORDER BY id",
            (file_id,),
        ).fetchall()
    return [(str(a), str(w), str(n)) for a, w, n in rows]
