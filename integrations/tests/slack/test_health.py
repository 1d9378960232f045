"""A revoked Slack token turns the integrations health check red, from the periodic connection check, with the
error Slack gave; the next successful check ends the run of failures. The local Slack stand-in answers
`invalid_auth` for any token but the configured one."""

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from integrations import health, services
from integrations.models import Integration
from integrations.tasks import integrations_probe_connections_task
from timetracker.health import FAIL, OK, WARN

from .conftest import BOT_TOKEN


def _revoke(admin_user):
    services.integration_configure(actor=admin_user, provider="slack", secrets={"bot_token": "xoxb-revoked"})


def test_a_working_slack_is_green(slack, fake_slack):
    integrations_probe_connections_task()
    assert [c["method"] for c in fake_slack.calls] == ["auth.test"]
    result = health.check_integrations()
    assert result.status == OK
    assert result.value == "1 active, 0 failing"


def test_a_revoked_token_shows_red_with_slacks_error_and_counts_failures(slack, fake_slack, admin_user):
    _revoke(admin_user)
    integrations_probe_connections_task()
    integrations_probe_connections_task()
    integration = Integration.objects.get(pk=slack.pk)
    assert integration.failure_count == 2
    assert integration.failing_since is not None
    result = health.check_integrations()
    assert result.status == FAIL
    assert result.value == "1 active, 1 failing"
    assert "slack (organisation): 2 failures in a row since" in result.details[0]
    assert "invalid_auth" in result.details[0]
    assert "renew the token" in result.advice

    services.integration_configure(actor=admin_user, provider="slack", secrets={"bot_token": BOT_TOKEN})
    integrations_probe_connections_task()
    integration.refresh_from_db()
    assert (integration.failure_count, integration.failing_since, integration.last_error) == (0, None, "")
    assert health.check_integrations().status == OK


def test_a_failing_personal_connection_is_amber(slack, member):
    Integration.objects.create(provider="google", owner=member, is_active=True, failure_count=3, last_error="401")
    result = health.check_integrations()
    assert result.status == WARN


def test_the_health_check_never_calls_slack(slack, fake_slack, admin_user):
    _revoke(admin_user)
    fake_slack.calls.clear()
    health.check_integrations()
    assert fake_slack.calls == []


def test_setup_periodic_tasks_schedules_the_connection_checks(db):
    call_command("setup_periodic_tasks")
    job = PeriodicTask.objects.get(name="integrations: connection checks")
    assert (job.task, job.crontab.minute) == ("integrations.probe_connections", "*/15")


@pytest.mark.django_db(transaction=True)
def test_the_admin_health_page_shows_the_revoked_token(client, slack, fake_slack, admin_user):
    _revoke(admin_user)
    integrations_probe_connections_task()
    client.force_login(admin_user)
    page = client.get("/admin/health/").content.decode()
    assert 'data-check="integrations" data-status="fail"' in page
    assert "invalid_auth" in page


def test_a_failed_sync_starts_a_run_of_failures_and_a_good_one_ends_it(slack):
    services.integration_record_sync(slack, {"ok": False, "error": "boom"})
    services.integration_record_sync(slack, {"ok": False, "error": "boom"})
    slack.refresh_from_db()
    assert slack.failure_count == 2
    services.integration_record_sync(slack, {"ok": True, "counts": {}})
    slack.refresh_from_db()
    assert (slack.failure_count, slack.failing_since) == (0, None)
