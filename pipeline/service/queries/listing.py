"""Register queries shared by the command line (and later the web page)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, or_
from sqlmodel import Session, col, select

from pipeline.errors import NotFoundError
from pipeline.fields import LETTER_HEADER, REGISTER_ORDER, nested
from pipeline.reference import OpdDirectory
from pipeline.register.fulltext import holds_words, matching_ids, words
from pipeline.register.tables import Document, Event, ReceivedFile, Request, now_utc
from pipeline.register.tallies import read_tallies
from pipeline.service.context import Services
from pipeline.workflow import Status, action_label
from pipeline.workflow.deadlines import WIB

NUMBERED = ("nomor_surat", "nomor_agenda", "nomor_permohonan", "subdomain")
SORTABLE = ("received_at", "nomor_agenda", "opd", "status", "due_at", "subdomain")
NULLABLE_SORTS = ("opd", "due_at", "subdomain")
PROVINCE_DOMAIN = ".bantenprov.go.id"
COMMON_MATCHES = 10_000  # more matches than this: page along the sort index
_AROUND_SEPARATORS = re.compile(r"\s*([/.\-])\s*")
# The statuses in the order a request goes through the SOP (a rejection ends it at the
# Kepala Dinas, so it comes last): the register sorts and lists them this way.
SOP_ORDER: tuple[str, ...] = tuple(
    s.value
    for s in (
        Status.INCOMPLETE,
        Status.AWAITING_KADIS,
        Status.AWAITING_KABID,
        Status.IN_ANALYSIS,
        Status.IN_INTEGRATION,
        Status.COMPLETED,
        Status.REJECTED,
    )
)


@dataclass(frozen=True)
class RequestFilter:
    """What a clerk asks the register: the same object behind the CLI, exports and web page."""

    status: str | None = None
    opd: str | None = None  # part of the OPD's name, or its abbreviation (Dinkes)
    q: str | None = None  # words in the fields and letter text (the last one may be a prefix)
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
        query = _filtered(select(Request), flt, services, paged=True)
        query = query.order_by(*_ordering(flt))
        query = query.offset(flt.offset)
        if flt.limit:
            query = query.limit(flt.limit)
        requests = list(session.exec(query))
        return _with_children(session, requests)


def _ordering(flt: RequestFilter) -> tuple[Any, ...]:
    name = flt.sort if flt.sort in SORTABLE else "received_at"
    column: Any = col(getattr(Request, name))
    if name == "status":  # the SOP's order, not the alphabet's
        column = case({s: i for i, s in enumerate(SOP_ORDER)}, value=col(Request.status))
    order = column.desc() if flt.descending else column.asc()
    if name in NULLABLE_SORTS:  # the same on both backends: rows without a value come last
        order = order.nulls_last()
    tie = col(Request.id).desc() if flt.descending else col(Request.id).asc()
    return order, tie


def count_requests(services: Services, flt: RequestFilter, at_most: int | None = None) -> int:
    """How many requests the filter selects (its sort, limit and offset aside). With
    `at_most`, counting stops there: a page can say "more than 10.000" without counting a
    million matches of a common word."""
    if _only_status(flt):
        tallies = _tallies(services)
        total = tallies.get(flt.status, 0) if flt.status else sum(tallies.values())
        return min(total, at_most) if at_most is not None else total
    with Session(services.engine) as session:
        if _only_text(flt, services.matcher.directory):
            found = _text_matches(services, flt.q or "")
            if isinstance(found, list):
                return min(len(found), at_most) if at_most is not None else len(found)
            return _count_of(session, found, at_most)
        return _count_of(session, _filtered(select(Request.id), flt, services), at_most)


def _count_of(session: Session, query: Any, at_most: int | None) -> int:
    if at_most is not None:
        query = query.limit(at_most)
    return int(session.exec(select(func.count()).select_from(query.subquery())).one())


def status_counts(services: Services, flt: RequestFilter) -> dict[str, int]:
    """How many requests per status among those the filter (without its status) selects."""
    base = replace(flt, status=None)
    if _only_status(base):
        return _tallies(services)
    with Session(services.engine) as session:
        query = select(Request.status, func.count()).group_by(Request.status)
        query = _filtered(query, base, services)
        return {status: int(n) for status, n in session.exec(query)}


def _tallies(services: Services) -> dict[str, int]:
    with services.engine.connect() as connection:
        return read_tallies(connection)


def _only_text(flt: RequestFilter, directory: OpdDirectory) -> bool:
    """Only words to look for: the full-text index alone knows how many match."""
    narrowed = flt.status or flt.opd or flt.nomor or flt.since or flt.until or flt.overdue
    plain = bool(flt.q) and not abbreviated_opds(flt.q or "", directory)[0]
    return bool(flt.q and words(flt.q)) and plain and not narrowed


def _only_status(flt: RequestFilter) -> bool:
    """No condition but the status: the counts kept by the register answer at once."""
    searched = bool(flt.q and words(flt.q))
    narrowed = flt.opd or flt.nomor or flt.since or flt.until or flt.overdue
    return not searched and not narrowed


def _filtered(query: Any, flt: RequestFilter, services: Services, paged: bool = False) -> Any:
    if flt.status:
        query = query.where(Request.status == flt.status)
    if flt.opd:
        query = query.where(_opd_condition(flt.opd, services.matcher.directory))
    if flt.q:
        names, rest = abbreviated_opds(flt.q, services.matcher.directory)
        if names:
            query = query.where(col(Request.opd).in_(names))
        query = _with_text(query, rest, services, paged)
    if flt.nomor:
        query = query.where(_nomor_condition(flt.nomor))
    if flt.since:
        query = query.where(col(Request.received_at) >= _wib_midnight(flt.since))
    if flt.until:
        query = query.where(col(Request.received_at) < _wib_midnight(flt.until + timedelta(days=1)))
    if flt.overdue:
        query = query.where(col(Request.due_at) < now_utc())
    return query


def _with_text(query: Any, text: str, services: Services, paged: bool) -> Any:
    """Requests whose words match. Planners misjudge a text match, so the service looks first:
    up to COMMON_MATCHES ids are read from the full-text index and given to the query as a
    list (a few primary-key lookups and a small sort). A word in more letters than that is,
    for a page on PostgreSQL, checked row by row while walking the sort index (the newest
    page then reads about as many rows as it shows); otherwise matched against the whole id
    list (on SQLite `id + 0` keeps the planner on the sort index)."""
    found = _text_matches(services, text)
    if found is None:
        return query
    if isinstance(found, list):
        return query.where(col(Request.id).in_(found))
    dialect = services.engine.dialect.name
    if paged and dialect == "postgresql":  # FTS5 re-runs the whole MATCH per row: not there
        return query.where(holds_words(dialect, text, col(Request.id)))
    column = col(Request.id) + 0 if dialect == "sqlite" else col(Request.id)
    return query.where(column.in_(found))


def _text_matches(services: Services, text: str) -> list[int] | Any | None:
    """The matching ids when there are at most COMMON_MATCHES, else the SELECT of them;
    None when `text` has no word to look for."""
    matched = matching_ids(services.engine.dialect.name, text)
    if matched is None:
        return None
    with services.engine.connect() as connection:
        ids = [int(i) for (i,) in connection.execute(matched.limit(COMMON_MATCHES + 1))]
    return ids if len(ids) <= COMMON_MATCHES else matched


def opd_names(text: str, directory: OpdDirectory) -> list[str]:
    """Master-list names that contain `text` or are abbreviated by it ("dinkes")."""
    needle = " ".join(text.split()).casefold()
    return [
        o.nama
        for o in directory.entries
        if needle in o.nama.casefold() or needle in (a.casefold() for a in o.singkatan)
    ]


def abbreviated_opds(text: str, directory: OpdDirectory) -> tuple[list[str], str]:
    """The OPDs whose abbreviation in the master list the search names as whole words
    ("satpol pp" → Satuan Polisi Pamong Praja; the longest abbreviation wins), and the
    search's other words; ([], text) when it names none."""
    typed = words(text)
    best: tuple[int, int, list[str]] = (0, 0, [])  # length, start, names
    for entry in directory.entries:
        for abbreviation in entry.singkatan:
            wanted = words(abbreviation)
            size = len(wanted)
            for start in range(len(typed) - size + 1):
                if size and typed[start : start + size] == wanted:
                    if size > best[0]:
                        best = (size, start, [entry.nama])
                    elif size == best[0] and start == best[1] and entry.nama not in best[2]:
                        best[2].append(entry.nama)
    size, start, names = best
    if not names:
        return [], text
    return names, " ".join(typed[:start] + typed[start + size :])


