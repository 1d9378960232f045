"""Reads of time entries and reports, scoped by the access policy.

Interim implementation written by the web UI branch against the contract of the API issue
(`time_entry_list(*, viewer, filters)`, `report_summary(*, viewer, start, end, group_by, then_by=None, filters=None)`);
the API branch owns this module and its version replaces this one at merge.

`filters` is a dict with any of: start_after, start_before (aware datetimes), user, project, client, task, tag
(ids), billable (bool), source (str), running (bool).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from accounts import policy

from .models import TimeEntry

GROUP_BY = ("project", "client", "user", "task", "tag", "day", "week")

_FIELDS = {
    "project": ("project_id", "project__name"),
    "client": ("project__client_id", "project__client__name"),
    "user": ("user_id", "user__username"),
    "task": ("task_id", "task__name"),
    "tag": ("tags__id", "tags__name"),
}
_NONE_LABELS = {"client": "(no client)", "task": "(no task)", "tag": "(no tag)", "project": "(no project)"}


def time_entry_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Entries `viewer` may see, newest first, narrowed by `filters`."""
    qs = policy.visible(viewer, TimeEntry.objects.all())
    qs = _apply_filters(qs, filters or {})
    return qs.select_related("user", "project", "project__client", "task").prefetch_related("tags").order_by("-start")


def _apply_filters(qs: QuerySet, filters: dict) -> QuerySet:
    if filters.get("start_after") is not None:
        qs = qs.filter(start__gte=filters["start_after"])
    if filters.get("start_before") is not None:
        qs = qs.filter(start__lt=filters["start_before"])
    for key in ("user", "project", "task"):
        if filters.get(key):
            qs = qs.filter(**{f"{key}_id": filters[key]})
    if filters.get("client"):
        qs = qs.filter(project__client_id=filters["client"])
    if filters.get("tag"):
        qs = qs.filter(tags__id=filters["tag"])
    if filters.get("billable") is not None:
        qs = qs.filter(billable=filters["billable"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("running") is not None:
        qs = qs.filter(end__isnull=filters["running"])
    return qs


def _bounds(start: date, end: date, tz) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in the viewer's timezone, as aware datetimes."""
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _key_expr(group: str, tz):
    if group == "day":
        return TruncDate("start", tzinfo=tz)
    if group == "week":
        return TruncWeek("start", tzinfo=tz)
    return F(_FIELDS[group][0])


def _label(group: str, key, names: dict) -> str:
    if key is None:
        return _NONE_LABELS.get(group, "—")
    if group == "day":
        return key.isoformat()
    if group == "week":
        day = key.date() if isinstance(key, datetime) else key
        return f"Week of {day.isoformat()}"
    return names.get((group, key), str(key))


def report_summary(*, viewer, start: date, end: date, group_by: str, then_by: str | None = None, filters=None) -> dict:
    """Totals of completed entries from `start` to `end` (inclusive, viewer's timezone), grouped, in the database.

    Returns {"groups": [{"key", "label", "seconds", "billable_seconds", "amount", "children": [...]}], "total": {...}}.
    The amount counts billable time at the project's rate (or its client's default rate).
    """
    if group_by not in GROUP_BY or (then_by is not None and (then_by not in GROUP_BY or then_by == group_by)):
        raise ValueError(f"group_by and then_by must be different values among {', '.join(GROUP_BY)}")
    tz = viewer.tzinfo
    start_dt, end_dt = _bounds(start, end, tz)
    filters = dict(filters or {})
    qs = time_entry_list(viewer=viewer, filters=filters).filter(
        start__gte=start_dt, start__lt=end_dt, end__isnull=False
    )
    qs = qs.order_by().prefetch_related(None)
    money = DecimalField(max_digits=20, decimal_places=6)
    rate = Coalesce(F("project__hourly_rate"), F("project__client__default_hourly_rate"), Value(Decimal("0")))
    levels = [group_by] + ([then_by] if then_by else [])
    annotations = {f"k{i}": _key_expr(g, tz) for i, g in enumerate(levels)}
    rows = (
        qs.annotate(**annotations)
        .values(*annotations)
        .annotate(
            seconds=Sum("duration_seconds"),
            billable_seconds=Sum("duration_seconds", filter=Q(billable=True)),
            money=Sum(ExpressionWrapper(F("duration_seconds") * rate, output_field=money), filter=Q(billable=True)),
        )
    )
    names = _names(levels, rows)
    groups: dict = {}
    for row in rows:
        top = groups.setdefault(row["k0"], _node(levels[0], row["k0"], names))
        _add(top, row)
        if then_by:
            children = top.setdefault("_children", {})
            _add(children.setdefault(row["k1"], _node(levels[1], row["k1"], names)), row)
    total = _node("total", "total", {})
    total["label"] = "Total"
    # Tags can count an entry more than once; the grand total counts each entry once.
    totals = qs.aggregate(
        seconds=Sum("duration_seconds"),
        billable_seconds=Sum("duration_seconds", filter=Q(billable=True)),
        money=Sum(ExpressionWrapper(F("duration_seconds") * rate, output_field=money), filter=Q(billable=True)),
    )
    _add(total, totals)
    result = []
    for node in _sorted(groups.values(), group_by):
        node["children"] = _sorted(node.pop("_children", {}).values(), then_by) if then_by else []
        result.append(_finish(node))
        for child in node["children"]:
            _finish(child)
    return {"groups": result, "total": _finish(total)}


def _names(levels, rows) -> dict:
    from accounts.models import User

    from .models import Client, Project, Tag, Task

    models = {"project": Project, "client": Client, "task": Task, "tag": Tag, "user": User}
    wanted: dict[str, set] = {}
    for row in rows:
        for i, group in enumerate(levels):
            if group in models and row[f"k{i}"] is not None:
                wanted.setdefault(group, set()).add(row[f"k{i}"])
    names = {}
    for group, ids in wanted.items():
        for obj in models[group].objects.filter(pk__in=ids):
            names[(group, obj.pk)] = getattr(obj, "display_name", None) or obj.name
    return names


def _node(group, key, names) -> dict:
    return {"key": key, "label": _label(group, key, names), "seconds": 0, "billable_seconds": 0, "_money": Decimal()}


def _add(node: dict, row: dict) -> None:
    node["seconds"] += row["seconds"] or 0
    node["billable_seconds"] += row["billable_seconds"] or 0
    node["_money"] += row["money"] or Decimal()


def _finish(node: dict) -> dict:
    if "_money" in node:
        node["amount"] = (node.pop("_money") / 3600).quantize(Decimal("0.01"))
    if isinstance(node["key"], datetime):
        node["key"] = node["key"].date()
    if isinstance(node["key"], date):
        node["key"] = node["key"].isoformat()
    return node


def _sorted(nodes, group):
    nodes = list(nodes)
    if group in ("day", "week"):
        return sorted(nodes, key=lambda n: str(n["key"]))
    return sorted(nodes, key=lambda n: (-n["seconds"], n["label"].lower()))
