"""The web page's defences beyond roles and CSRF (issue 13, points 2–5), on a real SQLite
workspace: sessions that end on the server, logins that tell nobody which names exist and
cannot lock an official out from one machine, Indonesian answers to impossible addresses,
invisible direction marks kept off the page, private files, and HTTPS from `pipeline serve`."""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import os
import re
import socket
import sqlite3
import ssl
import stat
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.cli.app import app as cli_app
from pipeline.inbox import claim_copy
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.users import login_delay
from pipeline.service.queries.listing import show_request
from pipeline.web import create_app
from pipeline.web.secret import SECRET_NAME
from tests.factories import Submission, letter_docx
from tests.live_process import pipeline_command, pipeline_env, run_pipeline
from tests.pki import make_authority
from tests.test_web import PASSWORD, build_office, csrf_of, log_in

COOKIE = "pipeline_sesi"
SHOWN_TIME_RE = re.compile(r"\b\d{2}-\d{2}-\d{4} \d{2}:\d{2}\b")  # "05-12-2026 07:04" on a page
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"
SPOOFED = Submission(
    opd="Dinas Pariwisata",
    opd_caps="DINAS PARIWISATA",
    subdomain="wisata",
    nomor="556/12-Dispar/XI/2026",
    perihal="Permohonan Integrasi \u202eFDP.exe\u202c Aplikasi \u2066Wisata\u2069 \u200fBanten",
)
START_TIMEOUT = 60.0


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    """Two letters from build_office, plus #3: a DOCX letter whose subject carries
    right-to-left override and isolate marks (read as they are, as any DOCX would be)."""
    folder = tmp_path_factory.mktemp("aman")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PIPELINE_DB_URL", raising=False)
        patch.setenv("PIPELINE_OCR__AKTIF", "false")
        home, services = build_office(folder, roles=("admin", "sekretariat", "kadis"))
        letter = letter_docx(folder / "dispar.docx", SPOOFED)
        ingest_claim(services, claim_copy(letter, services.settings.work))
        yield home, services
        services.close()


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three wrong passwords lock a name for an hour (read when an app is made)."""
    monkeypatch.setenv("PIPELINE_WEB__MAKS_GAGAL_MASUK", "3")
    monkeypatch.setenv("PIPELINE_WEB__LAMA_KUNCI_MENIT", "60")


def browser_at(home: Path, address: str, **options: bool) -> TestClient:
    return TestClient(create_app(home), follow_redirects=False, client=(address, 40000), **options)


def form_token(client: httpx.Client, path: str = "/login") -> str:
    """The CSRF token of a page's form (the TestClient is an httpx client too)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def try_login(client: httpx.Client, name: str, password: str) -> httpx.Response:
    token = form_token(client)
    form = {"csrf_token": token, "name": name, "password": password, "next": "/"}
    return client.post("/login", data=form)


def cli(home: Path, *args: str) -> None:
    done = CliRunner().invoke(cli_app, ["--home", str(home), *args])
    assert done.exit_code == 0, done.output


def session_in(cookie: str) -> dict[str, object]:
    """What the signed cookie carries (itsdangerous: base64 JSON . timestamp . signature)."""
    payload = cookie.rsplit(".", 2)[0]
    data: dict[str, object] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return data


# --- 3. Signing out, disabling and a new password end the session on the server -----------


def test_an_old_cookie_is_refused_after_signing_out(office: tuple[Path, Services]) -> None:
    with browser_at(office[0], "10.0.3.1") as client:
        log_in(client, "sekretariat")
        kept = client.cookies[COOKIE]
        assert client.get("/").status_code == 200
        signed_out = client.post("/logout", data={"csrf_token": csrf_of(client, "/")})
        assert signed_out.status_code == 303 and signed_out.headers["location"] == "/login"
        client.cookies.set(COOKIE, kept)  # someone copied it before Keluar
        refused = client.get("/permohonan/1")
        assert refused.status_code == 303 and refused.headers["location"].startswith("/login")
        assert client.get("/").status_code == 303
        log_in(client, "sekretariat")
        assert client.get("/").status_code == 200, "signing in again works"


