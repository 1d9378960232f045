"""Reads for reports: a report's question checked once (`ReportParams`) and its totals aggregated in the database.

The web report page, its CSV/XLSX exports and the API's summary endpoint call `report_params` and
`report_summary`; none of them checks a date range or a grouping on its own. Periods come from `tracking.periods`,
the sums (and the rule for a running timer) from `tracking.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import timezone

from accounts import policy

from . import periods
from .exceptions import InvalidFilter
from .models import TimeEntry
from .selectors.entries import TIME_ENTRY_FILTERS, _apply_filters, _running, _sums, _totals

GROUP_BY_CHOICES = ("project", "client", "user", "task", "tag", "day", "week")

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


def _grouped(qs: QuerySet, dimensions: list[str], running: dict[int, int]) -> list[dict]:
    fields = [f for d in dimensions for f in _DIMENSIONS[d]]
    return list(qs.values(*fields).annotate(**_sums(running)).order_by())


@dataclass(frozen=True)
class ReportParams:
    """A report's question once it has been checked (build it with `report_params`)."""

    start: date
    end: date
    group_by: str = "project"
    then_by: str | None = None
    filters: dict = field(default_factory=dict)
    preset: str | None = None

    @property
    def period(self) -> periods.Period:
        return periods.Period(self.start, self.end)

    def regrouped(self, group_by: str) -> ReportParams:
        """The same question over the same entries, grouped on one level by `group_by`."""
        return replace(self, group_by=group_by, then_by=None)


def report_params(
    *,
    viewer,
    preset: str | None = None,
    start: date | None = None,
    end: date | None = None,
    group_by: str = "project",
    then_by: str | None = None,
    filters: dict | None = None,
    now: datetime | None = None,
) -> ReportParams:
    """Check a report's question the one way the web page, its exports and the API share; raise InvalidFilter
    naming the field. The period is a `preset` (periods.PRESETS, seen from the viewer's local today) or `start`
    and `end` (inclusive days), not both, and spans at most periods.MAX_SPAN_DAYS."""
    if group_by not in GROUP_BY_CHOICES:
        raise InvalidFilter(
            f"group_by must be one of {', '.join(GROUP_BY_CHOICES)}; got “{group_by}”.", field="group_by"
        )
    if then_by is not None and then_by not in GROUP_BY_CHOICES:
        raise InvalidFilter(f"then_by must be one of {', '.join(GROUP_BY_CHOICES)}; got “{then_by}”.", field="then_by")
    if then_by == group_by:
        raise InvalidFilter("Choose a second level (then_by) different from the first (group_by).", field="then_by")
    if preset:
        if start is not None or end is not None:
            raise InvalidFilter("Give either a preset or start and end dates, not both.", field="preset")
        period = periods.preset(preset, periods.local_today(viewer, now))
    elif start is None or end is None:
        raise InvalidFilter(
            "Give a preset, or both a start and an end date.", field="start" if start is None else "end"
        )
    else:
        period = periods.checked(start, end)
    filters = {k: v for k, v in (filters or {}).items() if v is not None}
    for name in ("start_after", "start_before", "running"):
        if name in filters:
            raise InvalidFilter(f"The filter “{name}” does not apply to reports; use start and end.", field=name)
    unknown = set(filters) - set(TIME_ENTRY_FILTERS)
    if unknown:
        raise InvalidFilter(f"Unknown filters: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    return ReportParams(period.start, period.end, group_by, then_by, filters, preset or None)


def report_summary(
    *,
    viewer,
    params: ReportParams | None = None,
    start: date | None = None,
    end: date | None = None,
    group_by: str = "project",
    then_by: str | None = None,
    filters: dict | None = None,
    preset: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Totals of the entries `viewer` may see that started in the report's period (inclusive days in the viewer's
    time zone), grouped by `group_by` and optionally within each group by `then_by`. Pass checked `params`, or
    the question's parts (checked here by report_params).

    Aggregated in the database: one query for the running timers, one for the grand total, one per grouping level.
    Amount is billable seconds times the project's effective hourly rate (the project's rate, else its client's
    default) / 3600, rounded to cents. A running timer counts its time so far, up to `now` (returned as "as_of";
    "running_seconds" says how much of the total it is). With group_by or then_by "tag" an entry counts once for
    each of its tags (and under "No tag" when it has none); the grand total counts it once.
    """
    now = now or timezone.now()
    if params is None:
        params = report_params(
            viewer=viewer,
            preset=preset,
            start=start,
            end=end,
            group_by=group_by,
            then_by=then_by,
            filters=filters,
            now=now,
        )
    group_by, then_by = params.group_by, params.then_by

    tzinfo = viewer.tzinfo
    begin, finish = params.period.bounds(tzinfo)
    qs = policy.visible(viewer, TimeEntry.objects.all()).filter(start__gte=begin, start__lt=finish)
    qs = _apply_filters(qs, viewer, params.filters)
    running = _running(qs, now)
    qs = qs.annotate(_day=TruncDate("start", tzinfo=tzinfo), _week=TruncWeek("start", tzinfo=tzinfo))

    total = qs.order_by().aggregate(**_sums(running))
    levels = [group_by] + ([then_by] if then_by else [])

    def node(dimension: str, row: dict) -> tuple[tuple, dict]:
        key, label, sort_key = _key_and_label(dimension, row)
        group = {"key": key, "label": label, **_totals(row), "children": []}
        return sort_key, group

    outer = {}
    for row in _grouped(qs, [group_by], running):
        sort_key, group = node(group_by, row)
        outer[group["key"]] = (sort_key, group)
    if then_by:
        children: dict[Any, list] = {}
        for row in _grouped(qs, levels, running):
            parent_key, _, _ = _key_and_label(group_by, row)
            children.setdefault(parent_key, []).append(node(then_by, row))
        for parent_key, (_, group) in outer.items():
            group["children"] = [g for _, g in sorted(children.get(parent_key, []), key=lambda item: item[0])]

    return {
        "start": params.start,
        "end": params.end,
        "preset": params.preset,
        "group_by": group_by,
        "then_by": then_by,
        "groups": [g for _, g in sorted(outer.values(), key=lambda item: item[0])],
        "total": _totals(total),
        "running_seconds": int(total["_running_seconds"] or 0),
        "as_of": now,
    }


def report_people(*, viewer, params: ReportParams) -> dict:
    """How many people have time in the report's question: {"visible": those `viewer` may see, "total": everyone}.

    Counts only (never who), so a report opened by someone who sees less can say how much it leaves out
    ("showing your own time: 1 of 12 people"). Two queries.
    """
    begin, finish = params.period.bounds(viewer.tzinfo)
    everyone = _apply_filters(TimeEntry.objects.filter(start__gte=begin, start__lt=finish), viewer, params.filters)
    visible = policy.visible(viewer, everyone)
    count = Count("user_id", distinct=True)
    return {
        "visible": visible.order_by().aggregate(n=count)["n"],
        "total": everyone.order_by().aggregate(n=count)["n"],
    }
