"""Approvals and locks under concurrency, against a real PostgreSQL: decisions and entry writes never interleave
(they share the person's row lock), and a week is decided once."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from tests.concurrency import run_together
from tracking import services
from tracking.exceptions import InvalidTransition, PeriodLocked
from tracking.models import PeriodLock, TimeEntry, Timesheet
from tracking.periods import local_today
from tracking.tests.factories import TimeEntryFactory

pytestmark = [
    pytest.mark.usefixtures("approvals_on"),
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL), as CI does"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_an_edit_racing_an_approval_lands_before_it_or_is_refused(member, manager, team, project, last_monday, attempt):
    entry = TimeEntryFactory(
        user=member,
        project=project,
        start=datetime(last_monday.year, last_monday.month, last_monday.day, 9, tzinfo=UTC),
    )
    services.timesheet_submit(actor=member, week=last_monday)
    results = run_together(
        [
            lambda: services.timesheet_approve(actor=manager, user=member, week=last_monday),
            lambda: services.time_entry_update(actor=member, entry=entry, notes="late change"),
        ]
    )
    sheet = Timesheet.objects.get(user=member, week=last_monday)
    assert sheet.state == "approved", results
    entry.refresh_from_db()
    if isinstance(results[1], Exception):
        assert isinstance(results[1], PeriodLocked), results
        assert entry.notes == ""
    else:
        assert entry.updated_at <= sheet.decided_at  # the edit committed before the approval, never after


@pytest.mark.parametrize("attempt", range(3))
def test_a_new_entry_racing_a_lock_is_created_before_it_or_refused(admin_user, member, project, attempt):
    day = local_today(admin_user) - timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    results = run_together(
        [
            lambda: services.period_lock_create(actor=admin_user, until=day),
            lambda: services.time_entry_create(
                actor=member, project=project, start=start, end=start + timedelta(hours=1)
            ),
        ]
    )
    lock = PeriodLock.objects.get()
    created = TimeEntry.objects.filter(user=member).first()
    if created is None:
        assert isinstance(results[1], PeriodLocked), results
    else:
        assert created.created_at <= lock.created_at


def test_two_managers_deciding_at_once_decide_once(member, manager, admin_user, team, last_monday):
    services.timesheet_submit(actor=member, week=last_monday)
    results = run_together(
        [
            lambda: services.timesheet_approve(actor=manager, user=member, week=last_monday),
            lambda: services.timesheet_reject(actor=admin_user, user=member, week=last_monday, comment="No"),
        ]
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransition), results


def test_submitting_twice_at_once_submits_once(member, last_monday):
    results = run_together([lambda: services.timesheet_submit(actor=member, week=last_monday)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransition), results
    assert Timesheet.objects.filter(user=member, week=last_monday).count() == 1


def test_the_database_refuses_writes_into_locked_time_that_go_around_the_services(admin_user, member, project):
    from django.db import IntegrityError, transaction

    day = local_today(admin_user) - timedelta(days=2)
    start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
    entry = TimeEntryFactory(user=member, project=project, start=start)
    services.period_lock_create(actor=admin_user, until=day)
    for write in (
        lambda: TimeEntry.objects.filter(pk=entry.pk).update(notes="around the services"),
        lambda: TimeEntry.objects.filter(pk=entry.pk).delete(),
        lambda: TimeEntryFactory(user=member, project=project, start=start + timedelta(hours=3)),
    ):
        with pytest.raises(IntegrityError, match="period_locked"), transaction.atomic():
            write()
    # the documented exception still passes, and only it
    services.time_entry_update(actor=admin_user, entry=entry, notes="fixed", override_reason="Wrong client")
    entry.refresh_from_db()
    assert entry.notes == "fixed"
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.filter(pk=entry.pk).update(notes="again")
