"""tracking's part of a person's data (see accounts/gdpr.py): their time entries, the projects they are listed on,
their timesheets (weeks submitted for approval, with the deciders' comments) and the reminders sent to them.

Erasure keeps the entries (they count in reports under the anonymous placeholder) and takes the person off every
project's member list; it keeps the state of their weeks (approved time stays approved) but clears the comments
written about them, and deletes their reminder ledger.
"""

from __future__ import annotations

from typing import Any

from accounts import gdpr

from .models import Project, TimeEntry, Timesheet, TimesheetReminder


def export_time_entries(user) -> list[dict[str, Any]]:
    entries = (
        TimeEntry.objects.filter(user=user)
        .select_related("project", "project__client", "task")
        .prefetch_related("tags")
        .order_by("start")
    )
    return [
        {
            "id": e.pk,
            "project": str(e.project),
            "task": e.task.name if e.task_id else None,
            "start": gdpr.iso(e.start),
            "end": gdpr.iso(e.end),
            "duration_seconds": e.duration_seconds,
            "notes": e.notes,
            "tags": [t.name for t in e.tags.all()],
            "billable": e.billable,
            "source": e.source,
            "created_at": gdpr.iso(e.created_at),
            "updated_at": gdpr.iso(e.updated_at),
        }
        for e in entries
    ]


def erase_memberships(user) -> None:
    Project.members.through.objects.filter(user=user).delete()


def export_timesheets(user) -> list[dict[str, Any]]:
    sheets = Timesheet.objects.filter(user=user).order_by("week")
    return [
        {
            "week": s.week.isoformat(),
            "state": s.state,
            "comment": s.comment,
            "submitted_at": gdpr.iso(s.submitted_at),
            "decided_at": gdpr.iso(s.decided_at),
            "decided_by_id": s.decided_by_id,
        }
        for s in sheets
    ]


def export_reminders(user) -> list[dict[str, Any]]:
    rows = TimesheetReminder.objects.filter(user=user).order_by("week", "kind")
    return [
        {"week": r.week.isoformat(), "kind": r.kind, "channel": r.channel, "sent_at": gdpr.iso(r.created_at)}
        for r in rows
    ]


def erase_timesheet_comments(user) -> None:
    Timesheet.objects.filter(user=user).update(comment="")


def erase_reminders(user) -> None:
    TimesheetReminder.objects.filter(user=user).delete()


def register() -> None:
    gdpr.register("time_entries", export=export_time_entries, erase=erase_memberships)
    gdpr.register("timesheets", export=export_timesheets, erase=erase_timesheet_comments)
    gdpr.register("timesheet_reminders", export=export_reminders, erase=erase_reminders)
