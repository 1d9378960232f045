"""The timer's reads compiled once (timetracker.prepared) send what a fresh build of their queryset sends, and read
what the ORM's own read gives."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.services import tokens
from timetracker.prepared import PreparedRead
from tracking.models import PeriodLock, TimeEntry
from tracking.services import entries, locks, timer, timer_start
from tracking.services._common import _lock_read
from tracking.tests.factories import TagFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are prepared on PostgreSQL only")


def _fresh(build, shape, values):
    sql, params = build(*shape, **values).query.sql_with_params()
    return sql, list(params)


@pytest.mark.postgres
@on_postgres
def test_each_shape_sends_the_sql_and_parameters_of_a_fresh_build():
    now = timezone.now()
    cases = [
        (locks._probe_read, (), {"user_id": 41, "day": date(2026, 3, 4)}),
        (locks._probe_read, (), {"user_id": 7, "day": date(2025, 12, 31)}),
        (timer._running_read, (ZoneInfo("Europe/Berlin"),), {"user_id": 41}),
        (timer._running_read, (ZoneInfo("UTC"),), {"user_id": 3}),
        (_lock_read, (), {"user_id": 8}),
        (tokens._token_read, (), {"key_hash": "ab" * 32}),
    ]
    for values in (
        {"user_id": 5, "start": now, "running_until": now + timedelta(seconds=1)},
        {"user_id": 5, "start": now},
        {"user_id": 5, "start": now, "end": now + timedelta(hours=1)},
        {"user_id": 5, "start": now, "end": now + timedelta(hours=1), "pk": 9},
        {"user_id": 5, "start": now, "pk": 9},
    ):
        cases.append((entries._conflict_read, (tuple(sorted(values)),), values))
    for read, shape, values in cases:
        read.rows(shape, **values)  # compiled here, or earlier by another test: either way kept
        assert read.sql_with_params(shape, **values) == _fresh(read.build, shape, values), (read, shape)


@pytest.mark.postgres
@on_postgres
def test_values_that_would_not_be_parameters_are_refused():
    rewritten = PreparedRead(lambda *, name: TimeEntry.objects.filter(notes__contains=name).values("pk"))
    with pytest.raises(ValueError):
        rewritten.rows(name="text")  # "%text%" is not the marker: refused rather than guessed
    with pytest.raises(TypeError):
        PreparedRead(lambda *, end: TimeEntry.objects.filter(end=end).values("pk")).rows(end=None)  # SQL: IS NULL
    constant = PreparedRead(lambda *, user_id: TimeEntry.objects.filter(user_id=1).values("pk"))
    with pytest.raises(ValueError):
        constant.rows(user_id=5)


def test_columns_are_named_in_the_order_values_gives_them(member, project):
    """An annotation named before a field in `.values()` comes first in the SQL too: each value under its own name."""
    TimeEntryFactory(user=member, project=project, notes="named")

    def build(*, user_id):
        qs = TimeEntry.objects.filter(user_id=user_id).annotate(doubled=F("duration_seconds") * 2, who=F("user_id"))
        return qs.values("doubled", "notes", "who", "pk")

    read = PreparedRead(build)
    assert read.rows(user_id=member.pk) == list(build(user_id=member.pk))
    assert read.rows(user_id=member.pk)[0]["notes"] == "named"


def test_the_running_entry_is_read_as_select_related_reads_it(member, project, admin_user):
    member.timezone = "America/New_York"
    member.save()
    start = timezone.now() - timedelta(hours=3)
    TimeEntryFactory(user=member, project=project, start=start - timedelta(hours=2), end=start - timedelta(hours=1))
    later = TimeEntryFactory(user=member, project=project, start=start + timedelta(hours=1))
    running = TimeEntryFactory(user=member, project=project, start=start, end=None, notes="Running")
    running.tags.set([TagFactory(name="b"), TagFactory(name="a")])
    PeriodLock.objects.create(until=date(2000, 1, 1), created_by=admin_user)
    entry = timer._running_entry(member)
    orm = TimeEntry.objects.select_related("project", "user").get(pk=running.pk)
    for name in timer._ENTRY:
        assert getattr(entry, name) == getattr(orm, name), name
    for name in timer._PROJECT:
        assert getattr(entry.project, name) == getattr(orm.project, name), name
    for name in timer._USER:
        assert getattr(entry.user, name) == getattr(orm.user, name), name
    assert entry.next_start == later.start and entry.lock_until is None and entry.approved_week is None
    assert entry.local_day == timezone.localtime(start, ZoneInfo("America/New_York")).date()
    if connection.vendor == "postgresql":
        assert [row["name"] for row in entry.tag_rows] == ["a", "b"]
    assert not entry._state.adding and entry._state.db == "default"


def test_a_probe_sees_a_lock_created_after_it_was_first_compiled(member, admin_user):
    today = timezone.localdate()
    assert locks._probe(member, today) == (None, None)
    PeriodLock.objects.create(until=today, created_by=admin_user)
    assert locks._probe(member, today) == (today, None)


def test_the_start_conflict_check_finds_the_running_timer(member, project):
    timer_start(actor=member, project=project)
    from tracking.exceptions import TimerAlreadyRunning

    with pytest.raises(TimerAlreadyRunning):
        timer_start(actor=member, project=project)


@pytest.mark.postgres
@on_postgres
def test_a_value_left_out_must_leave_the_sql_alone():
    """unused_values: a shape may not use a value (an admin's rule reads no id), but a value that changes the SQL
    without being a parameter is refused as ever."""
    unused = PreparedRead(lambda *, user_id: TimeEntry.objects.filter(user_id=1).values("pk"), unused_values=True)
    assert unused.rows(user_id=5) == list(TimeEntry.objects.filter(user_id=1).values("pk"))
    shifted = PreparedRead(
        lambda *, user_id: TimeEntry.objects.filter(user_id=user_id + 1).values("pk"), unused_values=True
    )
    with pytest.raises(ValueError):
        shifted.rows(user_id=5)


@pytest.mark.postgres
@on_postgres
@pytest.mark.parametrize("role", ["member", "manager", "viewer", "admin"])
def test_the_entry_filters_option_reads_send_a_fresh_builds_sql(role):
    from tracking.forms import _filter_options_read

    names = ("project", "client", "task", "tag") + (() if role == "member" else ("user",))
    for name in names:
        for viewer_id in (41, 7):
            _filter_options_read.rows((name, role), viewer_id=viewer_id)
            sql, params = _filter_options_read.sql_with_params((name, role), viewer_id=viewer_id)
            assert (sql, params) == _fresh(_filter_options_read.build, (name, role), {"viewer_id": viewer_id})


def _loaded_fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if k != "_state"}


@pytest.mark.parametrize("role", ["member", "manager", "viewer", "admin_user"])
def test_the_lists_first_page_is_read_as_the_orm_reads_it(request, role, team, other_member):
    """The unfiltered entry list's first page (tracking.views.entries.first_page_entries, compiled once per role):
    the same entries, in the same order, with the same fields loaded and deferred, and the same user, project,
    client and task, as `time_entry_list(...).only(*ROW_FIELDS)` with select_related reads them."""
    from tracking.selectors import time_entry_list
    from tracking.tests.factories import ProjectFactory, TaskFactory
    from tracking.views.entries import PAGE_SIZE, ROW_FIELDS, first_page_entries

    person = request.getfixturevalue(role)
    with_client, without = ProjectFactory(is_public=True), ProjectFactory(is_public=True, client=None)
    task = TaskFactory(project=with_client)
    start = timezone.now() - timedelta(days=3)
    for i, owner in enumerate([request.getfixturevalue("member"), other_member, person] * 20):
        project = with_client if i % 2 else without
        TimeEntryFactory(
            user=owner,
            project=project,
            task=task if project is with_client and i % 3 else None,
            start=start + timedelta(minutes=30 * i),
            end=None if i == 59 else start + timedelta(minutes=30 * i + 20),
        )
    for viewer in (person, other_member):  # the second a member whatever the role: kept per role, each their own
        theirs = list(time_entry_list(viewer=viewer, filters={}).only(*ROW_FIELDS).prefetch_related(None)[:PAGE_SIZE])
        ours = first_page_entries(viewer)
        assert theirs and [e.pk for e in ours] == [e.pk for e in theirs]
        for mine, orm in zip(ours, theirs, strict=True):
            assert (
                _loaded_fields(mine) == _loaded_fields(orm) and mine.get_deferred_fields() == orm.get_deferred_fields()
            )
            for related in ("user", "project", "task"):
                a, b = getattr(mine, related), getattr(orm, related)
                assert (a is None) == (b is None)
                if a is not None:
                    assert _loaded_fields(a) == _loaded_fields(b) and a.get_deferred_fields() == b.get_deferred_fields()
            a, b = mine.project.client, orm.project.client
            assert (a is None) == (b is None) and (a is None or _loaded_fields(a) == _loaded_fields(b))
