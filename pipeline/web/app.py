"""The FastAPI application factory: one workspace, its services, pages and security rules."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from pipeline.errors import ConflictError, NotFoundError, PipelineError
from pipeline.service.context import open_services
from pipeline.settings import load_settings
from pipeline.web import pages_public, pages_register, pages_request
from pipeline.web.auth import Forbidden, LoginRequired
from pipeline.web.secret import session_secret
from pipeline.web.templating import HERE, page

SESSION_HOURS = 10
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def create_app(home: Path) -> FastAPI:
    settings = load_settings(home)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.services.close()

    app = FastAPI(
        title="pipeline", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.services = open_services(settings)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.workspace),
        session_cookie="pipeline_sesi",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
    )
    app.middleware("http")(_security_headers)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (pages_public.router, pages_register.router, pages_request.router):
        app.include_router(router)
    _add_error_pages(app)
    return app


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
            return _error(request, 404, "Halaman tidak ditemukan", "Alamat ini tidak ada.")
        return _error(request, exc.status_code, "Permintaan tidak bisa diproses", str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return _error(
            request, 400, "Permintaan tidak sah", "Alamat atau isian formulir tidak lengkap/sah."
        )

    @app.exception_handler(PipelineError)
    async def refused(request: Request, exc: PipelineError) -> Response:
        code = (
            404
            if isinstance(exc, NotFoundError)
            else 409
            if isinstance(exc, ConflictError)
            else 400
        )
        return _error(request, code, "Tidak bisa diproses", exc.for_humans())


def _error(request: Request, code: int, title: str, message: str) -> Response:
    return page(request, "error.html", code, title=title, message=message)


def app_for_environment() -> FastAPI:
    """The factory `pipeline serve` hands to uvicorn: the workspace is in PIPELINE_HOME."""
    return create_app(Path(os.environ.get("PIPELINE_HOME", ".")))
