"""Letters that are not integration requests (*surat lain*): their header, how surely each
value was read, and the original, for a clerk to route by hand."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from pipeline.fields import FIELD_BY_NAME
from pipeline.service.paperwork.attachments import other_letter_file
from pipeline.service.paperwork.rendering import other_letter_header
from pipeline.service.queries.listing import OTHER_LETTER_HEADER, other_files
from pipeline.web.auth import SignedIn, services_of
from pipeline.web.pages_request import served_original
from pipeline.web.templating import page

router = APIRouter(prefix="/surat-lain")
SHOWN = 200  # the newest letters listed; older ones stay in the register (`register others`)


@router.get("")
def other_letters(request: Request, me: SignedIn) -> Response:
    rows = other_files(services_of(request))
    newest = [_shown(row) for row in reversed(rows[-SHOWN:])]
    return page(
        request,
        "others.html",
        me=me,
        rows=newest,
        total=len(rows),
        labels=[FIELD_BY_NAME[name].label for name in OTHER_LETTER_HEADER],
    )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "values": other_letter_header(row)}


@router.get("/{file_id}")
def other_original(request: Request, file_id: int, me: SignedIn, lihat: bool = False) -> Response:
    return served_original(other_letter_file(services_of(request), file_id), lihat)
