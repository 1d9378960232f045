"""tracking's part of a person's data (see accounts/gdpr.py): their time entries, and the projects they are listed on.

Erasure keeps the entries (they count in reports under the anonymous placeholder) and takes the person off every
project's member list.
"""

from __future__ import annotations

from typing import Any

from accounts import gdpr

from .models import Project, TimeEntry


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


def register() -> None:
    gdpr.register("time_entries", export=export_time_entries, erase=erase_memberships)
