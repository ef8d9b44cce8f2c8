"""The Jinja2 environment: templates shipped in the package, Indonesian dates and labels."""

from __future__ import annotations

import math
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from pipeline.fields import FIELD_BY_NAME, label_of, missing_text
from pipeline.service.display import STATUS_LABELS, wib_text
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
STATUS_TEXT = {s.value: label for s, label in STATUS_LABELS.items()}
# What a received file is, in words (the register keeps the reader's codes).
FILE_KINDS = {
    "letter": "surat",
    "form": "formulir",
    "letter+form": "surat dan formulir",
    "other": "berkas lain",
    "returned": "dokumen bertanda tangan",
    "lampiran": "lampiran",
    "struktur-data": "struktur data",
}
_KIND_IN_NOTE = re.compile(r"\((" + "|".join(re.escape(k) for k in FILE_KINDS) + r")\)")
# Where a value was read, by the family of its provenance rule (the part before the slash:
# "formulir/label-table", "nomor/label-colon", "opd/kop-surat", "koreksi", …).
SOURCE_WORDS = {
    "formulir": "dari formulir",
    "isian-pdf": "dari isian formulir PDF",
    "nomor": "dari baris nomor surat",
    "tanggal": "dari tanggal surat",
    "perihal": "dari baris perihal surat",
    "opd": "dari kop dan isi surat",
    "penanggung-jawab": "dari isi surat",
    "subdomain": "dari isi surat",
    "koreksi": "diisi petugas",
}
SOURCE_FALLBACK = "dari surat"


def when(value: datetime | str | None) -> str:
    """dd-mm-yyyy HH:MM in WIB, or '-'."""
    if value is None or value == "":
        return "-"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return wib_text(moment)


def status_text(value: str) -> str:
    return STATUS_TEXT.get(value, value)


def file_kind(kind: str) -> str:
    return FILE_KINDS.get(kind, kind.replace("-", " ").replace("_", " "))


def note_text(note: str | None) -> str:
    """A history note with the reader's file codes ('(letter+form)') and, in corrections
    recorded before they were written in words, field codes put in words."""
    text = _KIND_IN_NOTE.sub(lambda m: f"({FILE_KINDS[m.group(1)]})", note or "")
    field, sep, rest = text.partition(": ")
    return f"{label_of(field)}{sep}{rest}" if sep and field in FIELD_BY_NAME else text


def percent_down(chance: float) -> str:
    """0.9947 → '99,4': one decimal, rounded down (99,96 % is not shown as a sure 100 %)."""
    return f"{math.floor(chance * 1000) / 10:.1f}".replace(".", ",")


def source_text(source: dict[str, Any] | None) -> str:
    """'dari formulir, hlm. 2, yakin 99,4 %' — where and how surely a value was read."""
    if not source:
        return "-"
    family = str(source.get("rule", "")).split("/", 1)[0]
    parts = [SOURCE_WORDS.get(family, SOURCE_FALLBACK)]
    if family == "koreksi":
        parts[0] += f" {source['by']}" if source.get("by") else ""
    else:
        if source.get("page"):
            parts.append(f"hlm. {source['page']}")
        parts.append(f"yakin {percent_down(float(source.get('confidence', 0)))}\u00a0%")
        if source.get("ocr"):
            parts.append("dibaca dari pindaian")
    text = ", ".join(parts)
    if source.get("confirmed_by"):
        text += f"; dikonfirmasi benar oleh {source['confirmed_by']}"
    return text


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
