"""Letter and form read the same value independently: the request holds it as sure."""

from __future__ import annotations

from pipeline.models import AGREED_CHANCE as AGREED
from pipeline.models import Extraction, FieldValue, Kind, Provenance
from pipeline.register.tables import Request
from pipeline.service.intake.pairing import merge_fields
from pipeline.service.queries.listing import needs_review
from pipeline.settings import Settings

SUBDOMAIN = "sikesehatan.bantenprov.go.id"
THRESHOLD = Settings().pembacaan.ambang_peluang


def _read(kind: Kind, value: str, confidence: float) -> Extraction:
    found = FieldValue(value, Provenance("subdomain/isi-surat", 1, value, confidence, ocr=True))
    return Extraction(kind=kind, fields={"subdomain": found})


def _request() -> Request:
    return Request(tahun_agenda=2026, nomor_agenda="001", status="incomplete", provenance={})


def test_a_doubted_value_the_other_part_reads_alike_becomes_sure() -> None:
    request = _request()
    assert merge_fields(request, _read(Kind.LETTER, SUBDOMAIN, 0.55), "surat.jpg") == []
    assert needs_review(request.provenance, THRESHOLD) == ["subdomain"]
    assert merge_fields(request, _read(Kind.FORM, SUBDOMAIN, 0.62), "formulir.jpg") == []
    held = request.provenance["subdomain"]
    assert held["confidence"] == AGREED >= THRESHOLD
    assert held["agreed"] == ["surat.jpg", "formulir.jpg"]
    assert needs_review(request.provenance, THRESHOLD) == []


def test_parts_that_disagree_stay_doubted_and_are_reported() -> None:
    request = _request()
    merge_fields(request, _read(Kind.LETTER, SUBDOMAIN, 0.55), "surat.jpg")
    problems = merge_fields(request, _read(Kind.FORM, "sikesehatan2.bantenprov.go.id", 0.9), "f")
    assert problems and "berbeda" in problems[0]
    assert request.subdomain == SUBDOMAIN
    assert needs_review(request.provenance, THRESHOLD) == ["subdomain"]
