"""Time entries, reports and totals, and a person's local days and weeks (the entries half of tracking.selectors)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, F, Model, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from accounts import policy

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

GROUP_BY_CHOICES = ("project", "client", "user", "task", "tag", "day", "week")

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


def time_entry_get(*, viewer, pk: int) -> TimeEntry:
    """One entry `viewer` may see; TimeEntry.DoesNotExist otherwise (an entry you may not see does not exist)."""
    return time_entry_list(viewer=viewer).get(pk=pk)


# --- reports --------------------------------------------------------------------------------------------------------

# group name -> (fields to group on; the first is the key)
_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "project": ("project_id", "project__name", "project__client__name"),
    "client": ("project__client_id", "project__client__name"),
    "user": ("user_id", "user__username", "user__full_name"),
    "task": ("task_id", "task__name"),
    "tag": ("tags__id", "tags__name"),
    "day": ("_day",),
    "week": ("_week",),
}


def _rate():
    return Coalesce("project__hourly_rate", "project__client__default_hourly_rate")


def _sums() -> dict:
    money = DecimalField(max_digits=24, decimal_places=2)
    return {
        "_seconds": Coalesce(Sum("duration_seconds"), 0),
        "_billable_seconds": Coalesce(Sum("duration_seconds", filter=Q(billable=True)), 0),
        "_amount_x3600": Coalesce(
            Sum(F("duration_seconds") * _rate(), filter=Q(billable=True), output_field=money),
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


def entry_totals(entries: QuerySet) -> dict:
    """Seconds, billable seconds and amount of `entries` (a queryset the caller already scoped, e.g. from
    time_entry_list): the same sums and rounding as every line of report_summary."""
    return _totals(entries.order_by().aggregate(**_sums()))


def _key_and_label(group_by: str, row: dict) -> tuple[Any, str, tuple]:
    """(key, label, sort key) of one aggregated row."""
    if group_by == "project":
        key = row["project_id"]
        client = row["project__client__name"]
        label = f"{client} / {row['project__name']}" if client else row["project__name"]
        return key, label, (0, label.lower())
    if group_by == "client":
        key = row["project__client_id"]
        return key, row["project__client__name"] or "No client", (key is None, (row["project__client__name"] or ""))
    if group_by == "user":
        label = row["user__full_name"] or row["user__username"]
        return row["user_id"], label, (0, label.lower())
    if group_by == "task":
        key = row["task_id"]
        return key, row["task__name"] or "No task", (key is None, (row["task__name"] or "").lower())
    if group_by == "tag":
        key = row["tags__id"]
        return key, row["tags__name"] or "No tag", (key is None, (row["tags__name"] or "").lower())
    value = row["_day"] if group_by == "day" else row["_week"]
    if isinstance(value, datetime):
        value = value.date()
    if group_by == "day":
        return value.isoformat(), f"{value:%a} {value.isoformat()}", (0, value)
    iso_year, iso_week, _ = value.isocalendar()
    return value.isoformat(), f"Week {iso_week}, {iso_year} (from {value.isoformat()})", (0, value)


def _grouped(qs: QuerySet, dimensions: list[str]) -> list[dict]:
    fields = [f for d in dimensions for f in _DIMENSIONS[d]]
    return list(qs.values(*fields).annotate(**_sums()).order_by())


def report_summary(
    *,
    viewer,
    start: date,
    end: date,
    group_by: str,
    then_by: str | None = None,
    filters: dict | None = None,
) -> dict:
    """Totals of the entries `viewer` may see that started between `start` and `end` (inclusive days in the
    viewer's time zone), grouped by `group_by` and optionally within each group by `then_by`.

    Aggregated in the database: one query for the grand total, one per grouping level. Amount is billable seconds
    times the project's effective hourly rate (the project's rate, else its client's default) / 3600, rounded to
    cents. Running timers are left out (they have no duration yet). With group_by or then_by "tag" an entry counts
    once for each of its tags (and under "No tag" when it has none); the grand total counts it once.
    """
    if group_by not in GROUP_BY_CHOICES:
        raise InvalidFilter(
            f"group_by must be one of {', '.join(GROUP_BY_CHOICES)}; got “{group_by}”.", field="group_by"
        )
    if then_by is not None and then_by not in GROUP_BY_CHOICES:
        raise InvalidFilter(f"then_by must be one of {', '.join(GROUP_BY_CHOICES)}; got “{then_by}”.", field="then_by")
    if then_by == group_by:
        raise InvalidFilter("then_by must differ from group_by.", field="then_by")
    if end < start:
        raise InvalidFilter("The end date must not be before the start date.", field="end")
    filters = dict(filters or {})
    for name in ("start_after", "start_before", "running"):
        if filters.pop(name, None) is not None:
            raise InvalidFilter(f"The filter “{name}” does not apply to reports; use start and end.", field=name)

    tzinfo = viewer.tzinfo
    qs = policy.visible(viewer, TimeEntry.objects.all()).filter(
        start__gte=_aware(start, tzinfo), start__lt=_aware(end + timedelta(days=1), tzinfo), end__isnull=False
    )
    qs = _apply_filters(qs, viewer, filters)
    qs = qs.annotate(_day=TruncDate("start", tzinfo=tzinfo), _week=TruncWeek("start", tzinfo=tzinfo))

    total = qs.order_by().aggregate(**_sums())
    levels = [group_by] + ([then_by] if then_by else [])

    def node(dimension: str, row: dict) -> tuple[tuple, dict]:
        key, label, sort_key = _key_and_label(dimension, row)
        group = {"key": key, "label": label, **_totals(row), "children": []}
        return sort_key, group

    outer = {}
    for row in _grouped(qs, [group_by]):
        sort_key, group = node(group_by, row)
        outer[group["key"]] = (sort_key, group)
    if then_by:
        children: dict[Any, list] = {}
        for row in _grouped(qs, levels):
            parent_key, _, _ = _key_and_label(group_by, row)
            children.setdefault(parent_key, []).append(node(then_by, row))
        for parent_key, (_, group) in outer.items():
            group["children"] = [g for _, g in sorted(children.get(parent_key, []), key=lambda item: item[0])]

    return {
        "start": start,
        "end": end,
        "group_by": group_by,
        "then_by": then_by,
        "groups": [g for _, g in sorted(outer.values(), key=lambda item: item[0])],
        "total": _totals(total),
    }


# --- a person's periods and totals (dashboard, Slack /tt today and week, summaries) -------------------------------


def local_today(user, now: datetime | None = None) -> date:
    """Today's date in `user`'s time zone."""
    return timezone.localtime(now or timezone.now(), user.tzinfo).date()


def local_day_bounds(day: date, tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a calendar day in `tzinfo`, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min), tzinfo)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tzinfo)


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def project_totals(*, viewer, user, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """`user`'s time per project for entries starting in [start, end), as `viewer` may see it.

    Completed entries are summed in the database; a running timer counts from its start up to `now` (or `end`).
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
        elapsed = max(0, int((min(now, end) - running.start).total_seconds()))
        sums[running.project_id] = sums.get(running.project_id, 0) + elapsed
    projects = Project.objects.select_related("client").in_bulk(list(sums))
    rows = sorted(((projects[pk], seconds) for pk, seconds in sums.items()), key=lambda r: (-r[1], str(r[0])))
    return {"projects": rows, "total": sum(sums.values()), "running": running}
