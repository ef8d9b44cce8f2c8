"""The register table (search, filters, sort, pages) and the dashboard."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from fastapi import APIRouter, Request, Response

from pipeline.service.display import now_utc
from pipeline.service.queries.dashboard import dashboard
from pipeline.service.queries.listing import (
    SORTABLE,
    RequestFilter,
    count_requests,
    list_requests,
    status_counts,
)
from pipeline.web.auth import SignedIn, services_of
from pipeline.web.charts import month_bars
from pipeline.web.templating import page

router = APIRouter()
PAGE_SIZE = 25
# A search for a word found in most letters is not counted past this (a clerk narrows it);
# counting a million matches, and per status, would take seconds.
COUNT_CAP = 10_000
QUERY_KEYS = ("q", "opd", "status", "dari", "sampai", "terlambat", "urut", "arah")
# Each column's label and the direction its first click sorts: the newest letters first,
# names A to Z, statuses in the SOP's order, the nearest deadline first.
COLUMNS: dict[str, tuple[str, bool]] = {
    "nomor_agenda": ("Agenda", True),
    "received_at": ("Masuk", True),
    "opd": ("OPD", False),
    "subdomain": ("Subdomain", False),
    "status": ("Status", False),
    "due_at": ("Tenggat", False),
}
PAGE_LINKS_AROUND = 2  # page numbers shown on each side of the current one


def _day(text: str | None, problems: list[str], label: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.append(f"Tanggal {label} '{text}' tidak sah (gunakan TTTT-BB-HH); diabaikan.")
        return None


def _filter(params: dict[str, str], problems: list[str]) -> RequestFilter:
    sort = params.get("urut", "received_at")
    sort = sort if sort in SORTABLE else "received_at"
    direction = params.get("arah")
    descending = COLUMNS[sort][1] if direction not in ("naik", "turun") else direction == "turun"
    since = _day(params.get("dari"), problems, "awal")
    until = _day(params.get("sampai"), problems, "akhir")
    if since and until and since > until:
        problems.append(
            f"Tanggal awal ({since:%d-%m-%Y}) jatuh sesudah tanggal akhir ({until:%d-%m-%Y}); "
            f"keduanya ditukar, jadi yang tampil adalah permohonan yang masuk dari "
            f"{until:%d-%m-%Y} sampai {since:%d-%m-%Y}."
        )
        since, until = until, since
    return RequestFilter(
        status=params.get("status") or None,
        opd=params.get("opd") or None,
        q=params.get("q") or None,
        since=since,
        until=until,
        overdue=params.get("terlambat") == "1",
        sort=sort,
        descending=descending,
    )


def register_params(request: Request) -> dict[str, str]:
    return {k: v for k in QUERY_KEYS if (v := request.query_params.get(k, "").strip())}


def page_links(current: int, pages: int) -> list[int | None]:
    """Page numbers to offer: the first, the last and a few around the current one; None
    where numbers are left out."""
    wanted = {1, pages, *range(current - PAGE_LINKS_AROUND, current + PAGE_LINKS_AROUND + 1)}
    shown = sorted(n for n in wanted if 1 <= n <= pages)
    links: list[int | None] = []
    for n in shown:
        if links and n - (links[-1] or 0) > 1:
            links.append(None)
        links.append(n)
    return links


@router.get("/register")
def register_table(request: Request, me: SignedIn, halaman: int = 1) -> Response:
    services = services_of(request)
    params = register_params(request)
    problems: list[str] = []
    flt = _filter(params, problems)
    total = count_requests(services, flt, at_most=COUNT_CAP if flt.q else None)
    capped = bool(flt.q) and total >= COUNT_CAP
    pages = max(1, -(-total // PAGE_SIZE))
    current = min(max(1, halaman), pages)
    rows = list_requests(services, _paged(flt, offset=(current - 1) * PAGE_SIZE))
    now = now_utc()
    for row in rows:
        row["late"] = bool(row["due_at"]) and datetime.fromisoformat(row["due_at"]) < now
    return page(
        request,
        "register.html",
        me=me,
        rows=rows,
        total=total,
        page_no=current,
        pages=pages,
        page_links=page_links(current, pages),
        params=params,
        capped=capped,
        counts=None if capped else status_counts(services, flt),
        flt=flt,
        columns=COLUMNS,
        problems=problems,
    )


def _paged(flt: RequestFilter, offset: int) -> RequestFilter:
    return replace(flt, limit=PAGE_SIZE, offset=offset)


@router.get("/dasbor")
def dashboard_page(request: Request, me: SignedIn) -> Response:
    board = dashboard(services_of(request))
    return page(
        request,
        "dashboard.html",
        me=me,
        board=board,
        chart=month_bars(board.months),
        total=sum(board.by_status.values()),
    )
