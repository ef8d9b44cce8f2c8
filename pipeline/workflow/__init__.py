"""The SOP as a pure transition table, with deadlines in working days (DESIGN.md §1, §4)."""

from __future__ import annotations

from pipeline.workflow.deadlines import WorkingCalendar, due_for
from pipeline.workflow.states import ACTIONS, Status, TransitionError, next_status

__all__ = [
    "ACTIONS",
    "Status",
    "TransitionError",
    "WorkingCalendar",
    "due_for",
    "next_status",
]
