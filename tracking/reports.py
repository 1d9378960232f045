"""Reads for reports: a report's question checked once (`ReportParams`) and its totals aggregated in the database.

The web report page, its CSV/XLSX exports and the API's summary endpoint call `report_params` and
`report_summary`; none of them checks a date range or a grouping on its own. Periods come from `tracking.periods`,
the sums (and the rule for a running timer) from `tracking.selectors`. On PostgreSQL, a report by project, client
or person reads the months its period covers from the monthly rollup (`EntryMonthRollup`) and the rest from the
entries, with the same answer (see `_rollup_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BigIntegerField, Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, Round, TruncDate, TruncWeek
from django.db.models.sql.constants import MULTI
from django.utils import timezone

from accounts import policy

from . import periods
from .exceptions import InvalidFilter
from .models import Client, EntryMonthRollup, Project, Tag, Task, TimeEntry
from .selectors.entries import TIME_ENTRY_FILTERS, _apply_filters, _rate, _running, _second_sums, _seconds

GROUP_BY_CHOICES = ("project", "client", "user", "task", "tag", "day", "week")

# Up to this many days a report's time chart has a bar per day; beyond, a bar per week (ReportParams.chart_level).
CHART_BY_DAY_MAX_DAYS = 63

# group name -> the integer (or date) column an aggregate groups on; names are looked up afterwards.
_KEYS: dict[str, str] = {
    "project": "project_id",
    "client": "project__client_id",
    "user": "user_id",
    "task": "task_id",
    "tag": "tags__id",
    "day": "_day",
    "week": "_week",
}


class _Lookups:
    """Names of the ids an aggregate returned: one query per kind of object."""

    def __init__(
        self,
        dimensions: list[str],
        rows: list[dict],
        projects: dict[int, _ProjectFacts],
        keys: dict[str, set] | None = None,
    ):
        def ids(dimension):  # the rows' keys on `dimension`, or those given in `keys`
            found = keys[dimension] if keys is not None else {row.get(_KEYS[dimension]) for row in rows}
            return found - {None}

        self.projects = self.clients = self.users = self.tasks = self.tags = {}
        if "project" in dimensions:
            self.projects = _projects(projects, ids("project"))
        if "client" in dimensions:
            self.clients = {p.client_id: p.client_name for p in projects.values() if p.client_id}
            missing = ids("client") - self.clients.keys()
            if missing:
                self.clients.update(Client.objects.filter(pk__in=missing).values_list("pk", "name"))
        if "user" in dimensions:
            self.users = {
                pk: full_name or username
                for pk, username, full_name in get_user_model()
                .objects.filter(pk__in=ids("user"))
                .values_list("pk", "username", "full_name")
            }
        if "task" in dimensions:
            self.tasks = dict(Task.objects.filter(pk__in=ids("task")).values_list("pk", "name"))
        if "tag" in dimensions:
            self.tags = dict(Tag.objects.filter(pk__in=ids("tag")).values_list("pk", "name"))
        self._labels: dict[str, dict[Any, tuple[Any, str, tuple]]] = {}

    @staticmethod
    def key_of(dimension: str):
        """A function giving a row's key on `dimension` (a day or week is a date until it is shown)."""
        column = _KEYS[dimension]
        return lambda row: row[column]

    def label(self, dimension: str, key: Any) -> tuple[Any, str, tuple]:
        """(key as shown, label, sort key) of a group; remembered, as a day recurs under every first-level group."""
        labels = self.labels(dimension)
        found = labels.get(key)
        if found is None:
            found = labels[key] = self._label(dimension, key)
        return found

    def labels(self, dimension: str) -> dict[Any, tuple[Any, str, tuple]]:
        """The labels of `dimension` remembered so far, by key (label() adds to it)."""
        return self._labels.setdefault(dimension, {})

    def _label(self, dimension: str, key: Any) -> tuple[Any, str, tuple]:
        if dimension == "project":
            label = self.projects[key].label
            return key, label, (0, label.lower())
        if dimension == "client":
            name = self.clients.get(key)
            return key, (name or "No client"), (key is None, name or "")
        if dimension == "user":
            return key, self.users[key], (0, self.users[key].lower())
        if dimension in ("task", "tag"):
            name = (self.tasks if dimension == "task" else self.tags).get(key)
            return key, name or f"No {dimension}", (key is None, (name or "").lower())
        value = key.date() if isinstance(key, datetime) else key
        text = value.isoformat()
        if dimension == "day":
            return text, f"{value:%a} {text}", (0, value)
        iso_year, iso_week, _ = value.isocalendar()
        return text, f"Week {iso_week}, {iso_year} (from {text})", (0, value)


