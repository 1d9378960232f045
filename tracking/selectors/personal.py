"""Reads about one person's own time for the web pages: the dashboard's totals, "continue", the week grid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from accounts import policy

from ..models import TimeEntry
from .entries import local_day_bounds, time_entry_list, week_start


def own_totals(*, user, today: date) -> dict:
    """Seconds of the user's completed entries today and this week (Monday first); the running timer ticks in the
    page header instead."""
    tz = user.tzinfo
    day_start, day_end = local_day_bounds(today, tz)
    week_begin, _ = local_day_bounds(week_start(today), tz)
    qs = TimeEntry.objects.filter(user=user, start__gte=week_begin, start__lt=day_end, end__isnull=False)
    totals = qs.aggregate(week=Sum("duration_seconds"), today=Sum("duration_seconds", filter=Q(start__gte=day_start)))
    return {"today": totals["today"] or 0, "week": totals["week"] or 0}


def recent_entries(*, user, limit: int = 10) -> QuerySet:
    """The user's own latest completed entries (for "continue")."""
    return time_entry_list(viewer=user, filters={"user": user.pk, "running": False})[:limit]


def has_entries(*, viewer) -> bool:
    return policy.visible(viewer, TimeEntry.objects.all()).exists()


def week_grid(*, viewer, user, monday: date) -> dict:
    """Rows (project, task) × 7 days of seconds for `user`'s week starting `monday`, in `viewer`'s timezone."""
    tz = viewer.tzinfo
    begin, _ = local_day_bounds(monday, tz)
    _, end = local_day_bounds(monday + timedelta(days=6), tz)
    entries = time_entry_list(
        viewer=viewer, filters={"user": user.pk, "start_after": begin, "start_before": end, "running": False}
    ).prefetch_related(None)
    days = [monday + timedelta(days=i) for i in range(7)]
    rows: dict = {}
    day_totals = [0] * 7
    for entry in entries:
        index = (timezone.localtime(entry.start, tz).date() - monday).days
        key = (entry.project_id, entry.task_id)
        row = rows.setdefault(key, {"project": entry.project, "task": entry.task, "days": [0] * 7, "total": 0})
        row["days"][index] += entry.duration_seconds
        row["total"] += entry.duration_seconds
        day_totals[index] += entry.duration_seconds
    ordered = sorted(rows.values(), key=lambda r: (str(r["project"]).lower(), str(r["task"] or "")))
    return {"days": days, "rows": ordered, "day_totals": day_totals, "total": sum(day_totals)}


def next_free_start(*, user, day: date, tz) -> datetime:
    """Where a duration-only entry on `day` begins: after the user's last entry that day, else at 09:00."""
    begin, end = local_day_bounds(day, tz)
    last = (
        TimeEntry.objects.filter(user=user, start__gte=begin, start__lt=end, end__isnull=False)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return last or timezone.make_aware(datetime.combine(day, time(9, 0)), tz)
