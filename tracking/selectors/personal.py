"""Reads about one person's own time for the web pages: the dashboard's totals, "continue", the week grid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import policy
from timetracker.prepared import PreparedRead

from .. import periods
from ..models import TimeEntry
from ..periods import day_bounds
from .entries import period_totals, running_seconds, running_timers, time_entry_list

_UNREAD = object()


def own_totals(*, user, today: date, now: datetime | None = None, running=_UNREAD) -> dict:
    """Seconds of the user's time today and this week (Monday to Sunday), a running timer counted up to now
    ("running" says whether one is). `running`: the user's running entry or None, when the caller has read it
    (services.timer_status) — one query instead of four."""
    if running is _UNREAD:
        day = period_totals(viewer=user, user=user, period=periods.day_period(today), now=now)
        week = period_totals(viewer=user, user=user, period=periods.week(today), now=now)
        return {"today": day["seconds"], "week": week["seconds"], "running": day["running"] or week["running"]}
    now = now or timezone.now()
    week = periods.week(today)
    timers = running_timers([running], now)
    begin, end = week.bounds(user.tzinfo)
    day_begin, day_end = periods.day_period(today).bounds(user.tzinfo)
    in_week = running is not None and begin <= running.start < end
    if not policy.is_active(user):
        return {"today": 0, "week": 0, "running": in_week}
    # One pass over the week: today is part of it. The user's own entries are the ones time_entry_list would give;
    # the running timer counts its seconds so far (added here: the ORM types a number in the SQL's CASE itself).
    bounds = {"user_id": user.pk, "begin": begin, "end": end, "day_begin": day_begin, "day_end": day_end}
    timer = {"timer_id": running.pk} if timers else {}
    found = _own_totals_read.rows((bool(timer),), **bounds, **timer)
    row = found[0] if found else {"today": 0, "week": 0}
    week_seconds, today_seconds = int(row["week"]), int(row["today"])
    for seconds in timers.values():  # the running timer, when the caller read one
        week_seconds += seconds if in_week else 0
        today_seconds += seconds if day_begin <= running.start < day_end else 0
    return {"today": today_seconds, "week": week_seconds, "running": in_week}


def _build_own_totals(with_timer: bool, *, user_id, begin, end, day_begin, day_end, timer_id=0):
    entries = TimeEntry.objects.filter(user_id=user_id, start__gte=begin, start__lt=end).order_by()
    if with_timer:
        entries = entries.exclude(pk=timer_id)
    seconds = F("duration_seconds")
    return entries.values("user_id").annotate(
        week=Coalesce(Sum(seconds), 0),
        today=Coalesce(Sum(seconds, filter=Q(start__gte=day_begin, start__lt=day_end)), 0),
    )


# Compiled once per process (timetracker.prepared), with and without a running timer: the dashboard's totals.
_own_totals_read = PreparedRead(_build_own_totals)


def recent_entries(*, user, limit: int = 10) -> QuerySet:
    """The user's own latest completed entries (for "continue")."""
    return time_entry_list(viewer=user, filters={"user": user.pk, "running": False})[:limit]


def has_entries(*, viewer) -> bool:
    return policy.visible(viewer, TimeEntry.objects.all()).exists()


_WEEK_GRID_FIELDS = (
    *("start", "end", "duration_seconds", "project", "task"),
    *("project__name", "project__color", "project__client", "project__client__name", "task__name"),
)


def week_grid(*, viewer, user, monday: date, now: datetime | None = None) -> dict:
    """Rows (project, task) × 7 days of seconds for `user`'s week starting `monday`, in `viewer`'s timezone; a
    running timer counts up to now ("running" says whether one is in the week)."""
    tz = viewer.tzinfo
    week = periods.week(monday)
    begin, end = week.bounds(tz)
    entries = (
        time_entry_list(viewer=viewer, filters={"user": user.pk, "start_after": begin, "start_before": end})
        .prefetch_related(None)
        .select_related(None)
        .select_related("project__client", "task")
        .only(*_WEEK_GRID_FIELDS)  # what a row shows: a project's label and colour, a task's name
    )
    now = now or timezone.now()
    rows: dict = {}
    day_totals = [0] * 7
    running = False
    for entry in entries:
        index = (timezone.localtime(entry.start, tz).date() - monday).days
        seconds = entry.duration_seconds
        if entry.is_running:
            running, seconds = True, running_seconds(entry.start, now)
        key = (entry.project_id, entry.task_id)
        row = rows.setdefault(key, {"project": entry.project, "task": entry.task, "days": [0] * 7, "total": 0})
        row["days"][index] += seconds
        row["total"] += seconds
        day_totals[index] += seconds
    ordered = sorted(rows.values(), key=lambda r: (str(r["project"]).lower(), str(r["task"] or "")))
    total = sum(day_totals)
    return {"days": week.dates(), "rows": ordered, "day_totals": day_totals, "total": total, "running": running}


DEFAULT_DAY_START = time(9, 0)


def next_free_start(*, user, day: date, tz) -> datetime:
    """Where a duration-only entry on `day` begins: after the user's last entry that day, else at 09:00."""
    begin, end = day_bounds(day, tz)
    last = (
        TimeEntry.objects.filter(user=user, start__gte=begin, start__lt=end, end__isnull=False)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return last or timezone.make_aware(datetime.combine(day, DEFAULT_DAY_START), tz)


def duration_slot(
    *, user, day: date, tz, seconds: int, now: datetime | None = None, exclude: int | None = None
) -> tuple[datetime, datetime] | None:
    """(start, end) of a new duration-only entry of `seconds` on `day`, or None when today has no room for it.

    After the user's last entry that day (09:00 if none). Today the entry never reaches into the future nor past a
    running timer's start: when that place does not fit, it goes in the latest free gap of the day that does,
    ending where the gap ends (now, the running timer's start, or the next entry's start). `exclude` is the id of
    an entry being edited, which does not take room from itself.
    """
    length = timedelta(seconds=seconds)
    start = next_free_start(user=user, day=day, tz=tz)
    now = now or timezone.now()
    if day != timezone.localtime(now, tz).date():
        return start, start + length
    begin, _ = day_bounds(day, tz)
    entries = list(
        TimeEntry.objects.filter(Q(end__gt=begin) | Q(end__isnull=True), user=user, start__lt=now)
        .exclude(pk=exclude)
        .values_list("start", "end")
    )
    limit = min([now] + [s for s, e in entries if e is None])
    if start + length <= limit:
        return start, start + length
    busy = sorted((max(s, begin), min(e, limit)) for s, e in entries if e is not None and s < limit)
    gap_end = limit
    for busy_start, busy_end in reversed(busy):
        if gap_end - busy_end >= length:
            return gap_end - length, gap_end
        gap_end = min(gap_end, busy_start)
    if gap_end - begin >= length:
        return gap_end - length, gap_end
    return None
