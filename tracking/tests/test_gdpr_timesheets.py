"""A person's timesheets and reminders in their data export, and what erasure does to them (issue 18)."""

from datetime import timedelta

import pytest

from accounts.services import user_data_export, user_erase
from tracking import services
from tracking.models import Timesheet, TimesheetReminder
from tracking.periods import local_today, week_start

pytestmark = pytest.mark.django_db


def test_export_has_the_weeks_and_erasure_clears_the_comments_about_the_person(
    settings, member, manager, team, admin_user
):
    settings.APPROVALS_ENABLED = True
    monday = week_start(local_today(member)) - timedelta(days=7)
    services.timesheet_submit(actor=member, week=monday)
    services.timesheet_reject(actor=manager, user=member, week=monday, comment="Too many hours on Friday")
    TimesheetReminder.objects.create(user=member, week=monday, kind="submit", channel="email")
    data = user_data_export(user=member)
    assert data["timesheets"] == [
        {
            "week": monday.isoformat(),
            "state": "rejected",
            "comment": "Too many hours on Friday",
            "submitted_at": data["timesheets"][0]["submitted_at"],
            "decided_at": data["timesheets"][0]["decided_at"],
            "decided_by_id": manager.pk,
        }
    ]
    assert data["timesheet_reminders"][0]["kind"] == "submit"
    user_erase(actor=admin_user, user=member)
    assert Timesheet.objects.get(user=member).comment == ""
    assert not TimesheetReminder.objects.filter(user=member).exists()