# Levels with few distinct keys: their aggregate also groups on the project (a few more rows) and is priced
# afterwards from the projects' rates, so the database reads the entries' table alone. Finer levels (a person, a
# day, a task) would multiply their rows by the projects: those join the rate in the database instead — unless the
# project is one of the levels already (a report by project with its chart's days), when pricing adds no rows.
_PRICED_AFTERWARDS = {"project", "client", "tag", "week"}


@dataclass(frozen=True, slots=True)
class _ProjectFacts:
    """What a report needs of a project: its client, its label (str(project)) and its effective hourly rate in
    whole cents (rates have two decimals; 0 without a rate) — read as values, not as model instances."""

    client_id: int | None
    client_name: str | None
    label: str
    rate_cents: int


def _projects(cache: dict[int, _ProjectFacts], ids: set[int]) -> dict[int, _ProjectFacts]:
    """Projects (with their clients) by id, each read once per report (one query)."""
    missing = ids - cache.keys()
    if missing:
        rows = Project.objects.filter(pk__in=missing).values_list(
            "pk", "name", "client_id", "client__name", "hourly_rate", "client__default_hourly_rate"
        )
        for pk, name, client_id, client_name, rate, client_rate in rows:
            effective = rate if rate is not None else client_rate  # effective_hourly_rate (no client: None)
            label = Project.label_of(name, client_name)
            cache[pk] = _ProjectFacts(client_id, client_name, label, int(effective * 100) if effective else 0)
    return cache


def _values(qs: QuerySet, dimensions: list[str]) -> list[dict]:
    """The rows of a `.values(...).annotate(...)` aggregate, as dicts. On PostgreSQL they are read from the cursor
    as they come: its integers, dates and numerics are already what Django's converters would return, and passing
    ~10,000 rows of a month by person then day through them cost a fifth of the report's CPU. A week (a datetime
    Django makes aware in the viewer's zone) and other databases go through Django."""
    if connection.vendor != "postgresql" or "week" in dimensions:
        return list(qs)
    query = qs.query
    # As ValuesIterable names the columns.
    names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
    chunks = query.get_compiler(using=qs.db).execute_sql(MULTI)
    return [dict(zip(names, row, strict=False)) for chunk in chunks for row in chunk]  # extra columns: dropped


def _cent_sums(running: dict[int, int]) -> dict:
    """_second_sums and "_cents_x3600": billable seconds × the effective hourly rate in cents, summed as integers
    (cents × 3600) by the database — no numeric arithmetic per entry, and an int per row rather than a Decimal."""
    rate_cents = Cast(Round(_rate() * 100), BigIntegerField())
    cents = Sum(Cast(_seconds(running), BigIntegerField()) * rate_cents, filter=Q(billable=True))
    return {
        **_second_sums(running),
        "_cents_x3600": Coalesce(Cast(cents, BigIntegerField()), 0, output_field=BigIntegerField()),
    }


def _price(rows: list[dict], cache: dict) -> list[dict]:
    """Rows grouped on the project (among other keys) given their client and their cents × 3600 from the project's
    rate, one query for the projects not loaded yet."""
    projects = _projects(cache, {row["project_id"] for row in rows})
    cents = {pk: project.rate_cents for pk, project in projects.items()}
    for row in rows:
        project_id = row["project_id"]
        row["project__client_id"] = projects[project_id].client_id
        row["_cents_x3600"] = row["_billable_seconds"] * cents[project_id]
    return rows


def _one_row_per_group(dimensions: list[str]) -> bool:
    """Whether _aggregate's rows are one per group of `dimensions`: it grouped on their keys alone (not on the
    project as well, to price a client's or a week's rows afterwards)."""
    if set(dimensions) <= _PRICED_AFTERWARDS or "project" in dimensions:
        return "project" in dimensions and "client" not in dimensions
    return True


