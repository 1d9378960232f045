"""Timesheet reminders go to Slack as a DM for a linked person, by email otherwise (issue 18)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tracking import services as tracking
from tracking.models import TimesheetReminder
from tracking.services.reminders import timesheet_reminders_claim
from tracking.tasks import timesheet_reminder_send_task

from .conftest import SLACK_USER

NOW = datetime(2026, 11, 24, 11, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def reminders_on(settings, admin_user, team):
    settings.APPROVALS_ENABLED = True
    tracking.approval_settings_update(
        actor=admin_user, reminders_enabled=True, reminder_weekday=0, reminder_hour=10, required_teams=[team]
    )


def test_a_linked_member_gets_a_dm_and_no_email(slack, fake_slack, linked, reminders_on):
    [reminder] = timesheet_reminders_claim(now=NOW)
    assert timesheet_reminder_send_task(reminder.pk) == "slack"
    [post] = fake_slack.posted
    assert post["channel"] == SLACK_USER and "has not been submitted for approval yet" in post["text"]
    assert mail.outbox == []
    assert TimesheetReminder.objects.get().channel == "slack"


def test_an_unlinked_member_gets_an_email(slack, fake_slack, member, reminders_on):
    [reminder] = timesheet_reminders_claim(now=NOW)
    assert timesheet_reminder_send_task(reminder.pk) == "email"
    assert fake_slack.posted == [] and len(mail.outbox) == 1
