"""Statuses and the actions that move a request between them."""

from __future__ import annotations

from enum import StrEnum

from pipeline.errors import ConflictError


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

TRANSITIONS: dict[tuple[Status, str], Status] = {
    (Status.INCOMPLETE, "complete-submission"): Status.AWAITING_KADIS,
    (Status.AWAITING_KADIS, "accept"): Status.AWAITING_KABID,
    (Status.AWAITING_KADIS, "reject"): Status.REJECTED,
    (Status.AWAITING_KABID, "dispose"): Status.IN_ANALYSIS,
    (Status.IN_ANALYSIS, "submit-analysis"): Status.IN_INTEGRATION,
    (Status.IN_INTEGRATION, "complete"): Status.COMPLETED,
}
ACTIONS: tuple[str, ...] = ("accept", "reject", "dispose", "submit-analysis", "complete")


class TransitionError(ConflictError):
    """An action that the current status does not allow; nothing was changed."""


def next_status(current: Status, action: str) -> Status:
    target = TRANSITIONS.get((current, action))
    if target is None:
        allowed = [a for (s, a) in TRANSITIONS if s is current and a in ACTIONS]
        raise TransitionError(
            f"Tindakan '{action}' tidak bisa dilakukan pada status '{current.value}' "
            f"({STATUS_LABELS[current]}).",
            hint="Tindakan yang mungkin: " + (", ".join(allowed) or "tidak ada") + ".",
        )
    return target
