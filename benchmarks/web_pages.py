"""Page timings of the web page as the office sees them, at 200 and 10,000 requests.

Fills a fresh SQLite workspace with realistic requests (register_data.py, bulk-loaded as in
register.py), starts a real `pipeline serve`, signs in with Debian's Chromium (Playwright) and
loads each page ten times. Prints the median of:
  server  — the HTTP answer to a GET with the session cookie (request sent → body read);
  browser — the navigation in Chromium (start → load event: HTML, CSS, JS, layout).

Usage: python -m benchmarks.web_pages [--rows 200 10000] [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from benchmarks.register import BATCH, _fill_sqlite
from benchmarks.register_data import batch
from pipeline.service.context import open_services
from pipeline.service.operations.users import add_user
from pipeline.service.operations.workspace import init_workspace
from pipeline.settings import load_settings

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "kata-sandi-uji"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[200, 10_000])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
            home = Path(tmp) / "kantor"
            _workspace(home, rows)
            _measure(home, rows, args.repeat)


def _workspace(home: Path, rows: int) -> None:
    os.environ.pop("PIPELINE_DB_URL", None)
    init_workspace(home)
    url = f"sqlite:///{home / 'register.db'}"
    now = datetime.now(UTC)
    _fill_sqlite(url, (batch(i, BATCH, rows, now) for i in range(-(-rows // BATCH))))
    services = open_services(load_settings(home))
    try:
        for role in ("sekretariat", "kadis"):
            add_user(services, role, role, PASSWORD)
    finally:
        services.close()


def _measure(home: Path, rows: int, repeat: int) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(url)
        middle = rows // 2
        pages = {
            "Tugas saya (sekretariat)": "/",
            "Register": "/register",
            "Register, cari 'kesehatan'": "/register?q=kesehatan",
            "Register, urut status": "/register?urut=status",
            "Permohonan": f"/permohonan/{middle}",
            "Dasbor": "/dasbor",
        }
        print(f"\n== {rows:,} requests (median of {repeat}, ms)")
        print(f"{'page':32} {'server':>8} {'browser':>8}")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
            for who in ("sekretariat", "kadis"):
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                _log_in(page, url, who)
                chosen = pages if who == "sekretariat" else {"Tugas saya (kadis)": "/"}
                for name, path in chosen.items():
                    server_ms, browser_ms = _time(page, url + path, repeat)
                    print(f"{name:32} {server_ms:8.0f} {browser_ms:8.0f}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("pipeline serve did not start")


def _log_in(page: Page, url: str, name: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Masuk')")
    page.wait_for_url(url + "/")


def _time(page: Page, address: str, repeat: int) -> tuple[float, float]:
    server, browser = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = page.request.get(address)
        answer.body()
        server.append((time.perf_counter() - started) * 1000)
        assert answer.status == 200, (address, answer.status)
        page.goto(address, wait_until="load")
        browser.append(
            float(page.evaluate("performance.getEntriesByType('navigation')[0].duration"))
        )
    return statistics.median(server), statistics.median(browser)


if __name__ == "__main__":
    main()
