"""Slack's request URLs accept only requests signed with the signing secret, at most 5 minutes old."""

from __future__ import annotations

import json
import time

import pytest
from slack_sdk.signature import SignatureVerifier

from integrations.connectors.slack.verification import signature_valid
from tracking.models import TimeEntry

from .conftest import SlackPoster, signed_headers

# Slack's documented example (docs "Verifying requests from Slack"), as in ../shared/fixtures/README.md.
VECTOR_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
VECTOR_TIMESTAMP = "1531420618"
VECTOR_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
    b"channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
    b"response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
    b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
VECTOR_SIGNATURE = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_slack_sdk_signs_the_documented_vector_as_slack_documents():
    generated = SignatureVerifier(VECTOR_SECRET).generate_signature(timestamp=VECTOR_TIMESTAMP, body=VECTOR_BODY)
    assert generated == VECTOR_SIGNATURE


def test_the_documented_vector_is_valid_at_its_own_time():
    now = int(VECTOR_TIMESTAMP) + 60
    assert signature_valid(VECTOR_SECRET, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE, now=now)


@pytest.mark.parametrize(
    "secret,body,timestamp,signature,now_offset",
    [
        ("another-secret", VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE, 0),  # wrong secret
        (VECTOR_SECRET, VECTOR_BODY + b"&x=1", VECTOR_TIMESTAMP, VECTOR_SIGNATURE, 0),  # body changed
        (VECTOR_SECRET, VECTOR_BODY, "1531420619", VECTOR_SIGNATURE, 0),  # timestamp changed
        (VECTOR_SECRET, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE, 301),  # older than 5 minutes
        (VECTOR_SECRET, VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE, -301),  # from the future
        (VECTOR_SECRET, VECTOR_BODY, VECTOR_TIMESTAMP, "", 0),  # no signature
        (VECTOR_SECRET, VECTOR_BODY, "", VECTOR_SIGNATURE, 0),  # no timestamp
        (VECTOR_SECRET, VECTOR_BODY, "15314e0618", VECTOR_SIGNATURE, 0),  # not a number
        ("", VECTOR_BODY, VECTOR_TIMESTAMP, VECTOR_SIGNATURE, 0),  # no secret configured
        (VECTOR_SECRET, b"\xff\xfe", VECTOR_TIMESTAMP, VECTOR_SIGNATURE, 0),  # not UTF-8
    ],
    ids=["secret", "body", "timestamp", "stale", "future", "no-signature", "no-timestamp", "nan", "no-secret", "bytes"],
)
def test_a_changed_stale_or_incomplete_signature_is_invalid(secret, body, timestamp, signature, now_offset):
    now = int(VECTOR_TIMESTAMP) + now_offset
    assert not signature_valid(secret, body, timestamp, signature, now=now)


def test_the_documented_vector_posted_now_is_stale_and_refused_with_401(slack, linked):
    headers = {"HTTP_X_SLACK_REQUEST_TIMESTAMP": VECTOR_TIMESTAMP, "HTTP_X_SLACK_SIGNATURE": VECTOR_SIGNATURE}
    response = SlackPoster().post("commands", VECTOR_BODY, "application/x-www-form-urlencoded", headers)
    assert response.status_code == 401


def test_a_signed_command_is_answered_without_a_csrf_token(tt, linked):
    assert "TimeTracker in Slack" in tt("help")


@pytest.mark.parametrize("path", ["commands", "events"])
def test_a_forged_start_is_refused_with_401_and_starts_nothing(slack, linked, project, path):
    response = SlackPoster().command(f"start {project.code}", path=path, secret="not-the-signing-secret")
    assert response.status_code == 401
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("path", ["commands", "events"])
def test_a_start_signed_six_minutes_ago_is_refused_as_a_replay(slack, linked, project, path):
    response = SlackPoster().command(f"start {project.code}", path=path, timestamp=int(time.time()) - 360)
    assert response.status_code == 401
    assert not TimeEntry.objects.exists()


def test_a_body_changed_after_signing_is_refused(slack, linked, project):
    poster = SlackPoster()
    headers = signed_headers(poster.command_body("status"))
    response = poster.post(
        "commands", poster.command_body(f"start {project.code}"), "application/x-www-form-urlencoded", headers
    )
    assert response.status_code == 401
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("drop", ["HTTP_X_SLACK_SIGNATURE", "HTTP_X_SLACK_REQUEST_TIMESTAMP", "both"])
def test_a_request_without_signature_headers_is_refused(slack, linked, project, drop):
    poster = SlackPoster()
    body = poster.command_body(f"start {project.code}")
    headers = signed_headers(body)
    for name in list(headers):
        if drop in (name, "both"):
            del headers[name]
    response = poster.post("commands", body, "application/x-www-form-urlencoded", headers)
    assert response.status_code == 401
    assert not TimeEntry.objects.exists()


def test_requests_are_refused_while_slack_is_not_configured(db, linked, project):
    response = SlackPoster().command(f"start {project.code}")
    assert response.status_code == 401
    assert not TimeEntry.objects.exists()


def test_an_inactive_integration_refuses_requests(slack, linked, project):
    slack.is_active = False
    slack.save()
    assert SlackPoster().command("help").status_code == 401


def test_the_request_urls_only_accept_post(slack):
    client = SlackPoster().client
    assert client.get("/api/integrations/slack/commands").status_code == 405
    assert client.get("/api/integrations/slack/events").status_code == 405


def test_url_verification_is_answered_with_the_challenge(slack):
    response = SlackPoster().event(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", "type": "url_verification"}
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_an_unsigned_url_verification_gets_no_challenge(slack):
    body = json.dumps({"challenge": "abc", "type": "url_verification"}).encode()
    response = SlackPoster().post("events", body, "application/json", {})
    assert response.status_code == 401
    assert b"abc" not in response.content


def test_events_are_acknowledged(slack):
    response = SlackPoster().event({"type": "event_callback", "event": {"type": "app_home_opened"}})
    assert response.status_code == 200
    assert response.json() == {"ok": True}


def test_a_signed_body_that_is_neither_json_nor_a_command_is_a_400(slack):
    body = b"not json"
    response = SlackPoster().post("events", body, "text/plain", signed_headers(body))
    assert response.status_code == 400


def test_the_events_url_also_runs_slash_commands(tt, linked, project):
    text = tt(f"start {project.code}", path="events")
    assert "Started your timer" in text
    assert TimeEntry.objects.get().source == "slack"


@pytest.mark.parametrize("path", ["commands", "events"])
def test_slacks_signed_ssl_check_is_answered_with_an_empty_200(slack, path):
    body = b"ssl_check=1&token=legacy-verification-token"
    response = SlackPoster().post(path, body, "application/x-www-form-urlencoded", signed_headers(body))
    assert response.status_code == 200 and response.content == b""
