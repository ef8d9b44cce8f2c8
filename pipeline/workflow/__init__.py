"""The SOP as a pure transition table, with deadlines in working days.

See docs/architecture.md#sop and docs/architecture.md#statuses.
"""

from __future__ import annotations

from pipeline.workflow.actions import ACTIONS, Action, action_label
from pipeline.workflow.deadlines import WorkingCalendar, due_for
from pipeline.workflow.states import Status, TransitionError, next_status, official_step

__all__ = [
    "ACTIONS",
    "Action",
    "Status",
    "TransitionError",
    "WorkingCalendar",
    "action_label",
    "due_for",
    "next_status",
    "official_step",
]
