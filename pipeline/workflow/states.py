"""Statuses and the actions that move a request between them."""

from __future__ import annotations

from enum import StrEnum

from pipeline.errors import ConflictError
from pipeline.workflow.actions import ACTIONS, Action


class Status(StrEnum):
    INCOMPLETE = "incomplete"
    AWAITING_KADIS = "awaiting_kadis"
    REJECTED = "rejected"
    AWAITING_KABID = "awaiting_kabid"
    IN_ANALYSIS = "in_analysis"
    IN_INTEGRATION = "in_integration"
    COMPLETED = "completed"


STATUS_LABELS: dict[Status, str] = {
    Status.INCOMPLETE: "Berkas belum lengkap",
    Status.AWAITING_KADIS: "Menunggu Kepala Dinas",
    Status.REJECTED: "Ditolak",
    Status.AWAITING_KABID: "Menunggu Kepala Bidang",
    Status.IN_ANALYSIS: "Analisis Kepala Seksi",
    Status.IN_INTEGRATION: "Proses integrasi",
    Status.COMPLETED: "Selesai",
}

# Every status change goes through this table, the system's own step included.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.INCOMPLETE, Action.SUBMISSION_COMPLETE): Status.AWAITING_KADIS,
    (Status.AWAITING_KADIS, Action.ACCEPT): Status.AWAITING_KABID,
    (Status.AWAITING_KADIS, Action.REJECT): Status.REJECTED,
    (Status.AWAITING_KABID, Action.DISPOSE): Status.IN_ANALYSIS,
    (Status.IN_ANALYSIS, Action.SUBMIT_ANALYSIS): Status.IN_INTEGRATION,
    (Status.IN_INTEGRATION, Action.COMPLETE): Status.COMPLETED,
}
_CODES = frozenset(Action)  # every stored code, for looking up a code typed by a person


class TransitionError(ConflictError):
    """An action that the current status does not allow; nothing was changed."""


def next_status(current: Status, action: str) -> Status:
    target = TRANSITIONS.get((current, Action(action))) if action in _CODES else None
    if target is None:
        raise _not_allowed(current, action)
    return target


def official_step(current: Status, action: str) -> Action:
    """`action` as one of the officials' steps (whether `current` allows it is the transition
    table's answer); the system's own step, a submission becoming complete, is not theirs."""
    if action not in ACTIONS:
        raise _not_allowed(current, action)
    return Action(action)


def _not_allowed(current: Status, action: str) -> TransitionError:
    allowed = [a.value for (s, a) in TRANSITIONS if s is current and a in ACTIONS]
    return TransitionError(
        f"Tindakan '{action}' tidak bisa dilakukan pada status '{current.value}' "
        f"({STATUS_LABELS[current]}).",
        hint="Tindakan yang mungkin: " + (", ".join(allowed) or "tidak ada") + ".",
    )
