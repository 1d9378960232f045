"""GET /metrics: off without METRICS_TOKEN, 401/403 without the right bearer token, Prometheus text with it."""

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from monitoring import webstats
from timetracker import health
from tracking.tests.factories import TimeEntryFactory

TOKEN = "metrics-token-0123456789"
pytestmark = pytest.mark.django_db


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def samples(response) -> dict:
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_without_a_token_configured_the_endpoint_is_off(client, settings):
    settings.METRICS_TOKEN = ""
    assert scrape(client).status_code == 404


def test_a_missing_token_is_401_and_a_wrong_one_403(client, metrics_on):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert scrape(client, "wrong").status_code == 403
    assert b"timetracker_" not in scrape(client, "wrong").content


def test_the_scrape_returns_requests_timers_and_entries_per_source(client, metrics_on, member):
    TimeEntryFactory(user=member, source="slack")
    TimeEntryFactory(user=member, source="web")
    TimeEntryFactory(user=member, source="web", start=timezone.now(), end=None)
    client.get("/help/")
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = samples(response)
    assert found[("timetracker_http_requests_total", (("group", "pages"),))] == 1
    assert found[("timetracker_http_request_duration_seconds_count", (("group", "pages"),))] == 1
    assert found[("timetracker_timers_running", ())] == 1
    assert found[("timetracker_time_entries", (("source", "web"),))] == 2
    assert found[("timetracker_time_entries", (("source", "slack"),))] == 1
    assert not [key for key in found if key[0] == "timetracker_integrations_failing"]  # nothing fails


def test_an_app_adds_a_counter_in_one_line(client, metrics_on):
    health.register_metric(
        "timetracker_webhooks_rejected_total",
        "Forged webhook deliveries rejected.",
        lambda: {(("provider", "github"),): 4},
        kind="counter",
    )
    try:
        found = samples(scrape(client))
    finally:
        health._metrics.pop("timetracker_webhooks_rejected_total")
    assert found[("timetracker_webhooks_rejected_total", (("provider", "github"),))] == 4


def test_a_broken_metric_is_left_out_and_the_rest_still_scraped(client, metrics_on):
    health.register_metric("timetracker_broken", "Raises.", lambda: 1 / 0)
    try:
        response = scrape(client)
    finally:
        health._metrics.pop("timetracker_broken")
    assert response.status_code == 200
    assert b"timetracker_broken" not in response.content
    assert b"timetracker_timers_running" in response.content


def test_request_latency_buckets_are_cumulative():
    webstats.record("api", 0.07, 200)
    webstats.record("api", 0.3, 200)
    from monitoring.metrics import _requests

    latency = next(f for f in _requests() if f.name == "timetracker_http_request_duration_seconds")
    buckets = {
        s.labels["le"]: s.value for s in latency.samples if s.name.endswith("_bucket") and s.labels["group"] == "api"
    }
    assert (buckets["0.05"], buckets["0.1"], buckets["0.25"], buckets["0.5"], buckets["+Inf"]) == (0, 1, 1, 2, 2)
