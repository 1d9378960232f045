"""report_summary's single pass gives the same answer as adding up the entries one by one.

The data comes from generate_load_data (people in several time zones, tags, running timers, rates on projects and
clients); the periods cross the spring DST changes in Europe and America; the viewer changes time zone.
"""

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from accounts.models import Role, User
from tracking.load_data import generate_load_data
from tracking.models import Project, Tag
from tracking.reports import GROUP_BY_CHOICES, report_params, report_series, report_summary
from tracking.selectors import time_entry_list

NOW = datetime(2026, 4, 15, 0, 30, tzinfo=UTC)
PERIODS = [
    (date(2026, 3, 1), date(2026, 3, 31)),
    (date(2026, 3, 23), date(2026, 4, 5)),
    (date(2025, 10, 1), date(2026, 4, 14)),
]


@pytest.fixture
def load_data(db):
    generate_load_data(entries=1200, users=12, years=1, seed=3, until=NOW.date())
    return {
        "admin": User.objects.get(username="load-00000"),
        "manager": User.objects.filter(role=Role.MANAGER).order_by("pk").first(),
    }


def _key(dimension, entry, tz, tags):
    if dimension == "project":
        return [entry.project_id]
    if dimension == "client":
        return [entry.project.client_id]
    if dimension == "user":
        return [entry.user_id]
    if dimension == "task":
        return [entry.task_id]
    if dimension == "tag":
        return tags or [None]
    day = timezone.localtime(entry.start, tz).date()
    if dimension == "day":
        return [day.isoformat()]
    return [(day - timedelta(days=day.weekday())).isoformat()]


