"""Files handed out by the web page can never run as the official who opens them.

A Kepala Seksi once attached an SVG with a script; opened by the Kepala Dinas it rejected a
request in his name. Now an attachment is accepted only when its content is one of the kinds an
analysis needs, only PDF/PNG/JPEG (by content) are ever shown inline, and every file response
is sandboxed, typed strictly and kept out of caches. Checked in-process (TestClient) and in
Debian's Chromium against a real `pipeline serve`.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session

from pipeline.register.tables import ReceivedFile, now_utc
from pipeline.service.context import Services
from pipeline.service.paperwork.attachments import documents_of, files_of
from pipeline.service.queries.listing import show_request
from tests.test_web import act, build_office, log_in
from tests.test_web_browser import CHROMIUM, free_port, wait_until_serving

HOSTILE_SVG = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">
<script>
fetch('/permohonan/2').then(r => r.text()).then(page => {
  const token = page.match(/name="csrf_token" value="([^"]+)"/)[1];
  const form = new FormData();
  form.append('csrf_token', token);
  form.append('tindakan', 'reject');
  form.append('catatan', 'dari skrip');
  fetch('/permohonan/2/tindakan', {method: 'POST', body: form});
});
</script></svg>"""
HTML_AS_PDF = b"<html><body><script>alert(1)</script></body></html>"
SANDBOX = "sandbox; default-src 'none'"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    """Request #1 waits for the Kepala Seksi's analysis; #2 waits for the Kepala Dinas. An SVG
    with a script sits among #1's files, as one uploaded before the rules would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PIPELINE_DB_URL", raising=False)
        patch.setenv("PIPELINE_OCR__AKTIF", "false")
        home, services = build_office(tmp_path_factory.mktemp("files"))
        with TestClient(_app(home), follow_redirects=False) as client:
            for role, action in (("kadis", "accept"), ("kabid", "dispose")):
                log_in(client, role)
                assert act(client, 1, action) == 303
        _plant_legacy_file(home, services, "lama.svg", HOSTILE_SVG)
        yield home, services
        services.close()


def _app(home: Path):  # type: ignore[no-untyped-def]
    from pipeline.web import create_app

    return create_app(home)


def _plant_legacy_file(home: Path, services: Services, name: str, content: bytes) -> None:
    stored = home / "archive" / "lama" / name
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    with Session(services.engine) as session:
        session.add(
            ReceivedFile(
                sha256=hashlib.sha256(content).hexdigest(),
                original_name=name,
                archived_path=str(stored),
                size=len(content),
                media="lampiran",
                kind="lampiran",
                request_id=1,
                received_at=now_utc(),
            )
        )
        session.commit()


@pytest.fixture
def client(office: tuple[Path, Services]) -> Iterator[TestClient]:
    with TestClient(_app(office[0]), follow_redirects=False) as opened:
        yield opened


def _file_id(services: Services, name: str) -> int:
    [found] = [f for f in files_of(services, 1) if f.name == name]
    return found.id


def _pdf() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(out, format="PDF")
    return out.getvalue()


def test_an_attachment_that_is_not_a_kind_the_analysis_needs_is_refused(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    log_in(client, "kasi")
    before = len(files_of(services, 1))
    for name, content in (
        ("analisis.svg", HOSTILE_SVG),
        ("analisis.pdf", HTML_AS_PDF),  # the name lies; the content decides
        ("analisis.csv", HOSTILE_SVG),  # markup is no CSV
        ("program.exe", b"MZ\x90\x00" + bytes(64)),
    ):
        token = _token(client)
        refused = client.post(
            "/permohonan/1/tindakan",
            data={"csrf_token": token, "tindakan": "submit-analysis", "catatan": "x"},
            files={"lampiran": (name, content)},
        )
        assert refused.status_code == 400, name
        assert "tidak diterima" in refused.text and "Excel (.xlsx)" in refused.text, name
    assert len(files_of(services, 1)) == before
    assert show_request(services, 1)["status"] == "in_analysis"


def test_a_pdf_attachment_is_accepted_and_shown_inline_behind_a_sandbox(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    log_in(client, "kasi")
    data = {"csrf_token": _token(client), "tindakan": "submit-analysis", "catatan": "hasil"}
    done = client.post(
        "/permohonan/1/tindakan", data=data, files={"lampiran": ("analisis.pdf", _pdf())}
    )
    assert done.status_code == 303
    shown = client.get(f"/permohonan/1/berkas/{_file_id(services, 'analisis.pdf')}?lihat=1")
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")
    _assert_locked_down(shown.headers)


def test_a_hostile_file_already_in_the_register_is_only_ever_a_download(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    log_in(client, "kadis")
    file_id = _file_id(services, "lama.svg")
    for query in ("?lihat=1", ""):
        served = client.get(f"/permohonan/1/berkas/{file_id}{query}")
        assert served.status_code == 200
        assert served.headers["content-type"] == "application/octet-stream"
        assert served.headers["content-disposition"].startswith("attachment")
        _assert_locked_down(served.headers)
    page = client.get("/permohonan/1").text
    assert f"/berkas/{file_id}?lihat=1" not in page  # no preview frame for it


def test_every_original_and_document_response_is_sandboxed_and_uncached(
    client: TestClient, office: tuple[Path, Services]
):
    log_in(client, "sekretariat")
    for path in ("/permohonan/2/berkas/2?lihat=1", "/permohonan/2/berkas/2"):
        _assert_locked_down(client.get(path).headers)
    [document] = documents_of(office[1], 2)
    _assert_locked_down(client.get(f"/permohonan/2/dokumen/{document.id}").headers)


def _assert_locked_down(headers: object) -> None:
    assert isinstance(headers, dict) or hasattr(headers, "get")
    assert headers.get("content-security-policy") == SANDBOX  # type: ignore[attr-defined]
    assert headers.get("x-content-type-options") == "nosniff"  # type: ignore[attr-defined]
    assert headers.get("cache-control") == "no-store"  # type: ignore[attr-defined]


def _token(client: TestClient) -> str:
    from tests.test_web import csrf_of

    return csrf_of(client, "/permohonan/1")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")
def test_the_kadis_opening_a_hostile_svg_in_chromium_runs_no_script(
    office: tuple[Path, Services], tmp_path: Path
):
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    home, services = office
    events_before = len(show_request(services, 2)["events"])
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    posted: list[str] = []
    try:
        wait_until_serving(url, process, log)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True)
            page = browser.new_page(accept_downloads=True)
            page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)
            page.goto(url + "/login")
            page.fill("input[name=name]", "kadis")
            page.fill("input[name=password]", "kata-sandi-uji")
            page.click("button:has-text('Masuk')")
            page.wait_for_url(url + "/")
            target = f"{url}/permohonan/1/berkas/{_file_id(services, 'lama.svg')}?lihat=1"
            downloads: list[str] = []
            page.on("download", lambda d: downloads.append(d.suggested_filename))
            try:
                page.goto(target)
            except PlaywrightError as exc:  # Chromium reports a download as an aborted load
                assert "Download is starting" in str(exc)
            page.wait_for_timeout(2000)  # time for a script to post, had one run
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
    assert [u for u in posted if "/tindakan" in u] == []
    assert downloads == ["lama.svg"]
    after = show_request(services, 2)
    assert after["status"] == "awaiting_kadis"
    assert len(after["events"]) == events_before
