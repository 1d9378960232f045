"""The issue's "done when", as a new user would try it against a simulated Slack (signed requests)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from integrations.connectors.slack.models import SlackSummarySent
from integrations.connectors.slack.tasks import slack_daily_summaries_task
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory

from .conftest import SLACK_USER, TEAM_CHANNEL, midday_timezone


def test_link_start_status_stop_today_notices_and_one_daily_summary(
    client, member, tt, fake_slack, django_capture_on_commit_callbacks
):
    ProjectFactory(name="Website", code="WEB", client=ClientFactory(name="Acme"))
    member.timezone = midday_timezone()
    member.save(update_fields=["timezone"])

    # Unlinked: Slack says where to link.
    assert "not linked" in tt("status")

    # Link on the preferences page, asking for a summary two minutes ago (local time).
    client.force_login(member)
    local = timezone.localtime(timezone.now(), member.tzinfo) - timedelta(minutes=2)
    response = client.post(
        "/integrations/slack/preferences",
        {
            "action": "save",
            "slack_user_id": SLACK_USER,
            "notify_on_start": "channel",
            "notify_on_stop": "channel",
            "daily_summary": "on",
            "summary_time": local.strftime("%H:%M"),
        },
    )
    assert response.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        assert "Started your timer on *Acme / Website* (WEB)" in tt("start website: fixing nav")
    assert "Running on *Acme / Website* (WEB)" in tt("status")
    assert "fixing nav" in tt("status")
    TimeEntry.objects.update(start=timezone.now() - timedelta(minutes=50))
    with django_capture_on_commit_callbacks(execute=True):
        assert "after *50m*" in tt("stop")
    today = tt("today")
    assert "• Acme / Website — 50m" in today and "*Total: 50m*" in today

    assert [p["channel"] for p in fake_slack.posted] == [TEAM_CHANNEL, TEAM_CHANNEL]
    assert "started the timer" in fake_slack.posted[0]["text"] and "after *50m*" in fake_slack.posted[1]["text"]

    for _ in range(3):
        slack_daily_summaries_task()
    summaries = [p for p in fake_slack.posted if p["channel"] == SLACK_USER]
    assert len(summaries) == 1
    assert "Your TimeTracker day" in summaries[0]["text"] and "*Total: 50m*" in summaries[0]["text"]
    assert SlackSummarySent.objects.get().status == "sent"
