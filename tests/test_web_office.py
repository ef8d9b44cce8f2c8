"""Issue 13, points 7–13, in-process (FastAPI TestClient) on a real SQLite workspace: plain
Indonesian, confirming a flagged value, corrections reaching the documents, a rejection's
reason, generated PDFs on the page, 'Tugas saya' and the register's pages and sorting."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from pipeline.inbox import claim_copy
from pipeline.register.tables import Request
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.paperwork.rendering import request_folder
from pipeline.service.paperwork.versions import documents_for_page
from pipeline.service.queries.listing import SOP_ORDER, show_request
from pipeline.service.steps.advance import advance
from pipeline.service.steps.tasks import my_tasks
from pipeline.web import pages_register
from tests.factories import Submission, letter_pdf
from tests.test_web import csrf_of, log_in, offline_office

# Values the rules score 0.90–0.92 (a chance of 0.993–0.995) are flagged below this threshold:
# the letter's date, perihal and every value read from the form need a person's look.
STRICT_THRESHOLD = "0.995"
SATPOL = Submission(
    opd="Satuan Polisi Pamong Praja",
    opd_caps="SATUAN POLISI PAMONG PRAJA",
    subdomain="sitibum",
    nomor="300/412-SatpolPP/XI/2026",
    perihal="Permohonan Integrasi Sistem Informasi Ketertiban Umum dan Ketenteraman "
    "Masyarakat beserta Layanan Pengaduan Warga Terpadu Provinsi Banten",
)
# What a person must never read on a page: the register's and the reader's own codes.
INTERNAL_CODES = (
    "formulir_pengajuan",
    "surat_permohonan",
    "penanggung_jawab.",
    "awaiting_",
    "in_analysis",
    "letter+form",
    "(letter)",
    "label-table",
    "label-colon",
    "opd/",
    "nomor/",
    "Method Not Allowed",
    "Not Found",
    "pipeline ",
)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Services]]:
    """Dinkes #1, Dinsos #2, Satpol PP #3 (all complete, waiting for the Kepala Dinas)."""
    folder = tmp_path_factory.mktemp("kantor13")
    strict = {"PIPELINE_PEMBACAAN__AMBANG_PELUANG": STRICT_THRESHOLD}
    with offline_office(folder, **strict) as (home, services):
        source = letter_pdf(folder / "satpol.pdf", SATPOL, with_form=True)
        ingest_claim(services, claim_copy(source, services.settings.work))
        yield home, services


