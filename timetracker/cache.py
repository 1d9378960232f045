"""The cache backend: Django's Redis cache, degrading to "nothing cached" while Redis does not answer.

Rate limits, API throttling and feature-flag caching all go through the cache. With the stock backend a Redis
outage turns every page that touches it into a 500; with this one a read is a miss and a write is dropped (rate
limits fail open for as long), the error is logged, and Redis is left alone for `BACKOFF_SECONDS` so no request
waits on it again and again. Short socket timeouts are set in settings.CACHES' OPTIONS.
"""

from __future__ import annotations

import functools
import logging
import time

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

BACKOFF_SECONDS = 5


def _degrades(fallback):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except redis.RedisError as exc:
                self._down_until = time.monotonic() + BACKOFF_SECONDS
                logger.warning("cache: Redis does not answer (%s); caching nothing for %s s", exc, BACKOFF_SECONDS)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _none(*args, **kwargs):
    return None


def _false(*args, **kwargs):
    return False


def _true(*args, **kwargs):
    return True


def _default(key, default=None, *args, **kwargs):
    return default


def _delta(key, delta=1, *args, **kwargs):
    return delta


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    get = _degrades(_default)(RedisCache.get)
    set = _degrades(_none)(RedisCache.set)
    add = _degrades(_true)(RedisCache.add)
    touch = _degrades(_false)(RedisCache.touch)
    delete = _degrades(_false)(RedisCache.delete)
    has_key = _degrades(_false)(RedisCache.has_key)
    incr = _degrades(_delta)(RedisCache.incr)
    get_many = _degrades(lambda *a, **k: {})(RedisCache.get_many)
    set_many = _degrades(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _degrades(_none)(RedisCache.delete_many)
    clear = _degrades(_false)(RedisCache.clear)
