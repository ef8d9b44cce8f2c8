"""One request: fields with provenance, files, documents, history, deadline, actions."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import FileResponse, RedirectResponse

from pipeline.errors import ConflictError, PipelineError, UnreadableFileError
from pipeline.fields import FIELDS, value_in
from pipeline.service.display import now_utc, status_text
from pipeline.service.paperwork.attachments import (
    Download,
    browser_preview,
    files_of,
    original_file,
    straightened_page,
)
from pipeline.service.paperwork.rendering import shown_value, typed_value
from pipeline.service.paperwork.versions import DOCX, FORMS, document_file, documents_for_page
from pipeline.service.queries.listing import show_request
from pipeline.service.steps.advance import REJECT, advance
from pipeline.service.steps.corrections import confirm_field, correct_field
from pipeline.web.auth import Forbidden, SignedIn, check_csrf, services_of
from pipeline.web.paths import existing_ids
from pipeline.web.roles import ACTION_LABELS, actions_for, may_act, may_correct
from pipeline.web.templating import page

router = APIRouter(prefix="/permohonan/{request_id}", dependencies=[Depends(existing_ids)])
MAX_UPLOAD = 50 * 1024 * 1024
# Every file the page hands out: no script in it may run against the app, the browser never
# second-guesses its type, and no copy of a letter stays in a shared computer's cache.
FILE_HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@router.get("")
def request_page(request: Request, request_id: int, me: SignedIn) -> Response:
    services = services_of(request)
    shown = show_request(services, request_id)
    return page(
        request,
        "request.html",
        me=me,
        r=shown,
        fields=_fields(shown),
        files=files_of(services, request_id),
        documents=documents_for_page(services, request_id),
        clock=deadline_clock(shown["due_at"]),
        actions=[(a, ACTION_LABELS[a]) for a in actions_for(me.role, shown["status"])],
        may_correct=may_correct(me.role),
    )


def _fields(shown: dict[str, Any]) -> list[dict[str, Any]]:
    provenance = shown["provenance"]
    rows = []
    for field in FIELDS:
        value = value_in(shown, field)
        rows.append(
            {
                "name": field.name,
                "label": field.label,
                "hint": field.hint,
                "value": shown_value(field, value),
                "typed": typed_value(field, value),
                "source": provenance.get(field.name),
                "review": field.name in shown["needs_review"],
            }
        )
    return rows


def deadline_clock(due_iso: str | None, now: datetime | None = None) -> dict[str, Any] | None:
    """'sisa 1 hari 3 jam' or 'terlambat 5 jam' against the step's deadline."""
    if not due_iso:
        return None
    due = datetime.fromisoformat(due_iso)
    left = (due - (now or now_utc())).total_seconds()
    minutes = int(abs(left) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} hari"] if days else []
    parts += [f"{hours} jam"] if hours or days else []
    parts += [] if days else [f"{mins} menit"]
    text = " ".join(parts)
    late = left < 0
    return {"due": due_iso, "late": late, "text": f"terlambat {text}" if late else f"sisa {text}"}


@router.get("/berkas/{file_id}")
def original(
    request: Request, request_id: int, file_id: int, me: SignedIn, lihat: bool = False
) -> Response:
    return served_original(original_file(services_of(request), request_id, file_id), lihat)


def served_original(found: Download, lihat: bool) -> Response:
    """An original as the browser gets it: shown (PDF, PNG, JPEG; a TIFF scan redrawn as PNG)
    when `lihat` asks for it and it can be, else a download; sandboxed either way."""
    converted = browser_preview(found) if lihat else None
    if converted is not None:
        return Response(converted, media_type="image/png", headers=FILE_HEADERS)
    shown = lihat and found.inline
    return FileResponse(
        found.path,
        media_type=found.served_as,
        filename=found.name,
        content_disposition_type="inline" if shown else "attachment",
        headers=FILE_HEADERS,
    )


@router.get("/berkas/{file_id}/halaman-dibaca")
def straightened(request: Request, request_id: int, file_id: int, me: SignedIn) -> Response:
    """A phone photo's page as the OCR read it: found on the desk and straightened."""
    found = straightened_page(services_of(request), request_id, file_id)
    return FileResponse(
        found.path,
        media_type=found.media_type,
        filename=found.name,
        content_disposition_type="inline",
        headers=FILE_HEADERS,
    )


