"""project_totals: a person's time per project over a period (the dashboard, Slack's /tt today and week)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tracking import reports, selectors
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_totals_sum_completed_entries_and_count_the_running_timer_up_to_now(member, other_member):
    now = timezone.now().replace(microsecond=0)
    web, app = ProjectFactory(name="Web"), ProjectFactory(name="App")
    TimeEntryFactory(user=member, project=web, start=now - timedelta(hours=5), end=now - timedelta(hours=4))
    TimeEntryFactory(user=member, project=web, start=now - timedelta(hours=4), end=now - timedelta(hours=3))
    TimeEntryFactory(user=member, project=app, start=now - timedelta(minutes=30), end=None)
    TimeEntryFactory(user=other_member, project=app, start=now - timedelta(hours=2), end=now - timedelta(hours=1))

    totals = selectors.project_totals(
        viewer=member, user=member, start=now - timedelta(days=1), end=now + timedelta(days=1), now=now
    )

    assert totals["projects"] == [(web, 7200), (app, 1800)]
    assert totals["total"] == 9000
    assert totals["running"].project == app


def test_totals_are_empty_for_someone_the_viewer_may_not_see(member, other_member):
    now = timezone.now()
    TimeEntryFactory(user=other_member, start=now - timedelta(hours=2), end=now - timedelta(hours=1))
    totals = selectors.project_totals(viewer=member, user=other_member, start=now - timedelta(days=1), end=now, now=now)
    assert totals == {"projects": [], "total": 0, "running": None}


def test_entry_totals_match_the_report_to_the_cent(admin_user):
    from decimal import Decimal

    now = timezone.now().replace(microsecond=0)
    project = ProjectFactory(hourly_rate=Decimal("18.00"))
    # 1 s at 18.00/h is 0.005: both the page totals and the report round it half up to 0.01.
    TimeEntryFactory(user=admin_user, project=project, start=now - timedelta(seconds=1), end=now, billable=True)
    entries = selectors.time_entry_list(viewer=admin_user, filters={"project": project.pk})
    page = selectors.entry_totals(entries)
    day = timezone.localtime(now, admin_user.tzinfo).date()
    report = reports.report_summary(viewer=admin_user, start=day, end=day, group_by="project")["total"]
    assert page == report == {"seconds": 1, "billable_seconds": 1, "amount": Decimal("0.01")}