def _aggregate(qs: QuerySet, dimensions: list[str], running: dict[int, int], cache: dict) -> list[dict]:
    """One pass over the entries: seconds and amount (as integer cents × 3600) per group of the dimensions' keys
    (integer ids and dates); names are looked up afterwards."""
    if set(dimensions) <= _PRICED_AFTERWARDS or "project" in dimensions:
        keys = [_KEYS[d] for d in dimensions if d != "client"]
        rows = _values(
            qs.values(*dict.fromkeys([*keys, "project_id"])).annotate(**_second_sums(running)).order_by(), dimensions
        )
        return _price(rows, cache)
    return _values(qs.values(*(_KEYS[d] for d in dimensions)).annotate(**_cent_sums(running)).order_by(), dimensions)


# --- the monthly rollup: whole UTC months of a long period read from EntryMonthRollup ---------------------------------

# What the rollup's key can answer: groups and filters on a person, a project (and so its client) and the billable
# flag. Tasks, tags, sources, days and weeks read the entries (the task grain would hold 5.6 times the rows).
_ROLLUP_DIMENSIONS = {"project", "client", "user"}
_ROLLUP_FILTERS = {"user", "project", "client", "billable"}
# The rollup is read when it answers at least this many months of the period (one month from the rollup already
# costs a tenth of its entries' aggregate on a million entries; see docs/development/performance.md).
ROLLUP_MIN_MONTHS = 1
_SUMS = ("_seconds", "_billable_seconds", "_running_seconds", "_count")


@dataclass(frozen=True)
class _RollupPlan:
    """How a period is answered: UTC months [first, last) from the rollup; the parts of the period in `read` from
    the entries; the parts of those months outside the period (`outside`) taken back out, read from the entries."""

    first: date
    last: date
    read: list[tuple[datetime, datetime]]
    outside: list[tuple[datetime, datetime]]


def _month_start(moment: datetime) -> datetime:
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _next_month(month: datetime) -> datetime:
    return datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)


def _rollup_plan(params: ReportParams, levels: list[str], begin: datetime, finish: datetime) -> _RollupPlan | None:
    """The rollup's share of the report on [begin, finish), or None when it cannot answer the question (not
    PostgreSQL; a tag, task, source, day or week in it) or answers too little of it. A month the period covers
    wholly comes from the rollup; one it covers mostly (e.g. a year in Berlin ends an hour before November does in
    UTC) from the rollup less the entries of its uncovered hours; one it covers less than half of from the entries."""
    if connection.vendor != "postgresql" or not set(levels) <= _ROLLUP_DIMENSIONS:
        return None
    if not set(params.filters) <= _ROLLUP_FILTERS:
        return None
    begin, finish = begin.astimezone(UTC), finish.astimezone(UTC)
    months: list[datetime] = []
    read: list[tuple[datetime, datetime]] = []
    outside: list[tuple[datetime, datetime]] = []
    month = _month_start(begin)
    while month < finish:
        end = _next_month(month)
        inside = (max(begin, month), min(finish, end))
        if (inside[1] - inside[0]) * 2 > end - month:
            months.append(month)
            outside += [part for part in ((month, inside[0]), (inside[1], end)) if part[0] < part[1]]
        else:
            read.append(inside)
        month = end
    if len(months) < ROLLUP_MIN_MONTHS:
        return None
    return _RollupPlan(months[0].date(), _next_month(months[-1]).date(), read, outside)


def _within(parts: list[tuple[datetime, datetime]]) -> Q:
    query = Q(pk__in=[])
    for begin, end in parts:
        query |= Q(start__gte=begin, start__lt=end)
    return query


