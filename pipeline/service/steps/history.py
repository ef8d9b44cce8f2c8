"""The only writer of a request's history, and of its status.

Every history entry is recorded by `record` from an `Action`; every status change is made by
`change_status` through the workflow's transition table, and recorded with its from → to by
the caller once the step's own entries (its documents) are written. Both are added to the
caller's session: they commit, or roll back, with the change they describe.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from pipeline.register.tables import Event, Request, now_utc
from pipeline.workflow import Action, Status, WorkingCalendar, due_for, next_status

SYSTEM_ACTOR = "sistem"  # who the history names for what the pipeline did by itself


@dataclass(frozen=True)
class Transition:
    action: Action
    from_status: Status
    to_status: Status


def record(
    session: Session,
    action: Action,
    *,
    request_id: int | None,
    actor: str = SYSTEM_ACTOR,
    note: str | None = None,
    file_id: int | None = None,
    at: datetime | None = None,
    transition: Transition | None = None,
    to_status: str | None = None,
) -> Event:
    """Add one history entry to `session`. A status change gives its `transition`; an entry
    about a file that joined a request may give the request's status it left it in."""
    event = Event(
        request_id=request_id,
        file_id=file_id,
        at=at or now_utc(),
        who=actor,
        action=action.value,
        from_status=transition.from_status.value if transition else None,
        to_status=transition.to_status.value if transition else to_status,
        note=note,
    )
    session.add(event)
    return event


def change_status(
    request: Request, action: Action, now: datetime, calendar: WorkingCalendar
) -> Transition:
    """Move `request` by `action` as the transition table allows (TransitionError otherwise,
    nothing changed) and set the new status's deadline."""
    current = Status(request.status)
    target = next_status(current, action)
    request.status = target.value
    request.due_at = due_for(target, now, calendar)
    request.updated_at = now
    return Transition(action, current, target)