@router.get("/dokumen/{document_id}")
def document(
    request: Request,
    request_id: int,
    document_id: int,
    me: SignedIn,
    bentuk: str = DOCX,
    lihat: bool = False,
) -> Response:
    """A generated document: its DOCX (the default), its PDF copy or its signed PDF; a PDF
    with `lihat` is shown in the page."""
    form = bentuk if bentuk in FORMS else DOCX
    found = document_file(services_of(request), request_id, document_id, form)
    return FileResponse(
        found.path,
        media_type=found.media_type,
        filename=found.name,
        content_disposition_type="inline" if lihat and form != DOCX else "attachment",
        headers=FILE_HEADERS,
    )


@router.post("/koreksi", dependencies=[Depends(check_csrf)])
def correction(
    request: Request,
    request_id: int,
    me: SignedIn,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
) -> Response:
    if not may_correct(me.role):
        raise Forbidden("Hanya sekretariat atau admin yang boleh mengoreksi isian permohonan.")
    correct_field(services_of(request), request_id, field, value, me.actor)
    return RedirectResponse(f"/permohonan/{request_id}#riwayat", status_code=303)


@router.post("/konfirmasi", dependencies=[Depends(check_csrf)])
def confirmation(
    request: Request, request_id: int, me: SignedIn, field: Annotated[str, Form()]
) -> Response:
    """A flagged value is right as read: it is marked checked without being typed again."""
    if not may_correct(me.role):
        raise Forbidden("Hanya sekretariat atau admin yang boleh mengonfirmasi isian permohonan.")
    confirm_field(services_of(request), request_id, field, me.actor)
    return RedirectResponse(f"/permohonan/{request_id}#isian", status_code=303)


@router.post("/tindakan", dependencies=[Depends(check_csrf)])
def action(
    request: Request,
    request_id: int,
    me: SignedIn,
    tindakan: Annotated[str, Form()],
    catatan: Annotated[str, Form()] = "",
    lampiran: Annotated[UploadFile | None, File()] = None,
) -> Response:
    if not may_act(me.role, tindakan):
        raise Forbidden(
            f"Akun Anda ({me.role_label}) tidak berwenang melakukan tindakan "
            f"'{ACTION_LABELS.get(tindakan, 'ini')}'."
        )
    services = services_of(request)
    if tindakan == REJECT and not catatan.strip():
        raise MissingReason(
            "Permohonan tidak ditolak: tulis alasan penolakannya. Alasan itu dicetak di surat "
            "penolakan untuk OPD."
        )
    status = show_request(services, request_id)["status"]
    if tindakan not in actions_for(me.role, status):
        raise StepTaken(
            f"Tindakan '{ACTION_LABELS[tindakan]}' tidak bisa dilakukan: permohonan ini sekarang "
            f"berstatus '{status_text(status)}'. Muat ulang halaman untuk melihat keadaannya."
        )
    who = me.actor
    with tempfile.TemporaryDirectory() as scratch:
        attachment = _saved_upload(lampiran, Path(scratch))
        advance(
            services,
            request_id,
            tindakan,
            note=catatan.strip() or None,
            by=who,
            attachment=attachment,
        )
    return RedirectResponse(f"/permohonan/{request_id}#riwayat", status_code=303)


class MissingReason(PipelineError):
    """Tolak without a reason (the service refuses it too; this says it in the page's words)."""


class StepTaken(ConflictError):
    """The request is no longer at the step the button was for (someone acted meanwhile)."""


def _saved_upload(upload: UploadFile | None, folder: Path) -> Path | None:
    """The uploaded attachment under its own base name in a scratch folder, or None."""
    if upload is None or not upload.filename:
        return None
    name = Path(upload.filename.replace("\\", "/")).name or "lampiran"
    target = folder / name
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(1024 * 1024):
            written += len(chunk)
            if written > MAX_UPLOAD:
                raise UnreadableFileError("Lampiran terlalu besar (paling besar 50 MB).")
            out.write(chunk)
    return target
