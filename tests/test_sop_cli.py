"""Every path through the SOP, driven from the command line as the office would."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pdfplumber
import pytest

from tests.factories import Submission, form_pdf, letter_pdf
from tests.test_cli import pipeline
from tests.test_documents import convert_to_pdf

SYNTAX = ("{{", "}}", "{%", "%}")


def _state(home: Path, request_id: int) -> dict[str, object]:
    shown = pipeline(home, "register", "show", str(request_id), "--format", "json")
    return dict(json.loads(shown.stdout))


def _text(path: str) -> str:
    document = docx.Document(path)
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _as_pdf(paths: list[str], outdir: Path) -> list[Path]:
    return [convert_to_pdf(Path(path), outdir / str(i)) for i, path in enumerate(paths)]


@pytest.fixture
def office(tmp_path: Path) -> Path:
    home = tmp_path / "kantor"
    assert pipeline(tmp_path, "init", str(home)).returncode == 0
    return home


def test_accept_to_completed_with_every_document(office: Path, tmp_path: Path):
    letter_pdf(office / "inbox" / "surat.pdf", Submission(), with_form=True)
    pipeline(office, "watch", "--once")
    for action in ("accept", "dispose", "submit-analysis", "complete"):
        done = pipeline(
            office,
            "advance",
            "1",
            action,
            "--by",
            "Pejabat Uji",
            "--note",
            f"catatan {action} https://api.example.go.id/v1",
        )
        assert done.returncode == 0, done.stderr
    state = _state(office, 1)
    assert state["status"] == "completed"
    actions = [e["action"] for e in state["events"]]  # type: ignore[attr-defined]
    for action in ("diterima", "lengkap", "accept", "dispose", "submit-analysis", "complete"):
        assert action in actions
    documents = state["documents"]
    assert [d["kind"] for d in documents] == [  # type: ignore[attr-defined]
        "lembar-disposisi-kadis",
        "lembar-disposisi-kabid",
        "laporan-hasil-analisis",
        "surat-selesai-integrasi",
    ]
    paths = [d["path"] for d in documents]  # type: ignore[attr-defined]
    for path, document in zip(paths, documents, strict=True):  # type: ignore[arg-type]
        text = _text(path)
        assert not any(mark in text for mark in SYNTAX)
        assert "555/787-Dinkes/X/2026" in text or "Dinas Kesehatan" in text
        verified = pipeline(office, "verify", path)
        assert verified.returncode == 0 and document["doc_id"] in verified.stdout
    for pdf in _as_pdf(paths, tmp_path / "pdf"):
        with pdfplumber.open(pdf) as opened:
            printed = "\n".join(page.extract_text() or "" for page in opened.pages)
        assert not any(mark in printed for mark in SYNTAX)
        assert "Dinas Kesehatan" in printed


def test_rejection_and_a_voided_number(office: Path):
    letter_pdf(office / "inbox" / "surat.pdf", Submission(), with_form=True)
    pipeline(office, "watch", "--once")
    done = pipeline(office, "advance", "1", "reject", "--note", "Subdomain sudah dipakai")
    assert done.returncode == 0
    state = _state(office, 1)
    assert state["status"] == "rejected"
    [_, letter] = state["documents"]  # type: ignore[misc]
    assert letter["kind"] == "surat-penolakan" and "Subdomain sudah dipakai" in _text(
        letter["path"]
    )
    number = letter["number"]
    assert pipeline(office, "void-number", number, "--reason", "Salah alamat").returncode == 0
    again = pipeline(office, "void-number", number, "--reason", "Lagi")
    assert again.returncode == 5 and "sudah dibatalkan" in again.stderr


def test_incomplete_until_the_form_arrives_late(office: Path):
    sub = Submission()
    letter_pdf(office / "inbox" / "surat.pdf", sub)
    pipeline(office, "watch", "--once")
    waiting = _state(office, 1)
    assert waiting["status"] == "incomplete" and "formulir_pengajuan" in waiting["missing"]  # type: ignore[operator]
    assert pipeline(office, "advance", "1", "accept").returncode == 5
    form_pdf(office / "inbox" / "formulir-susulan.pdf", sub)
    pipeline(office, "watch", "--once")
    done = _state(office, 1)
    assert done["status"] == "awaiting_kadis"
    assert [d["kind"] for d in done["documents"]] == ["lembar-disposisi-kadis"]  # type: ignore[attr-defined]
