"""The cache fails open: Redis down or unreachable answers like an empty cache, logs once, never raises."""

import logging

import pytest

from tests.brokers import free_port
from timetracker.cache import FailOpenRedisCache


@pytest.fixture
def dead_cache():
    url = f"redis://127.0.0.1:{free_port()}/0"
    options = {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_SECONDS": 60}
    return FailOpenRedisCache(url, {"OPTIONS": options})


def test_every_operation_answers_like_an_empty_cache(dead_cache, caplog):
    with caplog.at_level(logging.WARNING, logger="timetracker.cache"):
        assert dead_cache.get("k", "default") == "default"
        dead_cache.set("k", 1)
        assert dead_cache.add("k", 1) is False
        assert dead_cache.get_many(["a", "b"]) == {}
        assert dead_cache.set_many({"a": 1}) == ["a"]
        assert dead_cache.has_key("k") is False
        assert dead_cache.delete("k") is False
        dead_cache.delete_many(["a"])
        assert dead_cache.touch("k") is False
        with pytest.raises(ValueError):  # as for a missing key
            dead_cache.incr("counter")
    warnings = [r for r in caplog.records if r.name == "timetracker.cache"]
    assert len(warnings) == 1  # one warning, then Redis is left alone for RETRY_SECONDS
    assert "throttles and rate limits are not enforced" in warnings[0].getMessage()


def test_after_the_retry_period_redis_is_asked_again(dead_cache, caplog):
    dead_cache.retry_seconds = 0
    with caplog.at_level(logging.WARNING, logger="timetracker.cache"):
        dead_cache.get("k")
        dead_cache.get("k")
    assert len([r for r in caplog.records if r.name == "timetracker.cache"]) == 2
