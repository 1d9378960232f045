"""Slack set up and linked in a real browser (headless Chromium), then used through signed requests."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import pytest
import requests
from django.conf import settings
from django.test import Client
from slack_sdk.signature import SignatureVerifier

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.chromium import chromium, requires_chromium
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory

from .conftest import BOT_TOKEN, SIGNING_SECRET, TEAM_CHANNEL

pytestmark = [
    requires_chromium,
]


@pytest.fixture
def browser(monkeypatch):
    with chromium() as browser:
        yield browser


def _login(browser, live_server, username: str, next_path: str):
    page = browser.new_context().new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_login", username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_path}")
    return page


def _session_page(browser, live_server, user, path: str):
    """Members have no staff login page in this build; sign them in with a session cookie instead."""
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    return page


def _slash(live_server, text: str, user_id: str) -> str:
    body = urlencode({"command": "/tt", "text": text, "user_id": user_id, "response_url": ""}).encode()
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    response = requests.post(
        f"{live_server.url}/api/integrations/slack/commands",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature,
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()["text"]


def test_admin_sets_up_slack_a_member_links_by_email_and_tracks_from_slack(
    live_server, browser, transactional_db, fake_slack, in_process_tasks
):
    UserFactory(username="boss", role=Role.ADMIN)
    member = UserFactory(username="dana", role=Role.MEMBER)
    ProjectFactory(name="Website", code="WEB", client=ClientFactory(name="Acme"))
    fake_slack.emails[member.email] = "U0DANA"

    admin = _login(browser, live_server, "boss", "/integrations/")
    card = admin.locator("#card-slack-organisation")
    assert "Not configured" in card.inner_text()
    assert card.locator("input[name=notify_on_start]").is_checked()  # on by default
    card.locator("input[name=is_active]").check()
    card.locator("input[name=default_channel]").fill(TEAM_CHANNEL)
    card.locator("input[name=signing_secret]").fill(SIGNING_SECRET)
    card.locator("input[name=bot_token]").fill(BOT_TOKEN)
    card.locator("button[value=save]").click()
    admin.wait_for_load_state()
    card = admin.locator("#card-slack-organisation")
    assert "Active" in card.locator(".status").inner_text()
    card.locator("button[value=test]").click()
    admin.wait_for_load_state()
    assert "Connected to the workspace Acme" in admin.locator("#card-slack-organisation .result").inner_text()

    assert "not linked" in _slash(live_server, "status", "U0DANA")

    page = _session_page(browser, live_server, member, "/integrations/slack/preferences")
    page.click("button[value=link_by_email]")
    page.wait_for_load_state()
    assert "Linked to the Slack member U0DANA" in page.locator("#message").inner_text()
    assert page.locator("#id_slack_user_id").input_value() == "U0DANA"
    page.select_option("#id_notify_on_stop", "dm")
    page.check("#id_daily_summary")
    page.fill("#id_summary_time", "17:45")
    page.click("button[value=save]")
    page.wait_for_load_state()
    assert "Saved." in page.locator("#message").inner_text()

    assert "Started your timer on *Acme / Website*" in _slash(live_server, "start website: fixing nav", "U0DANA")
    assert "fixing nav" in _slash(live_server, "status", "U0DANA")
    assert "Stopped your timer" in _slash(live_server, "stop", "U0DANA")
    assert "*Total:" in _slash(live_server, "today", "U0DANA")
    assert TimeEntry.objects.get().source == "slack"
    # Without a worker the notices are posted after each command's answer: give the last one a moment.
    for _ in range(100):
        if len(fake_slack.posted) >= 2:
            break
        time.sleep(0.05)
    assert [p["channel"] for p in fake_slack.posted] == [TEAM_CHANNEL, "U0DANA"]
