"""Issue 7: PDF copies of generated documents, PAdES signatures by officials, verification,
and electronically signed letters from OPDs — with a PKI made for the test."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlmodel import Session, select

from pipeline.convert import ConversionError, PdfConverter
from pipeline.documents import render_docx
from pipeline.documents.samples import SAMPLE_CONTEXTS
from pipeline.errors import MissingDependencyError, UnreadableFileError
from pipeline.inbox import claim_copy
from pipeline.register.tables import Document, ReceivedFile
from pipeline.service.context import Services, open_services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.operations.workspace import init_workspace
from pipeline.service.paperwork.pdf_copies import PdfJob
from pipeline.service.paperwork.sign import sign_document
from pipeline.service.paperwork.verify import describe_document, pdf_keywords, verify_file
from pipeline.service.queries.listing import show_request
from pipeline.service.steps.advance import advance
from pipeline.settings import load_settings
from pipeline.signing import Official, Stamp, load_signer, sign_pdf
from pipeline.web import create_app
from pipeline.workflow import ACTIONS
from tests.factories import Submission, letter_lines, letter_pdf
from tests.pki import PASSPHRASE, Pki, make_pki

KADIS = ("Dr. Budi Santoso, M.T.", "197001011995031001", "Kepala Dinas Kominfo SP Banten")
KABID = ("Siti Rahmawati, S.Kom.", "198502022010012002", "Kepala Bidang Aplikasi Informatika")
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
SECOND = Submission(
    nomor="045/112-Bapenda/X/2026",
    opd="Badan Pendapatan Daerah",
    opd_caps="BADAN PENDAPATAN DAERAH",
    subdomain="bapenda",
    nama="Rudi Hartono",
    email="rudi.bapenda@bantenprov.go.id",
)


def pipeline(
    home: Path, *args: str, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(home), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env=environment,
    )


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


def _trusting(home: Path, root: Path) -> Path:
    config = home / "pipeline.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("akar_tepercaya = []", f'akar_tepercaya = ["{root}"]'))
    return home


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Iterator[Path]:
    """An office that took request 1 through every step (PDF copies on) and registered
    request 2, waiting for the Kepala Dinas."""
    base = tmp_path_factory.mktemp("ttd")
    home = base / "kantor"
    init_workspace(home)
    _trusting(home, pki.write_root(base / "akar.pem"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPELINE_KONVERSI__PDF", "true")
        patch.delenv("PIPELINE_DB_URL", raising=False)
        services = open_services(load_settings(home))
        try:
            for name, submission in (("surat.pdf", Submission()), ("surat2.pdf", SECOND)):
                path = letter_pdf(base / name, submission, with_form=True)
                ingest_claim(services, claim_copy(path, services.settings.work))
            for action in ACTIONS:
                if action != "reject":
                    note = "Selesai, endpoint https://api.example.go.id/v1"
                    advance(services, 1, action, note=note, by="Pejabat Uji")
        finally:
            services.close()  # waits for the queued PDF copies
    yield home


def _documents(home: Path) -> list[Document]:
    services = open_services(load_settings(home))
    try:
        with Session(services.engine) as session:
            return list(session.exec(select(Document).order_by(Document.id)))  # type: ignore[arg-type]
    finally:
        services.close()


def _document(home: Path, kind: str, request_id: int = 1) -> Document:
    return next(d for d in _documents(home) if d.kind == kind and d.request_id == request_id)


def _p12(pki: Pki, folder: Path, who: tuple[str, str, str]) -> Path:
    return pki.official_p12(folder / f"{who[1]}.p12", *who)


def test_every_generated_document_has_its_pdf_beside_it(office: Path) -> None:
    documents = _documents(office)
    assert len(documents) == 5
    for document in documents:
        assert document.pdf_path == str(Path(document.path).with_suffix(".pdf"))
        pdf = Path(document.pdf_path)
        with pdfplumber.open(pdf) as opened:
            text = "\n".join(page.extract_text() or "" for page in opened.pages)
        assert "Dinas Kesehatan" in text or "Badan Pendapatan Daerah" in text
        assert "{{" not in text
        assert document.token in pdf_keywords(pdf)  # the register finds it from the file


def _sign_cli(home: Path, reference: str, p12: Path) -> subprocess.CompletedProcess[str]:
    passphrase = PASSPHRASE.decode() + "\n"
    return pipeline(
        home, "sign", reference, "--p12", str(p12), "--passphrase-stdin", stdin=passphrase
    )


def _services(home: Path, **sections: dict[str, object]) -> Services:
    settings = load_settings(home)
    changes = {
        name: getattr(settings, name).model_copy(update=values) for name, values in sections.items()
    }
    return open_services(settings.model_copy(update=changes))


def test_two_officials_sign_the_completion_letter_and_tampering_shows(
    office: Path, pki: Pki, tmp_path: Path
) -> None:
    letter = _document(office, "surat-selesai-integrasi")
    signed = _sign_cli(office, letter.doc_id, _p12(pki, tmp_path, KADIS))
    assert signed.returncode == 0, signed.stderr
    signed_pdf = Path(letter.path).with_suffix(".signed.pdf")
    assert signed_pdf.is_file() and str(signed_pdf) in signed.stdout

    checked = pipeline(office, "verify", str(signed_pdf))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"Dokumen terdaftar: surat-selesai-integrasi {letter.doc_id}" in checked.stdout
    assert "utuh, rantai sertifikat sah sampai akar tepercaya" in checked.stdout
    assert "Dr. Budi Santoso, M.T. (NIP 197001011995031001)" in checked.stdout

    tampered = tmp_path / "diubah.pdf"
    data = bytearray(signed_pdf.read_bytes())
    data[data.index(b"stream") + 60] ^= 0x01  # one byte inside the letter's first page
    tampered.write_bytes(bytes(data))
    broken = pipeline(office, "verify", str(tampered))
    assert broken.returncode == 1
    assert "RUSAK" in broken.stdout

    services = _services(office)
    try:
        second = sign_document(services, str(signed_pdf), _p12(pki, tmp_path, KABID), PASSPHRASE)
        assert second.signed_path == signed_pdf
        both = verify_file(services, signed_pdf)
        assert both.document is not None and both.document.doc_id == letter.doc_id
        assert [(s.nama, s.nip) for s in both.signatures] == [KADIS[:2], KABID[:2]]
        assert all(s.intact and s.trusted and s.whole_document for s in both.signatures)

        shown = show_request(services, 1)
        facts = next(d for d in shown["documents"] if d["doc_id"] == letter.doc_id)
        assert [s["nama"] for s in facts["tanda_tangan"]] == [KADIS[0], KABID[0]]
        signers = [e["who"] for e in shown["events"] if e["action"] == "ditandatangani"]
        assert signers == [KADIS[0], KABID[0]]
        page = describe_document(services, letter.token)  # what /verifikasi/{token} shows
        assert page is not None and page["ditandatangani"] and page["pdf"]
        assert [s["nip"] for s in page["tanda_tangan"]] == [KADIS[1], KABID[1]]
        assert describe_document(services, "bukan-kode") is None
        with TestClient(create_app(office)) as web:  # the public page, no session
            html = web.get(f"/verifikasi/{letter.token}").text
        assert html.count('<li class="ok">') == 2 and KADIS[0] in html and KABID[0] in html

        # The signed PDF handed back through inbox/ joins request 1 byte for byte.
        back = tmp_path / "selesai-ttd.pdf"
        back.write_bytes(signed_pdf.read_bytes())
        outcome = ingest_claim(services, claim_copy(back, services.settings.work))
        assert outcome.status == "returned" and outcome.request_id == 1
        returned = next(f for f in show_request(services, 1)["files"] if f["name"] == back.name)
        assert returned["kind"] == "returned"
        assert Path(returned["archived_path"]).read_bytes() == signed_pdf.read_bytes()
        assert all(s["intact"] and s["trusted"] for s in returned["tanda_tangan"])
    finally:
        services.close()


def test_signing_the_kadis_disposition_accepts_the_request_when_configured(
    office: Path, pki: Pki, tmp_path: Path
) -> None:
    disposition = _document(office, "lembar-disposisi-kadis", request_id=2)
    services = _services(office, penandatanganan={"selesaikan_langkah": True})
    try:
        done = sign_document(services, disposition.token, _p12(pki, tmp_path, KADIS), PASSPHRASE)
        assert done.advanced is not None and done.advanced.to_status == "awaiting_kabid"
        shown = show_request(services, 2)
    finally:
        services.close()
    assert shown["status"] == "awaiting_kabid"
    accepted = [e for e in shown["events"] if e["action"] == "accept"]
    assert accepted and accepted[0]["who"] == KADIS[0]


def test_a_wrong_passphrase_is_refused_in_indonesian(office: Path, pki: Pki, tmp_path):
    letter = _document(office, "laporan-hasil-analisis")
    services = _services(office)
    try:
        with pytest.raises(UnreadableFileError, match="kata sandi salah"):
            sign_document(services, letter.doc_id, _p12(pki, tmp_path, KABID), b"salah")
    finally:
        services.close()
    assert not Path(letter.path).with_suffix(".signed.pdf").exists()


def test_without_libreoffice_documents_stay_docx_and_nothing_else_breaks(tmp_path: Path):
    home = tmp_path / "kantor"
    init_workspace(home)
    missing = {"pdf": True, "soffice": str(tmp_path / "tidak-ada" / "soffice")}
    services = _services(home, konversi=missing)
    try:
        letter = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
        outcome = ingest_claim(services, claim_copy(letter, services.settings.work))
        assert outcome.status == "registered"
        services.pdf_copies.drain()
        shown = show_request(services, 1)
        assert shown["status"] == "awaiting_kadis"
        (document,) = shown["documents"]
        assert Path(document["path"]).is_file() and document["pdf_path"] is None
        failed = [e["note"] for e in shown["events"] if e["action"] == "pdf-gagal"]
        assert failed and "LibreOffice tidak ditemukan" in failed[0]
        with pytest.raises(MissingDependencyError, match="LibreOffice tidak ditemukan"):
            services.pdf_copies.convert_now(PdfJob(document["doc_id"], Path(document["path"]), "-"))
    finally:
        services.close()


def _bsre_letter(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 11)
    y = 800.0
    for line in letter_lines(SECOND):
        pdf.drawString(60, y, line)
        y -= 18
    pdf.setFont("Helvetica", 7)
    pdf.drawString(
        60,
        40,
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat "
        "elektronik yang diterbitkan oleh Balai Sertifikasi Elektronik (BSrE), BSSN",
    )
    pdf.save()
    return path


def test_opd_letters_signed_electronically_are_kept_intact_and_checked(
    pki: Pki, tmp_path: Path
) -> None:
    home = tmp_path / "kantor"
    init_workspace(home)
    _trusting(home, pki.write_root(tmp_path / "akar.pem"))
    services = _services(home)
    try:
        opd = load_signer(_p12(pki, tmp_path, KADIS), PASSPHRASE)
        official = Official(*KADIS)
        stamp = Stamp(official, "https://dinkes.bantenprov.go.id/", "Permohonan", "Serang", "-")
        unsigned = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
        padesed = tmp_path / "surat-ttd.pdf"
        padesed.write_bytes(sign_pdf(unsigned.read_bytes(), opd, stamp))
        bsre = _bsre_letter(tmp_path / "surat-bsre.pdf")
        for path in (padesed, bsre):
            outcome = ingest_claim(services, claim_copy(path, services.settings.work))
            assert outcome.status == "registered", outcome
        with Session(services.engine) as session:
            rows = {r.original_name: r for r in session.exec(select(ReceivedFile))}
        for path in (padesed, bsre):
            row = rows[path.name]
            assert row.signed
            archived = Path(row.archived_path).read_bytes()
            assert archived == path.read_bytes()  # byte-identical: the signature stays valid
            assert hashlib.sha256(archived).hexdigest() == row.sha256
        first = show_request(services, rows[padesed.name].request_id or 0)
        (checked,) = first["files"][0]["tanda_tangan"]
        assert checked["intact"] and checked["trusted"] and checked["nip"] == KADIS[1]
        assert first["nomor_surat"] == "555/787-Dinkes/X/2026"  # read as usual
        second = show_request(services, rows[bsre.name].request_id or 0)
        assert "BSrE" in second["files"][0]["ringkasan"]
    finally:
        services.close()


def test_a_hung_libreoffice_is_stopped_at_the_timeout(tmp_path: Path) -> None:
    hung = tmp_path / "soffice"
    hung.write_text("#!/bin/sh\nexec sleep 60\n")
    hung.chmod(0o755)
    document = render_docx(
        TEMPLATES / "surat-penolakan.docx",
        SAMPLE_CONTEXTS["surat-penolakan.docx"],
        tmp_path / "surat-penolakan.docx",
    )
    converter = PdfConverter(str(hung), "/usr/bin/python3", timeout=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(ConversionError, match="melewati batas 1 detik"):
            converter.convert(document, tmp_path / "surat-penolakan.pdf")
    finally:
        converter.close()
    assert time.monotonic() - started < 20
    assert not (tmp_path / "surat-penolakan.pdf").exists()
