"""The FastAPI application factory: one workspace, its services, pages and security rules."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from pipeline import logbook
from pipeline.errors import ConflictError, NotFoundError, PipelineError
from pipeline.service.context import open_services
from pipeline.settings import load_settings
from pipeline.web import pages_others, pages_public, pages_register, pages_request, pages_tasks
from pipeline.web.auth import SESSION_HOURS, Forbidden, LoginRequired
from pipeline.web.secret import session_secret
from pipeline.web.templating import HERE, page
from pipeline.web.throttle import LoginGate

# Set by `pipeline serve` when the page is served over HTTPS (its own TLS or a trusted HTTPS
# reverse proxy): the session cookie is then marked Secure and never sent over plain HTTP.
SECURE_COOKIE_ENV = "PIPELINE_SERVE_SECURE_COOKIE"
GENERAL_TITLE, GENERAL_TEXT = (
    "Permintaan tidak bisa diproses",
    "Permintaan ini tidak dapat dilayani.",
)
HTTP_TEXTS = {
    405: ("Tindakan tidak tersedia", "Alamat ini tidak menerima cara pengiriman tersebut."),
    413: ("Kiriman terlalu besar", "Berkas atau isian yang dikirim terlalu besar."),
}
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(home: Path, secure_cookie: bool = False) -> FastAPI:
    """The page for the workspace at `home`; `secure_cookie` when it is reached over HTTPS."""
    settings = load_settings(home)
    logbook.configure(settings.workspace)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.services.close()

    app = FastAPI(
        title="pipeline", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.services = open_services(settings)
    app.state.login_gate = LoginGate()
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.workspace),
        session_cookie="pipeline_sesi",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=secure_cookie,
    )
    app.middleware("http")(_security_headers)
    app.middleware("http")(_logged)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    routers = (pages_public, pages_tasks, pages_register, pages_others, pages_request)
    for router in (r.router for r in routers):
        app.include_router(router)
    _add_error_pages(app)
    return app


async def _logged(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Each change asked of the register (a POST) is one line in the log, with its outcome."""
    response = await call_next(request)
    if request.method != "GET":
        logbook.event(
            "web",
            "web.request",
            f"{request.method} {request.url.path} -> {response.status_code}",
            method=request.method,
            path=request.url.path,
            status=response.status_code,
            request_id=request.path_params.get("request_id"),
        )
    return response


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    if response.headers.get("content-type", "").startswith("text/html"):
        for name, value in HTML_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.wanted, safe='')}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, "Akses ditolak", exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _not_found(request)
        title, message = HTTP_TEXTS.get(exc.status_code, (GENERAL_TITLE, GENERAL_TEXT))
        if exc.detail and exc.detail != HTTPStatus(exc.status_code).phrase:
            message = str(exc.detail)  # our own words, not Starlette's English default
        return _error(request, exc.status_code, title, message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            return _not_found(request)  # an address that cannot name anything
        return _error(
            request, 400, "Permintaan tidak sah", "Alamat atau isian formulir tidak lengkap/sah."
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        logbook.unexpected("web", f"{request.method} {request.url.path}", exc)
        return _crash_page(request)

    @app.exception_handler(PipelineError)
    async def refused(request: Request, exc: PipelineError) -> Response:
        code = (
            404
            if isinstance(exc, NotFoundError)
            else 409
            if isinstance(exc, ConflictError)
            else 400
        )
        return _error(request, code, "Tidak bisa diproses", for_the_page(exc))


def for_the_page(exc: PipelineError) -> str:
    """The error's message and its advice, unless the advice is a command or an option for
    the command line: nobody at the page is asked to run one."""
    hint = exc.hint or ""
    if not hint or "`" in hint or "--" in hint or "pipeline " in hint:
        return exc.message
    return f"{exc.message}\n{hint}"


def _error(request: Request, code: int, title: str, message: str) -> Response:
    return page(request, "error.html", code, title=title, message=message)


def _not_found(request: Request) -> Response:
    return _error(request, 404, "Halaman tidak ditemukan", "Alamat ini tidak ada.")


CRASH_TITLE = "Terjadi kesalahan di server"
CRASH_TEXT = (
    "Permintaan ini tidak dapat diselesaikan karena kesalahan di server. Coba lagi sebentar "
    "lagi; bila terulang, beri tahu admin (rinciannya tercatat di log server)."
)


def _crash_page(request: Request) -> Response:
    """The Indonesian page for an unexpected error (the details go to the server's log)."""
    try:
        return _error(request, 500, CRASH_TITLE, CRASH_TEXT)
    except Exception:  # the page itself failed: plain words, still Indonesian
        html = f"<!doctype html><html lang='id'><h1>{CRASH_TITLE}</h1><p>{CRASH_TEXT}</p></html>"
        return HTMLResponse(html, status_code=500, headers=HTML_HEADERS)


def app_for_environment() -> FastAPI:
    """The factory `pipeline serve` hands to uvicorn: the workspace is in PIPELINE_HOME."""
    return create_app(
        Path(os.environ.get("PIPELINE_HOME", ".")),
        secure_cookie=os.environ.get(SECURE_COOKIE_ENV) == "1",
    )
