"""The monthly rollup: kept exact by every kind of write, and reports read from it give the entries' answer.

PostgreSQL only (the rollup's triggers live there; other databases read the entries). Each report is asked twice,
once as it is answered (whole UTC months from the rollup) and once with the rollup switched off (all from the
entries), and the two answers must be identical to the cent; the rollup's rows are compared with sums made here
in Python from the entries.
"""

import io
import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from tracking import reports
from tracking.load_data import generate_load_data
from tracking.models import EntryMonthRollup, Project, Source, TimeEntry
from tracking.services import time_entry_create, time_entry_delete, time_entry_update, timer_start, timer_stop
from tracking.services.rollup import rollup_rebuild
from tracking.tests.factories import ClientFactory, ProjectFactory, TaskFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the rollup is kept by PostgreSQL triggers"),
]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ROLLUP_TABLE = EntryMonthRollup._meta.db_table


def _reference() -> dict[tuple, tuple[int, int]]:
    """The rollup's rows as they should be, summed here from the finished entries."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    rows = TimeEntry.objects.filter(end__isnull=False).values_list(
        "start", "user_id", "project_id", "billable", "duration_seconds"
    )
    for start, user_id, project_id, billable, seconds in rows:
        utc = start.astimezone(UTC)
        bucket = sums[(date(utc.year, utc.month, 1), user_id, project_id, billable)]
        bucket[0] += seconds
        bucket[1] += 1
    return {key: tuple(value) for key, value in sums.items()}


def _rollup() -> dict[tuple, tuple[int, int]]:
    rows = EntryMonthRollup.objects.values_list("month", "user_id", "project_id", "billable", "seconds", "entry_count")
    return {
        (month, user, project, billable): (seconds, count) for month, user, project, billable, seconds, count in rows
    }


def _both(monkeypatch, viewer, *, expect_rollup=True, **question) -> dict:
    """report_summary as answered, checked identical to the answer read from the entries alone."""
    with CaptureQueriesContext(connection) as queries:
        answered = reports.report_summary(viewer=viewer, now=NOW, **question)
    used = any(ROLLUP_TABLE in q["sql"] for q in queries.captured_queries)
    assert used is expect_rollup, f"rollup {'not ' if expect_rollup else ''}read for {question}"
    with monkeypatch.context() as patched:
        patched.setattr(reports, "ROLLUP_MIN_MONTHS", 10**6)
        from_entries = reports.report_summary(viewer=viewer, now=NOW, **question)
    assert answered == from_entries, question
    return answered


@pytest.fixture
def load_data(db):
    generate_load_data(entries=3000, users=30, years=1, seed=5, until=NOW.date())
    return {
        "admin": User.objects.get(username="load-00000"),
        "manager": User.objects.filter(role=Role.MANAGER).order_by("pk").first(),
        "member": User.objects.filter(role=Role.MEMBER).order_by("pk").first(),
        "viewer": User.objects.filter(role=Role.VIEWER).order_by("pk").first(),
    }


def test_generated_data_written_with_copy_ends_with_an_exact_rollup(load_data):
    reference = _reference()
    assert len(reference) > 100
    assert _rollup() == reference
    assert TimeEntry.objects.filter(end=None).exists()  # running timers exist and are left out


def test_random_questions_answered_from_the_rollup_equal_the_entries_answer(load_data, monkeypatch):
    rng = random.Random(17)
    projects = list(Project.objects.values_list("pk", "client_id"))
    people = list(TimeEntry.objects.values_list("user_id", flat=True).distinct())
    zones = ["UTC", "Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles", "Asia/Kolkata"]
    used = 0
    for _ in range(40):
        viewer = load_data[rng.choice(["admin", "admin", "manager", "member", "viewer"])]
        viewer.timezone = rng.choice(zones)
        start = date(2025, 12, 1) + timedelta(days=rng.randrange(0, 300))
        end = min(start + timedelta(days=rng.randrange(20, 366)), date(2026, 11, 30))
        group_by = rng.choice(["project", "client", "user"])
        then_by = rng.choice([None, *({"project", "client", "user"} - {group_by})])
        filters = {}
        if rng.random() < 0.3:
            filters["project"] = [pk for pk, _ in rng.sample(projects, k=3)]
        if rng.random() < 0.3:
            filters["client"] = rng.choice([c for _, c in projects if c])
        if rng.random() < 0.3:
            filters["user"] = rng.sample(people, k=4)
        if rng.random() < 0.3:
            filters["billable"] = rng.choice([True, False, "false"])
        plan = reports._rollup_plan(
            reports.report_params(viewer=viewer, start=start, end=end),
            [group_by],
            *reports.periods.Period(start, end).bounds(viewer.tzinfo),
        )
        series = rng.choice([None, "day", "week"])  # a chart's series comes from the entries beside the rollup
        answer = _both(
            monkeypatch, viewer, expect_rollup=plan is not None, start=start, end=end, group_by=group_by,
            then_by=then_by, filters=filters, series=series,
        )  # fmt: skip
        assert ("series" in answer) is (series is not None)
        used += plan is not None and answer["total"]["seconds"] > 0
    assert used >= 20


@pytest.mark.parametrize("group_by", ["task", "tag", "day", "week"])
def test_questions_the_rollup_cannot_answer_read_the_entries(load_data, monkeypatch, group_by):
    admin = load_data["admin"]
    _both(monkeypatch, admin, expect_rollup=False, start=date(2025, 12, 1), end=date(2026, 11, 30), group_by=group_by)
    for filters in ({"tag": "load-tag-01"}, {"source": Source.API}, {"task": TaskFactory().pk}):
        _both(monkeypatch, admin, expect_rollup=False, start=date(2025, 12, 1), end=date(2026, 11, 30), filters=filters)


def test_the_year_by_client_reads_three_queries_as_before(load_data, monkeypatch, django_assert_max_num_queries):
    admin = load_data["admin"]
    question = {"start": date(2025, 12, 1), "end": date(2026, 11, 30), "group_by": "client"}
    with django_assert_max_num_queries(3):  # running timers; rollup and edges in one; projects with clients
        reports.report_summary(viewer=admin, now=NOW, **question)
    with django_assert_max_num_queries(4):  # a manager adds the people they see
        reports.report_summary(viewer=load_data["manager"], now=NOW, **question)
    _both(monkeypatch, admin, **question)


def test_a_viewer_sees_only_the_time_of_their_teams_from_the_rollup(load_data, monkeypatch):
    member = load_data["member"]
    answer = _both(monkeypatch, member, start=date(2025, 12, 1), end=date(2026, 11, 30), group_by="user")
    assert [group["key"] for group in answer["groups"]] == [member.pk]
    manager_answer = _both(
        monkeypatch, load_data["manager"], start=date(2025, 12, 1), end=date(2026, 11, 30), group_by="user"
    )
    everyone = _both(monkeypatch, load_data["admin"], start=date(2025, 12, 1), end=date(2026, 11, 30), group_by="user")
    assert 1 < len(manager_answer["groups"]) < len(everyone["groups"])


# --- edges: time zones, DST, a month's first and last minutes ---------------------------------------------------


@pytest.fixture
def edge_entries(db):
    """One person's entries on the edges of UTC months and around Europe's DST changes (29 March, 25 October 2026)."""
    admin = UserFactory(role=Role.ADMIN, timezone="Europe/Berlin")
    person = UserFactory(timezone="Europe/Berlin")
    project = ProjectFactory(client=ClientFactory(default_hourly_rate="90.00"), hourly_rate=None)
    other = ProjectFactory(client=None, hourly_rate="33.33")
    stamps = [
        datetime(2026, 2, 28, 23, 30, tzinfo=UTC),  # 1 March 00:30 in Berlin, February in UTC
        datetime(2026, 3, 1, 0, 0, tzinfo=UTC),  # the first second of March in UTC
        datetime(2026, 3, 28, 23, 10, tzinfo=UTC),  # the night of the spring change
        datetime(2026, 3, 31, 22, 30, tzinfo=UTC),  # 1 April 00:30 in Berlin (CEST), March in UTC
        datetime(2026, 3, 31, 23, 59, tzinfo=UTC),
        datetime(2026, 4, 30, 11, 0, tzinfo=UTC),
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # the night of the autumn change
        datetime(2026, 10, 31, 23, 30, tzinfo=UTC),  # 1 November 00:30 in Berlin (CET), October in UTC
        datetime(2026, 11, 30, 23, 45, tzinfo=UTC),  # 1 December in Berlin and Auckland
        datetime(2026, 11, 30, 12, 0, tzinfo=UTC),  # 30 November in Berlin, 1 December in Auckland
        datetime(2026, 1, 1, 7, 30, tzinfo=UTC),  # 31 December 23:30 in Los Angeles
        datetime(2026, 1, 31, 12, 0, tzinfo=UTC),  # 1 February 01:00 in Auckland
    ]
    for number, start in enumerate(stamps):
        TimeEntry.objects.create(
            user=person, project=project if number % 3 else other, start=start,
            end=start + timedelta(minutes=13 + number), duration_seconds=(13 + number) * 60, billable=number % 4 != 1,
        )  # fmt: skip
    # A project whose only time is in the hour after October in Berlin: the rollup's October holds it (in UTC), so
    # a report that takes that hour back out must not show the project with nothing.
    late = datetime(2026, 10, 31, 23, 40, tzinfo=UTC)
    TimeEntry.objects.create(
        user=person, project=ProjectFactory(), start=late, end=late + timedelta(minutes=5), duration_seconds=300
    )
    return admin, person


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles", "UTC"])
@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 3, 1), date(2026, 10, 31)),
        (date(2026, 2, 1), date(2026, 4, 30)),
        (date(2026, 3, 29), date(2026, 10, 25)),
    ],
)
def test_month_edges_and_dst_changes_count_each_entry_once(edge_entries, monkeypatch, zone, start, end):
    admin, person = edge_entries
    admin.timezone = zone
    begin, finish = reports.periods.Period(start, end).bounds(admin.tzinfo)
    expected = sum(e.duration_seconds for e in TimeEntry.objects.all() if begin <= e.start < finish)
    for group_by, then_by in (("project", None), ("client", "user"), ("user", "project")):
        answer = _both(monkeypatch, admin, start=start, end=end, group_by=group_by, then_by=then_by)
        assert answer["total"]["seconds"] == expected
    charted = _both(monkeypatch, admin, start=start, end=end, group_by="project", series="week")
    assert sum(group["seconds"] for group in charted["series"]["groups"]) == expected
    assert expected > 0


def test_a_person_whose_time_zone_changed_sees_the_same_totals_as_from_the_entries(edge_entries, monkeypatch):
    _, person = edge_entries
    question = {"start": date(2026, 1, 1), "end": date(2026, 11, 30), "group_by": "project"}
    in_berlin = _both(monkeypatch, person, **question)
    person.timezone = "Pacific/Auckland"
    person.save(update_fields=["timezone"])
    in_auckland = _both(monkeypatch, person, **question)
    rollup = _rollup()
    assert rollup == _reference()  # a time zone is the viewer's: the rollup (UTC months) does not change
    assert in_auckland["total"]["seconds"] < in_berlin["total"]["seconds"]  # 30 November 12:00 UTC is December there


# --- every kind of write keeps the rollup exact -----------------------------------------------------------------


def _check_exact():
    assert _rollup() == _reference()
    assert not EntryMonthRollup.objects.filter(entry_count__lte=0).exists()


def test_writes_through_the_services_keep_the_rollup_exact(db):
    admin = UserFactory(role=Role.ADMIN)
    project, other = ProjectFactory(is_public=True), ProjectFactory(is_public=True)
    entry = time_entry_create(
        actor=admin, project=project, start=datetime(2026, 1, 31, 23, 0, tzinfo=UTC),
        end=datetime(2026, 2, 1, 1, 0, tzinfo=UTC),
    )  # fmt: skip
    _check_exact()
    assert EntryMonthRollup.objects.get().month == date(2026, 1, 1)  # counted in the month it started
    time_entry_update(actor=admin, entry=entry, start=datetime(2026, 2, 1, 0, 0, tzinfo=UTC), billable=False)
    _check_exact()
    assert EntryMonthRollup.objects.get().month == date(2026, 2, 1)  # January's row went with its last entry
    time_entry_update(actor=admin, entry=entry, project=other)
    _check_exact()
    timer_start(actor=admin, project=project)
    _check_exact()  # a running timer is not in the rollup
    assert EntryMonthRollup.objects.count() == 1
    stopped = timer_stop(actor=admin)
    _check_exact()
    assert EntryMonthRollup.objects.filter(project=project, entry_count=1).exists()
    time_entry_delete(actor=admin, entry=stopped)
    time_entry_delete(actor=admin, entry=entry)
    _check_exact()
    assert not EntryMonthRollup.objects.exists()


def test_queryset_updates_deletes_and_bulk_inserts_keep_the_rollup_exact(load_data):
    entries = TimeEntry.objects.filter(end__isnull=False)
    TimeEntry.objects.bulk_create(
        [
            TimeEntry(
                user=e.user,
                project=e.project,
                start=e.start + timedelta(days=400),
                end=e.end + timedelta(days=400),
                duration_seconds=e.duration_seconds,
                billable=e.billable,
            )  # fmt: skip
            for e in entries.order_by("pk")[:50]
        ]
    )
    _check_exact()
    moved = entries.filter(pk__in=entries.order_by("pk").values("pk")[:200])
    moved.update(start=datetime(2026, 6, 30, 23, 59, tzinfo=UTC), end=datetime(2026, 7, 1, 0, 30, tzinfo=UTC))
    entries.filter(pk__in=entries.order_by("-pk").values("pk")[:100]).update(billable=False, duration_seconds=60)
    entries.filter(pk__in=entries.order_by("-pk").values("pk")[100:150]).update(project=Project.objects.last())
    _check_exact()
    TimeEntry.objects.filter(end=None).update(end=NOW, duration_seconds=600)  # running timers stop
    _check_exact()
    TimeEntry.objects.filter(pk__in=entries.order_by("pk").values("pk")[300:900]).delete()
    _check_exact()
    idle = TimeEntry.objects.exclude(user__in=TimeEntry.objects.filter(end=None).values("user_id"))
    restarted = [idle.filter(user_id=user_id).values_list("pk", flat=True)[0] for user_id in
                 idle.values_list("user_id", flat=True).distinct()[:5]]  # fmt: skip
    TimeEntry.objects.filter(pk__in=restarted).update(end=None)  # timers started again
    _check_exact()
    TimeEntry.objects.all().delete()
    assert not EntryMonthRollup.objects.exists()


def test_rebuild_rollup_restores_a_damaged_rollup_and_says_how_many_rows(load_data):
    reference = _reference()
    EntryMonthRollup.objects.filter(pk__in=EntryMonthRollup.objects.values("pk")[:20]).delete()
    EntryMonthRollup.objects.filter(pk__in=EntryMonthRollup.objects.values("pk")[:5]).update(seconds=1)
    assert _rollup() != reference
    out = io.StringIO()
    call_command("rebuild_rollup", stdout=out)
    assert _rollup() == reference
    assert f"{len(reference)} rows written" in out.getvalue()
    assert rollup_rebuild() == len(reference)


@pytest.mark.parametrize("tables", ["tracking_timeentry", f"tracking_timeentry, {ROLLUP_TABLE}"])
def test_truncating_the_entries_empties_the_rollup_even_with_the_rollup_in_the_same_statement(load_data, tables):
    assert EntryMonthRollup.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's inserts leave deferred key checks pending
        cursor.execute(f"TRUNCATE {tables} CASCADE")  # the second form is how Django flushes a test database
    assert not EntryMonthRollup.objects.exists()
