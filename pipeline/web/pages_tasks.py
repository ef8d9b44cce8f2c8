"""'Tugas saya', the page everyone lands on after signing in: their own queue."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from pipeline.service.queries.listing import RequestFilter, list_requests
from pipeline.service.steps.tasks import my_tasks
from pipeline.web.auth import SignedIn, services_of
from pipeline.web.pages_register import QUERY_KEYS, register_table
from pipeline.web.templating import page

router = APIRouter()
RECENT = 8  # the newest requests, below one's own queue, for everyone to know what came in


@router.get("/")
def home(request: Request, me: SignedIn, halaman: int = 1) -> Response:
    """Tugas saya; an address of the register from before it had its own (`/?q=…`) still
    shows the register."""
    if any(key in request.query_params for key in (*QUERY_KEYS, "halaman")):
        return register_table(request, me, halaman)
    services = services_of(request)
    tasks = my_tasks(services, me.role)
    recent = list_requests(services, RequestFilter(limit=RECENT))
    return page(request, "tasks.html", me=me, tasks=tasks, recent=recent)
