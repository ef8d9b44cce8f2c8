"""Acceptance: a clerk and the officials use the web page in a real browser (Debian's Chromium
driven by Playwright) against a real `pipeline serve` process on a workspace with ingested PDFs.

Screenshots of the register table and a request page are saved in tests/artifacts/.
"""

from __future__ import annotations

import io
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from pipeline.service.context import Services
from pipeline.service.queries import show_request
from tests.test_web import PASSWORD, build_office
from tests.test_web_security import office_certificate, start_serve, wait_for

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
START_TIMEOUT = 60.0

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pipeline serve stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"pipeline serve did not answer in {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PIPELINE_DB_URL", raising=False)
        patch.setenv("PIPELINE_OCR__ENABLED", "false")
        home, services = build_office(
            tmp_path_factory.mktemp("browser"), roles=("sekretariat", "kadis", "kasi")
        )
        yield home, services
        services.close()


@pytest.fixture(scope="module")
def server(
    office: tuple[Path, Services], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    home = office[0]
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


def log_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Masuk')")
    page.wait_for_url(url + "/")


def test_clerk_finds_previews_and_downloads_then_the_kadis_accepts(
    server: str, browser: Browser, office: tuple[Path, Services], tmp_path: Path
):
    services = office[1]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    page = context.new_page()

    for path in ("/", "/dasbor", "/permohonan/2", "/permohonan/2/dokumen/1"):
        page.goto(server + path)
        assert "/login?next=" in page.url, path
        assert page.locator("h1").inner_text() == "Masuk"

    log_in(page, server, "sekretariat")
    page.fill("input[name=opd]", "sosial")
    page.click("button:has-text('Tampilkan')")
    rows = page.locator("table.register tbody tr")
    assert rows.count() == 1 and "Dinas Sosial" in rows.first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "register.png"), full_page=True)

    rows.first.locator("a").click()
    page.wait_for_url(server + "/permohonan/2")
    assert "Menunggu Kepala Dinas" in page.locator("h1").inner_text()
    preview = page.locator("iframe.preview")
    assert preview.count() == 1
    source = server + str(preview.first.get_attribute("src"))
    assert any(frame.url == source for frame in page.frames)
    pdf = page.request.get(source)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    page.screenshot(path=str(ARTIFACTS / "permohonan.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("a:has-text('Lembar disposisi Kepala Dinas')")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    [sheet] = show_request(services, 2)["documents"]
    assert saved.name == "lembar-disposisi-kadis.docx"
    assert saved.read_bytes() == Path(sheet["path"]).read_bytes()
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as docx:
        assert "Dinas Sosial" in docx.read("word/document.xml").decode("utf-8")
    print(f"\nscreenshots: {ARTIFACTS / 'register.png'}, {ARTIFACTS / 'permohonan.png'}")

    page.click("button:has-text('Keluar')")
    log_in(page, server, "kasi")
    page.goto(server + "/permohonan/2")
    assert page.locator("button[value=accept]").count() == 0
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = page.request.post(
        server + "/permohonan/2/tindakan", form={"csrf_token": str(token), "tindakan": "accept"}
    )
    assert refused.status == 403 and "tidak berwenang" in refused.text()

    page.click("button:has-text('Keluar')")
    log_in(page, server, "kadis")
    page.goto(server + "/permohonan/2")
    page.evaluate("document.querySelector('.actions input[name=csrf_token]').remove()")
    page.click("button[value=accept]")
    assert "token keamanan formulir (CSRF)" in page.locator(".message").inner_text()
    assert show_request(services, 2)["status"] == "awaiting_kadis"

    page.goto(server + "/permohonan/2")
    page.fill("input[name=catatan]", "Segera ditindaklanjuti")
    page.click("button[value=accept]")
    page.wait_for_url(server + "/permohonan/2#riwayat")
    assert "Menunggu Kepala Bidang" in page.locator("h1").inner_text()
    timeline = page.locator("ol.timeline").inner_text()
    assert "diterima Kepala Dinas — kadis (Kepala Dinas)" in timeline
    assert "Segera ditindaklanjuti" in timeline
    assert show_request(services, 2)["status"] == "awaiting_kabid"
    page.goto(server + "/dasbor")
    assert page.locator("svg.chart rect.bar").count() == 12
    page.screenshot(path=str(ARTIFACTS / "dasbor.png"), full_page=True)
    context.close()


@pytest.fixture(scope="module")
def https_server(
    office: tuple[Path, Services], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """`pipeline serve --certfile --keyfile` with a test office certificate for 127.0.0.1."""
    folder = tmp_path_factory.mktemp("tls")
    ca, cert, key = office_certificate(folder)
    port, log = free_port(), folder / "serve.log"
    process = start_serve(
        office[0], log, "--port", str(port), "--certfile", str(cert), "--keyfile", str(key)
    )
    url = f"https://127.0.0.1:{port}"
    try:
        wait_for(url, process, log, ssl.create_default_context(cafile=str(ca)))
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_over_https_the_cookie_is_secure_and_dies_with_keluar(
    https_server: str, browser: Browser
) -> None:
    """An official signs in over HTTPS, signs out; the cookie someone kept opens nothing."""
    context = browser.new_context(ignore_https_errors=True, locale="id-ID")
    page = context.new_page()
    log_in(page, https_server, "kadis")
    [cookie] = [c for c in context.cookies() if c["name"] == "pipeline_sesi"]
    assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    page.goto(https_server + "/permohonan/1")
    assert page.locator("h1").inner_text() != "Masuk"
    page.click("button:has-text('Keluar')")
    page.wait_for_url(https_server + "/login")
    context.add_cookies([cookie])  # the cookie as it was before Keluar
    page.goto(https_server + "/permohonan/1")
    assert "/login?next=" in page.url
    assert page.locator("h1").inner_text() == "Masuk"
    context.close()
