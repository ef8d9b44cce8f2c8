"""Real layouts through OCR: digital files of ../shared/real printed and scanned
(`tests/corpus/printed.py`), so that what the text layer gives for free — colons, the gap
between the header block and the addressee, a PJ block's two columns — has to be found again
on a page OCR read. `python -m benchmarks.printed_real` scores all of them."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.models import Extraction, Kind
from pipeline.readers import read_file
from pipeline.readers.scan import serial_runner, with_ocr
from pipeline.service.context import make_matcher
from pipeline.settings import Settings
from tests.corpus.printed import as_pdf, printed_pages, save_as_scan
from tests.real_split import REAL

pytestmark = [
    pytest.mark.skipif(not (REAL / "truth.jsonl").is_file(), reason="no ../shared/real"),
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract"),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice"),
]

SURE = Settings().pembacaan.ambang_peluang
LETTER = "R010_wsb-template_surat-pengajuan-server_filled.pdf"
FORM = "R006_wsb-template_form-layanan-server_filled.docx"  # made PDF by LibreOffice


@functools.cache
def _printed(name: str, folder: Path) -> Extraction:
    pdf = as_pdf(REAL / name, folder)
    scan = save_as_scan(printed_pages(pdf, name), folder / f"{Path(name).stem}_printed.pdf")
    document = with_ocr(read_file(scan), scan, serial_runner, timeout=300)
    return extract(document, make_matcher(Settings()))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("printed")


def test_a_subject_wrapped_round_its_label_beside_the_addressee_is_read(folder: Path) -> None:
    """Class 4 and 7 on OCR: the page reads 'Perihal' | 'Provinsi Banten' (the addressee's
    line beside the label, colon lost) between the subject's two lines. The subject is the
    value column's lines around the label, for review, and the letter is a request again."""
    extraction = _printed(LETTER, folder)
    perihal = extraction.fields["perihal"]
    assert perihal.value == "Permohonan Subdomain dan Hosting Aplikasi SIKESDA"
    assert perihal.provenance.confidence < SURE
    assert extraction.kind is Kind.LETTER
    assert extraction.fields["subdomain"].value == "sikesda.bantenprov.go.id"


def test_a_two_column_pj_block_without_its_colons_keeps_the_first_column(folder: Path) -> None:
    """Class 4 on OCR: 'Nama' | 'Rina Marlina, S.Kom., M.T.' | 'Nama' | 'Andi Pratama, S.T.'
    — the Teknis column's labels, one under the other, end the Administratif values."""
    fields = _printed(FORM, folder).fields
    assert fields["penanggung_jawab.nama"].value == "Rina Marlina, S.Kom., M.T."
    assert fields["penanggung_jawab.jabatan"].value == "Kepala Seksi Sistem Informasi Kesehatan"
    assert fields["penanggung_jawab.email"].value == "rina.marlina@bantenprov.go.id"
