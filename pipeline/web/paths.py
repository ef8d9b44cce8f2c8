"""Ids in page addresses: a register id is a positive 64-bit integer; anything else in an id's
place (negative, zero, too large for the database, not a number) is simply a page that does not
exist (404), checked before any endpoint reads it."""

from __future__ import annotations

import re

from fastapi import Request
from starlette.exceptions import HTTPException

LARGEST_ID = 2**63 - 1
_DIGITS = re.compile(r"[1-9][0-9]{0,18}")


def existing_ids(request: Request) -> None:
    """Router dependency: every `…_id` in the path is a possible register id, or 404."""
    for name, value in request.path_params.items():
        if name.endswith("_id") and not is_id(str(value)):
            raise HTTPException(status_code=404)


def is_id(text: str) -> bool:
    return _DIGITS.fullmatch(text) is not None and int(text) <= LARGEST_ID