def test_disable_then_enable_brings_no_old_session_back(office: tuple[Path, Services]) -> None:
    home = office[0]
    with browser_at(home, "10.0.3.2") as client:
        log_in(client, "kadis")
        kept = client.cookies[COOKIE]
        cli(home, "user", "disable", "kadis")
        assert client.get("/").status_code == 303, "a disabled account kept its session"
        cli(home, "user", "enable", "kadis")
        client.cookies.set(COOKIE, kept)
        assert client.get("/").status_code == 303, "the session came back after enable"
        log_in(client, "kadis")
        assert client.get("/").status_code == 200


def test_a_new_password_refuses_a_copied_cookie(office: tuple[Path, Services]) -> None:
    home = office[0]
    with browser_at(home, "10.0.3.3") as client, browser_at(home, "10.0.3.4") as other:
        log_in(client, "admin")
        log_in(other, "admin")  # the same account on a second computer
        kept = client.cookies[COOKIE]
        done = CliRunner().invoke(
            cli_app,
            ["--home", str(home), "user", "passwd", "admin", "--password-stdin"],
            input=PASSWORD + "\n",  # even the same password again ends every session
        )
        assert done.exit_code == 0, done.output
        client.cookies.set(COOKIE, kept)
        assert client.get("/").status_code == 303
        assert other.get("/").status_code == 303
        log_in(client, "admin")
        assert client.get("/").status_code == 200


def test_the_register_keeps_only_a_hash_of_each_session(office: tuple[Path, Services]) -> None:
    with browser_at(office[0], "10.0.3.5") as client:
        log_in(client, "sekretariat")
        token = session_in(client.cookies[COOKIE])["sid"]
        assert isinstance(token, str) and len(token) >= 40
        with sqlite3.connect(office[0] / "register.db") as db:
            stored = {row[0] for row in db.execute("SELECT token_hash FROM web_sessions")}
        assert hashlib.sha256(token.encode()).hexdigest() in stored
        assert token not in stored


# --- 4. No account enumeration, and no lockout of an official from somebody else's machine --


def _answer(response: httpx.Response, name: str) -> str:
    """The page as a person sees it, without the name they typed, the form's token and the
    minute a lock ends (a clock reading: `_lock_ends` compares those)."""
    text = SHOWN_TIME_RE.sub("WAKTU", response.text.replace(name, "NAMA"))
    return "\n".join(line for line in text.splitlines() if "csrf_token" not in line)


def _lock_ends(response: httpx.Response) -> list[datetime]:
    return [datetime.strptime(t, "%d-%m-%Y %H:%M") for t in SHOWN_TIME_RE.findall(response.text)]


def test_unknown_names_get_the_same_answers_and_lockout_as_real_ones(
    office: tuple[Path, Services], policy: None
) -> None:
    with browser_at(office[0], "10.0.4.1") as client:
        answers: dict[str, list[tuple[int, str]]] = {}
        ends: dict[str, list[datetime]] = {}
        for name in ("kadis", "kepaladinas"):  # a real account, and a name nobody has
            tries = [try_login(client, name, "bukan-sandinya") for _ in range(3)]
            tries.append(try_login(client, name, PASSWORD))
            answers[name] = [(r.status_code, _answer(r, name)) for r in tries]
            ends[name] = _lock_ends(tries[3])
        assert [code for code, _ in answers["kadis"]] == [401, 401, 401, 429]
        assert answers["kadis"] == answers["kepaladinas"]
        assert "dikunci" in answers["kepaladinas"][3][1]
        # The same lock: both end a few seconds apart (the same minute, or the next one).
        (real,), (unknown,) = ends["kadis"], ends["kepaladinas"]
        assert timedelta(0) <= unknown - real <= timedelta(minutes=1)


