"""New versions of a request's documents after a correction of its fields.

A document not yet signed is made again with the corrected values, in the same outbox folder
as the first one (`<kind>.v2.docx`, keeping its outgoing number); the old file and its row
stay, and the newest document of a kind is the one in force (the older ones read *diganti*).
A signed document is never touched: the page says it predates the correction. The page's
list of documents, and their PDF and DOCX files, come from here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from pipeline.errors import NotFoundError
from pipeline.extract.dates import format_tanggal
from pipeline.fields import missing_text
from pipeline.register.tables import Document, Event, Request
from pipeline.service.context import Services
from pipeline.service.intake.structure import request_tables
from pipeline.service.paperwork.attachments import Download, generated_document
from pipeline.service.paperwork.rendering import TITLES, make_document, template_uses
from pipeline.service.paperwork.sign import signed_path_of
from pipeline.service.steps.shortfall import KIND as SHORTFALL
from pipeline.service.steps.step_documents import STEP_DOCUMENTS, StepInput
from pipeline.workflow.deadlines import WIB


@dataclass(frozen=True)
class DocumentState:
    """Where a document stands: in force, replaced by a newer version, signed."""

    replaced_by: str | None  # doc_id of the version in force, when this one is replaced
    signed: bool


def document_states(documents: Sequence[Document]) -> dict[int, DocumentState]:
    """By row id: each kind's newest document is in force, the older ones were replaced."""
    newest: dict[str, Document] = {}
    for document in sorted(documents, key=lambda d: d.id or 0):
        newest[document.kind] = document
    return {
        d.id or 0: DocumentState(
            None if newest[d.kind] is d else newest[d.kind].doc_id,
            signed_path_of(d).is_file(),
        )
        for d in documents
    }


def renew_documents(
    services: Services, session: Session, request: Request, fields: Iterable[str], now: datetime
) -> list[Document]:
    """A new version of each document in force that prints one of `fields` and is not signed
    yet; returns the new documents."""
    changed = set(fields)
    rows = list(session.exec(select(Document).where(Document.request_id == request.id)))
    states = document_states(rows)
    made: list[Document] = []
    for old in rows:
        state = states[old.id or 0]
        if state.replaced_by or state.signed:
            continue
        template = services.templates / f"{old.kind}.docx"
        if not template.is_file() or not any(template_uses(template, f) for f in changed):
            continue
        out = _next_version(Path(old.path))
        title = TITLES.get(old.kind, old.kind)
        note = (
            f"{title} dibuat ulang setelah koreksi: {out.name}, menggantikan {old.doc_id} "
            "(berkas lama tetap disimpan)."
        )
        extra = _extra_of(session, request, old)
        made.append(
            make_document(
                services, session, request, old.kind, now, extra, old.number, out=out, note=note
            )
        )
    return made


def _next_version(path: Path) -> Path:
    """`<kind>.v2.docx`, `.v3.docx`, … beside the first one: never another folder."""
    stem = path.name.removesuffix(".docx").split(".v")[0]
    number = 2
    while (candidate := path.with_name(f"{stem}.v{number}.docx")).exists():
        number += 1
    return candidate


def _extra_of(session: Session, request: Request, old: Document) -> dict[str, Any]:
    """What the step that made `old` added to its template, as it was then."""
    tanggal = format_tanggal(old.created_at.astimezone(WIB).date())
    if old.kind == SHORTFALL:
        return {
            "surat_keluar": {"nomor": old.number or "-", "tanggal": tanggal, "tembusan": []},
            "kekurangan": [missing_text(m) for m in request.missing],
        }
    for action, spec in STEP_DOCUMENTS.items():
        if spec.kind != old.kind:
            continue
        step_event = session.exec(
            select(Event)
            .where(Event.request_id == request.id, Event.action == action)
            .order_by(col(Event.id).desc())
        ).first()
        note = step_event.note if step_event else None
        step = StepInput(note, old.created_at, request_tables(session, request.id or 0))
        return spec.extra(step, old.number)
    return {}


@dataclass(frozen=True)
class DocumentView:
    """A generated document as the request's page lists it."""

    id: int
    doc_id: str
    kind: str
    title: str
    number: str | None
    created_at: datetime
    replaced_by: str | None
    signed: bool
    has_pdf: bool
    corrected_after: datetime | None  # a signed document made before this correction


PDF = "pdf"
DOCX = "docx"
SIGNED = "ttd"
FORMS = (PDF, DOCX, SIGNED)


def documents_for_page(services: Services, request_id: int) -> list[DocumentView]:
    with Session(services.engine) as session:
        rows = list(
            session.exec(
                select(Document).where(Document.request_id == request_id).order_by(col(Document.id))
            )
        )
        corrections = [
            e.at
            for e in session.exec(
                select(Event).where(Event.request_id == request_id, Event.action == "koreksi")
            )
        ]
    states = document_states(rows)
    views = []
    for d in rows:
        state = states[d.id or 0]
        later = [at for at in corrections if at > d.created_at]
        views.append(
            DocumentView(
                d.id or 0,
                d.doc_id,
                d.kind,
                TITLES.get(d.kind, d.kind),
                d.number,
                d.created_at,
                state.replaced_by,
                state.signed,
                _pdf_of(d).is_file(),
                min(later) if state.signed and later else None,
            )
        )
    return views


def _pdf_of(document: Document) -> Path:
    return Path(document.pdf_path) if document.pdf_path else Path(document.path).with_suffix(".pdf")


def document_file(services: Services, request_id: int, document_id: int, form: str) -> Download:
    """The document's DOCX, its PDF copy or its signed PDF, each only from inside the
    workspace (the DOCX's row is checked; its copies lie beside it)."""
    docx = generated_document(services, request_id, document_id)
    if form == DOCX:
        return docx
    suffix = ".signed.pdf" if form == SIGNED else ".pdf"
    path = docx.path.with_name(docx.path.name.removesuffix(".docx") + suffix).resolve()
    home = services.settings.workspace.resolve()
    if not path.is_relative_to(home) or not path.is_file():
        missing = "bertanda tangan" if form == SIGNED else "PDF"
        raise NotFoundError(
            f"Salinan {missing} dokumen ini belum ada.",
            hint="Salinan PDF dibuat beberapa detik setelah dokumennya; muat ulang halaman.",
        )
    return Download(path, path.name, "application/pdf")