def _amount(value: Decimal) -> Decimal:
    return (value / Decimal(3600)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _reference(viewer, start, end, group_by, then_by, filters):
    """The report added up entry by entry, in Python."""
    tz = viewer.tzinfo
    begin = datetime.combine(start, time.min, tzinfo=tz)
    finish = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    entries = time_entry_list(viewer=viewer, filters={**filters, "start_after": begin, "start_before": finish})
    sums = defaultdict(lambda: [0, 0, Decimal(0)])
    total = [0, 0, Decimal(0)]
    for entry in entries:
        seconds = entry.duration_seconds if entry.end else max(0, int((NOW - entry.start).total_seconds()))
        billable = seconds if entry.billable else 0
        amount = billable * (entry.project.effective_hourly_rate or Decimal(0))
        tags = sorted(t.pk for t in entry.tags.all())
        for bucket in [total]:
            bucket[0] += seconds
            bucket[1] += billable
            bucket[2] += amount
        for outer in _key(group_by, entry, tz, tags):
            inner_keys = _key(then_by, entry, tz, tags) if then_by else []
            for path in [(outer,)] + [(outer, inner) for inner in inner_keys]:
                bucket = sums[path]
                bucket[0] += seconds
                bucket[1] += billable
                bucket[2] += amount
    as_dict = {path: (s, b, _amount(a)) for path, (s, b, a) in sums.items()}
    return as_dict, (total[0], total[1], _amount(total[2]))


def _flatten(report):
    found = {}
    for group in report["groups"]:
        found[(group["key"],)] = (group["seconds"], group["billable_seconds"], group["amount"])
        for child in group["children"]:
            found[(group["key"], child["key"])] = (child["seconds"], child["billable_seconds"], child["amount"])
    total = report["total"]
    return found, (total["seconds"], total["billable_seconds"], total["amount"])


@pytest.mark.parametrize("seed", range(3))
def test_single_pass_matches_the_entries_added_one_by_one(load_data, seed):
    rng = random.Random(seed)
    projects = list(Project.objects.filter(name__startswith="load").values_list("pk", flat=True))
    tags = list(Tag.objects.values_list("name", flat=True))
    answered = 0
    for _ in range(5):
        viewer = load_data[rng.choice(["admin", "manager"])]
        viewer.timezone = rng.choice(["Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"])
        start, end = rng.choice(PERIODS)
        group_by = rng.choice(GROUP_BY_CHOICES)
        then_by = rng.choice([None, *(g for g in GROUP_BY_CHOICES if g != group_by)])
        filters = rng.choice([{}, {"billable": True}, {"project": rng.sample(projects, 3)}, {"tag": rng.choice(tags)}])
        report = report_summary(
            viewer=viewer, start=start, end=end, group_by=group_by, then_by=then_by, filters=filters, now=NOW
        )
        expected = _reference(viewer, start, end, group_by, then_by, filters)
        assert _flatten(report) == expected, (viewer.timezone, start, end, group_by, then_by, filters)
        answered += report["total"]["seconds"] > 0
    assert answered >= 3  # the questions were about real time, not empty ranges


def test_a_time_zone_change_moves_entries_between_days(load_data):
    viewer = load_data["admin"]
    days = {}
    for tz in ("Pacific/Auckland", "America/Los_Angeles"):
        viewer.timezone = tz
        report = report_summary(viewer=viewer, start=date(2026, 3, 2), end=date(2026, 3, 6), group_by="day", now=NOW)
        days[tz] = {g["key"]: g["seconds"] for g in report["groups"]}
        assert _flatten(report) == _reference(viewer, date(2026, 3, 2), date(2026, 3, 6), "day", None, {})
    assert days["Pacific/Auckland"] != days["America/Los_Angeles"]


@pytest.mark.parametrize("group_by", ["day", "week"])
def test_the_charts_series_is_the_summarys_groups_without_amounts(load_data, group_by):
    viewer = load_data["manager"]
    viewer.timezone = "Europe/Berlin"
    params = report_params(viewer=viewer, start=date(2026, 3, 1), end=date(2026, 4, 5), group_by=group_by)
    summary = report_summary(viewer=viewer, params=params, now=NOW)
    series = report_series(viewer=viewer, params=params, now=NOW)
    expected = [{k: g[k] for k in ("key", "label", "seconds", "billable_seconds")} for g in summary["groups"]]
    assert series["groups"] == expected and expected


SERIES_QUESTIONS = [
    ("project", None, "day"),
    ("client", "user", "day"),
    ("user", "day", "day"),
    ("day", None, "day"),
    ("tag", None, "day"),
    ("tag", "project", "week"),
    ("project", "tag", "day"),
    ("week", "tag", "week"),
    ("task", "week", "week"),
]


@pytest.mark.parametrize(("group_by", "then_by", "level"), SERIES_QUESTIONS)
def test_a_summary_with_its_series_equals_the_summary_and_the_series_read_apart(load_data, group_by, then_by, level):
    """The report page's one read: the table and the time chart summed from one aggregate are what two reads give,
    tags (counted once per tag in the table, once in the chart) included."""
    viewer = load_data["manager"]
    viewer.timezone = "America/New_York"
    params = report_params(viewer=viewer, start=date(2026, 3, 1), end=date(2026, 4, 14), group_by=group_by,
                           then_by=then_by)  # fmt: skip
    alone = report_summary(viewer=viewer, params=params, now=NOW)
    with_series = report_summary(viewer=viewer, params=params, now=NOW, series=level)
    series = with_series.pop("series")
    assert with_series == alone
    assert series == {"level": level, **report_series(viewer=viewer, params=params.regrouped(level), now=NOW)}
    assert sum(g["seconds"] for g in series["groups"]) == alone["total"]["seconds"] > 0


def test_a_series_is_by_day_or_by_week(load_data):
    with pytest.raises(ValueError, match="by day or by week"):
        report_summary(viewer=load_data["admin"], start=date(2026, 3, 1), end=date(2026, 3, 2), series="project")


@pytest.fixture
def many_people(db):
    generate_load_data(entries=6000, users=150, years=1, seed=11, until=NOW.date())
    return User.objects.get(username="load-00000")


def test_a_large_person_then_day_report_equals_the_entries_added_one_by_one(many_people):
    """Thousands of groups (people × days), amounts to the cent, running timers, a viewer far from UTC."""
    viewer = many_people
    viewer.timezone = "Asia/Kolkata"
    start, end = date(2025, 10, 1), date(2026, 4, 15)
    report = report_summary(viewer=viewer, start=start, end=end, group_by="user", then_by="day", now=NOW)
    children = sum(len(g["children"]) for g in report["groups"])
    assert len(report["groups"]) > 100 and children > 2000
    assert report["running_seconds"] > 0 and report["total"]["amount"] > 0
    assert _flatten(report) == _reference(viewer, start, end, "user", "day", {})
    labels = [g["label"].lower() for g in report["groups"]]
    assert labels == sorted(labels)
    for group in report["groups"]:
        days = [child["key"] for child in group["children"]]
        assert days == sorted(days)


LEAF_QUESTIONS = [("user", "day"), ("project", "day"), ("day", "user"), ("tag", "user"), ("task", "week"),
                  ("project", "task"), ("week", "task")]  # fmt: skip


@pytest.mark.parametrize(("group_by", "then_by"), LEAF_QUESTIONS)
def test_groups_made_straight_from_one_row_per_group_equal_the_tree_of_sums(load_data, monkeypatch, group_by,
                                                                            then_by):  # fmt: skip
    """Two levels the aggregate groups on alone are built from its rows without a tree (_leaf_groups): the same
    groups in the same order, the same total and running seconds, with amounts as Decimals or as text."""
    from tracking import reports

    viewer = load_data["admin"]
    viewer.timezone = "America/New_York"
    params = report_params(viewer=viewer, start=date(2025, 10, 1), end=date(2026, 4, 14), group_by=group_by,
                           then_by=then_by)  # fmt: skip
    made = []
    leaf_groups = reports._leaf_groups
    monkeypatch.setattr(reports, "_leaf_groups", lambda *args: made.append(1) or leaf_groups(*args))
    straight = report_summary(viewer=viewer, params=params, now=NOW)
    as_text = report_summary(viewer=viewer, params=params, now=NOW, amount_text=True)
    assert len(made) == 2
    monkeypatch.setattr(reports, "_one_row_per_group", lambda dimensions: False)
    by_tree = report_summary(viewer=viewer, params=params, now=NOW)
    assert len(made) == 2
    assert straight == by_tree
    assert straight["running_seconds"] > 0 and sum(len(g["children"]) for g in straight["groups"]) > 20
    amounts = [(g["amount"], [c["amount"] for c in g["children"]]) for g in straight["groups"]]
    assert [(g["amount"], [c["amount"] for c in g["children"]]) for g in as_text["groups"]] == [
        (str(a), [str(c) for c in children]) for a, children in amounts
    ]
    assert as_text["total"]["amount"] == str(straight["total"]["amount"])
