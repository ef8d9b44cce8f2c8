"""Which request a letter or form belongs to, and what a request still lacks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from pipeline.fields import FIELDS, REQUIRED, Part
from pipeline.models import AGREED_CHANCE, Extraction, FieldValue, Kind, shown_confidence
from pipeline.register.tables import Request
from pipeline.workflow import Status


def brings(kind: Kind) -> tuple[bool, bool]:
    """(letter, form) parts a file of this kind brings."""
    return kind in (Kind.LETTER, Kind.LETTER_FORM), kind in (Kind.FORM, Kind.LETTER_FORM)


FINAL = (Status.REJECTED.value, Status.COMPLETED.value)


def find_request(
    session: Session, extraction: Extraction, now: datetime, pairing_days: int
) -> Request | None:
    """The request this file belongs to: the same letter or form sent again, or its partner."""
    return _sent_again(session, extraction) or find_partner(session, extraction, now, pairing_days)


def _sent_again(session: Session, extraction: Extraction) -> Request | None:
    """A letter with the same number from the same OPD (a re-export, the Word and the PDF)."""
    opd, nomor = extraction.value("opd"), extraction.value("nomor_surat")
    letter, _ = brings(extraction.kind)
    if not (letter and opd and nomor):
        return None
    query = select(Request).where(
        Request.opd == opd, Request.nomor_surat == nomor, col(Request.status).not_in(FINAL)
    )
    return session.exec(query.order_by(col(Request.received_at))).first()


def find_partner(
    session: Session, extraction: Extraction, now: datetime, pairing_days: int
) -> Request | None:
    """An incomplete request of the same OPD, lacking this part, with a matching key."""
    letter, form = brings(extraction.kind)
    opd = extraction.value("opd")
    if not opd or letter == form:
        return None
    query = select(Request).where(
        Request.status == Status.INCOMPLETE.value,
        Request.opd == opd,
        col(Request.received_at) >= now - timedelta(days=pairing_days),
    )
    query = query.where(Request.has_letter == False if letter else Request.has_form == False)  # noqa: E712
    for candidate in session.exec(query.order_by(col(Request.received_at))):
        if _same_subject(candidate, extraction):
            return candidate
    return None


def _same_subject(request: Request, extraction: Extraction) -> bool:
    subdomain, nomor = extraction.value("subdomain"), extraction.value("nomor_surat")
    return bool(
        (subdomain and request.subdomain == subdomain) or (nomor and request.nomor_surat == nomor)
    )


def merge_fields(request: Request, extraction: Extraction, file_name: str) -> list[str]:
    """Fill the request's empty fields from this file; report disagreements, keep the first."""
    problems: list[str] = []
    provenance: dict[str, Any] = dict(request.provenance)
    for field in FIELDS:
        found = extraction.fields.get(field.name)
        if found is None:
            continue
        current = getattr(request, field.column)
        if current is None:
            setattr(request, field.column, found.value)
            provenance[field.name] = {**found.provenance.as_dict(), "file": file_name}
        elif current == found.value:
            provenance[field.name] = _agreed(provenance.get(field.name), found, file_name)
        else:
            problems.append(
                f"{field.name}: '{found.value}' di {file_name} berbeda dengan '{current}'; "
                "mohon diperiksa petugas."
            )
    request.provenance = provenance
    letter, form = brings(extraction.kind)
    request.has_letter = request.has_letter or letter
    request.has_form = request.has_form or form
    return problems


def _agreed(kept: Any, found: FieldValue, file_name: str) -> dict[str, Any]:
    """A second file of the request read the same value independently (the form the letter's
    subdomain, a resent copy its number): two agreeing readings are sure."""
    earlier = dict(kept) if isinstance(kept, dict) else {}
    before = float(earlier.get("confidence", 0.0))
    confidence = max(before, found.provenance.confidence, AGREED_CHANCE)
    files = [name for name in (earlier.get("file"), file_name) if name]
    return {**earlier, "confidence": shown_confidence(confidence), "agreed": files}


def missing_of(request: Request) -> list[str]:
    missing = [] if request.has_letter else [Part.LETTER.value]
    missing += [] if request.has_form else [Part.FORM.value]
    missing += [f.name for f in REQUIRED if getattr(request, f.column) is None]
    return missing
