"""Errors raised by tracking services.

They are domain errors (timetracker.errors.DomainError) and ValidationErrors with a stable machine `code`, an HTTP
`status`, a human message and, where it applies, the form `field` they belong to; timetracker.errors translates them
for the admin, the web UI, Slack and the API.
"""

from django.core.exceptions import ValidationError

from timetracker.errors import DomainError


class TrackingError(DomainError, ValidationError):
    code = "invalid"
    status = 400
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, code=self.code)
        if field is not None:
            self.field = field


class TimerAlreadyRunning(TrackingError):
    code = "timer_already_running"
    status = 409  # the state of things, not bad input

    def __init__(self, entry=None):
        self.entry = entry
        if entry is not None:
            message = (
                f"A timer is already running on “{entry.project}” since "
                f"{entry.start:%Y-%m-%d %H:%M} UTC. Stop it before starting another."
            )
        else:
            message = "A timer is already running. Stop it before starting another."
        super().__init__(message)


class NoRunningTimer(TrackingError):
    code = "no_running_timer"
    status = 409  # the state of things, not bad input

    def __init__(self):
        super().__init__("No timer is running.")


class OverlappingEntry(TrackingError):
    code = "overlapping_entry"
    status = 409  # the state of things, not bad input
    field = "start"

    def __init__(self, conflict):
        self.conflict = conflict
        end = f"{conflict.end:%Y-%m-%d %H:%M}" if conflict.end else "now (running)"
        super().__init__(
            f"This entry overlaps your entry #{conflict.pk} on “{conflict.project}” "
            f"from {conflict.start:%Y-%m-%d %H:%M} to {end} UTC."
        )


class ArchivedProject(TrackingError):
    code = "archived_project"
    field = "project"

    def __init__(self, project):
        super().__init__(f"The project “{project}” is archived; time cannot be tracked on it.")


class InvalidEntry(TrackingError):
    code = "invalid"


class InvalidFilter(TrackingError):
    """A list or report was asked for with a filter or grouping it does not know, or dates in the wrong order."""

    code = "invalid_filter"


class PeriodLocked(TrackingError):
    """Time in a locked period or an approved week: it cannot be created, changed, moved or deleted."""

    code = "period_locked"
    status = 409  # the state of things, not bad input


class InvalidTransition(TrackingError):
    """A timesheet cannot go from its current state to the one asked for (e.g. approving an open week)."""

    code = "invalid_transition"
    status = 409


class ApprovalsDisabled(TrackingError):
    code = "approvals_disabled"
    status = 409

    def __init__(self):
        super().__init__("Timesheet approvals are turned off in this installation; an admin can turn them on.")
