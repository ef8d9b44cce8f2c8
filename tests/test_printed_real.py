"""Real layouts through OCR: digital files of ../shared/real printed and scanned, or printed
and photographed by a phone (`tests/corpus/printed.py`), so that what the text layer gives for
free — colons, the gap between the header block and the addressee, a PJ block's two columns —
has to be found again on a page OCR read. `python -m benchmarks.printed_real [--look photo]`
scores all of them."""

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
from tests.corpus.printed import (
    as_pdf,
    photographed_page,
    printed_pages,
    save_as_photo,
    save_as_scan,
)
from tests.real_split import REAL, truth_of
from tests.test_extract_corpus import flat, norm

pytestmark = [
    pytest.mark.skipif(not (REAL / "truth.jsonl").is_file(), reason="no ../shared/real"),
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract"),
    pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice"),
]

SURE = Settings().pembacaan.ambang_peluang
LETTER = "R010_wsb-template_surat-pengajuan-server_filled.pdf"
FORM = "R006_wsb-template_form-layanan-server_filled.docx"  # made PDF by LibreOffice
FILLED_FORM = "R007_wsb-template_form-layanan-server_filled.pdf"
BLANK_FORM = "R005_wsb-template_form-layanan-server_blank.docx"


@functools.cache
def _printed(name: str, folder: Path) -> Extraction:
    pdf = as_pdf(REAL / name, folder)
    scan = save_as_scan(printed_pages(pdf, name), folder / f"{Path(name).stem}_printed.pdf")
    document = with_ocr(read_file(scan), scan, serial_runner, timeout=300)
    return extract(document, make_matcher(Settings()))


@functools.cache
def _photographed(name: str, folder: Path, draw: str = "") -> Extraction:
    """`name` photographed; `draw` picks another photo of it (the look's seed is the name
    followed by it, as in `benchmarks/printed_real.py`'s further draws)."""
    pdf = as_pdf(REAL / name, folder)
    photo = folder / f"{Path(name).stem}{draw}_photo.jpg"
    seed = name + draw
    save_as_photo(photographed_page(pdf, seed), photo, seed)
    document = with_ocr(read_file(photo), photo, serial_runner, timeout=300)
    return extract(document, make_matcher(Settings()))


def _truth(name: str) -> dict[str, str]:
    """The person-read fields of a file of ../shared/real, flat and as the scorer compares
    them ('penanggung_jawab.nama'; the province left out of a Banten OPD's name)."""
    entry = next(e for e in truth_of("all") if e["file"] == name)
    return {field: norm(field, value) for field, value in flat(entry["fields"]).items()}  # type: ignore[arg-type]


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


def test_a_phone_photo_gives_no_badly_read_value_as_sure(folder: Path) -> None:
    """Class 8 on a phone photo (page about 120 dpi): Tesseract gave the subdomain's words
    0.22 ('sikesdla' for sikesda) and the model, whose curve turned up below the scores it was
    fitted on, made that 0.9997. A lower score never makes a value surer: every value given as
    sure is the person-read one."""
    extraction = _photographed(FILLED_FORM, folder)
    truth = _truth(FILLED_FORM)
    sure = {
        name: norm(name, value.value)
        for name, value in extraction.fields.items()
        if name in truth and value.provenance.confidence >= SURE
    }
    assert sure == {name: truth[name] for name in sure}
    assert "subdomain" in extraction.fields


def test_header_labels_the_page_layout_left_out_are_read_again(folder: Path) -> None:
    """Class 4 and 6 on a phone photo taken from further off (the page about 100 dpi, its
    strokes heavy once binarised): Tesseract's page layout dropped the whole column of header
    labels, Nomor to Perihal, while it read the values beside them, so the letter had no
    subject and was no request. Text lines of ink that no word box covers are read again."""
    extraction = _photographed(LETTER, folder, draw="8")
    assert extraction.kind is Kind.LETTER
    assert norm("perihal", extraction.fields["perihal"].value) == _truth(LETTER)["perihal"]
    assert extraction.fields["subdomain"].value == "sikesda.bantenprov.go.id"


def test_a_photographed_blank_template_has_no_contact(folder: Path) -> None:
    """Class 5 on a phone photo: '${penanggung_jawab_jabatan}' read as 'Mpenanggung jawab
    jabatan)' beside the next column's label ('“Alamat') is a blank, not a position."""
    fields = _photographed(BLANK_FORM, folder).fields
    assert not [name for name in fields if name.startswith("penanggung_jawab")]
