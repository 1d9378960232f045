"""Reads the web pages need on top of tracking.selectors (which they build on): search, the week grid, summaries.

Every function scopes by the access policy; the views call these and never build their own queries.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts import policy

from . import periods, selectors
from .models import Client, Project, Tag, Task, TimeEntry
from .periods import day_bounds
from .selectors import entry_totals, time_entry_list


def own_totals(*, user, today: date, now: datetime | None = None) -> dict:
    """Seconds of the user's time today and this week (Monday to Sunday), a running timer counted up to now
    ("running" says whether one is)."""
    day = selectors.period_totals(viewer=user, user=user, period=periods.day_period(today), now=now)
    week = selectors.period_totals(viewer=user, user=user, period=periods.week(today), now=now)
    return {"today": day["seconds"], "week": week["seconds"], "running": day["running"] or week["running"]}


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


def week_grid(*, viewer, user, monday: date, now: datetime | None = None) -> dict:
    """Rows (project, task) × 7 days of seconds for `user`'s week starting `monday`, in `viewer`'s timezone; a
    running timer counts up to now ("running" says whether one is in the week)."""
    tz = viewer.tzinfo
    week = periods.week(monday)
    begin, end = week.bounds(tz)
    entries = time_entry_list(
        viewer=viewer, filters={"user": user.pk, "start_after": begin, "start_before": end}
    ).prefetch_related(None)
    now = now or timezone.now()
    rows: dict = {}
    day_totals = [0] * 7
    running = False
    for entry in entries:
        index = (timezone.localtime(entry.start, tz).date() - monday).days
        seconds = entry.duration_seconds
        if entry.is_running:
            running, seconds = True, selectors.running_seconds(entry.start, now)
        key = (entry.project_id, entry.task_id)
        row = rows.setdefault(key, {"project": entry.project, "task": entry.task, "days": [0] * 7, "total": 0})
        row["days"][index] += seconds
        row["total"] += seconds
        day_totals[index] += seconds
    ordered = sorted(rows.values(), key=lambda r: (str(r["project"]).lower(), str(r["task"] or "")))
    total = sum(day_totals)
    return {"days": week.dates(), "rows": ordered, "day_totals": day_totals, "total": total, "running": running}


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
    begin, end = day_bounds(day, tz)
    last = (
        TimeEntry.objects.filter(user=user, start__gte=begin, start__lt=end, end__isnull=False)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return last or timezone.make_aware(datetime.combine(day, time(9, 0)), tz)


def has_entries(*, viewer) -> bool:
    return policy.visible(viewer, TimeEntry.objects.all()).exists()
