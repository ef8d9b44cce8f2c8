"""Pages without a session: login, logout and the public QR verification page."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from pipeline.service.operations.users import AccountLockedError, authenticate, login_delay
from pipeline.service.paperwork.rendering import TITLES
from pipeline.service.paperwork.verify import describe_document, find_by_token
from pipeline.web.auth import check_csrf, services_of, sign_in, sign_out
from pipeline.web.templating import page
from pipeline.web.throttle import client_address, login_gate

router = APIRouter()


def safe_next(wanted: str | None) -> str:
    """Only a path on this site (never '//host' or 'https://…')."""
    if wanted and wanted.startswith("/") and not wanted.startswith("//") and "\\" not in wanted:
        return wanted
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return page(request, "login.html", next=safe_next(next), failed=False)


@router.post("/login", dependencies=[Depends(check_csrf)])
async def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """One login at a time per address, after its pause; the same answers for every name."""
    services, address, gate = services_of(request), client_address(request), login_gate(request)
    back = safe_next(next)
    if gate.crowded(address):
        return page(request, "login.html", 429, next=back, busy=True, name=name)
    async with gate.turn(address):
        await anyio.sleep(await run_in_threadpool(login_delay, services, address))
        try:
            who = await run_in_threadpool(authenticate, services, name, password, address)
        except AccountLockedError as locked:
            return page(request, "login.html", 429, next=back, locked=locked.until, name=name)
    if who is None:
        return page(request, "login.html", 401, next=back, failed=True, name=name)
    await run_in_threadpool(sign_in, request, who)
    return RedirectResponse(back, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/verifikasi/{token}")
def verification(request: Request, token: str) -> Response:
    found = find_by_token(services_of(request), token) if len(token) <= 64 else None
    if found is None:
        return page(request, "verify.html", 404, found=None, token=token)
    return page(
        request,
        "verify.html",
        found=found,
        title=TITLES.get(found.kind, found.kind),
        signatures=signature_info(request, token),
    )


def signature_info(request: Request, token: str) -> list[dict[str, Any]]:
    """Electronic signatures on the document's signed copy, checked now against the trusted
    roots: who signed ('penanda_tangan'), when ('waktu'), valid or not ('sah'), and why
    ('keterangan')."""
    described = describe_document(services_of(request), token) or {}
    return [
        {
            "penanda_tangan": " — ".join(x for x in (s["nama"], s["jabatan"]) if x),
            "waktu": datetime.fromisoformat(s["signed_at"]) if s["signed_at"] else None,
            "sah": bool(s["intact"] and s["trusted"]),
            "keterangan": s["summary"],
        }
        for s in described.get("tanda_tangan", [])
    ]
