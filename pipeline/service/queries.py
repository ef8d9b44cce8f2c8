"""Register queries shared by the command line (and later the web page)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from pipeline.errors import NotFoundError
from pipeline.register.tables import Document, Event, ReceivedFile, Request, now_utc
from pipeline.service.context import Services
from pipeline.service.verify import add_signatures
from pipeline.workflow.deadlines import WIB

SEARCHED = (
    "nomor_surat",
    "perihal",
    "subdomain",
    "opd",
    "pj_nama",
    "nomor_agenda",
    "nomor_permohonan",
)
NUMBERED = ("nomor_surat", "nomor_agenda", "nomor_permohonan", "subdomain")


SORTABLE = ("received_at", "nomor_agenda", "opd", "status", "due_at", "subdomain")


@dataclass(frozen=True)
class RequestFilter:
    """What a clerk asks the register: the same object behind the CLI, exports and web page."""

    status: str | None = None
    opd: str | None = None
    q: str | None = None  # free text over the letters' fields and text
    nomor: str | None = None  # nomor surat, nomor agenda, nomor permohonan or subdomain
    since: date | None = None  # received on or after (WIB date)
    until: date | None = None  # received on or before (WIB date)
    overdue: bool = False
    sort: str = "received_at"  # one of SORTABLE
    descending: bool = True
    limit: int | None = None
    offset: int = 0


def list_requests(services: Services, flt: RequestFilter) -> list[dict[str, Any]]:
    with Session(services.engine) as session:
        query = _filtered(select(Request), flt)
        column = getattr(Request, flt.sort if flt.sort in SORTABLE else "received_at")
        order = col(column).desc() if flt.descending else col(column).asc()
        tie = col(Request.id).desc() if flt.descending else col(Request.id).asc()
        query = query.order_by(order, tie).offset(flt.offset)
        if flt.limit:
            query = query.limit(flt.limit)
        requests = list(session.exec(query))
        return _with_children(session, requests)


def count_requests(services: Services, flt: RequestFilter) -> int:
    with Session(services.engine) as session:
        query = _filtered(select(func.count()).select_from(Request), flt)
        return int(session.exec(query).one())


def status_counts(services: Services, flt: RequestFilter) -> dict[str, int]:
    """How many requests per status among those the filter (without its status) selects."""
    with Session(services.engine) as session:
        base = replace(flt, status=None)
        query = _filtered(select(Request.status, func.count()).group_by(Request.status), base)
        return {status: int(n) for status, n in session.exec(query)}


def _filtered(query: Any, flt: RequestFilter) -> Any:
    if flt.status:
        query = query.where(Request.status == flt.status)
    if flt.opd:
        query = query.where(func.lower(col(Request.opd)).contains(flt.opd.lower()))
    if flt.q:
        needle = flt.q.lower()
        query = query.where(
            or_(*(func.lower(getattr(Request, c)).contains(needle) for c in SEARCHED))
        )
    if flt.nomor:
        wanted = flt.nomor.strip().lower()
        query = query.where(or_(*(func.lower(getattr(Request, c)) == wanted for c in NUMBERED)))
    if flt.since:
        query = query.where(col(Request.received_at) >= _wib_midnight(flt.since))
    if flt.until:
        query = query.where(col(Request.received_at) < _wib_midnight(flt.until + timedelta(days=1)))
    if flt.overdue:
        query = query.where(col(Request.due_at) < now_utc())
    return query


def _wib_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=WIB)


def show_request(services: Services, request_id: int) -> dict[str, Any]:
    with Session(services.engine) as session:
        request = session.get(Request, request_id)
        if request is None:
            raise NotFoundError(
                f"Permohonan dengan ID {request_id} tidak ada di register.",
                hint="Lihat daftar ID dengan `pipeline register list`.",
            )
        shown = _with_children(session, [request])[0]
        events = session.exec(
            select(Event)
            .where(Event.request_id == request_id)
            .order_by(col(Event.at), col(Event.id))
        )
        shown["events"] = [_event_json(e) for e in events]
        shown["provenance"] = request.provenance
        shown["problems"] = request.problems
        threshold = services.settings.extraction.review_threshold
        shown["needs_review"] = [
            k for k, p in request.provenance.items() if float(p.get("confidence", 1.0)) < threshold
        ]
    add_signatures(services.settings, shown)
    return shown


def _with_children(session: Session, requests: Sequence[Request]) -> list[dict[str, Any]]:
    ids = [r.id for r in requests]
    files: dict[int, list[dict[str, Any]]] = defaultdict(list)
    docs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if ids:
        for f in session.exec(
            select(ReceivedFile)
            .where(col(ReceivedFile.request_id).in_(ids))
            .order_by(col(ReceivedFile.id))
        ):
            files[f.request_id or 0].append(
                {
                    "name": f.original_name,
                    "sha256": f.sha256,
                    "kind": f.kind,
                    "needs_ocr": f.needs_ocr,
                    "signed": f.signed,
                    "archived_path": f.archived_path,
                }
            )
        for d in session.exec(
            select(Document).where(col(Document.request_id).in_(ids)).order_by(col(Document.id))
        ):
            docs[d.request_id].append(
                {
                    "kind": d.kind,
                    "path": d.path,
                    "pdf_path": d.pdf_path,
                    "number": d.number,
                    "doc_id": d.doc_id,
                }
            )
    return [_request_json(r, files[r.id or 0], docs[r.id or 0]) for r in requests]


def _request_json(
    r: Request, files: list[dict[str, Any]], docs: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": r.id,
        "nomor_agenda": r.nomor_agenda,
        "nomor_permohonan": r.nomor_permohonan,
        "nomor_surat": r.nomor_surat,
        "tanggal_surat": r.tanggal_surat,
        "opd": r.opd,
        "perihal": r.perihal,
        "subdomain": r.subdomain,
        "penanggung_jawab": {
            "nama": r.pj_nama,
            "telepon": r.pj_telepon,
            "email": r.pj_email,
            "jabatan": r.pj_jabatan,
        },
        "status": r.status,
        "missing": list(r.missing),
        "received_at": r.received_at.astimezone(WIB).isoformat(),
        "due_at": r.due_at.astimezone(WIB).isoformat() if r.due_at else None,
        "files": files,
        "documents": docs,
    }


def _event_json(e: Event) -> dict[str, Any]:
    return {
        "at": e.at.astimezone(WIB).isoformat(),
        "who": e.who,
        "action": e.action,
        "from": e.from_status,
        "to": e.to_status,
        "note": e.note,
    }


def other_files(services: Services) -> list[dict[str, Any]]:
    """Letters that are not integration requests, for a clerk to route by hand."""
    with Session(services.engine) as session:
        rows = session.exec(
            select(ReceivedFile)
            .where(ReceivedFile.request_id == None)  # noqa: E711
            .order_by(col(ReceivedFile.id))
        )
        return [
            {
                "name": f.original_name,
                "sha256": f.sha256,
                "kind": f.kind,
                "received_at": f.received_at.astimezone(WIB).isoformat(),
                "nomor_surat": f.fields.get("nomor_surat", {}).get("value"),
                "opd": f.fields.get("opd", {}).get("value"),
            }
            for f in rows
        ]