def test_a_stranger_locks_the_kadis_out_of_his_own_machine_only(
    office: tuple[Path, Services], policy: None
) -> None:
    home = office[0]
    with browser_at(home, "10.0.4.66") as stranger, browser_at(home, "10.0.4.10") as kadis:
        assert [try_login(stranger, "kadis", "tebak-tebak").status_code for _ in range(3)] == [
            401
        ] * 3
        assert try_login(stranger, "kadis", PASSWORD).status_code == 429
        assert try_login(kadis, "kadis", PASSWORD).status_code == 303, "locked out everywhere"
        assert kadis.get("/").status_code == 200
        listed = CliRunner().invoke(cli_app, ["--home", str(home), "user", "list", "--json"])
        rows = {row["nama"]: row for row in json.loads(listed.output)}
        assert rows["kadis"]["terkunci_sampai"] is not None, "the admin sees the lock"
        cli(home, "user", "enable", "kadis")
        stranger.cookies.clear()
        assert try_login(stranger, "kadis", PASSWORD).status_code == 303, "enable lifts it"


def test_guessing_from_one_machine_slows_down_across_names(
    office: tuple[Path, Services], policy: None
) -> None:
    with browser_at(office[0], "10.0.4.99") as guesser:
        services = guesser.app.state.services  # with the policy above
        for name in ("kadis", "admin", "sekretariat"):  # one guess per name: no name locks
            assert try_login(guesser, name, "tebakan-1").status_code == 401
        assert login_delay(services, "10.0.4.99") == pytest.approx(0.1)
        for attempt, name in enumerate(("budi", "sari", "eko", "dewi")):
            started = time.monotonic()
            assert try_login(guesser, name, "tebakan-2").status_code == 401
            assert time.monotonic() - started >= 0.1 * 2**attempt
        assert login_delay(services, "10.0.4.99") == pytest.approx(1.6)
        assert login_delay(services, "10.0.4.100") == 0.0, "other machines do not wait"
    with browser_at(office[0], "10.0.4.100") as other:
        started = time.monotonic()
        assert try_login(other, "sekretariat", PASSWORD).status_code == 303
        assert time.monotonic() - started < 1.6


# --- 5. Impossible addresses, unexpected errors, direction marks, private files ------------

OUT_OF_RANGE = (
    "/permohonan/9223372036854775808",
    "/permohonan/99999999999999999999999999",
    "/permohonan/-1",
    "/permohonan/0",
    "/permohonan/satu",
    "/permohonan/9223372036854775807",  # the largest id there can be: simply not there
    "/permohonan/1/berkas/9223372036854775808",
    "/permohonan/1/berkas/-5",
    "/permohonan/9223372036854775808/berkas/1",
    "/permohonan/1/dokumen/18446744073709551616",
    "/permohonan/1/dokumen/-1",
)


def test_impossible_ids_get_the_indonesian_not_found_page(office: tuple[Path, Services]) -> None:
    with browser_at(office[0], "10.0.5.1", raise_server_exceptions=False) as client:
        log_in(client, "sekretariat")
        for path in OUT_OF_RANGE:
            answer = client.get(path)
            assert answer.status_code == 404, path
            assert answer.headers["content-type"].startswith("text/html"), path
            assert '<html lang="id">' in answer.text and "Not Found" not in answer.text, path
            if "9223372036854775807" not in path:  # that one could exist: the usual 404
                assert "Halaman tidak ditemukan" in answer.text, path
        token = csrf_of(client, "/")
        posted = client.post(
            "/permohonan/9223372036854775808/koreksi",
            data={"csrf_token": token, "field": "perihal", "value": "x"},
        )
        assert posted.status_code == 404 and "Halaman tidak ditemukan" in posted.text
        wrong_method = client.get("/logout")
        assert wrong_method.status_code == 405 and "Method Not Allowed" not in wrong_method.text
        assert "tidak menerima" in wrong_method.text


