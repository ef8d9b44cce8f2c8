"""A clerk corrects a field the reader got wrong, or confirms a flagged one as right; the old
and new value, or the confirmation, go into the history. The same for the header of a letter
that is no request (*surat lain*): its number, date, sender and subject."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from pipeline.errors import NotFoundError, PipelineError
from pipeline.extract.contact import normalize_nip
from pipeline.fields import FIELD_BY_NAME, LETTER_HEADER, label_of
from pipeline.register.fulltext import index_request
from pipeline.register.tables import ReceivedFile, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.intake.pairing import missing_of
from pipeline.service.intake.requests import complete_request
from pipeline.service.paperwork.versions import renew_documents
from pipeline.service.steps.history import record
from pipeline.workflow import Action, Status

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class InvalidCorrectionError(PipelineError):
    """A field that cannot be corrected or a value that is not valid for it."""


def correct_field(
    services: Services, request_id: int, field: str, value: str, who: str
) -> tuple[str | None, str | None]:
    """Set `field` to `value` (empty clears it); returns (old, new). One transaction writes the
    value, its provenance ("koreksi" by whom), the event with old → new, and a new version of
    each document in force that prints the field and is not signed yet."""
    if field not in FIELD_BY_NAME:
        raise InvalidCorrectionError(f"Isian '{field}' tidak bisa dikoreksi.")
    new = _normalized(field, value)
    now = now_utc()
    with Session(services.engine) as session:
        request = _load(session, request_id)
        column = FIELD_BY_NAME[field].column
        old = getattr(request, column)
        if old == new:
            return old, new
        setattr(request, column, new)
        request.provenance = {**request.provenance, field: _corrected(new, who)}
        request.missing = missing_of(request)
        request.updated_at = now
        session.add(request)
        index_request(session, request)  # search finds the corrected value at once
        record(
            session,
            Action.CORRECTED,
            request_id=request.id,
            actor=who,
            note=_changed(field, old, new),
            at=now,
        )
        renew_documents(services, session, request, [field], now)
        if not request.missing and request.status == Status.INCOMPLETE.value:
            complete_request(services, session, request, now)
        session.commit()
        return old, new


def confirm_field(services: Services, request_id: int, field: str, who: str) -> str | None:
    """A person checked a flagged value against the letter and it is right: it leaves the
    'perlu diperiksa' list for good, and the history says who confirmed it. Returns the value."""
    if field not in FIELD_BY_NAME:
        raise InvalidCorrectionError(f"Isian '{field}' tidak bisa dikonfirmasi.")
    now = now_utc()
    with Session(services.engine) as session:
        request = _load(session, request_id)
        value: str | None = getattr(request, FIELD_BY_NAME[field].column)
        source = request.provenance.get(field)
        if source is None or value is None:
            raise _nothing_to_confirm(field)
        if source.get("confirmed_by"):
            return value
        request.provenance = {**request.provenance, field: _confirmed(source, who, now)}
        request.updated_at = now
        session.add(request)
        record(
            session,
            Action.CONFIRMED,
            request_id=request.id,
            actor=who,
            note=_checked(field, value),
            at=now,
        )
        session.commit()
        return value


def correct_other_letter(
    services: Services, file_id: int, field: str, value: str, who: str
) -> tuple[str | None, str | None]:
    """Set a header field of a letter that is no request to `value` (empty clears it); returns
    (old, new). The value stays as typed and no longer waits for review; the file's history
    says old → new and by whom."""
    if field not in LETTER_HEADER:
        raise InvalidCorrectionError(f"Isian '{field}' tidak bisa dikoreksi pada surat lain.")
    new = _normalized(field, value)
    with Session(services.engine) as session:
        letter = _other_letter(session, file_id)
        old = letter.fields.get(field, {}).get("value")
        if old == new:
            return old, new
        source = {"value": new, **_corrected(new, who)}
        _rewrite(session, letter, field, source, Action.CORRECTED, _changed(field, old, new), who)
        return old, new


def confirm_other_letter(services: Services, file_id: int, field: str, who: str) -> str:
    """A person checked a flagged header value of a letter that is no request against the
    letter and it is right: it no longer waits for review. Returns the value."""
    if field not in LETTER_HEADER:
        raise InvalidCorrectionError(f"Isian '{field}' tidak bisa dikonfirmasi pada surat lain.")
    now = now_utc()
    with Session(services.engine) as session:
        letter = _other_letter(session, file_id)
        source = letter.fields.get(field)
        value: str | None = source.get("value") if source else None
        if source is None or not value:
            raise _nothing_to_confirm(field)
        if not source.get("confirmed_by"):
            confirmed = _confirmed(source, who, now)
            _rewrite(
                session, letter, field, confirmed, Action.CONFIRMED, _checked(field, value), who
            )
        return value


def _rewrite(
    session: Session,
    letter: ReceivedFile,
    field: str,
    source: dict[str, Any],
    action: Action,
    note: str,
    who: str,
) -> None:
    """A header field of a letter that is no request replaced, with the file's history entry
    saying so, in one transaction."""
    letter.fields = {**letter.fields, field: source}
    session.add(letter)
    record(session, action, request_id=None, file_id=letter.id, actor=who, note=note)
    session.commit()


def _nothing_to_confirm(field: str) -> InvalidCorrectionError:
    return InvalidCorrectionError(
        f"{label_of(field)} belum terisi, jadi tidak ada yang bisa dikonfirmasi.",
        hint="Isi nilainya dengan Koreksi.",
    )


def _corrected(new: str | None, who: str) -> dict[str, Any]:
    """The provenance of a value a person typed."""
    return {
        "rule": "koreksi",
        "page": None,
        "matched": new or "",
        "confidence": 1.0,
        "corrected": True,
        "ocr": False,
        "by": who,
    }


def _confirmed(source: dict[str, Any], who: str, now: datetime) -> dict[str, Any]:
    return {**source, "confirmed_by": who, "confirmed_at": now.isoformat()}


def _changed(field: str, old: str | None, new: str | None) -> str:
    return f"{label_of(field)}: '{old or '-'}' → '{new or '-'}'"


def _checked(field: str, value: str) -> str:
    return f"{label_of(field)} '{value}' sudah diperiksa dan benar."


def _other_letter(session: Session, file_id: int) -> ReceivedFile:
    letter = session.get(ReceivedFile, file_id)
    if letter is None or letter.request_id is not None:  # as service.queries.listing lists them
        raise NotFoundError(f"Berkas {file_id} tidak ada di daftar surat lain.")
    return letter


def _load(session: Session, request_id: int) -> Request:
    request = session.get(Request, request_id)
    if request is None:
        raise NotFoundError(f"Permohonan dengan ID {request_id} tidak ada di register.")
    return request


def _normalized(field: str, value: str) -> str | None:
    text = " ".join(value.split())
    if not text:
        return None
    if field == "tanggal_surat":
        return _iso_date(text)
    if field == "subdomain":
        return text.lower()
    if field == "penanggung_jawab.nip":
        return _nip(text)
    return text


def _nip(text: str) -> str:
    """Stored as the form reader stores it: 18 digits without the spaces."""
    nip = normalize_nip(text)
    if nip is None:
        raise InvalidCorrectionError(
            f"NIP '{text}' tidak sah.", hint="Tulis 18 angka, misalnya 19761107 200309 1 003."
        )
    return nip


def _iso_date(text: str) -> str:
    found = _DMY.match(text)
    try:
        if found:
            day, month, year = (int(g) for g in found.groups())
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise InvalidCorrectionError(
            f"Tanggal '{text}' tidak sah.", hint="Tulis sebagai 2026-10-05 atau 05-10-2026."
        ) from exc
