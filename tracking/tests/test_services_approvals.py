"""Timesheet approvals and locked periods: transitions, the policy, the one lock rule in every entry service."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts import policy
from tracking import services
from tracking.exceptions import ApprovalsDisabled, InvalidEntry, InvalidTransition, PeriodLocked
from tracking.models import PeriodLock, TimeEntry, TimesheetState
from tracking.periods import local_today, week_start
from tracking.tests.factories import TimeEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approvals_on")]


def monday_before(user):
    return week_start(local_today(user)) - timedelta(days=7)


def at(day: date, hour: int, tz="UTC") -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo(tz))


def test_member_submits_manager_rejects_then_approves(member, manager, team, last_week_entry):
    monday = monday_before(member)
    sheet = services.timesheet_submit(actor=member, week=monday + timedelta(days=3))
    assert (sheet.week, sheet.state) == (monday, TimesheetState.SUBMITTED)
    sheet = services.timesheet_reject(actor=manager, user=member, week=monday, comment="Tuesday is missing notes")
    assert sheet.state == TimesheetState.REJECTED and sheet.comment == "Tuesday is missing notes"
    # rejected: the member may still fix the week
    services.time_entry_update(actor=member, entry=last_week_entry, notes="Client call")
    services.timesheet_submit(actor=member, week=monday)
    sheet = services.timesheet_approve(actor=manager, user=member, week=monday)
    assert sheet.state == TimesheetState.APPROVED and sheet.decided_by == manager


def test_an_approved_week_refuses_every_write_with_period_locked(member, manager, team, project, last_week_entry):
    monday = monday_before(member)
    services.timesheet_submit(actor=member, week=monday)
    services.timesheet_approve(actor=manager, user=member, week=monday)
    with pytest.raises(PeriodLocked, match="approved by"):
        services.time_entry_update(actor=member, entry=last_week_entry, notes="changed")
    with pytest.raises(PeriodLocked):
        services.time_entry_update(actor=manager, entry=last_week_entry, notes="changed")
    with pytest.raises(PeriodLocked):
        services.time_entry_delete(actor=member, entry=last_week_entry)
    with pytest.raises(PeriodLocked):
        services.time_entry_create(actor=member, project=project, start=at(monday, 9), end=at(monday, 10))
    # moving an entry of this week into the approved week is refused too
    free = TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(hours=3))
    with pytest.raises(PeriodLocked):
        services.time_entry_update(actor=member, entry=free, start=at(monday, 14), end=at(monday, 15))
    last_week_entry.refresh_from_db()
    assert last_week_entry.notes == "" and TimeEntry.objects.filter(user=member).count() == 2


def test_the_error_is_a_409_with_code_period_locked():
    from timetracker.errors import api_error

    status, body = api_error(PeriodLocked("Time up to 31 Oct is locked by Finance; ask an admin to reopen."))
    assert status == 409 and body == {
        "detail": "Time up to 31 Oct is locked by Finance; ask an admin to reopen.",
        "code": "period_locked",
    }


def test_a_lock_covers_each_persons_own_day(admin_user, member, project):
    member.timezone = "Pacific/Auckland"  # UTC+13 in November
    member.save()
    until = date(2026, 10, 31)
    services.period_lock_create(actor=admin_user, until=until, label="Finance")
    # 31 Oct 23:30 in Auckland is 31 Oct 10:30 UTC: locked; 1 Nov 00:30 Auckland is 31 Oct 11:30 UTC: open.
    with pytest.raises(PeriodLocked, match="Time up to 31 Oct is locked by Finance; ask an admin to reopen."):
        services.time_entry_create(
            actor=member,
            project=project,
            start=at(until, 23, "Pacific/Auckland"),
            end=at(until + timedelta(1), 0, "Pacific/Auckland"),
        )
    services.time_entry_create(
        actor=member,
        project=project,
        start=at(until + timedelta(1), 0, "Pacific/Auckland") + timedelta(minutes=30),
        end=at(until + timedelta(1), 2, "Pacific/Auckland"),
    )


def test_a_team_lock_applies_to_its_members_only(admin_user, member, other_member, team, project):
    day = local_today(member) - timedelta(days=3)
    services.period_lock_create(actor=admin_user, until=day, team=team)
    with pytest.raises(PeriodLocked):
        services.time_entry_create(actor=member, project=project, start=at(day, 9), end=at(day, 10))
    services.time_entry_create(actor=other_member, project=project, start=at(day, 9), end=at(day, 10))


def test_reopening_a_lock_needs_a_reason_and_is_logged(admin_user, member, project):
    day = local_today(member) - timedelta(days=3)
    lock = services.period_lock_create(actor=admin_user, until=day)
    with pytest.raises(InvalidEntry, match="needs a comment"):
        services.period_lock_reopen(actor=admin_user, lock=lock, reason="  ")
    assert PeriodLock.objects.active().count() == 1
    lock = services.period_lock_reopen(actor=admin_user, lock=lock, reason="Invoice corrected")
    assert (lock.reopened_by, lock.reopen_reason) == (admin_user, "Invoice corrected")
    services.time_entry_create(actor=member, project=project, start=at(day, 9), end=at(day, 10))


def test_only_admins_lock_and_reopen(manager, member, team):
    day = local_today(manager) - timedelta(days=3)
    for actor in (manager, member):
        with pytest.raises(policy.PolicyDenied):
            services.period_lock_create(actor=actor, until=day)
    assert not PeriodLock.objects.exists()


def test_a_future_lock_is_refused(admin_user):
    with pytest.raises(InvalidEntry, match="past days"):
        services.period_lock_create(actor=admin_user, until=local_today(admin_user) + timedelta(days=2))


def test_a_timer_running_across_the_lock_boundary_is_stopped_at_it(admin_user, member, project):
    yesterday = local_today(member) - timedelta(days=1)
    entry = TimeEntryFactory(user=member, project=project, start=at(yesterday, 20), end=None, duration_seconds=0)
    services.period_lock_create(actor=admin_user, until=yesterday)
    entry.refresh_from_db()
    assert entry.end == at(yesterday + timedelta(days=1), 0)
    assert services.timer_status(user=member) is None


def test_starting_a_timer_on_a_locked_day_is_refused(admin_user, member, project):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user))
    with pytest.raises(PeriodLocked):
        services.timer_start(actor=member, project=project)


def test_an_admin_may_edit_anyway_with_a_reason(admin_user, member, project, last_week_entry):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user) - timedelta(days=1))
    with pytest.raises(PeriodLocked):
        services.time_entry_update(actor=admin_user, entry=last_week_entry, notes="fix")
    entry = services.time_entry_update(
        actor=admin_user, entry=last_week_entry, notes="fix", override_reason="Wrong client"
    )
    assert entry.notes == "fix"
    with pytest.raises(PeriodLocked):
        services.time_entry_delete(actor=admin_user, entry=entry, override_reason="  ")
    services.time_entry_delete(actor=admin_user, entry=entry, override_reason="Duplicate")
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_a_reason_does_not_let_a_manager_edit_locked_time(admin_user, manager, team, member, last_week_entry):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user) - timedelta(days=1))
    with pytest.raises(PeriodLocked):
        services.time_entry_update(actor=manager, entry=last_week_entry, notes="fix", override_reason="because")


def test_who_may_decide(member, other_member, manager, viewer, admin_user, team, last_week_entry):
    monday = monday_before(member)
    services.timesheet_submit(actor=member, week=monday)
    for actor in (member, other_member, viewer):
        with pytest.raises(policy.PolicyDenied):
            services.timesheet_approve(actor=actor, user=member, week=monday)
    # a manager does not approve their own week
    services.timesheet_submit(actor=manager, week=monday)
    with pytest.raises(policy.PolicyDenied):
        services.timesheet_approve(actor=manager, user=manager, week=monday)
    services.timesheet_approve(actor=admin_user, user=manager, week=monday)


def test_invalid_transitions_are_refused(member, manager, team):
    monday = monday_before(member)
    with pytest.raises(InvalidTransition):
        services.timesheet_approve(actor=manager, user=member, week=monday)
    services.timesheet_submit(actor=member, week=monday)
    with pytest.raises(InvalidTransition):
        services.timesheet_submit(actor=member, week=monday)
    with pytest.raises(InvalidEntry, match="comment"):
        services.timesheet_reject(actor=manager, user=member, week=monday, comment="")
    with pytest.raises(InvalidEntry):
        services.timesheet_submit(actor=member, week=local_today(member) + timedelta(days=8))


def test_reopening_an_approved_week_unlocks_it(member, manager, team, last_week_entry):
    monday = monday_before(member)
    services.timesheet_submit(actor=member, week=monday)
    services.timesheet_approve(actor=manager, user=member, week=monday)
    services.timesheet_reopen(actor=manager, user=member, week=monday, comment="Forgot the Friday")
    services.time_entry_update(actor=member, entry=last_week_entry, notes="ok now")


@override_settings(APPROVALS_ENABLED=False)
def test_approvals_are_off_until_turned_on(member, admin_user):
    with pytest.raises(ApprovalsDisabled):
        services.timesheet_submit(actor=member, week=monday_before(member))
    services.approval_settings_update(actor=admin_user, enabled=True)
    services.timesheet_submit(actor=member, week=monday_before(member))
