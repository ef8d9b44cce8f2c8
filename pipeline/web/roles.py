"""Who may do what on the web page. The server checks these; hiding a button is not enough."""

from __future__ import annotations

from pipeline.workflow.states import TRANSITIONS, Status

ACTIONS_BY_ROLE: dict[str, tuple[str, ...]] = {
    "kadis": ("accept", "reject"),
    "kabid": ("dispose",),
    "kasi": ("submit-analysis", "complete"),
}
CORRECTORS = ("admin", "sekretariat")
ACTION_LABELS = {
    "accept": "Setujui (teruskan ke Kepala Bidang)",
    "reject": "Tolak permohonan",
    "dispose": "Disposisikan ke Kepala Seksi",
    "submit-analysis": "Serahkan hasil analisis",
    "complete": "Integrasi selesai",
}


def may_act(role: str, action: str) -> bool:
    return action in ACTIONS_BY_ROLE.get(role, ())


def may_correct(role: str) -> bool:
    return role in CORRECTORS


def actions_for(role: str, status: str) -> list[str]:
    """The buttons this role sees on a request in this status."""
    try:
        current = Status(status)
    except ValueError:
        return []
    return [a for a in ACTIONS_BY_ROLE.get(role, ()) if (current, a) in TRANSITIONS]
