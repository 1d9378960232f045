"""Signed Slack requests the input guard refuses (NUL characters, not UTF-8: a failed delivery, never a 500), and
signed requests replayed within the signature's 5-minute window (refused, run once)."""

import pytest

from integrations.models import WebhookDelivery
from tracking import services as tracking
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory

from .conftest import SlackPoster, signed_headers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [b"start%00website", b"start+caf%E9"], ids=["nul", "escaped-latin1"])
def test_signed_slack_command_with_nul_or_not_utf8_is_a_failed_delivery(slack, text):
    poster = SlackPoster()
    body = poster.command_body("start website").replace(b"start+website", text)
    response = poster.post("commands", body, "application/x-www-form-urlencoded", signed_headers(body))
    assert response.status_code == 400
    assert WebhookDelivery.objects.get(status="failed").provider == "slack"


def test_a_signed_command_replayed_within_the_window_is_not_run_again(slack, linked, fake_slack):
    ProjectFactory(name="Website")
    poster = SlackPoster(fake_slack.response_url())
    body = poster.command_body("start website")
    headers = signed_headers(body)
    assert poster.post("commands", body, "application/x-www-form-urlencoded", headers).status_code == 200
    tracking.timer_stop(actor=linked)
    replay = poster.post("commands", body, "application/x-www-form-urlencoded", headers)
    # Its signed content names the same trigger_id: answered like Slack's own retry, empty, and nothing runs.
    assert replay.status_code == 200 and replay.content == b""
    assert WebhookDelivery.objects.filter(status="duplicate").count() == 1
    assert TimeEntry.objects.filter(user=linked).count() == 1
    assert not TimeEntry.objects.filter(user=linked, end=None).exists()


def test_a_signed_event_without_an_id_replayed_is_refused_with_409(slack):
    poster = SlackPoster()
    body = b'{"type": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}'
    headers = signed_headers(body)
    assert poster.post("events", body, "application/json", headers).status_code == 200
    replay = poster.post("events", body, "application/json", headers)
    assert replay.status_code == 409
    assert WebhookDelivery.objects.filter(status="rejected").count() == 1
