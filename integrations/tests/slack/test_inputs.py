"""Signed Slack requests the input guard refuses (NUL characters, not UTF-8): a failed delivery, never a 500."""

import pytest

from integrations.models import WebhookDelivery

from .conftest import SlackPoster, signed_headers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", [b"start%00website", b"start+caf%E9"], ids=["nul", "escaped-latin1"])
def test_signed_slack_command_with_nul_or_not_utf8_is_a_failed_delivery(slack, text):
    poster = SlackPoster()
    body = poster.command_body("start website").replace(b"start+website", text)
    response = poster.post("commands", body, "application/x-www-form-urlencoded", signed_headers(body))
    assert response.status_code == 400
    assert WebhookDelivery.objects.get(status="failed").provider == "slack"
