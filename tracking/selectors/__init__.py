"""Reads of the tracking domain, scoped by the access policy — one package, split by subject.

The web UI, the API, exports and the connectors call these, so "what may this person see" and "how is a report
computed" have one answer. Every function takes the viewer and starts from `accounts.policy`.

- `entries`: time entries and their totals (reports are in `tracking.reports`, the calendar in `tracking.periods`).
- `catalog`: clients, projects, tasks, tags, and the choices forms offer.
- `personal`: one person's own time on the web pages (dashboard totals, "continue", the week grid).
- `timesheets`: person-weeks with their approval state, the manager's team overview, locked periods.

Import from the package: `from tracking.selectors import time_entry_list`.
"""

from .catalog import (
    PROJECTS_BY_CLIENT,
    client_get,
    client_list,
    project_get,
    project_list,
    project_summary,
    tag_list,
    task_get,
    task_list,
    tasks_by_status,
    team_choices,
    trackable_projects,
    trackable_tasks,
    user_choices,
)
from .entries import (
    TIME_ENTRY_FILTERS,
    day_totals,
    entry_tag_names,
    entry_totals,
    period_totals,
    project_totals,
    running_seconds,
    time_entry_get,
    time_entry_list,
)
from .personal import duration_slot, has_entries, next_free_start, own_totals, recent_entries, week_grid
from .timesheets import (
    PersonWeek,
    locked_entry_ids,
    overview_teams,
    period_lock_covering,
    period_lock_list,
    person_weeks,
    team_overview,
    timesheet_get,
    timesheet_list,
    timesheet_people,
)

__all__ = [
    "PROJECTS_BY_CLIENT",
    "PersonWeek",
    "locked_entry_ids",
    "overview_teams",
    "period_lock_covering",
    "period_lock_list",
    "person_weeks",
    "team_overview",
    "timesheet_get",
    "timesheet_list",
    "timesheet_people",
    "TIME_ENTRY_FILTERS",
    "client_get",
    "client_list",
    "day_totals",
    "entry_tag_names",
    "entry_totals",
    "has_entries",
    "next_free_start",
    "duration_slot",
    "own_totals",
    "period_totals",
    "project_get",
    "project_list",
    "project_summary",
    "project_totals",
    "recent_entries",
    "running_seconds",
    "tag_list",
    "task_get",
    "task_list",
    "tasks_by_status",
    "time_entry_get",
    "time_entry_list",
    "trackable_projects",
    "trackable_tasks",
    "team_choices",
    "user_choices",
    "week_grid",
]