def test_an_unexpected_error_gets_an_indonesian_page(tmp_path: Path) -> None:
    """A damaged register (its requests table gone) is a real server-side failure."""
    home = tmp_path / "kantor"
    cli(home, "init", str(home))
    done = CliRunner().invoke(
        cli_app,
        ["--home", str(home), "user", "add", "sari", "--role", "sekretariat", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert done.exit_code == 0, done.output
    with browser_at(home, "10.0.5.2", raise_server_exceptions=False) as client:
        log_in(client, "sari")
        with sqlite3.connect(home / "register.db") as db:
            db.execute("ALTER TABLE requests RENAME TO requests_rusak")
        broken = client.get("/")
    assert broken.status_code == 500
    assert "Terjadi kesalahan di server" in broken.text
    assert "Internal Server Error" not in broken.text
    assert broken.headers["content-type"].startswith("text/html")


def test_direction_marks_from_a_letter_never_reach_the_page(
    office: tuple[Path, Services],
) -> None:
    stored = show_request(office[1], 3)["perihal"]
    assert "\u202e" in stored and "\u2066" in stored, "the DOCX reader kept the marks"
    with browser_at(office[0], "10.0.5.3") as client:
        log_in(client, "kadis")
        pages = {
            "register": client.get("/"),
            "search": client.get("/", params={"q": "Wisata"}),
            "request": client.get("/permohonan/3"),
        }
    for name, shown in pages.items():
        assert shown.status_code == 200, name
        assert "Permohonan Integrasi FDP.exe Aplikasi Wisata Banten" in shown.text, name
        assert not set(BIDI) & set(shown.text), f"a direction mark is on the {name} page"


def test_the_register_and_the_workspace_secrets_are_private(tmp_path: Path) -> None:
    previous = os.umask(0o022)  # a usual desktop umask: new files readable by everyone
    try:
        home = tmp_path / "kantor"
        cli(home, "init", str(home))
        with TestClient(create_app(home)) as client:
            assert client.get("/login").status_code == 200
            files = [home / "register.db", home / "pipeline.toml", home / SECRET_NAME]
            files += [p for p in home.glob("register.db-*")]  # -wal, -shm while open
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
    finally:
        os.umask(previous)
    assert "register.db-wal" in modes
    assert modes == {name: 0o600 for name in modes}


# --- 2. HTTPS from `pipeline serve`, and the warning for plain HTTP on the network ----------


def office_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A test office CA and a server certificate for 127.0.0.1 and localhost, as the README
    has the office make one: (CA certificate, server certificate, server key), PEM."""
    authority = make_authority("CA Kantor Uji")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "register.uji")]))
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [
                    x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                    x509.DNSName("localhost"),
                ]
            ),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(authority.key, hashes.SHA256())
    )
    ca = folder / "ca-kantor.pem"
    ca.write_bytes(authority.certificate.public_bytes(serialization.Encoding.PEM))
    cert = folder / "register.crt"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private = folder / "register.key"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca, cert, private


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_serve(home: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """`pipeline serve ARGS…`; three wrong passwords lock a name (for an hour)."""
    policy = {"WEB__MAKS_GAGAL_MASUK": "3", "WEB__LAMA_KUNCI_MENIT": "60"}
    with log.open("wb") as out:
        return subprocess.Popen(
            pipeline_command(home, "serve", *args),
            env=pipeline_env(home, policy),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(
    url: str, process: subprocess.Popen[bytes], log: Path, verify: ssl.SSLContext | bool
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pipeline serve stopped:\n{log.read_text()}")
        try:
            if httpx.get(url + "/login", verify=verify, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError(f"pipeline serve did not answer:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def test_serve_over_https_marks_the_session_cookie_secure(
    office: tuple[Path, Services], tmp_path: Path
) -> None:
    ca, cert, key = office_certificate(tmp_path)
    trusted = ssl.create_default_context(cafile=str(ca))
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(
        office[0], log, "--host", "0.0.0.0", "--port", str(port), "--certfile", str(cert),
        "--keyfile", str(key),
    )  # fmt: skip
    try:
        url = f"https://127.0.0.1:{port}"
        wait_for(url, process, log, trusted)
        with httpx.Client(base_url=url, verify=trusted, follow_redirects=False) as browser:
            form = {
                "csrf_token": form_token(browser),
                "name": "sekretariat",
                "password": PASSWORD,
                "next": "/",
            }
            signed_in = browser.post("/login", data=form)
            assert signed_in.status_code == 303
            cookie = signed_in.headers["set-cookie"].lower()
            assert cookie.startswith(COOKIE + "=") and "; secure" in cookie and "httponly" in cookie
            assert browser.get("/").status_code == 200
        with pytest.raises(httpx.HTTPError):
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=5)  # no plain HTTP beside it
    finally:
        stop(process)
    printed = log.read_text()
    assert f"https://0.0.0.0:{port}/" in printed
    assert "PERINGATAN" not in printed


def _login_from(proxy: httpx.Client, name: str, password: str, address: str) -> httpx.Response:
    """A login as a proxy passes it on for a visitor at `address` who reached it by HTTPS
    (the cookie is sent by hand: httpx rightly keeps a Secure cookie off plain HTTP)."""
    proxy.cookies.clear()
    headers = {"X-Forwarded-For": address, "X-Forwarded-Proto": "https"}
    blank = proxy.get("/login", headers=headers)
    token = re.search(r'name="csrf_token" value="([^"]+)"', blank.text)
    assert token
    headers["Cookie"] = blank.headers["set-cookie"].split(";", 1)[0]
    form = {"csrf_token": token.group(1), "name": name, "password": password}
    proxy.cookies.clear()
    return proxy.post("/login", data=form, headers=headers)


def test_serve_on_the_network_without_tls_warns_and_trusts_no_forwarded_address(
    office: tuple[Path, Services], tmp_path: Path
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(office[0], log, "--host", "0.0.0.0", "--port", str(port))
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url, process, log, True)
        with httpx.Client(base_url=url, follow_redirects=False) as browser:
            form = {"csrf_token": form_token(browser), "name": "kadis", "password": PASSWORD}
            cookie = browser.post("/login", data=form).headers["set-cookie"].lower()
            assert "secure" not in cookie, "a Secure cookie would never come back over HTTP"
            browser.cookies.clear()
            # Claiming a new address for every guess does not get round the lock.
            tries = [
                _login_from(browser, "tamu", "tebak", f"10.7.0.{i}").status_code for i in range(4)
            ]
            assert tries == [401, 401, 401, 429]
    finally:
        stop(process)
    printed = log.read_text()
    assert "PERINGATAN" in printed and "tanpa HTTPS" in printed and "--certfile" in printed


def test_behind_a_proxy_each_visitor_has_his_own_address_and_a_secure_cookie(
    office: tuple[Path, Services], tmp_path: Path
) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    process = start_serve(office[0], log, "--port", str(port), "--proxy", "127.0.0.1")
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url, process, log, True)
        with httpx.Client(base_url=url, follow_redirects=False) as proxy:
            tries = [
                _login_from(proxy, "kadis", "tebak", "10.8.0.66").status_code for _ in range(4)
            ]
            assert tries == [401, 401, 401, 429], "the guesser's own address is locked"
            signed_in = _login_from(proxy, "kadis", PASSWORD, "10.8.0.10")
            assert signed_in.status_code == 303, "the Kadis at his own computer gets in"
            assert "; secure" in signed_in.headers["set-cookie"].lower()
    finally:
        stop(process)
    assert "PERINGATAN" not in log.read_text()


def test_serve_refuses_a_certificate_it_cannot_use_in_indonesian(
    office: tuple[Path, Services], tmp_path: Path
) -> None:
    _, cert, _ = office_certificate(tmp_path)
    (tmp_path / "lain").mkdir()
    other_key = office_certificate(tmp_path / "lain")[2]  # the key of another certificate
    mismatched = run_pipeline(
        office[0], "serve", "--certfile", str(cert), "--keyfile", str(other_key), timeout=60
    )
    assert mismatched.returncode == 7, mismatched.stderr
    assert "tidak dapat dipakai" in mismatched.stderr and "Traceback" not in mismatched.stderr
    missing = run_pipeline(office[0], "serve", "--certfile", str(tmp_path / "tidak-ada.pem"))
    assert missing.returncode == 7 and "tidak ditemukan" in missing.stderr
