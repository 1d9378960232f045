"""Every write to the tracking domain goes through these functions.

Each is atomic, checks the access policy for the acting user, validates, and sends its domain signal after
commit. The web UI, the API, the admin, Slack and the connectors all call them.
"""

from .approvals import (
    approval_settings_update,
    approvals_enabled,
    approvals_required_for,
    period_lock_create,
    period_lock_reopen,
    period_lock_validate,
    timesheet_approve,
    timesheet_approve_many,
    timesheet_reject,
    timesheet_reopen,
    timesheet_submit,
)
from .catalog import (
    client_archive,
    client_create,
    client_update,
    project_archive,
    project_create,
    project_update,
    task_archive,
    task_create,
    task_update,
)
from .entries import (
    time_entry_create,
    time_entry_delete,
    time_entry_update,
    time_entry_validate,
)
from .tags import tag_create, tag_delete, tag_update, tags_resolve
from .timer import timer_start, timer_status, timer_stop
from .week import week_cell_set

__all__ = [
    "approval_settings_update",
    "approvals_enabled",
    "approvals_required_for",
    "period_lock_create",
    "period_lock_reopen",
    "period_lock_validate",
    "timesheet_approve",
    "timesheet_approve_many",
    "timesheet_reject",
    "timesheet_reopen",
    "timesheet_submit",
    "client_archive",
    "client_create",
    "client_update",
    "project_archive",
    "project_create",
    "project_update",
    "task_archive",
    "task_create",
    "task_update",
    "tag_create",
    "tag_delete",
    "tag_update",
    "tags_resolve",
    "time_entry_create",
    "time_entry_delete",
    "time_entry_update",
    "time_entry_validate",
    "timer_start",
    "timer_status",
    "timer_stop",
    "week_cell_set",
]
