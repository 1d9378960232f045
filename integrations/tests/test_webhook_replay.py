"""Replayed webhooks are refused whatever their unsigned delivery id says; forged and replayed requests are counted
per provider, reason and day, and only a bounded sample of them is kept as rows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from integrations import selectors, services
from integrations.models import WebhookDelivery, WebhookRejection
from tracking import services as tracking
from tracking.models import TimeEntry

from .conftest import payload

pytestmark = pytest.mark.django_db


def test_the_same_signed_body_under_a_new_delivery_id_is_refused_and_does_not_restart_a_timer(
    github, deliver, codertocat
):
    first = deliver(payload("issues.assigned"), "issues", delivery="assign-original")
    assert first.status_code == 200 and TimeEntry.objects.filter(user=codertocat, end=None).exists()
    tracking.timer_stop(actor=codertocat)

    replay = deliver(payload("issues.assigned"), "issues", delivery="assign-replayed")
    assert replay.status_code == 409, replay.content
    assert not TimeEntry.objects.filter(user=codertocat, end=None).exists()
    row = WebhookDelivery.objects.get(delivery_id="assign-replayed")
    assert row.status == "rejected" and "Replay" in row.error and row.payload is None
    assert selectors.webhook_rejections(since=date.today()) == [{"provider": "github", "reason": "replay", "count": 1}]


def test_a_providers_retry_with_the_same_delivery_id_is_still_a_quiet_duplicate(github, deliver):
    deliver(payload("issues.opened"), "issues", delivery="same")
    again = deliver(payload("issues.opened"), "issues", delivery="same")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert not WebhookRejection.objects.exists()


def test_forged_deliveries_are_counted_and_only_a_sample_is_kept(github, deliver, settings):
    settings.WEBHOOK_REJECTION_SAMPLES_PER_DAY = 3
    for n in range(25):
        assert deliver(payload("issues.opened"), "issues", delivery=f"f-{n}", signature="sha256=0").status_code == 401
    rows = WebhookDelivery.objects.filter(status="rejected")
    assert rows.count() == 3
    assert "only counted" in rows.get(delivery_id="f-2").error
    assert selectors.webhook_rejections(since=date.today()) == [
        {"provider": "github", "reason": "signature", "count": 25}
    ]
    assert selectors.webhook_rejections(since=date.today() + timedelta(days=1)) == []


def test_counters_are_pruned_with_the_rejected_rows(github, settings):
    settings.WEBHOOK_PAYLOAD_RETENTION_DAYS = 30
    old = timezone.now().date() - timedelta(days=40)
    WebhookRejection.objects.create(provider="github", reason="signature", day=old, count=9)
    WebhookRejection.objects.create(provider="github", reason="signature", day=timezone.now().date(), count=1)
    services.webhook_deliveries_prune()
    assert list(WebhookRejection.objects.values_list("count", flat=True)) == [1]


def test_refused_requests_reach_the_health_check_and_the_metrics(github, deliver, client, settings):
    from integrations.health import check_integrations
    from timetracker import health

    settings.METRICS_TOKEN = "metrics-token-0123456789"
    for n in range(4):
        deliver(payload("issues.opened"), "issues", delivery=f"x-{n}", signature="sha256=0")

    result = check_integrations()
    assert "4 forged or replayed webhook requests refused" in result.value
    assert any("github: 4 webhook requests refused (signature)" in line for line in result.details)
    assert health._metrics["timetracker_webhook_requests_refused"].collect() == {
        (("provider", "github"), ("reason", "signature")): 4
    }
    scraped = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-token-0123456789").content.decode()
    assert 'timetracker_webhook_requests_refused{provider="github",reason="signature"} 4.0' in scraped


def test_admins_see_the_daily_counts_read_only_in_the_admin(client, admin_user, manager, github, deliver):
    deliver(payload("ping"), "ping", signature="sha256=0")
    client.force_login(admin_user)
    page = client.get("/admin/integrations/webhookrejection/")
    assert page.status_code == 200 and "signature" in page.content.decode()
    assert client.get("/admin/integrations/webhookrejection/add/").status_code == 403
    client.force_login(manager)
    assert client.get("/admin/integrations/webhookrejection/").status_code in (302, 403)
