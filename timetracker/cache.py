"""The cache backend: Django's Redis cache, failing open.

Nothing TimeTracker keeps in the cache is the only copy of anything: request throttles, sign-in rate limits, cached
feature-flag answers. So when Redis is down or slow, the cache behaves as an empty one that forgets what it is
told (a read answers the default, a write is dropped, `add` says it stored nothing), logs one warning per
CACHE_RETRY_SECONDS, and does not ask Redis again for that long. Throttles and rate limits therefore fail open,
and every page and API call keeps working. Connecting and each command wait at most CACHE_SOCKET_TIMEOUT seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("timetracker.cache")

UNAVAILABLE = (RedisError, OSError)


def _fail_open(fallback):
    """Run the Redis operation unless Redis is known to be down; on failure answer `fallback(*args, **kwargs)`."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as exc:
                self._mark_down(method.__name__, exc)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _get_default(key, default=None, version=None):
    return default


def _nothing_found(keys, version=None):
    return {}


def _nothing_stored(data, timeout=DEFAULT_TIMEOUT, version=None):
    return list(data)


def _missing(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self._lock = threading.Lock()
        self._down_until = 0.0

    def _down(self) -> bool:
        return time.monotonic() < self._down_until

    def _mark_down(self, operation: str, exc: Exception) -> None:
        with self._lock:
            if self._down():
                return
            self._down_until = time.monotonic() + self.retry_seconds
        logger.warning(
            "Cache unavailable (%s during %s): serving without the cache for %ss; throttles and rate limits are "
            "not enforced meanwhile.",
            exc.__class__.__name__,
            operation,
            self.retry_seconds,
        )

    add = _fail_open(_false)(RedisCache.add)
    get = _fail_open(_get_default)(RedisCache.get)
    set = _fail_open(_none)(RedisCache.set)
    touch = _fail_open(_false)(RedisCache.touch)
    delete = _fail_open(_false)(RedisCache.delete)
    get_many = _fail_open(_nothing_found)(RedisCache.get_many)
    has_key = _fail_open(_false)(RedisCache.has_key)
    incr = _fail_open(_missing)(RedisCache.incr)
    set_many = _fail_open(_nothing_stored)(RedisCache.set_many)
    delete_many = _fail_open(_none)(RedisCache.delete_many)
    clear = _fail_open(_false)(RedisCache.clear)
