"""The banner the secretariat sees on every page while intake is stopped: no `pipeline watch`
renewed its heartbeat in the register recently, so files dropped into inbox/ wait unrecorded."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request

from pipeline.service.display import intake_state, wib_text
from pipeline.service.operations.users import Account
from pipeline.web.auth import services_of

INTAKE_ROLES = frozenset({"sekretariat", "admin"})  # those who drop files and keep intake going
ASK = "Beri tahu pengelola sistem agar pemantau inbox dijalankan lagi."


def intake_banner(request: Request, me: Account | None) -> str | None:
    """The banner's text for `me`, or None while intake runs (or `me` does not handle it)."""
    if me is None or me.role not in INTAKE_ROLES:
        return None
    services = services_of(request)
    try:
        state = intake_state(services)
    except SQLAlchemyError:
        return None  # the page says what is wrong with the register itself
    if state.running and state.paused:
        return f"Penerimaan berkas tertahan. {state.paused} {ASK}"
    if state.running:
        return None
    if state.last_seen is None:
        return (
            "Penerimaan berkas belum berjalan: pemantau inbox belum pernah dijalankan, jadi "
            f"berkas yang ditaruh di inbox belum dicatat di register. {ASK}"
        )
    return (
        f"Penerimaan berkas berhenti: pemantau inbox tidak berjalan sejak "
        f"{wib_text(state.last_seen)} WIB. Berkas yang ditaruh di inbox sejak itu belum "
        f"dicatat di register. {ASK}"
    )
