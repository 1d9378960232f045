"""Errors raised by tracking services.

They are domain errors (timetracker.errors.DomainError) and ValidationErrors with a stable machine `code`, an HTTP
`status`, a human message and, where it applies, the form `field` they belong to; timetracker.errors translates them
for the admin, the web UI, Slack and the API.
"""

from django.core.exceptions import ValidationError

from timetracker.errors import DomainError

from .utils import format_date, format_time


class TrackingError(DomainError, ValidationError):
    code = "invalid"
    status = 400
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, code=self.code)
        if field is not None:
            self.field = field


def _local(moment, tz) -> str:
    return format_time(moment, tz)


def _day(moment, tz) -> str:
    return format_date(moment, "short", tz)


def _reader_words(entry, reader) -> tuple[str, object]:
    """("your" or "Sam's", the time zone to speak in) for the person reading about `entry`: the reader's own zone, or
    for a system action (no reader) the zone of the entry's owner."""
    if reader is not None and reader.pk == entry.user_id:
        return "your", reader.tzinfo
    owner = entry.user
    return f"{owner.display_name}’s", (reader or owner).tzinfo


class TimerAlreadyRunning(TrackingError):
    code = "timer_already_running"
    status = 409  # the state of things, not bad input

    def __init__(self, entry=None, *, reader=None):
        self.entry = entry
        if entry is not None:
            whose, tz = _reader_words(entry, reader)
            message = (
                f"{whose[:1].upper()}{whose[1:]} timer is already running on “{entry.project}” since "
                f"{_local(entry.start, tz)} ({_day(entry.start, tz)}). Stop it before starting another."
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
    """The entry overlaps another of the same person's; said in the reader's words and time zone:
    "This overlaps Sam's entry on Acme / Website, Tue 10 Mar 09:00–10:30." """

    code = "overlapping_entry"
    status = 409  # the state of things, not bad input
    field = "start"

    def __init__(self, conflict, *, reader=None):
        self.conflict = conflict
        whose, tz = _reader_words(conflict, reader)
        end = _local(conflict.end, tz) if conflict.end else "now (running)"
        super().__init__(
            f"This overlaps {whose} entry on {conflict.project}, "
            f"{_day(conflict.start, tz)} {_local(conflict.start, tz)}–{end}."
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
