"""The editable week (timesheet mode): a person types the time of one project/task on one day, and the entries follow.

Every change goes through the entry services, so overlap, rounding, locks and the access policy apply as they do
for a logged entry.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Project, Task, TimeEntry
from ..periods import day_bounds
from .entries import time_entry_create, time_entry_delete, time_entry_update

WORKDAY_START = time(9, 0)


@transaction.atomic
def week_cell_set(*, actor, user, project: Project, task: Task | None, day: date, seconds: int, tz) -> int:
    """Make `user`'s finished time on `project`/`task` on the local `day` add up to `seconds`; returns the new total.

    More time is a new entry after that day's last entry (at 09:00 on an empty day); less time shortens the cell's
    latest entries, deleting those it uses up. Raises what the entry services raise (an overlap, a lock, a refusal).
    """
    begin, end = day_bounds(day, tz)
    cell = list(
        TimeEntry.objects.filter(
            user=user, project=project, task=task, start__gte=begin, start__lt=end, end__isnull=False
        ).order_by("-start")
    )
    current = sum(entry.duration_seconds for entry in cell)
    if seconds > current:
        last_end = (
            TimeEntry.objects.filter(user=user, start__gte=begin, start__lt=end, end__isnull=False)
            .order_by("-end")
            .values_list("end", flat=True)
            .first()
        )
        start = last_end or timezone.make_aware(datetime.combine(day, WORKDAY_START), tz)
        time_entry_create(
            actor=actor,
            user=user,
            project=project,
            task=task,
            start=start,
            end=start + timedelta(seconds=seconds - current),
        )
    else:
        to_remove = current - seconds
        for entry in cell:
            if to_remove <= 0:
                break
            if entry.duration_seconds <= to_remove:
                to_remove -= entry.duration_seconds
                time_entry_delete(actor=actor, entry=entry)
            else:
                time_entry_update(actor=actor, entry=entry, end=entry.end - timedelta(seconds=to_remove))
                to_remove = 0
    return sum(
        TimeEntry.objects.filter(
            user=user, project=project, task=task, start__gte=begin, start__lt=end, end__isnull=False
        ).values_list("duration_seconds", flat=True)
    )