def _aggregate_with_rollup(
    viewer, params: ReportParams, qs: QuerySet, plan: _RollupPlan, dimensions: list[str], running: dict[int, int],
    cache: dict,
) -> list[dict]:  # fmt: skip
    """`_aggregate`'s rows for a period `plan` answers mostly from the rollup: its months from the rollup, plus the
    entries of the period's other parts and its running timers (the rollup holds finished entries only), less the
    finished entries of the rollup's months outside the period. One query for the three, priced afterwards; a
    group is kept when it counts an entry, as when it is read from the entries alone."""
    keys = list(dict.fromkeys([*(_KEYS[d] for d in dimensions if d != "client"), "project_id"]))
    parts = [
        qs.filter(_within(plan.read) | Q(end__isnull=True))
        .values(*keys)
        .annotate(**_second_sums(running), _count=Count("pk"))
        .order_by()
    ]
    if plan.outside:
        taken_out = _scoped(viewer, params.filters).filter(_within(plan.outside), end__isnull=False)
        parts.append(
            taken_out.values(*keys)
            .annotate(
                _seconds=Sum(F("duration_seconds") * -1),
                _billable_seconds=Coalesce(Sum(F("duration_seconds") * -1, filter=Q(billable=True)), 0),
                _running_seconds=Value(0, output_field=IntegerField()),
                _count=Count("pk") * -1,
            )
            .order_by()  # fmt: skip
        )
    rollup = EntryMonthRollup.objects.filter(month__gte=plan.first, month__lt=plan.last)
    user_ids = policy.visible_user_ids(viewer)  # the rule policy.visible applies to time entries, by person
    if user_ids is not None:
        rollup = rollup.filter(user_id__in=user_ids)
    rollup = _apply_filters(rollup, viewer, params.filters)
    parts.append(
        rollup.values(*keys)
        .annotate(
            _seconds=Sum("seconds"),
            _billable_seconds=Coalesce(Sum("seconds", filter=Q(billable=True)), 0),
            _running_seconds=Value(0, output_field=IntegerField()),
            _count=Sum("entry_count"),
        )
        .order_by()  # fmt: skip
    )
    merged: dict[tuple, dict] = {}
    for row in parts[0].union(*parts[1:], all=True):
        key = tuple(row[k] for k in keys)
        found = merged.get(key)
        if found is None:
            merged[key] = {**row, **{k: int(row[k]) for k in _SUMS}}
        else:
            for k in _SUMS:
                found[k] += int(row[k])
    return _price([row for row in merged.values() if row["_count"]], cache)


def _amount_of(cents_x3600: int) -> Decimal:
    """cents × 3600 (an integer: the database sums them as bigint, _price multiplies whole cents) as an amount
    rounded to cents, half up (away from zero) — as selectors' _amount rounds."""
    if cents_x3600 < 0:
        return -_amount_of(-cents_x3600)
    cents, rest = divmod(cents_x3600, 3600)
    return Decimal(cents + (rest >= 1800)).scaleb(-2)


def _amount_text(cents_x3600: int) -> str:
    """_amount_of's amount as the API writes it ("1234.50", two decimals): str(_amount_of(...)) in integer
    arithmetic, no Decimal per group (a month by person then day has ~10,000 of them)."""
    if cents_x3600 < 0:
        text = _amount_text(-cents_x3600)
        return "-" + text if text != "0.00" else text  # as -Decimal("0.00") is written: "0.00"
    cents, rest = divmod(cents_x3600, 3600)
    whole, part = divmod(cents + (rest >= 1800), 100)
    return f"{whole}.{part:02d}"


class _Sum:
    """A group's sums; the amount is kept as an exact integer (cents × 3600) and rounded once, when shown.
    `children` is None on the last level (a month by person then day has ~10,000 such groups: no dict each)."""

    __slots__ = ("seconds", "billable_seconds", "running_seconds", "cents_x3600", "children")

    def __init__(self):
        self.seconds = self.billable_seconds = self.running_seconds = self.cents_x3600 = 0
        self.children: dict[Any, _Sum] | None = None

    def add(self, row: dict) -> None:
        self.seconds += row["_seconds"]
        self.billable_seconds += row["_billable_seconds"]
        self.running_seconds += row["_running_seconds"]
        self.cents_x3600 += row["_cents_x3600"]

    def totals(self, amount=_amount_of) -> dict:
        return {
            "seconds": self.seconds,
            "billable_seconds": self.billable_seconds,
            "amount": amount(self.cents_x3600),
        }


def _sum_rows(rows: list[dict], lookups: _Lookups, levels: list[str], into: _Sum) -> None:
    """Add every row to `into` and to its group on each of `levels` (a tree), in one linear pass.

    Written out rather than calling _Sum.add per node: a month by person then day adds ~10,000 rows three times."""
    columns = [_KEYS[dimension] for dimension in levels]
    for row in rows:
        seconds, billable, running = row["_seconds"], row["_billable_seconds"], row["_running_seconds"]
        amount = row["_cents_x3600"]
        node = into
        node.seconds += seconds
        node.billable_seconds += billable
        node.running_seconds += running
        node.cents_x3600 += amount
        for column in columns:
            children = node.children
            if children is None:
                children = node.children = {}
            key = row[column]
            node = children.get(key)
            if node is None:
                node = children[key] = _Sum()
            node.seconds += seconds
            node.billable_seconds += billable
            node.running_seconds += running
            node.cents_x3600 += amount


