"""The dashboard, the API and Slack's /tt today give the same total for the same day, a running timer included."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.tests.api_fixtures import _api_test_settings, api_as  # noqa: F401
from tracking import periods
from tracking import services as tracking
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TimeEntryFactory
from tracking.utils import format_duration

from .conftest import midday_timezone


def _dashboard_today(user) -> str:
    client = Client()
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'id="totals-running-note"' in html  # the page says the running timer is counted
    return re.search(r'id="total-today">([^<]+)<', html)[1]


def test_dashboard_api_and_slack_today_agree_with_a_running_timer(tt, linked, api_as):  # noqa: F811
    linked.timezone = midday_timezone()
    linked.save(update_fields=["timezone"])
    project = ProjectFactory(name="Website")
    now = timezone.now()
    TimeEntryFactory(user=linked, project=project, start=now - timedelta(hours=3), end=now - timedelta(hours=2))
    TimeEntryFactory(user=linked, project=project, start=now - timedelta(days=2), end=now - timedelta(days=2, hours=-1))
    entry = tracking.timer_start(actor=linked, project=project)
    # 20m 30s ago: the displayed minutes stay 20 for the half minute the three requests may take.
    TimeEntry.objects.filter(pk=entry.pk).update(start=now - timedelta(minutes=20, seconds=30))

    slack = tt("today")
    dashboard = _dashboard_today(linked)
    api = api_as(linked).get("/api/v1/reports/summary/", {"preset": "today", "group_by": "project"}).json()
    by_dates = (
        api_as(linked)
        .get(
            "/api/v1/reports/summary/",
            {
                "start": periods.local_today(linked).isoformat(),
                "end": periods.local_today(linked).isoformat(),
                "group_by": "day",
            },
        )
        .json()
    )

    expected = "1h 20m"
    assert dashboard == expected
    assert f"*Total: {expected}*" in slack and "(running)" in slack
    assert format_duration(api["total"]["seconds"]) == expected and api["running_seconds"] >= 20 * 60
    assert format_duration(by_dates["total"]["seconds"]) == expected
