"""The cache degrades to "nothing cached" while Redis does not answer, instead of failing the request."""

import socket

import pytest
from django.conf import settings

from timetracker.cache import ResilientRedisCache


@pytest.fixture
def dead_redis_cache():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_connect_timeout": 1}})


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(dead_redis_cache):
    cache = dead_redis_cache
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)
    assert cache.add("k", 1) is True
    assert cache.incr("k", 3) == 3
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.get_or_set("k", 5) == 5


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (set REDIS_URL)")
def test_with_redis_up_it_is_djangos_redis_cache():
    cache = ResilientRedisCache(settings.REDIS_URL, {})
    cache.set("tt:test:resilient", 7, 30)
    assert cache.get("tt:test:resilient") == 7
    cache.delete("tt:test:resilient")