def _by_sort_key(item: tuple) -> tuple:
    return item[0]


def _groups(node: _Sum, lookups: _Lookups, levels: list[str], amount=_amount_of) -> list[dict]:
    if not levels:
        return []
    dimension, rest = levels[0], levels[1:]
    labels = lookups.labels(dimension)
    groups = []
    append = groups.append
    for key, child in (node.children or {}).items():
        found = labels.get(key)
        shown, label, sort_key = found if found is not None else lookups.label(dimension, key)
        append(
            (
                sort_key,
                {
                    "key": shown,
                    "label": label,
                    "seconds": child.seconds,
                    "billable_seconds": child.billable_seconds,
                    "amount": amount(child.cents_x3600),
                    "children": _groups(child, lookups, rest, amount) if rest else [],
                },
            )
        )
    groups.sort(key=_by_sort_key)  # stable: equal names keep the aggregate's order, as before
    return [group for _, group in groups]


def _leaf_groups(rows: list[tuple], lookups: _Lookups, levels: list[str], total: _Sum, amount) -> list[dict]:
    """_groups' answer for two levels from _leaf_rows (one row per group of the second level), their sums added to
    `total`: every row becomes its group as it is read and is added to its first-level group on the way — no
    _Sum node per row (a month by person then day has ~10,000 of them); the same groups in the same order."""
    outer, inner = levels
    # The second level's keys: shown, label and rank (the place of its sort key among theirs; equal keys, equal rank).
    labels = {key: lookups.label(inner, key) for key in {row[1] for row in rows}}
    ranks = {sort_key: rank for rank, sort_key in enumerate(sorted({found[2] for found in labels.values()}))}
    shown_of = {key: (shown, label, ranks[sort_key]) for key, (shown, label, sort_key) in labels.items()}
    texts: dict[int, Any] = {}  # amount(cents × 3600), written once per value (whole hours at one rate recur)
    parents: dict[Any, list] = {}  # key -> [seconds, billable seconds, cents × 3600, [(rank, child)]]
    for first, second, seconds, billable, cents in rows:
        parent = parents.get(first)
        if parent is None:
            parent = parents[first] = [0, 0, 0, []]
        parent[0] += seconds
        parent[1] += billable
        parent[2] += cents
        text = texts.get(cents)
        if text is None:
            text = texts[cents] = amount(cents)
        shown, label, rank = shown_of[second]
        child = {"key": shown, "label": label, "seconds": seconds, "billable_seconds": billable, "amount": text,
                 "children": []}  # fmt: skip
        parent[3].append((rank, child))
    first_of = itemgetter(0)
    groups = []
    for key, (seconds, billable, cents, children) in parents.items():
        total.seconds += seconds
        total.billable_seconds += billable
        total.cents_x3600 += cents
        shown, label, sort_key = lookups.label(outer, key)
        children.sort(key=first_of)  # stable: as _groups sorts the children, ties in the aggregate's order
        group = {
            "key": shown,
            "label": label,
            "seconds": seconds,
            "billable_seconds": billable,
            "amount": amount(cents),
            "children": [child for _, child in children],
        }
        groups.append((sort_key, group))
    groups.sort(key=first_of)
    return [group for _, group in groups]


_LEAF_SUMS = ("_seconds", "_billable_seconds", "_cents_x3600")


def _leaf_rows(qs: QuerySet, levels: list[str], running: dict[int, int], cache: dict) -> list[tuple]:
    """_aggregate's rows for two levels it groups on alone (_one_row_per_group) as tuples (first key, second key,
    seconds, billable seconds, cents × 3600), without the running timers' seconds (the caller knows their sum).
    Levels priced in the database are read on PostgreSQL from the cursor as they come, without a dict each."""
    first, second = (_KEYS[dimension] for dimension in levels)
    priced_here = not (set(levels) <= _PRICED_AFTERWARDS or "project" in levels)
    if connection.vendor == "postgresql" and "week" not in levels and priced_here:
        sums = _cent_sums(running)
        qs = qs.values(first, second).annotate(**{k: sums[k] for k in _LEAF_SUMS}).order_by()
        query = qs.query
        names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
        if names == [first, second, *_LEAF_SUMS]:  # as _values names the columns
            chunks = query.get_compiler(using=qs.db).execute_sql(MULTI)
            return [row for chunk in chunks for row in chunk]
    return [
        (row[first], row[second], row["_seconds"], row["_billable_seconds"], row["_cents_x3600"])
        for row in _aggregate(qs, levels, running, cache)
    ]


