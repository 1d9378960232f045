"""Where heartbeats and request counters live: Redis (REDIS_URL) with short timeouts, never the Django cache.

Every call here is bounded (half a second to connect or answer) and, after a failure, Redis is left alone for
`BACKOFF_SECONDS`, so a Redis outage can slow no request and no health page. Without REDIS_URL there is no
worker or beat to watch, and the request counters stay in memory per process.
"""

from __future__ import annotations

import threading
import time

import redis
from django.conf import settings

PREFIX = "tt:monitoring:"
TIMEOUT = 0.5
BACKOFF_SECONDS = 15

_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}
_down_until = 0.0


def configured() -> bool:
    return bool(settings.REDIS_URL)


def key(*parts: str) -> str:
    return PREFIX + ":".join(parts)


def client(*, timeout: float = TIMEOUT) -> redis.Redis | None:
    """A Redis client with short timeouts, or None when Redis is not configured or failed a moment ago."""
    url = settings.REDIS_URL
    if not url or time.monotonic() < _down_until:
        return None
    cache_key = f"{url}|{timeout}"
    with _lock:
        found = _clients.get(cache_key)
        if found is None:
            found = redis.Redis.from_url(
                url, socket_connect_timeout=timeout, socket_timeout=timeout, health_check_interval=30
            )
            _clients[cache_key] = found
    return found


def mark_down() -> None:
    """Called after a Redis error: skip Redis for a while instead of waiting on it again at every request."""
    global _down_until
    _down_until = time.monotonic() + BACKOFF_SECONDS


def reset() -> None:
    """Forget the clients and the back-off (after the settings change, in tests)."""
    global _down_until
    with _lock:
        _clients.clear()
    _down_until = 0.0
