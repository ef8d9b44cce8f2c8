"""Structured logs: the watcher, the web page and the commands write one JSON line per event to
log/pipeline.jsonl, and no traceback reaches a clerk's screen."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import Submission, letter_pdf
from tests.live_process import pipeline_command, pipeline_env, run_pipeline

LOG = Path("log") / "pipeline.jsonl"
# A bug that cannot be caused from outside: the register query raises for this one run.
BUGGY_LIST = """
import sys
import pipeline.service.queries.listing as queries
def broken(*args, **kwargs):
    raise RuntimeError("kolom hilang")
queries.list_requests = broken
from pipeline.cli.app import main
sys.argv = ["pipeline", "register", "list"]
main()
"""


def entries(home: Path) -> list[dict[str, Any]]:
    path = home / LOG
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    assert run_pipeline(folder, "init", str(folder)).returncode == 0
    return folder


def test_a_bug_shows_one_indonesian_line_and_its_traceback_goes_to_the_log(home: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", BUGGY_LIST],
        env=pipeline_env(home),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 15, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("Galat: Perintah gagal: kesalahan tak terduga (RuntimeError).")
    assert str(home.resolve() / LOG) in line
    (logged,) = [e for e in entries(home) if e["event"] == "error.unexpected"]
    assert logged["component"] == "cli" and logged["level"] == "error"
    assert "kolom hilang" in logged["traceback"] and "Traceback" in logged["traceback"]


def test_the_watcher_logs_each_file_with_its_request(home: Path, tmp_path: Path) -> None:
    letter_pdf(home / "inbox" / "surat.pdf", Submission())
    (home / "inbox" / "kosong.pdf").write_bytes(b"")
    done = run_pipeline(home, "watch", "--once")
    assert "Traceback" not in done.stdout + done.stderr
    by_file = {e["file"]: e for e in entries(home) if e["event"].startswith("file.")}
    registered, failed = by_file["surat.pdf"], by_file["kosong.pdf"]
    assert registered["event"] == "file.registered" and registered["request_id"] == 1
    assert registered["component"] == "watcher" and registered["ts"].endswith("+00:00")
    assert failed["event"] == "file.failed" and failed["level"] == "warning"
    assert "kosong" in failed["message"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_web_page_logs_each_change_asked_of_it(home: Path, tmp_path: Path) -> None:
    port = free_port()
    out = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        pipeline_command(home, "serve", "--port", str(port)),
        env=pipeline_env(home),
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    try:
        status = _post_login(port)
    finally:
        server.terminate()
        server.wait(timeout=30)
        out.close()
    (logged,) = [e for e in entries(home) if e["event"] == "web.request"]
    assert logged["component"] == "web" and logged["path"] == "/login"
    assert logged["method"] == "POST" and logged["status"] == status


def _post_login(port: int) -> int:
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = httpx.post(
                f"http://127.0.0.1:{port}/login", data={"name": "x", "password": "y"}
            )
            return answer.status_code
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