def _leaf_report(qs: QuerySet, levels: list[str], running: dict[int, int], cache: dict, amount) -> tuple[list, _Sum]:
    """report_summary's groups and total for two levels _aggregate groups on alone (no tag second, no rollup, no
    series), from one row per group of the second level. A tag first needs the total's own pass, as there."""
    rows = _leaf_rows(qs, levels, running, cache)
    total_rows = _aggregate(qs, [], running, cache) if levels[0] == "tag" else None
    keys = {levels[0]: {row[0] for row in rows}, levels[1]: {row[1] for row in rows}}
    lookups = _Lookups(levels, [], cache, keys)
    tree = _Sum()
    groups = _leaf_groups(rows, lookups, levels, tree, amount)
    if total_rows is None:
        tree.running_seconds = sum(running.values())  # each running timer is in one row: all of them, once
        return groups, tree
    total = _Sum()
    _sum_rows(total_rows, lookups, [], total)
    return groups, total


def _series(rows: list[dict], lookups: _Lookups, dimension: str) -> dict:
    """report_series's answer summed from rows that count each entry once and carry `dimension`'s column."""
    column = _KEYS[dimension]
    sums: dict[Any, list[int]] = {}
    for row in rows:
        found = sums.get(row[column])
        if found is None:
            found = sums[row[column]] = [0, 0]
        found[0] += row["_seconds"]
        found[1] += row["_billable_seconds"]
    groups = []
    for key, (seconds, billable) in sums.items():
        shown, label, sort_key = lookups.label(dimension, key)
        groups.append((sort_key, {"key": shown, "label": label, "seconds": seconds, "billable_seconds": billable}))
    groups.sort(key=_by_sort_key)
    return {"level": dimension, "groups": [group for _, group in groups]}


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

    @property
    def chart_level(self) -> str:
        """The time chart's bars: a bar per day up to CHART_BY_DAY_MAX_DAYS days, beyond that a bar per week."""
        return "day" if self.period.days <= CHART_BY_DAY_MAX_DAYS else "week"

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


def _scoped(viewer, filters: dict) -> QuerySet:
    """The entries `viewer` may see that match a report's filters, at any time."""
    return _apply_filters(policy.visible(viewer, TimeEntry.objects.all()), viewer, filters)


def _entries(viewer, params: ReportParams, now: datetime) -> tuple[QuerySet, dict[int, int]]:
    """The entries a report is about (with their local day and week), and its running timers' seconds so far."""
    tzinfo = viewer.tzinfo
    begin, finish = params.period.bounds(tzinfo)
    qs = _scoped(viewer, params.filters).filter(start__gte=begin, start__lt=finish)
    running = _running(qs, now)
    qs = qs.annotate(_day=TruncDate("start", tzinfo=tzinfo), _week=TruncWeek("start", tzinfo=tzinfo))
    return qs, running


