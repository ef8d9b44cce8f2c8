"""The web page's security rules, in-process (FastAPI TestClient) on a real SQLite workspace:
sessions, CSRF, the role matrix, audited corrections, downloads only by register id."""

from __future__ import annotations

import io
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from typer.testing import CliRunner

from pipeline.cli.app import app as cli_app
from pipeline.inbox import claim_copy
from pipeline.register.tables import now_utc
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.users import ROLES, add_user
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.paperwork.attachments import files_of
from pipeline.service.queries.dashboard import dashboard
from pipeline.service.queries.listing import show_request
from pipeline.service.steps.advance import advance
from pipeline.settings import load_settings
from pipeline.web import create_app, pages_register
from pipeline.web.roles import ACTIONS_BY_ROLE
from pipeline.web.secret import SECRET_NAME
from pipeline.workflow import ACTIONS
from tests.factories import Submission, letter_pdf

PASSWORD = "kata-sandi-uji"
DINSOS = Submission(
    opd="Dinas Sosial",
    opd_caps="DINAS SOSIAL",
    subdomain="sibansos",
    nomor="460/77-Dinsos/XI/2026",
)


def build_office(folder: Path, roles: tuple[str, ...] = tuple(ROLES)) -> tuple[Path, Services]:
    """A SQLite workspace with two complete requests (Dinkes #1, Dinsos #2), ingested from
    real PDFs, and one account per role, each named after its role (password PASSWORD)."""
    home = folder / "kantor"
    init_workspace(home)
    services = open_services(load_settings(home))
    for name, submission in (("dinkes.pdf", Submission()), ("dinsos.pdf", DINSOS)):
        source = letter_pdf(folder / name, submission, with_form=True)
        ingest_claim(services, claim_copy(source, services.settings.work))
    for role in roles:
        add_user(services, role, role, PASSWORD)
    return home, services


