"""Letters that are not integration requests (*surat lain*): their header, how surely each
value was read, and the original, for a clerk to route by hand; a clerk confirms a flagged
value as right or corrects it, and the file's history keeps who did."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from pipeline.fields import FIELD_BY_NAME, LETTER_HEADER
from pipeline.service.display import NO_OTHER_FOUND, NO_OTHER_LETTERS, NO_OTHER_TO_CHECK
from pipeline.service.paperwork.attachments import other_letter_file
from pipeline.service.paperwork.rendering import other_letter_header, typed_value
from pipeline.service.queries.listing import newest_other_files
from pipeline.service.steps.corrections import confirm_other_letter, correct_other_letter
from pipeline.web.auth import Forbidden, SignedIn, check_csrf, services_of
from pipeline.web.pages_request import served_original
from pipeline.web.roles import may_correct
from pipeline.web.templating import page

router = APIRouter(prefix="/surat-lain")
SHOWN = 200  # the newest letters listed; older ones stay in the register (`register others`)
HEADER_FIELDS = [FIELD_BY_NAME[name] for name in LETTER_HEADER]


@router.get("")
def other_letters(request: Request, me: SignedIn, periksa: bool = False, q: str = "") -> Response:
    """The newest letters; with `periksa`, only those holding a value to check; with `q`,
    those whose file name, number, sender or subject holds its words."""
    rows, total = newest_other_files(services_of(request), SHOWN, periksa, q)
    return page(
        request,
        "others.html",
        me=me,
        rows=[_shown(row) for row in reversed(rows)],
        total=total,
        to_check_only=periksa,
        q=q,
        empty=NO_OTHER_FOUND if q.strip() else NO_OTHER_TO_CHECK if periksa else NO_OTHER_LETTERS,
        fields=HEADER_FIELDS,
        may_correct=may_correct(me.role),
    )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    """A row with a cell per header field: shown value, value to correct, whether flagged,
    and where it was read (or who typed or confirmed it)."""
    cells = [
        {
            "field": field,
            "value": value,
            "typed": typed_value(field, row[field.name]),
            "review": review,
            "source": row["sources"][field.name],
        }
        for field, (value, review) in zip(HEADER_FIELDS, other_letter_header(row), strict=True)
    ]
    return {**row, "cells": cells}


@router.get("/{file_id}")
def other_original(request: Request, file_id: int, me: SignedIn, lihat: bool = False) -> Response:
    return served_original(other_letter_file(services_of(request), file_id), lihat)


@router.post("/{file_id}/koreksi", dependencies=[Depends(check_csrf)])
def correction(
    request: Request,
    file_id: int,
    me: SignedIn,
    field: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    periksa: Annotated[bool, Form()] = False,
    q: Annotated[str, Form()] = "",
) -> Response:
    _may_correct(me.role)
    correct_other_letter(services_of(request), file_id, field, value, me.actor)
    return _back_to(file_id, periksa, q)


@router.post("/{file_id}/konfirmasi", dependencies=[Depends(check_csrf)])
def confirmation(
    request: Request,
    file_id: int,
    me: SignedIn,
    field: Annotated[str, Form()],
    periksa: Annotated[bool, Form()] = False,
    q: Annotated[str, Form()] = "",
) -> Response:
    """A flagged value is right as read: it is marked checked without being typed again."""
    _may_correct(me.role)
    confirm_other_letter(services_of(request), file_id, field, me.actor)
    return _back_to(file_id, periksa, q)


def _may_correct(role: str) -> None:
    if not may_correct(role):
        raise Forbidden("Hanya sekretariat atau admin yang boleh memeriksa isian surat lain.")


def _back_to(file_id: int, periksa: bool, q: str) -> Response:
    """The list as the clerk had it (the review queue, a search), at the letter just checked."""
    kept = {key: value for key, value in (("periksa", "1" if periksa else ""), ("q", q)) if value}
    query = f"?{urlencode(kept)}" if kept else ""
    return RedirectResponse(f"/surat-lain{query}#berkas-{file_id}", status_code=303)
