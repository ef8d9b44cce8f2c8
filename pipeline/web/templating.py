"""The Jinja2 environment: templates shipped in the package, Indonesian dates and labels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from pipeline.fields import missing_text
from pipeline.service.display import (
    file_kind,
    note_text,
    source_text,
    status_text,
    when,
)
from pipeline.service.operations.users import ROLES
from pipeline.service.queries.listing import SOP_ORDER
from pipeline.web.auth import CSRF_FIELD, csrf_token
from pipeline.web.banner import intake_banner

HERE = Path(__file__).resolve().parent
# Invisible marks that turn the text around them right-to-left (or back): in a letter's value
# they could make 'fdp.exe' read as 'exe.pdf' or reorder a number. Never shown.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: Any) -> Any:
    """Every `{{ … }}` in every template passes here before it is escaped (Jinja's finalize):
    text loses its bidirectional control characters."""
    if isinstance(value, Markup):
        return Markup(BIDI_CONTROLS.sub("", str(value)))
    if isinstance(value, str):
        return BIDI_CONTROLS.sub("", value)
    return value


TEMPLATES = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=jinja2.select_autoescape(),
        finalize=shown,
    )
)


_BREAK_AFTER = re.compile(r"([./\-@_])")


def breakable(value: str | None) -> Markup:
    """A long unspaced value (a host name, a letter number, an e-mail address) that may wrap
    after its dots, slashes and dashes rather than anywhere."""
    text = BIDI_CONTROLS.sub("", value or "-")
    parts = _BREAK_AFTER.split(text)
    return Markup("").join(
        Markup("{}<wbr>").format(part)
        if _BREAK_AFTER.fullmatch(part)
        else Markup("{}").format(part)
        for part in parts
    )


def with_query(params: dict[str, str], **changes: Any) -> str:
    """'?…' with `changes` applied to the current query (None drops a key)."""
    merged = {**params, **{k: v for k, v in changes.items()}}
    kept = {k: str(v) for k, v in merged.items() if v not in (None, "", False)}
    return "?" + urlencode(kept) if kept else "?"


TEMPLATES.env.filters["when"] = when
TEMPLATES.env.filters["status_text"] = status_text
TEMPLATES.env.filters["file_kind"] = file_kind
TEMPLATES.env.filters["note_text"] = note_text
TEMPLATES.env.filters["missing_text"] = missing_text
TEMPLATES.env.filters["source_text"] = source_text
TEMPLATES.env.filters["breakable"] = breakable
TEMPLATES.env.globals["with_query"] = with_query
TEMPLATES.env.globals["STATUSES"] = list(SOP_ORDER)
TEMPLATES.env.globals["ROLES"] = ROLES
TEMPLATES.env.globals["CSRF_FIELD"] = CSRF_FIELD


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    """A rendered template with the session's CSRF token for its forms."""
    context.setdefault("me", None)
    context["csrf"] = csrf_token(request)
    context.setdefault("intake_stopped", intake_banner(request, context["me"]))
    response: Response = TEMPLATES.TemplateResponse(
        request, template, context, status_code=status_code
    )
    return response