def _opd_condition(text: str, directory: OpdDirectory) -> Any:
    """OPD names in the register are the master list's, so a partial name is resolved there
    and looked up by index; text no OPD matches is searched as it is written."""
    names = opd_names(text, directory)
    if names:
        return col(Request.opd).in_(names)
    return func.lower(col(Request.opd)).contains(" ".join(text.split()).lower())


def _nomor_condition(text: str) -> Any:
    wanted = _AROUND_SEPARATORS.sub(r"\1", text.strip()).lower()
    hosts = [wanted] if "." in wanted else [wanted, wanted + PROVINCE_DOMAIN]
    return or_(
        *(func.lower(getattr(Request, c)) == wanted for c in NUMBERED if c != "subdomain"),
        func.lower(col(Request.subdomain)).in_(hosts),
    )


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
        shown["needs_review"] = needs_review(
            request.provenance, services.settings.pembacaan.ambang_peluang
        )
    from pipeline.service.paperwork.verify import add_signatures  # it loads the PDF readers

    add_signatures(services.settings, shown)
    return shown


def needs_review(provenance: Mapping[str, Any], threshold: float) -> list[str]:
    """Fields read with less confidence than `threshold` that nobody has confirmed yet."""
    return [
        name
        for name, source in provenance.items()
        if float(source.get("confidence", 1.0)) < threshold and not source.get("confirmed_by")
    ]


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
        **nested(lambda f: getattr(r, f.column), REGISTER_ORDER),
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
        "label": action_label(e.action),  # what people read; the code is for programs
        "from": e.from_status,
        "to": e.to_status,
        "note": e.note,
    }


