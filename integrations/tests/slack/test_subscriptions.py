"""Saved reports delivered in Slack on a schedule: to a channel the bot is in or to the subscriber's DM, once per
period, a channel the bot cannot post in refused with a clear error, Slack's failures recorded for the subscriber."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from reports import subscriptions, tasks
from reports.models import DeliveryStatus, Subscription, SubscriptionDelivery, Visibility
from reports.tests.factories import SavedReportFactory
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

from .conftest import SLACK_USER, TEAM_CHANNEL

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://tt.example.org"


@pytest.fixture
def report(manager, linked):
    project = ProjectFactory(name="Apollo & <Co>", is_public=True)
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    TimeEntryFactory(user=manager, project=project, start=start, end=start + timedelta(hours=2))
    TimeEntryFactory(user=linked, project=project, start=start, end=start + timedelta(hours=1))
    return SavedReportFactory(
        owner=manager,
        name="Hours by project",
        visibility=Visibility.EVERYONE,
        definition={"preset": "last_30_days", "group_by": "project", "filters": {}, "chart": "bar"},
    )


def _subscribe(api_as, user, report, **over):
    body = {
        "saved_report": report.pk,
        "channel": "slack",
        "target": None,
        "frequency": "weekly",
        "weekday": 0,
        "time": "09:00",
        **over,
    }
    return api_as(user).post(URL, body, format="json")


def _backdate():
    Subscription.objects.update(created_at=NOW - timedelta(days=30))


def _beat(now):
    for delivery in subscriptions.claim_due(now=now):
        tasks.deliver_subscription_task.apply(args=[delivery.pk])


def _posts(fake_slack):
    return [p for p in fake_slack.posted if "Hours by project" in p.get("text", "")]


def test_a_dm_and_a_channel_each_get_one_message_a_week(slack, fake_slack, api_as, linked, report):
    linked.timezone = "UTC"
    linked.save(update_fields=["timezone"])
    assert _subscribe(api_as, linked, report).status_code == 201
    assert _subscribe(api_as, linked, report, target=TEAM_CHANNEL).status_code == 201
    _backdate()
    for minutes in (0, 5, 10):
        _beat(NOW + timedelta(minutes=minutes))
    posts = _posts(fake_slack)
    assert sorted(p["channel"] for p in posts) == sorted([SLACK_USER, TEAM_CHANNEL])
    text = posts[0]["text"]
    assert f"<https://tt.example.org/reports/saved/{report.pk}/|Hours by project>" in text
    assert "1.0 h in total" in text  # the subscriber's own visibility: a member sees their own hour
    assert "Apollo &amp; &lt;Co&gt;: 1.0 h" in text
    _beat(NOW + timedelta(days=7))
    assert len(_posts(fake_slack)) == 4


def _subscribe_and_check(api_as, user, report, capture, **over):
    """Subscribe through the API, then run what was left for after the commit (the target's check task)."""
    with capture(execute=True):
        response = _subscribe(api_as, user, report, **over)
    return response


def test_the_request_that_subscribes_makes_no_call_to_slack(slack, fake_slack, api_as, linked, report):
    response = _subscribe(api_as, linked, report, target=TEAM_CHANNEL)  # the commit's callbacks not run
    assert response.status_code == 201
    assert response.json()["check_status"] == "pending"
    assert fake_slack.calls == []
    assert Subscription.objects.get().check_status == "pending"


def test_a_channel_the_bot_is_in_is_checked_after_saving_and_marked_ready(
    slack, fake_slack, api_as, linked, report, django_capture_on_commit_callbacks
):
    response = _subscribe_and_check(api_as, linked, report, django_capture_on_commit_callbacks, target=TEAM_CHANNEL)
    assert response.status_code == 201
    assert [c["method"] for c in fake_slack.calls] == ["conversations.info"]
    subscription = Subscription.objects.get()
    assert (subscription.check_status, subscription.check_error) == ("ok", "")


def test_a_channel_the_bot_is_not_in_is_marked_failed_with_the_reason_and_not_delivered(
    slack, fake_slack, api_as, linked, report, client, django_capture_on_commit_callbacks
):
    fake_slack.channels["C0SECRET1"] = False
    response = _subscribe_and_check(api_as, linked, report, django_capture_on_commit_callbacks, target="C0SECRET1")
    assert response.status_code == 201
    subscription = Subscription.objects.get()
    assert subscription.check_status == "failed"
    assert "not in channel C0SECRET1" in subscription.check_error and "invite" in subscription.check_error
    listed = api_as(linked).get(URL).json()
    assert listed[0]["check_status"] == "failed" and "not in channel C0SECRET1" in listed[0]["check_error"]
    client.force_login(linked)
    page = client.get(f"/reports/saved/{report.pk}/subscribe/").content.decode()
    assert "Cannot deliver: The bot is not in channel C0SECRET1" in page
    _backdate()
    _beat(NOW)
    assert _posts(fake_slack) == [] and not SubscriptionDelivery.objects.exists()


def test_an_unknown_channel_is_marked_failed_and_a_malformed_one_refused_at_once(
    slack, fake_slack, api_as, linked, report, django_capture_on_commit_callbacks
):
    response = _subscribe_and_check(api_as, linked, report, django_capture_on_commit_callbacks, target="C0NOWHERE")
    assert response.status_code == 201
    assert "no channel C0NOWHERE" in Subscription.objects.get().check_error
    response = _subscribe(api_as, linked, report, target="#general")
    assert response.status_code == 400 and "channel id" in str(response.json())
    assert Subscription.objects.count() == 1


def test_when_slack_cannot_tell_the_subscription_is_taken(
    slack, fake_slack, api_as, linked, report, django_capture_on_commit_callbacks
):
    fake_slack.mode = "http500"
    response = _subscribe_and_check(api_as, linked, report, django_capture_on_commit_callbacks, target=TEAM_CHANNEL)
    assert response.status_code == 201
    assert Subscription.objects.get().check_status == "ok"  # delivery reports any problem


def test_a_dm_needs_a_linked_account_and_slack_set_up(fake_slack, api_as, other_member, report, slack):
    response = _subscribe(api_as, other_member, report)
    assert response.status_code == 400 and "Link your Slack account" in str(response.json())


def test_without_slack_set_up_slack_delivery_is_refused(db, api_as, linked, report):
    response = _subscribe(api_as, linked, report)
    assert response.status_code == 400 and "Slack is not set up" in str(response.json())


def test_the_bot_removed_from_the_channel_later_is_recorded_for_the_subscriber(
    slack, fake_slack, api_as, linked, report
):
    assert _subscribe(api_as, linked, report, target=TEAM_CHANNEL).status_code == 201
    _backdate()
    fake_slack.mode, fake_slack.error_code = "error", "not_in_channel"
    _beat(NOW)
    subscription = Subscription.objects.get()
    assert "not in channel" in subscription.last_error
    assert SubscriptionDelivery.objects.get().status == DeliveryStatus.FAILED
    listed = api_as(linked).get(URL).json()
    assert "not in channel" in listed[0]["last_error"]


def test_an_outage_is_retried_once_in_process_then_recorded(slack, fake_slack, api_as, linked, report):
    assert _subscribe(api_as, linked, report).status_code == 201
    _backdate()
    fake_slack.mode = "http500"
    _beat(NOW)
    delivery = SubscriptionDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "Slack answered 500" in delivery.error
    fake_slack.mode = None
    _beat(NOW + timedelta(minutes=5))
    assert _posts(fake_slack) == []  # that period is recorded as failed, not re-sent by every run
