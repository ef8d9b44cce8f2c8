"""Real Tesseract on a handful of scans (the rest of the scan tests replay stored output)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from pipeline.readers.scan import serial_runner
from pipeline.service.context import make_matcher
from pipeline.service.intake.extracting import extract_path
from pipeline.settings import Settings
from tests.factories import Submission, letter_pdf
from tests.test_extract_corpus import flat, norm

SMALL = Path(__file__).parent / "corpus" / "scans_small"
CASES = sorted(SMALL.glob("*.expected.json"))
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


@needs_tesseract
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.split(".")[0])
def test_real_ocr_reads_the_key_fields_of_a_scan(case: Path):
    expected = json.loads(case.read_text(encoding="utf-8"))
    settings = Settings()
    result = extract_path(
        case.with_name(expected["file"]), settings, make_matcher(settings), serial_runner
    )
    assert result.extraction is not None
    assert result.extraction.kind.value == expected["kind"]
    got = flat(result.as_json(0.8)["fields"])
    wanted = flat(expected["fields"])
    right = sum(norm(k, got.get(k)) == norm(k, v) for k, v in wanted.items())
    assert right >= len(wanted) - 1, (got, wanted)
    assert result.document is not None and result.document.ocr_pages


@needs_tesseract
def test_a_page_scanned_upside_down_is_turned_and_read(tmp_path: Path):
    pdf = letter_pdf(tmp_path / "surat.pdf", Submission())
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(pdf))[0].render(scale=200 / 72, grayscale=True).to_pil()
    upside_down = tmp_path / "terbalik.png"
    page.rotate(180).save(upside_down, dpi=(200, 200))
    settings = Settings()
    result = extract_path(upside_down, settings, make_matcher(settings), serial_runner)
    assert result.extraction is not None
    assert result.extraction.value("nomor_surat") == "555/787-Dinkes/X/2026"


def test_without_tesseract_a_scan_waits_for_a_clerk_with_install_advice(tmp_path: Path):
    image = tmp_path / "foto.png"
    Image.new("L", (1200, 1700), 255).save(image)
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipeline",
            "--home",
            str(tmp_path),
            "extract",
            "--json",
            str(image),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    result = json.loads(done.stdout)
    assert result["ok"] is True and result["needs_ocr"] is True
    assert any("tesseract-ocr-ind" in p for p in result["problems"])
