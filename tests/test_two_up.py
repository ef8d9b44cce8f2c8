"""Two pages side by side on one scanned sheet (an A3 copy, a copier's two-up setting): each
page is read as a page of its own — scaled up, cleaned, turned upright by itself, its unsure
lines and its letter number read again — and the document's pages are numbered on after it,
so the letter's header is read from its first page as in the original scan."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.models import Cell, Media, Page, ReadDocument, TextLine
from pipeline.readers.ocr import OcrPage, SheetLines, ocr_page
from pipeline.readers.replay import cached_runner
from pipeline.readers.scan import OcrJob, serial_runner, with_ocr_many
from pipeline.service.context import make_matcher
from pipeline.service.intake.extracting import FileResult, extract_path
from pipeline.settings import Settings
from tests.corpus.two_up import grey_pages, two_up_copy
from tests.real_split import REAL, truth_of

needs_real = pytest.mark.skipif(not (REAL / "truth.jsonl").is_file(), reason="no ../shared/real")
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="no tesseract")


def truth(name: str) -> dict[str, object]:
    [entry] = [e for e in truth_of("all") if e["file"] == name]
    return cast("dict[str, object]", entry["fields"])


@functools.cache
def two_up_result(name: str, turn: int, folder: Path) -> FileResult:
    target = folder / f"{Path(name).stem}_two-up-{turn}.pdf"
    two_up_copy(REAL / name, target, turn)
    settings = Settings()
    return extract_path(target, settings, make_matcher(settings), serial_runner)


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("two-up")


@needs_real
@needs_tesseract
@pytest.mark.slow
def test_a_four_page_letter_copied_two_up_on_its_side_reads_like_the_letter(sheets: Path) -> None:
    """D016's four pages on two sheets, each sheet turned 90°: four pages come back, and the
    number and date are read from the first."""
    name = "D016_kemenkes-bapelkes-smg_pengantar.pdf"
    result = two_up_result(name, 90, sheets)
    assert result.document is not None
    assert [page.number for page in result.document.pages] == [1, 2, 3, 4]
    assert result.document.ocr_pages == (1, 2, 3, 4)
    fields = result.extraction.fields if result.extraction else {}
    wanted = truth(name)
    assert fields["nomor_surat"].value == wanted["nomor_surat"]
    assert fields["nomor_surat"].provenance.page == 1
    assert fields["tanggal_surat"].value == wanted["tanggal_surat"]


@needs_real
@needs_tesseract
@pytest.mark.slow
def test_a_letter_beside_its_sideways_table_is_split_and_each_page_turned(sheets: Path) -> None:
    """D020's letter with its attachment, a landscape table printed across a portrait page:
    the sheet still splits at the gutter (only the letter's lines run across it), the table's
    page is turned upright by itself, and the letter's header is read."""
    name = "D020_kejari-jepara_permohonan.pdf"
    result = two_up_result(name, 0, sheets)
    assert result.document is not None
    assert len(result.document.pages) == 2
    fields = result.extraction.fields if result.extraction else {}
    wanted = truth(name)
    for field in ("nomor_surat", "tanggal_surat", "perihal"):
        assert fields[field].value == wanted[field], field
    table = " ".join(line.text for line in result.document.pages[1].lines).casefold()
    assert "pengobatan tradisional" in table


def line(page: int, text: str) -> TextLine:
    return TextLine(page, (Cell(0.0, text, 0.9),), 595.0)


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(min_value=0, max_value=2)), min_size=1, max_size=6
    )
)
def test_pages_are_numbered_on_after_a_sheet_that_held_two(plan: list[tuple[bool, int]]) -> None:
    """Any mix of text-layer pages and scanned sheets of one or two pages: the document's
    pages run 1, 2, 3… in reading order, each line carries its page's number, nothing is lost,
    and `ocr_pages` names exactly the pages OCR read."""
    pages = tuple(
        Page(n, (line(n, f"layer {n}"),) if has_text else (), has_text)
        for n, (has_text, _) in enumerate(plan, start=1)
    )
    doc = ReadDocument(Media.PDF, pages, needs_ocr=True)
    halves = {n: max(count, 1) for n, (has_text, count) in enumerate(plan, start=1)}

    def runner(jobs: list[OcrJob]) -> list[SheetLines]:
        return [
            [[line(job.page, f"sheet {job.page} half {h}")] for h in range(halves[job.page])]
            for job in jobs
        ]

    [filled] = with_ocr_many([(doc, Path("scan.pdf"))], runner, timeout=10)
    expected: list[str] = []
    for n, (has_text, _) in enumerate(plan, start=1):
        expected += (
            [f"layer {n}"] if has_text else [f"sheet {n} half {h}" for h in range(halves[n])]
        )
    assert [ln.text for p in filled.pages for ln in p.lines] == expected
    assert [p.number for p in filled.pages] == list(range(1, len(filled.pages) + 1))
    assert all(ln.page == p.number for p in filled.pages for ln in p.lines)
    scanned = tuple(p.number for p in filled.pages if p.lines[0].text.startswith("sheet"))
    if scanned:
        assert filled.ocr_pages == scanned


def test_a_two_page_sheet_is_kept_in_the_ocr_cache_as_two_pages(tmp_path: Path) -> None:
    """The OCR cache keeps both pages of a two-up sheet: the second reading of the file
    costs no OCR and gives the same two pages."""
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 two-up sheet\n")
    calls: list[int] = []

    def inner(jobs: list[OcrJob]) -> list[SheetLines]:
        calls.append(len(jobs))
        return [[[line(job.page, "left")], [line(job.page, "right")]] for job in jobs]

    cached = cached_runner(inner, tmp_path / "ocr")
    job = OcrJob(str(scan), Media.PDF, 1, 10)
    first = cached([job])
    again = cached([job])
    assert calls == [1]
    assert again == first
    assert [[ln.text for ln in page] for page in again[0]] == [["left"], ["right"]]


@needs_real
@needs_tesseract
@pytest.mark.slow
def test_a_sheet_on_its_side_with_one_page_across_the_other_is_split(sheets: Path) -> None:
    """D013's covering letter and its landscape attachment on one sheet, turned 90°: the
    table then stands upright and the letter lies on its side, so the page reads well enough
    for no turn to be tried; the blank band between them and the letter lying on its side
    still make it two pages, and the letter is read upright — its number, and no subject
    taken from the attachment's header (which cites another letter's)."""
    name = "D013_pkm-mayong2_pengantar.pdf"
    result = two_up_result(name, 90, sheets)
    assert result.document is not None
    assert len(result.document.pages) == 2
    fields = result.extraction.fields if result.extraction else {}
    assert fields["nomor_surat"].value == truth(name)["nomor_surat"]
    assert "perihal" not in fields


@needs_real
@needs_tesseract
def test_an_upright_letter_whose_signatures_stand_apart_stays_one_page() -> None:
    """R001: a short letter whose two signature columns stand below a blank band, as a
    sheet's second page would; both parts stand upright, so it is one page."""
    page = grey_pages(REAL / "R001_wsb-desa-batursari_permohonan-subdomain_scan.pdf", 300, 1)[0]
    assert len(ocr_page(OcrPage(page, 1, 72 / 300), 300)) == 1
