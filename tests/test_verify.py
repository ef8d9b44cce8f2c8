"""QR codes on generated documents: verification, and signed copies scanned back in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image
from sqlmodel import Session, select

from pipeline.inbox import claim_copy
from pipeline.register.tables import Document, Event, ReceivedFile
from pipeline.service.context import Services
from pipeline.service.intake.ingest import ingest_claim
from pipeline.service.paperwork.verify import verify
from tests.factories import Submission, letter_pdf
from tests.test_documents import convert_to_pdf


def _disposition(services: Services, tmp_path: Path) -> Document:
    path = letter_pdf(tmp_path / "surat.pdf", Submission(), with_form=True)
    ingest_claim(services, claim_copy(path, services.settings.work))
    with Session(services.engine) as session:
        return session.exec(select(Document)).one()


def test_a_generated_document_verifies_by_file_and_by_token(services: Services, tmp_path):
    document = _disposition(services, tmp_path)
    by_file = verify(services, document.path)
    assert by_file.doc_id == document.doc_id and by_file.kind == "lembar-disposisi-kadis"
    assert verify(services, document.token).request_id == document.request_id


def test_a_signed_copy_scanned_back_joins_its_request(services: Services, tmp_path: Path):
    document = _disposition(services, tmp_path)
    printed = convert_to_pdf(Path(document.path), tmp_path)
    page = pdfium.PdfDocument(str(printed))[0].render(scale=200 / 72, grayscale=True).to_pil()
    scan = tmp_path / "disposisi-ditandatangani.jpg"
    noisy = np.asarray(page.rotate(1.0, fillcolor=255), dtype=np.float32)
    noisy += np.random.default_rng(7).normal(0, 18, noisy.shape)
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(scan, quality=70)
    outcome = ingest_claim(services, claim_copy(scan, services.settings.work))
    assert outcome.status == "returned" and outcome.request_id == document.request_id
    with Session(services.engine) as session:
        returned = session.exec(select(ReceivedFile).where(ReceivedFile.kind == "returned")).one()
        assert returned.request_id == document.request_id
        assert any(e.action == "dokumen-kembali" for e in session.exec(select(Event)))


def test_an_unknown_token_is_refused_in_indonesian(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(tmp_path), "init"],
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--home", str(tmp_path), "verify", "tidak-ada"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 4
    assert "Tidak ada dokumen terdaftar" in done.stderr
