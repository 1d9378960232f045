"""Reads for Slack: which projects a text names, and a person's totals per project over a local period.

Both are scoped by accounts.policy: projects by `trackable_projects`, entries by `visible`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts import policy
from tracking.models import Project, TimeEntry

from .models import SlackSummarySent, SlackUserPreference

MAX_CHOICES = 8
# A summary whose local time passed longer ago than this (the scheduler was down) is skipped, not sent late.
LATE_LIMIT = timedelta(hours=6)


def project_match(*, user, text: str) -> list[Project]:
    """The projects `user` may track on that `text` names: an id, a code (exact, any case) or a name (exact, any
    case; else a fragment). One element means a single match; the list is cut at MAX_CHOICES + 1."""
    text = text.strip()
    if not text:
        return []
    projects = policy.trackable_projects(user).select_related("client")
    if text.isdigit():
        found = list(projects.filter(pk=int(text)))
        if found:
            return found
    exact = list(projects.filter(Q(code__iexact=text) | Q(name__iexact=text)).order_by("name", "pk")[:2])
    if len(exact) == 1:
        return exact
    return list(projects.filter(name__icontains=text).order_by("name", "pk")[: MAX_CHOICES + 1])


@dataclass(frozen=True)
class Totals:
    start: datetime
    end: datetime
    rows: list[tuple[str, int]]  # (project name, seconds), largest first
    total_seconds: int
    running_project: str = ""


def local_day_bounds(user, day: date) -> tuple[datetime, datetime]:
    tz = user.tzinfo
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)


def local_today(user, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), user.tzinfo).date()


def time_totals(*, viewer, user, start: datetime, end: datetime, now: datetime | None = None) -> Totals:
    """`user`'s time per project for entries starting in [start, end), as `viewer` may see it. A running timer
    counts up to `now`."""
    now = now or timezone.now()
    entries = policy.visible(viewer, TimeEntry.objects.filter(user=user, start__gte=start, start__lt=end))
    per_project: dict[str, int] = {}
    running = ""
    for entry in entries.select_related("project", "project__client").order_by("start"):
        seconds = entry.duration_seconds
        if entry.end is None:
            seconds = max(0, int((min(now, end) - entry.start).total_seconds()))
            running = str(entry.project)
        name = str(entry.project)
        per_project[name] = per_project.get(name, 0) + seconds
    rows = sorted(per_project.items(), key=lambda item: (-item[1], item[0]))
    return Totals(start, end, rows, sum(per_project.values()), running)


def day_totals(*, user, day: date, now: datetime | None = None) -> Totals:
    start, end = local_day_bounds(user, day)
    return time_totals(viewer=user, user=user, start=start, end=end, now=now)


def week_totals(*, user, now: datetime | None = None) -> Totals:
    """Monday to Sunday of the current week in the user's time zone."""
    today = local_today(user, now)
    monday = today - timedelta(days=today.weekday())
    start, _ = local_day_bounds(user, monday)
    _, end = local_day_bounds(user, monday + timedelta(days=6))
    return time_totals(viewer=user, user=user, start=start, end=end, now=now)


def summaries_due(*, now: datetime | None = None) -> list[tuple[int, date]]:
    """(user id, local date) of every daily summary whose local time has come (at most LATE_LIMIT ago) and that
    was not claimed yet: linked, active people who turned the summary on."""
    now = now or timezone.now()
    preferences = (
        SlackUserPreference.objects.filter(daily_summary=True, user__is_active=True)
        .exclude(user__slack_user_id="")
        .select_related("user")
    )
    due = []
    for preference in preferences:
        tz = preference.user.tzinfo
        today = timezone.localtime(now, tz).date()
        for day in (today, today - timedelta(days=1)):
            at = datetime.combine(day, preference.summary_time, tzinfo=tz)
            if at <= now and now - at <= LATE_LIMIT:
                due.append((preference.user_id, day))
                break
    if not due:
        return []
    claimed = set(
        SlackSummarySent.objects.filter(user_id__in=[u for u, _ in due], date__in={d for _, d in due}).values_list(
            "user_id", "date"
        )
    )
    return [item for item in due if item not in claimed]