@contextmanager
def offline_office(folder: Path, **env: str) -> Iterator[tuple[Path, Services]]:
    """build_office on the embedded SQLite register, OCR off, with `env` set meanwhile."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PIPELINE_DB_URL", raising=False)
        patch.setenv("PIPELINE_OCR__AKTIF", "false")
        for name, value in env.items():
            patch.setenv(name, value)
        home, services = build_office(folder)
        try:
            yield home, services
        finally:
            services.close()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    """Shared by the module: only the role-matrix test moves request #1 along; the others
    leave the workflow where it is."""
    with offline_office(tmp_path_factory.mktemp("web")) as opened:
        yield opened


def csrf_of(client: TestClient, path: str = "/login") -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def log_in(client: TestClient, name: str) -> None:
    client.cookies.clear()
    token = csrf_of(client)
    done = client.post(
        "/login", data={"csrf_token": token, "name": name, "password": PASSWORD, "next": "/"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/"


def act(client: TestClient, request_id: int, action: str, **files: tuple[str, bytes]) -> int:
    token = csrf_of(client, f"/permohonan/{request_id}")
    data = {"csrf_token": token, "tindakan": action, "catatan": f"uji {action}"}
    return client.post(f"/permohonan/{request_id}/tindakan", data=data, files=files).status_code


def test_without_a_session_every_page_sends_to_login(client: TestClient):
    for path in (
        "/",
        "/dasbor",
        "/permohonan/1",
        "/permohonan/1/berkas/1",
        "/permohonan/1/dokumen/1",
        "/surat-lain",
        "/surat-lain/1",
    ):
        answer = client.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")
    post = client.post("/permohonan/1/tindakan", data={"tindakan": "accept"})
    assert post.status_code in (303, 403)
    assert client.get("/login").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_wrong_password_and_foreign_next_are_refused(client: TestClient):
    token = csrf_of(client)
    wrong = client.post("/login", data={"csrf_token": token, "name": "kadis", "password": "x"})
    assert wrong.status_code == 401 and "salah" in wrong.text
    assert client.get("/").status_code == 303
    done = client.post(
        "/login",
        data={"csrf_token": token, "name": "kadis", "password": PASSWORD, "next": "//evil.test/"},
    )
    assert done.headers["location"] == "/"


def test_forms_without_or_with_a_wrong_csrf_token_are_refused(
    client: TestClient, office: tuple[Path, Services]
):
    no_token = client.post("/login", data={"name": "kadis", "password": PASSWORD})
    assert no_token.status_code == 403 and "CSRF" in no_token.text
    log_in(client, "kadis")
    for data in ({"tindakan": "accept"}, {"tindakan": "accept", "csrf_token": "palsu"}):
        refused = client.post("/permohonan/2/tindakan", data=data)
        assert refused.status_code == 403
        assert "token keamanan formulir" in refused.text
    assert show_request(office[1], 2)["status"] == "awaiting_kadis"


def test_only_the_role_that_may_act_can_act(client: TestClient, office: tuple[Path, Services]):
    services = office[1]
    for role in ROLES:
        log_in(client, role)
        page = client.get("/permohonan/1").text
        for action in ACTIONS:
            if action not in ACTIONS_BY_ROLE.get(role, ()):
                assert act(client, 1, action) == 403, (role, action)
                assert f'value="{action}"' not in page, (role, action)
    assert show_request(services, 1)["status"] == "awaiting_kadis"
    log_in(client, "kadis")
    assert 'value="accept"' in client.get("/permohonan/1").text
    assert act(client, 1, "accept") == 303
    log_in(client, "kabid")
    assert act(client, 1, "dispose") == 303
    log_in(client, "kasi")
    assert act(client, 1, "complete") == 409  # not yet: the analysis comes first
    assert act(client, 1, "submit-analysis", lampiran=("analisis.tiff", _tiff())) == 303
    assert act(client, 1, "complete") == 303
    shown = show_request(services, 1)
    assert shown["status"] == "completed"
    [scan] = [f for f in files_of(services, 1) if f.name == "analisis.tiff"]
    preview = client.get(f"/permohonan/1/berkas/{scan.id}?lihat=1")
    assert preview.headers["content-type"] == "image/png"  # a browser cannot show TIFF
    assert Image.open(io.BytesIO(preview.content)).size == (300, 200)
    accepted = next(e for e in shown["events"] if e["action"] == "accept")
    assert accepted["who"] == "kadis (Kepala Dinas)" and accepted["note"] == "uji accept"
    timeline = client.get("/permohonan/1").text
    assert "disetujui Kepala Dinas" in timeline and "integrasi selesai" in timeline
    board = client.get("/dasbor").text
    assert "100%" in board and "<svg" in board


def test_a_clerk_corrects_a_field_and_the_history_says_old_and_new(
    client: TestClient, office: tuple[Path, Services]
):
    log_in(client, "kadis")
    data = {"csrf_token": csrf_of(client, "/permohonan/2"), "field": "perihal", "value": "Baru"}
    assert client.post("/permohonan/2/koreksi", data=data).status_code == 403
    log_in(client, "sekretariat")
    token = csrf_of(client, "/permohonan/2")
    data = {"csrf_token": token, "field": "perihal", "value": "Integrasi SIBANSOS"}
    assert client.post("/permohonan/2/koreksi", data=data).status_code == 303
    bad = {"csrf_token": token, "field": "tanggal_surat", "value": "31-02-2026"}
    refused = client.post("/permohonan/2/koreksi", data=bad)
    assert refused.status_code == 400 and "tidak sah" in refused.text
    shown = show_request(office[1], 2)
    assert shown["perihal"] == "Integrasi SIBANSOS"
    assert shown["provenance"]["perihal"]["rule"] == "koreksi"
    [event] = [e for e in shown["events"] if e["action"] == "koreksi"]
    assert event["who"] == "sekretariat (Sekretariat)"
    assert (
        event["note"] == "Perihal: 'Permohonan Integrasi Sistem Informasi' → 'Integrasi SIBANSOS'"
    )
    fixed = {"csrf_token": token, "field": "penanggung_jawab.jabatan", "value": "Pranata Komputer"}
    assert client.post("/permohonan/2/koreksi", data=fixed).status_code == 303
    found = client.get("/", params={"q": "pranata"}).text  # the register search sees it at once
    assert "/permohonan/2" in found and "/permohonan/1" not in found


def test_downloads_only_by_register_id_inside_the_workspace(
    client: TestClient, office: tuple[Path, Services]
):
    home, services = office
    log_in(client, "sekretariat")
    own = client.get("/permohonan/1/berkas/1?lihat=1")
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    assert own.headers["content-type"] == "application/pdf"
    assert own.headers["content-disposition"].startswith("inline")
    [document] = [
        d for d in show_request(services, 1)["documents"] if d["kind"] == "lembar-disposisi-kadis"
    ]
    sheet = client.get("/permohonan/1/dokumen/1")
    assert sheet.status_code == 200 and sheet.content == Path(document["path"]).read_bytes()
    assert sheet.headers["content-disposition"].startswith("attachment")
    assert client.get("/permohonan/2/berkas/1").status_code == 404  # file of another request
    assert client.get("/permohonan/1/berkas/..%2F..%2Fpipeline.toml").status_code in (400, 404)
    assert "Halaman tidak ditemukan" in client.get("/etc/passwd").text
    assert client.get("/permohonan/99").status_code == 404
    archived = _column(home, "SELECT archived_path FROM files WHERE id = 1")
    _execute(home, "UPDATE files SET archived_path = '/etc/passwd' WHERE id = 1")
    _execute(home, "UPDATE documents SET path = ? WHERE id = 1", str(home / "../pipeline.toml"))
    try:
        assert client.get("/permohonan/1/berkas/1").status_code == 404
        assert client.get("/permohonan/1/dokumen/1").status_code == 404
    finally:
        _execute(home, "UPDATE files SET archived_path = ? WHERE id = 1", archived)
        _execute(home, "UPDATE documents SET path = ? WHERE id = 1", document["path"])


def test_the_session_secret_is_private_and_a_forged_cookie_is_ignored(
    client: TestClient, office: tuple[Path, Services]
):
    secret = office[0] / SECRET_NAME
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    log_in(client, "admin")
    assert client.get("/").status_code == 200
    cookie = client.cookies["pipeline_sesi"]
    client.cookies.set("pipeline_sesi", cookie[:-4] + "AAAA")
    assert client.get("/").status_code == 303


def test_the_public_verification_page_tells_only_what_the_qr_code_vouches_for(
    client: TestClient, office: tuple[Path, Services]
):
    document = show_request(office[1], 2)["documents"][0]  # the first version
    token = _token_of(office[0], document["doc_id"])
    shown = client.get(f"/verifikasi/{token}")
    assert shown.status_code == 200
    for wanted in ("Dokumen terdaftar", "Lembar disposisi Kepala Dinas", "0002", "Dinas Sosial"):
        assert wanted in shown.text
    for private in ("Siti Aminah", "0812", "siti.dinkes", "sibansos", "Keluar"):
        assert private not in shown.text
    assert client.get("/verifikasi/tidak-ada").status_code == 404


def test_register_table_filters_counts_sorts_and_pages(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    log_in(client, "sekretariat")
    monkeypatch.setattr(pages_register, "PAGE_SIZE", 1)
    first = client.get("/", params={"urut": "opd", "arah": "naik"}).text
    assert "halaman 1 dari 2" in first and "Dinas Kesehatan" in first
    assert "Dinas Sosial" not in first and "halaman=2" in first
    second = client.get("/", params={"urut": "opd", "arah": "naik", "halaman": "2"}).text
    assert "Dinas Sosial" in second and "Dinas Kesehatan" not in second
    monkeypatch.undo()
    page = client.get("/", params={"opd": "sosial"}).text
    assert "Dinas Sosial" in page and "Dinas Kesehatan" not in page
    assert re.search(r"Menunggu Kepala Dinas <b>1</b>", page)
    both = client.get("/", params={"urut": "opd", "arah": "naik"}).text
    assert both.index("Dinas Kesehatan") < both.index("Dinas Sosial")
    late = client.get("/", params={"terlambat": "1", "dari": "kemarin"}).text
    assert "Tidak ada permohonan yang cocok" in late and "tidak sah" in late
    monkeypatch.setattr(pages_register, "COUNT_CAP", 2)  # a word in "most" letters
    common = client.get("/", params={"q": "integrasi"}).text
    assert "lebih dari 2 permohonan" in common and "Menunggu Kepala Dinas <b>…</b>" in common


def test_user_add_from_stdin_and_from_a_confirmed_prompt(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    home = tmp_path / "kantor"
    runner = CliRunner()
    assert runner.invoke(cli_app, ["init", str(home)]).exit_code == 0
    base = ["--home", str(home), "user", "add"]
    made = runner.invoke(
        cli_app, [*base, "budi", "--role", "kabid", "--password-stdin"], input="rahasia-budi\n"
    )
    assert made.exit_code == 0 and "Kepala Bidang" in made.output
    prompted = runner.invoke(
        cli_app, [*base, "ani", "--role", "kasi"], input="sandi-ani1\nsandi-ani1\n"
    )
    assert prompted.exit_code == 0, prompted.output
    mismatch = runner.invoke(
        cli_app, [*base, "eko", "--role", "kasi"], input="satu-satu\ndua-dua-dua\n"
    )
    assert mismatch.exit_code != 0
    role = runner.invoke(
        cli_app, [*base, "eko", "--role", "raja", "--password-stdin"], input="x" * 9
    )
    assert role.exit_code != 0
    with TestClient(create_app(home), follow_redirects=False) as client:
        token = csrf_of(client)
        login = {"csrf_token": token, "name": "budi", "password": "rahasia-budi"}
        assert client.post("/login", data=login).status_code == 303
        client.cookies.clear()
        eko = {"csrf_token": csrf_of(client), "name": "eko", "password": "satu-satu"}
        assert client.post("/login", data=eko).status_code == 401


def _tiff() -> bytes:
    out = io.BytesIO()
    Image.new("1", (300, 200), 1).save(out, format="TIFF", compression="group4")
    return out.getvalue()


def _token_of(home: Path, doc_id: str) -> str:
    return _column(home, "SELECT token FROM documents WHERE doc_id = ?", doc_id)


def _column(home: Path, sql: str, *args: str) -> str:
    with sqlite3.connect(home / "register.db") as db:
        return str(db.execute(sql, args).fetchone()[0])


def _execute(home: Path, sql: str, *args: str) -> None:
    with sqlite3.connect(home / "register.db") as db:
        db.execute(sql, args)


def test_dashboard_counts_late_requests_per_official(office: tuple[Path, Services]):
    services = office[1]
    later = now_utc() + timedelta(days=60)
    statuses = [show_request(services, i)["status"] for i in (1, 2)]
    board = dashboard(services, now=later)
    kadis, kabid, _ = board.overdue
    assert kadis.overdue == statuses.count("awaiting_kadis")
    assert kabid.overdue == statuses.count("awaiting_kabid")
    assert kadis.jabatan.startswith("Kepala Dinas")
    assert sum(board.by_status.values()) == 2
    assert dashboard(services).overdue[0].overdue == 0  # nothing is late today


def test_on_time_share_counts_a_late_acceptance_as_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("PIPELINE_DB_URL", raising=False)
    monkeypatch.setenv("PIPELINE_OCR__AKTIF", "false")
    home = tmp_path / "kantor"
    init_workspace(home)
    services = open_services(load_settings(home))
    try:
        for name, submission in (("dinkes.pdf", Submission()), ("dinsos.pdf", DINSOS)):
            source = letter_pdf(tmp_path / name, submission, with_form=True)
            ingest_claim(services, claim_copy(source, services.settings.work))
        # #1 reached the Kepala Dinas two weeks ago; #2 today. Both are accepted now.
        _execute(home, "UPDATE events SET at = datetime(at, '-14 days') WHERE request_id = 1")
        for request_id in (1, 2):
            advance(services, request_id, "accept", by="Kepala Dinas")
        month = dashboard(services).months[-1]
        assert (month.steps, month.on_time) == (2, 1)
    finally:
        services.close()
