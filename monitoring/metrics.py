"""Prometheus metrics at /metrics, built at scrape time from the same sources as the health page.

Nothing is kept per process except the request counters without Redis: the request counters, heartbeats and queue
depths come from Redis, the rest from the database, so every web process answers the same. Apps add their own
metrics with `timetracker.health.register_metric` (see that module); monitoring registers the ones below.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import redis
from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import (
    CollectorRegistry,
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)
from prometheus_client.exposition import generate_latest

from timetracker import health
from tracking.models import TimeEntry

from . import heartbeats, queues, store, webstats

logger = logging.getLogger(__name__)


def _requests() -> list:
    counts = webstats.totals()
    requests = CounterMetricFamily("timetracker_http_requests", "Requests answered, by route group.", labels=["group"])
    errors = CounterMetricFamily(
        "timetracker_http_errors", "Requests answered with a 5xx status, by route group.", labels=["group"]
    )
    latency = HistogramMetricFamily(
        "timetracker_http_request_duration_seconds", "Time to answer a request, by route group.", labels=["group"]
    )
    for group in webstats.GROUPS:
        n = counts.get(f"{group}|n", 0)
        requests.add_metric([group], n)
        errors.add_metric([group], counts.get(f"{group}|err", 0))
        cumulative, buckets = 0.0, []
        for i, bound in enumerate(webstats.BUCKETS):
            cumulative += counts.get(f"{group}|b{i}", 0)
            buckets.append(("+Inf" if bound == float("inf") else f"{bound:g}", cumulative))
        latency.add_metric([group], buckets, sum_value=counts.get(f"{group}|sum", 0.0))
    return [requests, errors, latency]


def _background() -> list:
    if not store.configured():
        return []
    families = []
    try:
        beats = heartbeats.read()
        stats = queues.queue_stats()
    except redis.RedisError as exc:
        logger.warning("metrics: Redis does not answer: %s", exc)
        up = GaugeMetricFamily("timetracker_redis_up", "1 when Redis answered this scrape.")
        up.add_metric([], 0)
        return [up]
    up = GaugeMetricFamily("timetracker_redis_up", "1 when Redis answered this scrape.")
    up.add_metric([], 1)
    worker_age = GaugeMetricFamily(
        "timetracker_worker_heartbeat_age_seconds", "Seconds since each worker's last heartbeat.", labels=["worker"]
    )
    for name, age in sorted(beats["workers"].items()):
        worker_age.add_metric([name], age)
    alive = GaugeMetricFamily("timetracker_workers_alive", "Workers whose heartbeat is fresh.")
    alive.add_metric([], sum(1 for age in beats["workers"].values() if age < heartbeats.WORKER_DEAD_AFTER))
    families += [up, worker_age, alive]
    for name, value, text in (
        ("timetracker_beat_heartbeat_age_seconds", beats["beat_age"], "Seconds since beat's last heartbeat task ran."),
        ("timetracker_last_task_age_seconds", beats["last_task_age"], "Seconds since a worker last finished a task."),
    ):
        if value is not None:
            gauge = GaugeMetricFamily(name, text)
            gauge.add_metric([], value)
            families.append(gauge)
    depth = GaugeMetricFamily("timetracker_queue_depth", "Tasks waiting in each queue.", labels=["queue"])
    oldest = GaugeMetricFamily(
        "timetracker_queue_oldest_task_age_seconds", "How long the oldest waiting task has waited.", labels=["queue"]
    )
    for name, s in stats.items():
        depth.add_metric([name], s["depth"])
        oldest.add_metric([name], s["oldest_age"] or 0)
    return families + [depth, oldest]


def _registered() -> list:
    families = []
    for metric in health.metrics():
        try:
            value = metric.collect()
        except Exception:
            logger.exception("metric %s failed", metric.name)
            continue
        samples = value if isinstance(value, dict) else {(): value}
        labels = [name for name, _ in next(iter(samples), ())]
        cls = CounterMetricFamily if metric.kind == "counter" else GaugeMetricFamily
        family = cls(metric.name.removesuffix("_total"), metric.documentation, labels=labels)
        for label_pairs, sample in samples.items():
            family.add_metric([v for _, v in label_pairs], sample)
        families.append(family)
    return families


class _Collector:
    def collect(self):
        yield from _requests()
        yield from _background()
        yield from _registered()


def render() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector())
    return generate_latest(registry)


# --- monitoring's own registered metrics -------------------------------------------------------------------------


def _timers_running() -> float:
    return TimeEntry.objects.filter(end__isnull=True).count()


def _entries_by_source() -> dict:
    rows = TimeEntry.objects.values("source").annotate(n=Count("pk")).order_by()
    return {(("source", row["source"] or "unknown"),): row["n"] for row in rows}


def _forgotten_timers() -> float:
    return TimeEntry.objects.filter(end__isnull=True, start__lt=timezone.now() - timedelta(hours=12)).count()


def register() -> None:
    health.register_metric("timetracker_timers_running", "Timers running now.", _timers_running)
    health.register_metric("timetracker_timers_forgotten", "Timers running for more than 12 hours.", _forgotten_timers)
    health.register_metric("timetracker_time_entries", "Time entries stored, by source.", _entries_by_source)
