"""locked_entry_ids: which rows of a page lie in locked time (active locks, everyone's or a team's, and approved
weeks), read in one query, two when a lock is a team's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tracking.models import PeriodLock, Timesheet, TimesheetState
from tracking.periods import week_start
from tracking.selectors import locked_entry_ids
from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


def _day(entry):
    return timezone.localtime(entry.start, entry.user.tzinfo).date()


def test_locks_team_locks_and_approved_weeks(
    django_assert_num_queries, admin_user, member, other_member, team, project
):
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    entries = {
        (who, ago): TimeEntryFactory(user=user, project=project, start=noon - timedelta(days=ago))
        for who, user in (("member", member), ("other", other_member))
        for ago in (30, 20, 10)
    }
    page = list(entries.values())
    with django_assert_num_queries(1):
        assert locked_entry_ids(page) == set()

    PeriodLock.objects.create(until=_day(entries["member", 30]), created_by=admin_user)
    PeriodLock.objects.create(  # reopened: applies no more
        until=_day(entries["member", 10]), created_by=admin_user, reopened_at=noon, reopen_reason="Typo"
    )
    Timesheet.objects.create(user=other_member, week=week_start(_day(entries["other", 10])), state="approved")
    Timesheet.objects.create(user=member, week=week_start(_day(entries["member", 10])), state=TimesheetState.SUBMITTED)
    with django_assert_num_queries(1):
        locked = locked_entry_ids(page)
    assert locked == {entries["member", 30].pk, entries["other", 30].pk, entries["other", 10].pk}

    PeriodLock.objects.create(until=_day(entries["member", 20]), team=team, created_by=admin_user)  # member's team
    with django_assert_num_queries(2):
        locked = locked_entry_ids(page)
    assert locked == {
        entries["member", 30].pk,
        entries["other", 30].pk,
        entries["member", 20].pk,
        entries["other", 10].pk,
    }
