"""Reads the web pages need on top of tracking.selectors (which they build on): search, the week grid, summaries.

Every function scopes by the access policy; the views call these and never build their own queries.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from accounts import policy

from . import selectors
from .models import Client, Project, Tag, Task, TimeEntry
from .selectors import entry_totals, local_day_bounds, time_entry_list, week_start


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


def trackable_projects(*, user) -> QuerySet:
    return policy.trackable_projects(user).select_related("client").order_by("client__name", "name")


def trackable_tasks(*, user) -> QuerySet:
    return (
        Task.objects.filter(project__in=policy.trackable_projects(user), archived=False)
        .exclude(status=Task.Status.DONE)
        .select_related("project")
        .order_by("project__name", "name")
    )


def tag_list(*, user) -> QuerySet:
    return policy.visible(user, Tag.objects.all())


def user_choices(*, viewer) -> QuerySet:
    """The people whose time `viewer` may see (for the "user" filter of managers and viewers)."""
    from accounts.models import User

    return policy.visible(viewer, User.objects.filter(is_active=True)).order_by("username")


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


def client_list(*, viewer, search: str = "", archived: bool = False) -> QuerySet:
    qs = selectors.client_list(viewer=viewer, filters={"archived": archived})
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(contact__icontains=search))
    return qs.annotate(project_count=Count("projects", filter=Q(projects__archived=False)))


def project_list(*, viewer, search: str = "", archived: bool = False, client=None) -> QuerySet:
    qs = selectors.project_list(viewer=viewer, filters={"archived": archived})
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(client__name__icontains=search))
    if client is not None:
        qs = qs.filter(client=client)
    return qs.order_by("client__name", "name")


def task_list(*, viewer, project=None, search: str = "", archived: bool = False) -> QuerySet:
    qs = selectors.task_list(viewer=viewer, filters={"archived": archived})
    if project is not None:
        qs = qs.filter(project=project)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return qs


def tasks_by_status(*, viewer, project=None, search: str = "") -> list[dict]:
    """The task board: one column per status."""
    tasks = list(task_list(viewer=viewer, project=project, search=search))
    return [
        {"status": value, "label": label, "tasks": [t for t in tasks if t.status == value]}
        for value, label in Task.Status.choices
    ]


def visible_project(*, viewer, pk: int) -> Project:
    return policy.visible(viewer, Project.objects.select_related("client")).get(pk=pk)


def visible_client(*, viewer, pk: int) -> Client:
    return policy.visible(viewer, Client.objects.all()).get(pk=pk)


def visible_task(*, viewer, pk: int) -> Task:
    return policy.visible(viewer, Task.objects.select_related("project", "project__client", "assignee")).get(pk=pk)


def visible_entry(*, viewer, pk: int) -> TimeEntry:
    return time_entry_list(viewer=viewer).get(pk=pk)


def project_summary(*, viewer, project: Project) -> dict:
    """Totals of the project's time `viewer` may see, and how much of its budget is used (in percent)."""
    totals = entry_totals(time_entry_list(viewer=viewer, filters={"project": project.pk}))
    hours = Decimal(totals["seconds"]) / 3600
    totals["hours_pct"] = (
        min(int(hours * 100 / project.budget_hours), 999) if project.budget_hours else None
    )  # capped so an overrun still draws a full bar with an honest number
    totals["amount_pct"] = (
        min(int(totals["amount"] * 100 / project.budget_amount), 999) if project.budget_amount else None
    )
    return totals


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


def has_entries(*, viewer) -> bool:
    return policy.visible(viewer, TimeEntry.objects.all()).exists()
