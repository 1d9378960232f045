"""The dashboard's own totals (today, this week) read in one compiled query when the running timer is known agree
with the totals of each period summed on their own (period_totals)."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tracking import periods, selectors, services
from tracking.selectors import personal
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def _both(user, today, now):
    running = services.timer_status(user=user)
    return (
        selectors.own_totals(user=user, today=today, now=now, running=running),
        selectors.own_totals(user=user, today=today, now=now),
    )


@pytest.mark.parametrize("timer", ["none", "this week", "before the week"])
def test_the_totals_with_the_running_timer_known_are_each_periods_own(member, other_member, timer):
    project = ProjectFactory()
    tz = member.tzinfo
    today = periods.local_today(member)
    monday = today - timedelta(days=today.weekday())
    now = timezone.now().replace(microsecond=0)

    def at(day, hour):
        return timezone.make_aware(datetime.combine(day, time(hour)), tz)

    assert _both(member, today, now)[0] == {"today": 0, "week": 0, "running": False}
    TimeEntryFactory(user=member, project=project, start=at(monday, 1), end=at(monday, 2))  # this week
    TimeEntryFactory(user=member, project=project, start=at(monday - timedelta(days=1), 9), end=at(monday, 0))
    TimeEntryFactory(user=other_member, project=project, start=at(monday, 3), end=at(monday, 5))
    if today != monday:
        TimeEntryFactory(user=member, project=project, start=at(today, 0), end=at(today, 0) + timedelta(minutes=20))
    if timer == "this week":
        TimeEntryFactory(user=member, project=project, start=now - timedelta(minutes=7), end=None)
    elif timer == "before the week":
        TimeEntryFactory(user=member, project=project, start=at(monday - timedelta(days=2), 8), end=None)

    prepared, summed = _both(member, today, now)
    assert prepared == summed
    assert prepared["week"] >= 3600 and prepared["running"] == (timer == "this week")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are prepared on PostgreSQL only")
def test_the_compiled_read_sends_the_sql_and_parameters_of_a_fresh_build():
    now = timezone.now()
    bounds = {"user_id": 9, "begin": now, "end": now + timedelta(days=7), "day_begin": now, "day_end": now}
    for shape, values in (((False,), bounds), ((True,), {**bounds, "timer_id": 77})):
        read = personal._own_totals_read
        read.rows(shape, **values)
        sql, params = read.build(*shape, **values).query.sql_with_params()
        assert read.sql_with_params(shape, **values) == (sql, list(params)), shape
