"""Who may do what on the web page. The server checks these; hiding a button is not enough."""

from __future__ import annotations

from pipeline.service.display import TRANSITIONS, Action, Status

ACTIONS_BY_ROLE: dict[str, tuple[Action, ...]] = {
    "kadis": (Action.ACCEPT, Action.REJECT),
    "kabid": (Action.DISPOSE,),
    "kasi": (Action.SUBMIT_ANALYSIS, Action.COMPLETE),
}
CORRECTORS = ("admin", "sekretariat")
# What each step's button says (the history says what was done: Action.label).
ACTION_LABELS: dict[str, str] = {
    Action.ACCEPT: "Setujui (teruskan ke Kepala Bidang)",
    Action.REJECT: "Tolak permohonan",
    Action.DISPOSE: "Disposisikan ke Kepala Seksi",
    Action.SUBMIT_ANALYSIS: "Serahkan hasil analisis",
    Action.COMPLETE: "Integrasi selesai",
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
