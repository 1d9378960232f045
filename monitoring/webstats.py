"""Request times and errors per route group, kept cheaply: one pipelined Redis round trip per request.

Counts go into per-minute Redis hashes that expire after an hour (for the health page's "last hour") and into one
running total (for Prometheus). Each latency falls in a bucket of `BUCKETS`; p50 and p95 are read from the buckets
(the upper bound of the bucket the percentile falls in). Without Redis, or while Redis does not answer, the
counts stay in this process's memory.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict

import redis

from . import store

BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, float("inf"))
WINDOW_MINUTES = 60
GROUPS = ("api", "webhooks", "admin", "sign-in", "pages")
# Paths not counted: the probes, the scrape and static files would drown the requests of people.
SKIPPED_PREFIXES = ("/healthz", "/readyz", "/metrics", "/static/")
TOTAL_KEY = store.key("web", "total")

_lock = threading.Lock()
_memory_minutes: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
_memory_total: dict[str, float] = defaultdict(float)


def route_group(path: str) -> str | None:
    if path.startswith(SKIPPED_PREFIXES):
        return None
    if path.startswith("/api/integrations/"):
        return "webhooks"
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    if path.startswith("/accounts/"):
        return "sign-in"
    return "pages"


def bucket_index(seconds: float) -> int:
    return next(i for i, bound in enumerate(BUCKETS) if seconds <= bound)


def _minute_key(minute: int) -> str:
    return store.key("web", str(minute))


def record(group: str, seconds: float, status: int) -> None:
    """Count one request of `group` that took `seconds` and answered `status`."""
    fields = {f"{group}|b{bucket_index(seconds)}": 1, f"{group}|n": 1}
    if status >= 500:
        fields[f"{group}|err"] = 1
    minute = int(time.time() // 60)
    conn = store.client()
    if conn is not None:
        try:
            pipe = conn.pipeline(transaction=False)
            minute_key = _minute_key(minute)
            for name, value in fields.items():
                pipe.hincrby(minute_key, name, value)
                pipe.hincrby(TOTAL_KEY, name, value)
            pipe.hincrbyfloat(TOTAL_KEY, f"{group}|sum", seconds)
            pipe.expire(minute_key, (WINDOW_MINUTES + 2) * 60)
            pipe.execute()
            return
        except redis.RedisError:
            store.mark_down()
    with _lock:
        for name, value in fields.items():
            _memory_minutes[minute][name] += value
            _memory_total[name] += value
        _memory_total[f"{group}|sum"] += seconds
        for old in [m for m in _memory_minutes if m <= minute - WINDOW_MINUTES]:
            del _memory_minutes[old]


def _merge(into: dict[str, float], counts: dict) -> None:
    for name, value in counts.items():
        name = name.decode() if isinstance(name, bytes) else name
        into[name] = into.get(name, 0.0) + float(value)


def last_hour() -> dict[str, float]:
    """The counters of the last hour summed, from Redis when it answers, plus this process's memory."""
    now_minute = int(time.time() // 60)
    minutes = range(now_minute - WINDOW_MINUTES + 1, now_minute + 1)
    counts: dict[str, float] = {}
    conn = store.client()
    if conn is not None:
        try:
            pipe = conn.pipeline(transaction=False)
            for minute in minutes:
                pipe.hgetall(_minute_key(minute))
            for answer in pipe.execute():
                _merge(counts, answer)
        except redis.RedisError:
            store.mark_down()
    with _lock:
        for minute in minutes:
            _merge(counts, _memory_minutes.get(minute, {}))
    return counts


def totals() -> dict[str, float]:
    """Counters since they were first kept (for Prometheus' counters)."""
    counts: dict[str, float] = {}
    conn = store.client()
    if conn is not None:
        try:
            _merge(counts, conn.hgetall(TOTAL_KEY))
        except redis.RedisError:
            store.mark_down()
    with _lock:
        _merge(counts, _memory_total)
    return counts


def percentile(counts: dict[str, float], group: str, share: float) -> float | None:
    """The upper bound of the bucket holding the `share` percentile of `group`'s requests (None: no requests)."""
    total = counts.get(f"{group}|n", 0)
    if not total:
        return None
    running = 0.0
    for i, bound in enumerate(BUCKETS):
        running += counts.get(f"{group}|b{i}", 0)
        if running >= share * total:
            return bound
    return BUCKETS[-1]


def summary(counts: dict[str, float] | None = None) -> dict[str, dict]:
    """{group: {"requests", "errors", "error_rate", "p50", "p95"}} for the groups that had requests."""
    counts = last_hour() if counts is None else counts
    result = {}
    for group in GROUPS:
        n = counts.get(f"{group}|n", 0)
        if not n:
            continue
        errors = counts.get(f"{group}|err", 0)
        result[group] = {
            "requests": int(n),
            "errors": int(errors),
            "error_rate": errors / n,
            "p50": percentile(counts, group, 0.5),
            "p95": percentile(counts, group, 0.95),
        }
    return result


def clear_memory() -> None:
    with _lock:
        _memory_minutes.clear()
        _memory_total.clear()


class RequestTimingMiddleware:
    """First in MIDDLEWARE: times every request (but the probes and static files) and counts the 5xx answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        group = route_group(request.path)
        if group is None:
            return self.get_response(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            record(group, time.perf_counter() - started, status)
