"""Time entries and their totals, and a person's time per project (the entries half of tracking.selectors)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, Count, DecimalField, F, IntegerField, Model, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from accounts import policy

from .. import periods
from ..exceptions import InvalidFilter
from ..models import Project, Tag, TimeEntry

TIME_ENTRY_FILTERS = (
    "start_after",
    "start_before",
    "user",
    "project",
    "client",
    "task",
    "billable",
    "tag",
    "source",
    "running",
)

CENT = Decimal("0.01")
ZERO_AMOUNT = Decimal("0.00")


# --- time entries ---------------------------------------------------------------------------------------------------


def _id(value: Any) -> Any:
    return value.pk if isinstance(value, Model) else value


def _in(field: str, value: Any) -> Q:
    """`field=value`, or `field__in=values` for a list/tuple/set/queryset of ids or instances."""
    if isinstance(value, QuerySet):
        return Q(**{f"{field}__in": value})
    if isinstance(value, list | tuple | set | frozenset):
        return Q(**{f"{field}__in": [_id(v) for v in value]})
    return Q(**{field: _id(value)})


def _as_bool(name: str, value: Any) -> bool:
    """A bool; the strings a form or query string carries ("true"/"false", "1"/"0", "yes"/"no") are understood."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise InvalidFilter(f"The filter “{name}” takes true or false; got “{value}”.", field=name)


def _aware(value: date | datetime, tzinfo) -> datetime:
    """A datetime as given; a date is the start of that day in the viewer's time zone."""
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, tzinfo=tzinfo)


