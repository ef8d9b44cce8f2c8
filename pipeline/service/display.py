"""What the shells show, in one place: the time now and in WIB, statuses and steps in words,
the transition table the web page's buttons follow, and a register version's name. The shells
(`pipeline.cli`, `pipeline.web`) import these from here, never from the stages."""

from __future__ import annotations

from datetime import datetime

from pipeline.register.liveness import WatcherState, stale_after, watcher_state
from pipeline.register.migrations import title as version_title
from pipeline.register.tables import now_utc
from pipeline.service.context import Services
from pipeline.workflow import Action
from pipeline.workflow.actions import action_label
from pipeline.workflow.deadlines import wib_text
from pipeline.workflow.states import STATUS_LABELS, TRANSITIONS, Status

__all__ = [
    "STATUS_LABELS",
    "TRANSITIONS",
    "Action",
    "Status",
    "WatcherState",
    "action_label",
    "intake_state",
    "now_utc",
    "version_title",
    "wib_text",
]


def intake_state(services: Services, now: datetime | None = None) -> WatcherState:
    """Which watchers renewed their heartbeat recently, and when the last one was alive."""
    stale = stale_after(services.settings.pemantau.masa_klaim_detik)
    return watcher_state(services.engine, stale, now)
