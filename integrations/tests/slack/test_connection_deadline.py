"""Slack's "Test connection" against a Slack that accepts and never answers: one attempt, SLACK_API_TIMEOUT."""

from integrations import services

from ..silent_server import DEADLINE, SilentServer


def test_slack_connection_test_against_a_silent_server_answers_within_the_deadline(settings, slack, admin_user):
    silent = SilentServer()
    try:
        settings.SLACK_API_URL = f"{silent.url}/api/"
        settings.SLACK_API_TIMEOUT = DEADLINE
        result = services.integration_test(actor=admin_user, integration=slack, provider="slack")
    finally:
        silent.close()
    assert result["ok"] is False and result["error_code"] == "network"
    assert silent.connections == 1
