"""Documents for officials, rendered from the office's Word templates into outbox/."""

from __future__ import annotations

import re
import secrets
import zipfile
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pipeline.documents import QrCode, render_docx
from pipeline.extract.dates import format_tanggal
from pipeline.fields import FIELD_BY_NAME, FIELDS, LETTER_HEADER, PERSON, Field
from pipeline.register.numbering import next_number
from pipeline.register.tables import Document, Request
from pipeline.service.context import Services
from pipeline.service.paperwork.pdf_copies import PdfJob
from pipeline.service.steps.history import record
from pipeline.settings import Settings
from pipeline.workflow import Action
from pipeline.workflow.deadlines import WIB

DISPOSISI_KADIS = "lembar-disposisi-kadis"
EMPTY = "-"
# The penanggung jawab in the templates' context: permohonan.penanggung_jawab.<key>.
PERSON_KEYS = tuple((f.person_key, f) for f in FIELDS if f.person_key)
TITLES = {
    DISPOSISI_KADIS: "Lembar disposisi Kepala Dinas",
    "lembar-disposisi-kabid": "Lembar disposisi Kepala Bidang",
    "laporan-hasil-analisis": "Laporan hasil analisis",
    "surat-selesai-integrasi": "Surat selesai integrasi",
    "surat-penolakan": "Surat penolakan",
    "surat-kekurangan-berkas": "Surat kekurangan berkas",
}


def make_document(
    services: Services,
    session: Session,
    request: Request,
    kind: str,
    now: datetime,
    extra: Mapping[str, Any] | None = None,
    number: str | None = None,
    out: Path | None = None,
    note: str | None = None,
) -> Document:
    """Render template `kind` for `request` into its outbox folder (or to `out`) and record
    it; `note` is what the history says about it (by default: made)."""
    doc_id, token = _document_id(session, now), secrets.token_urlsafe(9)
    base = disposisi_context(services.settings, request, doc_id, now, token)
    context = {**base, **(extra or {})}
    out = out or request_folder(services, request, session) / f"{kind}.docx"
    render_docx(services.templates / f"{kind}.docx", context, out)
    document = Document(
        doc_id=doc_id,
        token=token,
        request_id=request.id or 0,
        kind=kind,
        path=str(out),
        number=number,
        created_at=now,
    )
    session.add(document)
    services.pdf_copies.submit(PdfJob(doc_id, out, token))
    title = TITLES.get(kind, kind)
    record(
        session,
        Action.DOCUMENT_MADE,
        request_id=request.id,
        note=note or f"{title} dibuat: {out.name} ({doc_id}).",
        at=now,
    )
    return document


def make_disposisi_kadis(
    services: Services, session: Session, request: Request, now: datetime
) -> Document:
    return make_document(services, session, request, DISPOSISI_KADIS, now)


def request_folder(services: Services, request: Request, session: Session | None = None) -> Path:
    """outbox/<year>/<nomor agenda> <OPD abbreviation>/ — or, once the request has documents,
    the folder they are in: a corrected OPD never splits a request's documents in two."""
    if session is not None and request.id is not None:
        first = session.exec(
            select(Document).where(Document.request_id == request.id).order_by(col(Document.id))
        ).first()
        if first is not None:
            return Path(first.path).parent
    entry = services.matcher.directory.by_name(request.opd) if request.opd else None
    opd = entry.short if entry else (request.opd or "")
    name = _safe(f"{request.nomor_agenda} {opd}".strip())
    return services.settings.outbox / str(request.tahun_agenda) / name


def _safe(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|]+", "-", name)[:120]


def _document_id(session: Session, now: datetime) -> str:
    return f"D-{now.year}-{next_number(session, f'dokumen:{now.year}'):06d}"


def disposisi_context(
    settings: Settings, request: Request, doc_id: str, now: datetime, token: str = "contoh"
) -> dict[str, Any]:
    """What every template may use: the office, its officials, the letter and the request."""
    pejabat = settings.pejabat
    return {
        "kantor": settings.kantor.model_dump(),
        "kepala_dinas": pejabat.kepala_dinas.model_dump(exclude={"email"}),
        "kepala_bidang": pejabat.kepala_bidang.model_dump(exclude={"email"}),
        "kepala_seksi": pejabat.kepala_seksi.model_dump(exclude={"email"}),
        "surat": {
            "dari": _text(request.opd),
            "nomor": _text(request.nomor_surat),
            "tanggal": date_text(request.tanggal_surat),
            "perihal": _text(request.perihal),
            "sifat": "Biasa",
        },
        "permohonan": {
            "nomor_agenda": request.nomor_agenda,
            "nomor_permohonan": _text(request.nomor_permohonan),
            "diterima_tanggal": format_tanggal(request.received_at.astimezone(WIB).date()),
            "subdomain": _text(request.subdomain),
            PERSON: {key: _text(getattr(request, f.column)) for key, f in PERSON_KEYS},
        },
        "dokumen": {
            "id": doc_id,
            "dibuat": format_tanggal(now.astimezone(WIB).date()),
            "qr": QrCode(f"{settings.kantor.verifikasi_url}{token}"),
        },
    }


# Where each correctable field of a request appears in the templates' context (above).
FIELD_PLACEHOLDERS: dict[str, str] = {
    "nomor_surat": "surat.nomor",
    "tanggal_surat": "surat.tanggal",
    "opd": "surat.dari",
    "perihal": "surat.perihal",
    "subdomain": "permohonan.subdomain",
    "nomor_permohonan": "permohonan.nomor_permohonan",
    **{f.name: f"permohonan.{f.name}" for _, f in PERSON_KEYS},
}


def template_uses(template: Path, field: str) -> bool:
    """Whether the Word template prints the request's `field` (an unreadable template, or a
    field not known here, counts as printing it: better a needless new version than a
    document left with a wrong value)."""
    placeholder = FIELD_PLACEHOLDERS.get(field)
    if placeholder is None:
        return True
    try:
        with zipfile.ZipFile(template) as docx:
            xml = docx.read("word/document.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return True
    text = re.sub(r"<[^>]+>", "", xml)
    return re.search(rf"(?<![\w.]){re.escape(placeholder)}(?![\w.])", text) is not None


def _text(value: str | None) -> str:
    return value if value else EMPTY


def date_text(iso: str | None) -> str:
    return format_tanggal(date.fromisoformat(iso)) if iso else EMPTY


def shown_value(field: Field, value: str | None) -> str | None:
    """A field's value as a person reads it: the letter's date as '12 Desember 2019'."""
    return date_text(value) if field.name == "tanggal_surat" and value else value


def typed_value(field: Field, value: str | None) -> str | None:
    """A field's value as a person types it back when correcting it: a date as 05-10-2026."""
    if field.name == "tanggal_surat" and value:
        return date.fromisoformat(value).strftime("%d-%m-%Y")
    return value


def other_letter_header(row: Mapping[str, Any]) -> list[tuple[str | None, bool]]:
    """A *surat lain* row's header values (service.queries.listing.other_files) as a person
    reads them, each with whether it waits for review."""
    return [
        (shown_value(FIELD_BY_NAME[name], row[name]), name in row["needs_review"])
        for name in LETTER_HEADER
    ]
