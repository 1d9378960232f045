"""Slack's requests go through the framework's webhook receiving: each is recorded as a delivery, and Slack's
retries (X-Slack-Retry-Num) of a command or event already received are answered 200 and not run again."""

from __future__ import annotations

import json

import pytest

from integrations.models import WebhookDelivery
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory

from .conftest import SlackPoster, signed_headers, trigger_id

Status = WebhookDelivery.Status
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def website(db):
    return ProjectFactory(name="Website", code="WEB")


def retry_headers(body: bytes, n: int = 1) -> dict:
    """Slack signs each attempt anew (a fresh timestamp) and says which retry it is."""
    return signed_headers(body) | {"HTTP_X_SLACK_RETRY_NUM": str(n), "HTTP_X_SLACK_RETRY_REASON": "http_timeout"}


def test_a_retried_start_does_nothing_twice(slack, linked, website):
    poster = SlackPoster()
    start = poster.command_body(f"start {website.code}", trigger=trigger_id())
    first = poster.post("commands", start, FORM, signed_headers(start))
    assert first.status_code == 200 and "Started your timer" in first.json()["text"]
    stop = poster.command_body("stop")
    assert "Stopped your timer" in poster.post("commands", stop, FORM, signed_headers(stop)).json()["text"]

    # Slack did not see the first answer in time and sends the same start again: it must not start a new timer.
    for n in (1, 2):
        retry = poster.post("commands", start, FORM, retry_headers(start, n))
        assert retry.status_code == 200
        assert retry.content == b""

    entry = TimeEntry.objects.get()
    assert entry.end is not None
    statuses = list(WebhookDelivery.objects.filter(provider="slack").order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.PROCESSED, Status.PROCESSED, Status.DUPLICATE, Status.DUPLICATE]


def test_a_retry_of_a_command_never_received_is_run(slack, linked, website):
    """The header alone does not make a duplicate: the first attempt may never have reached us."""
    poster = SlackPoster()
    body = poster.command_body(f"start {website.code}")
    response = poster.post("commands", body, FORM, retry_headers(body))
    assert "Started your timer" in response.json()["text"]
    assert TimeEntry.objects.filter(end__isnull=True).count() == 1


def test_every_command_is_recorded_as_a_delivery_without_the_legacy_token(slack, linked, website):
    poster = SlackPoster()
    trigger = trigger_id()
    body = poster.command_body("status", trigger=trigger)
    poster.post("commands", body, FORM, signed_headers(body))
    delivery = WebhookDelivery.objects.get(provider="slack")
    assert (delivery.integration, delivery.delivery_id, delivery.event, delivery.status) == (
        slack,
        trigger,
        "slash_command",
        Status.PROCESSED,
    )
    assert delivery.payload["text"] == "status"
    assert "token" not in delivery.payload  # Slack's legacy verification token is a secret


def test_a_forged_command_leaves_a_rejected_delivery_without_its_payload(slack, linked, website):
    SlackPoster().command(f"start {website.code}", secret="not-the-signing-secret")
    delivery = WebhookDelivery.objects.get(provider="slack")
    assert (delivery.status, delivery.payload, delivery.integration) == (Status.REJECTED, None, None)


def test_a_retried_event_is_acknowledged_once(slack):
    poster = SlackPoster()
    payload = {"type": "event_callback", "event_id": "Ev0PV52K21", "event": {"type": "app_home_opened"}}
    assert poster.event(payload).json() == {"ok": True}
    body = json.dumps(payload).encode()
    retry = poster.post("events", body, "application/json", retry_headers(body))
    assert retry.status_code == 200 and retry.content == b""
    rows = WebhookDelivery.objects.filter(provider="slack", delivery_id="Ev0PV52K21")
    assert sorted(rows.values_list("status", flat=True)) == sorted([Status.IGNORED, Status.DUPLICATE])


def test_an_unlinked_user_is_recorded_as_ignored(slack, website):
    SlackPoster().command("status", user_id="U0NOBODY00")
    assert WebhookDelivery.objects.get(provider="slack").status == Status.IGNORED


def test_slack_is_not_served_by_the_generic_webhook_endpoint(slack):
    body = b"ssl_check=1"
    response = SlackPoster().client.post(
        "/api/integrations/slack/webhook", data=body, content_type=FORM, **signed_headers(body)
    )
    assert response.status_code == 404
