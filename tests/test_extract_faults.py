"""A fault nobody expected while reading one file's fields (a bug on one layout) is that file's
error: the other files read in the same batch keep their results. One IndexError on a single
real scan once lost a whole `pipeline extract` run of 56 files."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import OpdMatcher
from pipeline.models import Extraction, Media, ReadDocument
from pipeline.service.context import make_matcher
from pipeline.service.intake import extracting
from pipeline.settings import Settings
from tests.factories import Submission, letter_docx, letter_pdf


def test_one_files_fault_is_its_own_error_and_the_batch_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings()
    first = letter_pdf(tmp_path / "surat.pdf", Submission())
    second = letter_docx(tmp_path / "surat.docx", Submission())
    real_extract = extracting.extract

    def faulty_on_pdfs(document: ReadDocument, matcher: OpdMatcher) -> Extraction:
        if document.media is Media.PDF:  # the fault injected: a bug no file here triggers
            raise IndexError("list index out of range")
        return real_extract(document, matcher)

    monkeypatch.setattr(extracting, "extract", faulty_on_pdfs)
    results = extracting.extract_paths([first, second], settings, make_matcher(settings))
    broken, read = results
    assert not broken.ok and broken.error is not None
    assert broken.error.startswith("Isian tidak bisa dibaca: kesalahan tak terduga")
    assert read.ok and read.extraction is not None
    assert read.extraction.fields["opd"].value == "Dinas Kesehatan"
