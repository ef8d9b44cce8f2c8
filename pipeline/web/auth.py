"""Sessions, the signed-in account, CSRF tokens and role checks, as FastAPI dependencies."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from pipeline.service.context import Services
from pipeline.service.operations.users import Account, end_session, open_session, session_account

CSRF_FIELD = "csrf_token"
SESSION_HOURS = 10


class LoginRequired(Exception):
    """No valid session: the visitor is sent to the login page."""

    def __init__(self, wanted: str) -> None:
        super().__init__(wanted)
        self.wanted = wanted


class Forbidden(Exception):
    """Signed in, but this account may not do this (or the form's CSRF token is wrong)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def services_of(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also for the login form)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def check_csrf(request: Request) -> None:
    """Every POST carries the session's token in a hidden field; anything else is refused."""
    if request.method != "POST":
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str)) or not secrets.compare_digest(
        sent, expected
    ):
        raise Forbidden(
            "Permintaan ditolak: token keamanan formulir (CSRF) tidak ada atau tidak cocok. "
            "Muat ulang halaman lalu kirim formulir sekali lagi."
        )


def current_account(request: Request) -> Account:
    """The account of the session in the cookie, if that session is still open on the server
    (not signed out, its account not disabled, its password not changed since)."""
    token = request.session.get("sid")
    found = session_account(services_of(request), token) if isinstance(token, str) else None
    if found is None:
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(wanted if request.method == "GET" else "/")
    return found


def sign_in(request: Request, who: Account) -> None:
    """A fresh session for the account (a token from before the login is not kept)."""
    sign_out(request)
    request.session["sid"] = open_session(services_of(request), who, SESSION_HOURS)
    csrf_token(request)


def sign_out(request: Request) -> None:
    """The session ends on the server too: its cookie, if kept or copied, is refused."""
    token = request.session.get("sid")
    if isinstance(token, str):
        end_session(services_of(request), token)
    request.session.clear()


SignedIn = Annotated[Account, Depends(current_account)]
CsrfChecked = Depends(check_csrf)