def _tag_ids(value: Any) -> QuerySet:
    values = value if isinstance(value, list | tuple | set | frozenset) else [value]
    ids = [v.pk for v in values if isinstance(v, Tag)]
    ids += [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    names = [str(v) for v in values if not isinstance(v, Tag | int)]
    query = Q(pk__in=ids)
    for name in names:
        query |= Q(name__iexact=name)
    return Tag.objects.filter(query).values("pk")


def _apply_filters(qs: QuerySet, viewer, filters: dict | None) -> QuerySet:
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    unknown = set(filters) - set(TIME_ENTRY_FILTERS)
    if unknown:
        raise InvalidFilter(f"Unknown filters: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    tzinfo = viewer.tzinfo
    if "start_after" in filters:
        qs = qs.filter(start__gte=_aware(filters["start_after"], tzinfo))
    if "start_before" in filters:
        qs = qs.filter(start__lt=_aware(filters["start_before"], tzinfo))
    if "user" in filters:
        qs = qs.filter(_in("user_id", filters["user"]))
    if "project" in filters:
        qs = qs.filter(_in("project_id", filters["project"]))
    if "client" in filters:
        qs = qs.filter(_in("project__client_id", filters["client"]))
    if "task" in filters:
        qs = qs.filter(_in("task_id", filters["task"]))
    if "billable" in filters:
        qs = qs.filter(billable=_as_bool("billable", filters["billable"]))
    if "tag" in filters:
        # A subquery, not a join: an entry with two matching tags must still appear once.
        through = TimeEntry.tags.through
        qs = qs.filter(pk__in=through.objects.filter(tag_id__in=_tag_ids(filters["tag"])).values("timeentry_id"))
    if "source" in filters:
        qs = qs.filter(_in("source", filters["source"]))
    if "running" in filters:
        qs = qs.filter(end__isnull=_as_bool("running", filters["running"]))
    return qs


def time_entry_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """The entries `viewer` may see, newest first, with everything a list shows loaded in a fixed number of queries.

    filters (all optional; None values are ignored):
      start_after / start_before: datetime (or date = midnight in the viewer's time zone); start >= / start <.
      user, project, client, task: an id or instance, or a list of them.
      billable, running: bool.  tag: a Tag, id or name (or a list).  source: a Source value (or a list).
    Raises InvalidFilter for an unknown filter name.
    """
    qs = policy.visible(viewer, TimeEntry.objects.all())
    qs = _apply_filters(qs, viewer, filters)
    return qs.select_related("user", "project", "project__client", "task").prefetch_related("tags")


def entry_tag_names(entries) -> dict[int, list[str]]:
    """{entry id: its tags' names, by name} for entries already read (one query): what a page of rows shows of the
    tags, without the Tag objects and a related manager per entry that prefetch_related("tags") makes (most of the
    cost of reading a page of 50 entries)."""
    through = TimeEntry.tags.through
    names: dict[int, list[str]] = {entry.pk: [] for entry in entries}
    if names:
        rows = through.objects.filter(timeentry_id__in=list(names)).order_by("tag__name")
        for entry_id, name in rows.values_list("timeentry_id", "tag__name"):
            names[entry_id].append(name)
    return names


def time_entry_get(*, viewer, pk: int) -> TimeEntry:
    """One entry `viewer` may see; TimeEntry.DoesNotExist otherwise (an entry you may not see does not exist)."""
    return time_entry_list(viewer=viewer).get(pk=pk)


# --- totals: the sums every report, page and message shares ---------------------------------------------------------


def _rate():
    return Coalesce("project__hourly_rate", "project__client__default_hourly_rate")


def running_seconds(start: datetime, now: datetime) -> int:
    """The one rule for a running timer in any total: it counts its elapsed time from its start up to now."""
    return max(0, int((now - start).total_seconds()))


def _running(qs: QuerySet, now: datetime) -> dict[int, int]:
    """{entry id: seconds so far} of the running timers among `qs` (one query)."""
    rows = qs.filter(end__isnull=True).order_by().values_list("pk", "start")
    return {pk: running_seconds(start, now) for pk, start in rows}


def running_timers(entries, now: datetime) -> dict[int, int]:
    """{entry id: seconds so far} of running `entries` already read (e.g. timer_status's), for period_totals."""
    return {e.pk: running_seconds(e.start, now) for e in entries if e is not None and e.end is None}


def _seconds(running: dict[int, int], default=None):
    """An entry's seconds in a sum: its duration, or for a running timer its seconds so far."""
    default = F("duration_seconds") if default is None else default
    if not running:
        return default
    whens = [When(pk=pk, then=Value(seconds)) for pk, seconds in running.items()]
    return Case(*whens, default=default, output_field=IntegerField())


def entry_seconds(running: dict[int, int]):
    """The expression of an entry's seconds in a sum (see running_timers for `running`)."""
    return _seconds(running)


def _second_sums(running: dict[int, int]) -> dict:
    """The sums of seconds (all, billable, of running timers) — computed on the entries' table alone."""
    seconds = _seconds(running)
    return {
        "_seconds": Coalesce(Sum(seconds), 0),
        "_billable_seconds": Coalesce(Sum(seconds, filter=Q(billable=True)), 0),
        "_running_seconds": Coalesce(Sum(_seconds(running, Value(0))), 0),
    }


def _sums(running: dict[int, int]) -> dict:
    money = DecimalField(max_digits=24, decimal_places=2)
    seconds = _seconds(running)
    return {
        **_second_sums(running),
        "_amount_x3600": Coalesce(
            Sum(seconds * _rate(), filter=Q(billable=True), output_field=money),
            Value(Decimal("0"), output_field=money),
            output_field=money,
        ),
    }


def _amount(amount_x3600) -> Decimal:
    return (Decimal(amount_x3600 or 0) / Decimal(3600)).quantize(CENT, rounding=ROUND_HALF_UP)


def _totals(row: dict) -> dict:
    return {
        "seconds": int(row["_seconds"] or 0),
        "billable_seconds": int(row["_billable_seconds"] or 0),
        "amount": _amount(row["_amount_x3600"]),
    }


def entry_totals(entries: QuerySet, *, now: datetime | None = None, running: dict[int, int] | None = None) -> dict:
    """Seconds, billable seconds and amount of `entries` (a queryset the caller already scoped, e.g. from
    time_entry_list): the same sums and rounding as every line of report_summary, a running timer counted up to
    `now`. Two queries; one when the caller knows the running timers among `entries` (`running`, as running_timers
    gives them: {} when none of them runs)."""
    if running is None:
        running = _running(entries, now or timezone.now())
    return _totals(entries.order_by().aggregate(**_sums(running)))


def day_totals(entries: QuerySet, *, days, tz, now: datetime | None = None) -> dict[date, int]:
    """{local day: seconds} of `entries` (already scoped and filtered) that start on each of `days` in `tz` — the
    day headers of the entries list, whole days even when a page shows part of one; a running timer counts up to
    now. One query."""
    days = sorted(set(days))
    if not days:
        return {}
    begin = periods.day_bounds(days[0], tz)[0]
    end = periods.day_bounds(days[-1], tz)[1]
    now = now or timezone.now()
    totals = dict.fromkeys(days, 0)
    # Summed in the database by local day (an admin's page of 50 entries spans days of ~2,000); a running timer
    # keeps its own group (its start), to be counted up to now.
    rows = (
        entries.filter(start__gte=begin, start__lt=end)
        .order_by()
        .annotate(
            _day=TruncDate("start", tzinfo=tz),
            _running_start=Case(When(end__isnull=True, then=F("start")), default=None),
        )
        .values_list("_day", "_running_start")
        .annotate(_seconds=Sum("duration_seconds"), _count=Count("pk"))
    )
    for day, running_start, seconds, count in rows:
        if day in totals:
            totals[day] += (seconds or 0) if running_start is None else count * running_seconds(running_start, now)
    return totals


def period_totals(
    *, viewer, user, period: periods.Period, now: datetime | None = None, running: dict[int, int] | None = None
) -> dict:
    """`user`'s totals over a local `period` (in `viewer`'s time zone), as `viewer` may see them: entry_totals
    of the entries that start in it, plus "running_seconds" (the part of "seconds" a running timer adds so far)
    and "running" (whether one runs). Two queries; one when the caller knows the running timers already
    (`running`: {entry id: seconds so far}, see running_timers; those outside the period count nothing)."""
    start, end = period.bounds(viewer.tzinfo)
    qs = time_entry_list(viewer=viewer, filters={"user": user.pk, "start_after": start, "start_before": end})
    if running is None:
        running = _running(qs, now or timezone.now())
    row = qs.order_by().aggregate(**_sums(running))
    return {**_totals(row), "running_seconds": int(row["_running_seconds"] or 0), "running": bool(running)}


# --- a person's totals per project (Slack /tt today and week, daily summaries) ------------------------------------


def project_totals(*, viewer, user, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """`user`'s time per project for entries starting in [start, end), as `viewer` may see it.

    Completed entries are summed in the database; a running timer counts its time so far (running_seconds).
    Returns {"projects": [(project, seconds)] largest first, "total": seconds, "running": the running entry or None}.
    """
    now = now or timezone.now()
    entries = policy.visible(viewer, TimeEntry.objects.filter(user=user, start__gte=start, start__lt=end))
    sums = {
        row["project"]: row["seconds"]
        for row in entries.filter(end__isnull=False).values("project").annotate(seconds=Sum("duration_seconds"))
    }
    running = entries.filter(end__isnull=True).select_related("project", "project__client").first()
    if running is not None:
        sums[running.project_id] = sums.get(running.project_id, 0) + running_seconds(running.start, now)
    projects = Project.objects.select_related("client").in_bulk(list(sums))
    rows = sorted(((projects[pk], seconds) for pk, seconds in sums.items()), key=lambda r: (-r[1], str(r[0])))
    return {"projects": rows, "total": sum(sums.values()), "running": running}