def report_series(*, viewer, params: ReportParams, now: datetime) -> dict:
    """The report's time on one level (`params.group_by`, e.g. "day" or "week" for a chart): {"groups": [{key,
    label, seconds, billable_seconds}]} in report order — report_summary's groups without amounts, so the database
    sums the entries' table alone. Two queries for days and weeks."""
    qs, running = _entries(viewer, params, now)
    dimension = params.group_by
    rows = list(qs.values(_KEYS[dimension]).annotate(**_second_sums(running)).order_by())
    lookups = _Lookups([dimension], rows, {})
    groups = []
    for row in rows:
        key, label, sort_key = lookups.label(dimension, row[_KEYS[dimension]])
        groups.append((sort_key, {"key": key, "label": label, "seconds": row["_seconds"],
                                  "billable_seconds": row["_billable_seconds"]}))  # fmt: skip
    return {"groups": [group for _, group in sorted(groups, key=lambda item: item[0])]}


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
    series: str | None = None,
    amount_text: bool = False,
) -> dict:
    """Totals of the entries `viewer` may see that started in the report's period (inclusive days in the viewer's
    time zone), grouped by `group_by` and optionally within each group by `then_by`. Pass checked `params`, or
    the question's parts (checked here by report_params).

    Aggregated in one pass: one query for the running timers, one aggregate at the finest level (coarser levels
    and the total are sums of its rows, built in linear time), and one per kind of name shown; tags add a pass for
    the level above them, as an entry with two tags counts under each. The aggregate reads whole months from the
    monthly rollup when it can (PostgreSQL; groups and filters on project, client, person, billable only), in the
    same query as the entries of the period's edges.
    Amount is billable seconds times the project's effective hourly rate (the project's rate, else its client's
    default) / 3600, rounded to cents. A running timer counts its time so far, up to `now` (returned as "as_of";
    "running_seconds" says how much of the total it is). With group_by or then_by "tag" an entry counts once for
    each of its tags (and under "No tag" when it has none); the grand total counts it once.

    With `series` ("day" or "week", e.g. params.chart_level) the answer also holds report_series's answer for that
    level as "series" ({"level", "groups"}), summed from the same aggregate (grouped on that level as well) rather
    than read again: a report page and its time chart read the entries once — unless the rollup answers the levels
    without the series, when the series is read on its own from the entries' table (fewer rows, less work).

    With `amount_text` every amount is written as the API writes it (str of the Decimal: "1234.50"), not a Decimal.
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
    if series not in (None, "day", "week"):
        raise ValueError(f"A report's series is by day or by week, not {series!r}.")

    qs, running = _entries(viewer, params, now)
    levels = [group_by] + ([then_by] if then_by else [])

    # One aggregate at the finest level; each coarser level and the total are sums of its rows. With tags an
    # entry counts once per tag, so a level above "tag" (and the total) needs its own pass to count it once.
    # Whole UTC months of the period come from the monthly rollup when it can answer the question (never with tags,
    # days or weeks). A series' level is added to the pass that counts each entry once (the total's), summed across.
    extra = [series] if series and series not in levels else []
    finest = levels if "tag" in levels else levels + extra
    projects: dict[int, _ProjectFacts] = {}
    bounds = params.period.bounds(viewer.tzinfo)
    plan = _rollup_plan(params, finest, *bounds)
    series_rows = None
    if plan is None and extra and "tag" not in levels:
        # A day or week series keeps the aggregate off the rollup and multiplies its rows (a month by project and
        # day: ~4,000 rows where the rollup answers ~200). When the rollup answers the levels, they come from it
        # and the series from its own pass over the entries' table (no rate, ~30 rows): one query more, less read.
        plan = _rollup_plan(params, levels, *bounds)
        if plan is not None:
            finest = levels
            series_rows = list(qs.values(_KEYS[series]).annotate(**_second_sums(running)).order_by())
    amount = _amount_text if amount_text else _amount_of
    if then_by and then_by != "tag" and not series and plan is None and _one_row_per_group(levels):
        # One row per group of the second level (e.g. a month by person then day): the groups straight from them.
        groups, total = _leaf_report(qs, levels, running, projects, amount)
    else:
        if plan is not None:
            rows = _aggregate_with_rollup(viewer, params, qs, plan, finest, running, projects)
        else:
            rows = _aggregate(qs, finest, running, projects)
        outer_rows = _aggregate(qs, [group_by, *extra], running, projects) if then_by == "tag" else rows
        if then_by == "tag":
            total_rows = outer_rows
        else:
            total_rows = _aggregate(qs, [series] if series else [], running, projects) if group_by == "tag" else rows
        lookups = _Lookups(levels, rows + (outer_rows if outer_rows is not rows else []), projects)
        tree, total = _Sum(), _Sum()
        _sum_rows(rows, lookups, levels, tree)
        if outer_rows is not rows:
            outer = _Sum()
            _sum_rows(outer_rows, lookups, [group_by], outer)
            for key, node in (outer.children or {}).items():  # the first level's own sums, its tag children kept
                node.children = tree.children[key].children if key in (tree.children or {}) else None
            tree = outer
        groups = _groups(tree, lookups, levels, amount)
        if total_rows is rows:
            total = tree
        else:
            _sum_rows(total_rows, lookups, [], total)
        if series:
            series_answer = _series(total_rows if series_rows is None else series_rows, lookups, series)

    answer = {
        "start": params.start,
        "end": params.end,
        "preset": params.preset,
        "group_by": group_by,
        "then_by": then_by,
        "groups": groups,
        "total": total.totals(amount),
        "running_seconds": int(total.running_seconds),
        "as_of": now,
    }
    if series:
        answer["series"] = series_answer
    return answer


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