def visible(html: str) -> str:
    """The page's text as a person reads it (no tags, attributes or scripts)."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def post(client: TestClient, path: str, page: str, **data: str) -> int:
    form = {"csrf_token": csrf_of(client, page), **data}
    return client.post(path, data=form).status_code


def test_pages_speak_plain_indonesian(client: TestClient, office: tuple[Path, Services]):
    log_in(client, "sekretariat")
    pages = {p: client.get(p) for p in ("/", "/register", "/dasbor", "/permohonan/1")}
    pages["404"] = client.get("/tidak-ada")
    pages["405"] = client.get("/logout")
    pages["no file"] = client.get("/permohonan/1/dokumen/1?bentuk=ttd")
    for name, answer in pages.items():
        text = visible(answer.text)
        for code in INTERNAL_CODES:
            assert code not in text, f"'{code}' on {name}"
    request_page = visible(pages["/permohonan/1"].text)
    # where each value was read, in words, from the provenance rule's family
    assert "dari formulir, hlm. 2, yakin 99,4\u00a0%" in request_page
    assert "dari baris nomor surat, hlm. 1, yakin 99,6\u00a0%" in request_page
    assert "(surat dan formulir" in request_page and "berkas masuk" in request_page
    assert pages["404"].status_code == 404 and "Halaman tidak ditemukan" in pages["404"].text
    assert "tidak menerima" in pages["405"].text
    assert "belum ada" in visible(pages["no file"].text)
    # 'diterima' means neither a received file nor the Kepala Dinas's approval any more
    for name in ("/register", "/permohonan/1"):
        assert "iterima" not in visible(pages[name].text), name


def test_a_flagged_value_is_confirmed_without_retyping(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    flagged = show_request(services, 2)["needs_review"]
    assert "perihal" in flagged and "penanggung_jawab.nama" in flagged
    log_in(client, "kadis")  # an official reads the flags but does not confirm them
    assert "Benar, sesuai surat" not in client.get("/permohonan/2").text
    assert post(client, "/permohonan/2/konfirmasi", "/permohonan/2", field="perihal") == 403
    log_in(client, "sekretariat")
    page = client.get("/permohonan/2").text
    buttons = re.findall(r'name="field" value="([^"]+)">\s*<button[^>]*>([^<]+)</button>', page)
    assert {field for field, _ in buttons} == set(flagged)
    assert all("Benar" in label for _, label in buttons)
    # a correction opens with the value as it is now
    assert re.search(
        r'name="field" value="perihal">\s*<label>Nilai yang benar <input name="value" '
        r'value="Permohonan Integrasi Sistem Informasi">',
        page,
    )
    assert post(client, "/permohonan/2/konfirmasi", "/permohonan/2", field="perihal") == 303
    shown = show_request(services, 2)
    assert "perihal" not in shown["needs_review"]
    assert shown["perihal"] == "Permohonan Integrasi Sistem Informasi"  # not retyped
    [event] = [e for e in shown["events"] if e["action"] == "konfirmasi"]
    assert event["who"] == "sekretariat (Sekretariat)" and "Perihal" in event["note"]
    after = visible(client.get("/permohonan/2").text)
    assert "dikonfirmasi benar oleh sekretariat (Sekretariat)" in after
    assert "isian dikonfirmasi benar — sekretariat (Sekretariat)" in after


def test_corrections_make_new_versions_and_never_touch_a_signed_document(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    advance(services, 1, "accept", note="Lanjutkan", by="kadis (Kepala Dinas)")
    first = {d.kind: d for d in documents_for_page(services, 1)}
    kadis_sheet, kabid_sheet = first["lembar-disposisi-kadis"], first["lembar-disposisi-kabid"]
    folder = Path(show_request(services, 1)["documents"][0]["path"]).parent
    [kadis_row] = [
        d for d in show_request(services, 1)["documents"] if d["doc_id"] == kadis_sheet.doc_id
    ]
    signed = Path(kadis_row["path"]).with_suffix(".signed.pdf")
    signed.write_bytes(b"%PDF-1.7 signed by the Kepala Dinas\n")  # the signed copy exists
    log_in(client, "sekretariat")
    assert (
        post(
            client,
            "/permohonan/1/koreksi",
            "/permohonan/1",
            field="opd",
            value="Dinas Sosial",  # the folder's name comes from the OPD: it must not move
        )
        == 303
    )
    documents = documents_for_page(services, 1)
    by_id = {d.doc_id: d for d in documents}
    assert by_id[kadis_sheet.doc_id].replaced_by is None, "a signed document stays in force"
    assert by_id[kadis_sheet.doc_id].corrected_after is not None
    assert signed.read_bytes().startswith(b"%PDF-1.7 signed")
    new_kabid = [d for d in documents if d.kind == kabid_sheet.kind and d.id != kabid_sheet.id]
    assert len(new_kabid) == 1
    assert by_id[kabid_sheet.doc_id].replaced_by == new_kabid[0].doc_id
    rows = show_request(services, 1)["documents"]
    paths = {d["doc_id"]: Path(d["path"]) for d in rows}
    assert paths[new_kabid[0].doc_id] == folder / "lembar-disposisi-kabid.v2.docx"
    assert paths[kabid_sheet.doc_id].is_file(), "the old version is kept"
    assert {p.parent for p in paths.values()} == {folder}, "one outbox folder per request"
    assert "Dinas Sosial" in _docx_text(paths[new_kabid[0].doc_id])
    assert "Dinas Kesehatan" in _docx_text(paths[kabid_sheet.doc_id])
    page = visible(client.get("/permohonan/1").text)
    assert f"diganti oleh {new_kabid[0].doc_id}" in page
    assert "ditandatangani sebelum koreksi isian" in page
    with Session(services.engine) as session:  # the next step's document goes there too
        request = session.get(Request, 1)
        assert request is not None and request.opd == "Dinas Sosial"
        assert request_folder(services, request, session) == folder
    assert post(client, "/permohonan/1/koreksi", "/permohonan/1", field="opd", value="") == 303
    assert len(documents_for_page(services, 1)) == 4  # a third version, still one folder


def test_a_rejection_needs_its_reason(client: TestClient, office: tuple[Path, Services]):
    home, services = office
    command = [sys.executable, "-m", "pipeline", "--home", str(home), "advance", "3", "reject"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIPELINE_")}
    refused = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "harus disertai alasannya" in refused.stderr
    log_in(client, "kadis")
    page = client.get("/permohonan/3").text
    assert re.search(r'<textarea name="catatan" rows="2" required>', page)
    for reason in ("", "   "):
        answer = client.post(
            "/permohonan/3/tindakan",
            data={"csrf_token": csrf_of(client, "/permohonan/3"), "tindakan": "reject"}
            | {"catatan": reason},
        )
        assert answer.status_code == 400 and "alasan penolakan" in answer.text
        assert "Tolak permohonan" in page
    assert show_request(services, 3)["status"] == "awaiting_kadis"
    assert not [d for d in show_request(services, 3)["documents"] if d["number"]]


def test_generated_documents_are_linked_and_shown_as_pdf(
    client: TestClient, office: tuple[Path, Services]
):
    services = office[1]
    services.pdf_copies.drain()  # the PDF copies LibreOffice makes beside each DOCX
    log_in(client, "kadis")
    page = client.get("/permohonan/2").text
    [document] = [d for d in documents_for_page(services, 2) if d.replaced_by is None]
    base = f"/permohonan/2/dokumen/{document.id}"
    assert f'href="{base}?bentuk=pdf"' in page and f'href="{base}"' in page
    assert f'src="{base}?bentuk=pdf&amp;lihat=1"' in page
    shown = client.get(f"{base}?bentuk=pdf&lihat=1")
    assert shown.status_code == 200 and shown.content.startswith(b"%PDF")
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"].startswith("inline")
    assert "sandbox" in shown.headers["content-security-policy"]
    docx = client.get(base)
    assert docx.headers["content-disposition"].startswith("attachment")
    assert docx.content.startswith(b"PK")


def test_each_official_lands_on_their_own_queue(client: TestClient, office: tuple[Path, Services]):
    home, services = office
    with sqlite3.connect(home / "register.db") as db:  # #3 waited too long, #2 is fresh
        db.execute("UPDATE requests SET due_at = '2026-01-05 09:00:00.000000' WHERE id = 3")
    log_in(client, "kadis")
    landing = visible(client.get("/").text)
    assert "Tugas saya" in landing
    queue = landing.split("Baru masuk")[0]
    assert queue.index("Agenda 0003") < queue.index("Agenda 0002"), "the late one first"
    assert "Terlambat — tenggat 05-01-2026 16:00 WIB" in queue
    assert "Agenda 0001" not in queue, "#1 waits for the Kepala Bidang now"
    log_in(client, "kabid")
    kabid = visible(client.get("/").text).split("Baru masuk")[0]
    assert "Agenda 0001" in kabid and "Disposisikan ke Kepala Seksi" in kabid
    assert "Agenda 0002" not in kabid
    log_in(client, "kasi")
    assert "Tidak ada yang menunggu Anda" in client.get("/").text
    log_in(client, "sekretariat")
    clerk = visible(client.get("/").text).split("Baru masuk")[0]
    assert "Perlu diperiksa: Tanggal surat" in clerk
    assert my_tasks(services, "sekretariat").items[0].id == 3  # late first


def test_register_pages_sorting_dates_and_abbreviations(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    log_in(client, "sekretariat")
    monkeypatch.setattr(pages_register, "PAGE_SIZE", 1)
    first = client.get("/register").text
    assert 'aria-label="Halaman 2"' in first and 'aria-label="Halaman 3"' in first
    assert 'aria-current="page">1<' in first
    monkeypatch.undo()
    page = client.get("/register").text
    assert re.search(r'<th scope="col" class="col-received_at" aria-sort="descending">', page)
    first_clicks = dict(re.findall(r"urut=(\w+)&amp;arah=(\w+)", page))
    assert first_clicks == {
        "nomor_agenda": "turun",
        "received_at": "naik",  # the active column turns around
        "opd": "naik",
        "subdomain": "naik",
        "status": "naik",
        "due_at": "naik",
    }
    # #1 waits for the Kepala Bidang, #2 and #3 for the Kepala Dinas: the SOP's order puts
    # the Kepala Dinas first (the alphabet would put awaiting_kabid first)
    assert SOP_ORDER.index("awaiting_kadis") < SOP_ORDER.index("awaiting_kabid")
    by_status = client.get("/register", params={"urut": "status"}).text
    rows = re.findall(r'<a href="/permohonan/(\d+)">', by_status)
    assert rows.index("1") > rows.index("2") and rows.index("1") > rows.index("3")
    assert 'class="col-status" aria-sort="ascending"' in by_status
    turned = client.get("/register", params={"urut": "status", "arah": "turun"}).text
    assert re.findall(r'<a href="/permohonan/(\d+)">', turned)[0] == "1"
    reversed_range = client.get("/register", params={"dari": "2026-12-31", "sampai": "2026-01-01"})
    text = visible(reversed_range.text)
    assert "jatuh sesudah tanggal akhir" in text and "keduanya ditukar" in text
    assert "Tidak ada permohonan yang cocok" not in text  # today's requests are in the range
    for typed in ("satpol pp", "Satpol PP ketertiban"):
        found = visible(client.get("/register", params={"q": typed}).text)
        assert "Satuan Polisi Pamong Praja" in found, typed
        assert "Dinas Sosial" not in found and "Dinas Kesehatan" not in found, typed


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")
