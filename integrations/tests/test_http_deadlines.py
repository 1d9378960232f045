"""Every outbound call has a short total deadline: a provider that accepts connections and never answers, or
trickles its answer, holds a worker for at most OUTBOUND_HTTP_TIMEOUT — and "Test connection" with it, so two such
tests can no longer block everyone's timer (issue 13 §7). Slack: slack/test_connection_deadline.py."""

from __future__ import annotations

import pytest

from integrations import services
from integrations.http import DeadlineExceeded, ProviderClient

from .silent_server import DEADLINE, SilentServer, within_bound


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def trickling():
    server = SilentServer(trickle=True)
    yield server
    server.close()


def test_a_silent_provider_gets_one_attempt_and_the_deadline(silent):
    client = ProviderClient(silent.url, "tok", timeout=DEADLINE)
    outcome = within_bound(lambda: client.get("/repos/x"))
    assert isinstance(outcome.get("error"), DeadlineExceeded)
    assert "no answer within 1 s" in str(outcome["error"])
    assert silent.connections == 1  # no retry once the deadline is spent


def test_a_trickling_answer_does_not_extend_the_deadline(trickling):
    client = ProviderClient(trickling.url, "tok", timeout=DEADLINE)
    outcome = within_bound(lambda: client.get("/repos/x"))
    assert isinstance(outcome.get("error"), DeadlineExceeded)


def test_the_default_deadline_is_the_setting(settings):
    settings.OUTBOUND_HTTP_TIMEOUT = 2.5
    assert ProviderClient("http://example.invalid").timeout == 2.5


def test_github_connection_test_against_a_silent_server_answers_within_the_deadline(
    settings, silent, github, admin_user
):
    settings.GITHUB_API_URL = silent.url
    settings.OUTBOUND_HTTP_TIMEOUT = DEADLINE
    result = services.integration_test(actor=admin_user, integration=github, provider="github")
    assert result["ok"] is False and result["error_code"] == "network"
    assert "did not answer in time" in result["error"]
    assert silent.connections == 1
