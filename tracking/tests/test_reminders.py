"""Timesheet reminders: due by each person's own weekday and hour, once per person, week and kind (the ledger),
by email when no connector takes them (issue 18)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from tracking import services
from tracking.models import TimesheetReminder
from tracking.periods import week_start
from tracking.services.reminders import timesheet_reminders_claim
from tracking.tasks import timesheet_reminder_send_task

pytestmark = pytest.mark.django_db

# A Tuesday 11:00 UTC: past a Monday-10:00 reminder everywhere west of UTC+1.
NOW = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("UTC"))
LAST_MONDAY = week_start(NOW.date()) - timedelta(days=7)


@pytest.fixture
def reminders_on(settings, admin_user, team):
    settings.APPROVALS_ENABLED = True
    services.approval_settings_update(
        actor=admin_user, reminders_enabled=True, reminder_weekday=0, reminder_hour=10, required_teams=[team]
    )


def send_due(now=NOW) -> list[str]:
    return [timesheet_reminder_send_task(r.pk) for r in timesheet_reminders_claim(now=now)]


def test_a_member_with_an_open_last_week_gets_one_email_however_often_the_beat_runs(reminders_on, member):
    assert send_due() == ["email"]
    assert send_due() == [] and send_due(NOW + timedelta(hours=5)) == []
    [email] = mail.outbox
    assert email.to == [member.email] and f"{LAST_MONDAY:%-d %b}" in email.subject
    assert "/entries/week/?week=" in email.body
    assert TimesheetReminder.objects.get(user=member).channel == "email"


def test_nothing_before_the_persons_own_reminder_time(reminders_on, member):
    member.timezone = "America/Los_Angeles"  # 03:00 on Tuesday there is after Monday 10:00: due
    member.save()
    assert len(send_due()) == 1
    other = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("UTC"))  # Monday 09:00 UTC: before 10:00
    mail.outbox.clear()
    TimesheetReminder.objects.all().delete()
    member.timezone = "UTC"
    member.save()
    assert send_due(other) == []


def test_submitted_weeks_are_not_reminded_and_the_manager_gets_a_review_reminder(reminders_on, member, manager):
    services.timesheet_submit(actor=member, week=LAST_MONDAY)
    send_due()
    assert [(r.user_id, r.kind) for r in TimesheetReminder.objects.all()] == [(manager.pk, "review")]
    assert "waiting for your approval" in mail.outbox[0].body


def test_off_unless_reminders_and_approvals_are_on(settings, admin_user, team, member):
    settings.APPROVALS_ENABLED = True
    services.approval_settings_update(actor=admin_user, required_teams=[team])  # reminders off
    assert send_due() == []
    services.approval_settings_update(actor=admin_user, reminders_enabled=True, enabled=False)
    assert send_due() == []


def test_members_outside_required_teams_are_not_reminded(reminders_on, other_member):
    send_due()
    assert not TimesheetReminder.objects.filter(user=other_member).exists()


def test_the_beat_schedule_exists():
    assert PeriodicTask.objects.get(task="tracking.timesheet_reminders").enabled