# A letter that is no request: registered with its header (fields.LETTER_HEADER), no request.
OTHER = ReceivedFile.request_id == None  # noqa: E711


def other_files(services: Services) -> list[dict[str, Any]]:
    """Letters that are not integration requests, for a clerk to route by hand."""
    threshold = services.settings.pembacaan.ambang_peluang
    with Session(services.engine) as session:
        rows = session.exec(select(ReceivedFile).where(OTHER).order_by(col(ReceivedFile.id)))
        return [_other_row(f, threshold) for f in rows]


def newest_other_files(
    services: Services, count: int, to_check_only: bool = False, search: str = ""
) -> tuple[list[dict[str, Any]], int]:
    """The `count` newest letters that are no request, oldest first, and how many there are
    in all: only those holding a value to check, with `to_check_only`; only those whose file
    name or header holds every word of `search` (word starts, case and accents aside). Only
    the chosen rows are read whole (0.07 instead of 0.22 s with 5,000 letters)."""
    threshold = services.settings.pembacaan.ambang_peluang
    terms = words(search)
    with Session(services.engine) as session:
        headers = session.exec(
            select(ReceivedFile.id, ReceivedFile.original_name, ReceivedFile.fields)
            .where(OTHER)
            .order_by(col(ReceivedFile.id))
        )
        ids = [
            i
            for i, name, fields in headers
            if (not to_check_only or _flagged_header(fields, threshold))
            and _holds_all(terms, name, fields)
        ]
        newest = ids[max(0, len(ids) - count) :]  # ids[-0:] would be all of them
        chosen = select(ReceivedFile).where(col(ReceivedFile.id).in_(newest))
        rows = session.exec(chosen.order_by(col(ReceivedFile.id)))
        return [_other_row(f, threshold) for f in rows], len(ids)


def _holds_all(terms: list[str], name: str, fields: Mapping[str, Any]) -> bool:
    """Every term starts a word of the file's name or of its header values."""
    if not terms:
        return True
    values = [str((fields.get(field) or {}).get("value") or "") for field in LETTER_HEADER]
    held = words(" ".join([name, *values]))
    return all(any(word.startswith(term) for word in held) for term in terms)


def other_letters_to_check(services: Services) -> int:
    """How many letters that are no request hold a header value to check (their headers only
    are read: 0.06 s with 5,000 letters, four times faster than other_files)."""
    return newest_other_files(services, 0, to_check_only=True)[1]


def _other_row(f: ReceivedFile, threshold: float) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.original_name,
        "sha256": f.sha256,
        "kind": f.kind,
        "received_at": f.received_at.astimezone(WIB).isoformat(),
        **{name: f.fields.get(name, {}).get("value") for name in LETTER_HEADER},
        "needs_review": _flagged_header(f.fields, threshold),
        "sources": {name: f.fields.get(name) for name in LETTER_HEADER},
    }


def _flagged_header(fields: Mapping[str, Any], threshold: float) -> list[str]:
    """The header values of a letter that is no request still waiting for review."""
    return [
        name
        for name in needs_review(fields, threshold)
        if name in LETTER_HEADER and fields[name].get("value")
    ]
