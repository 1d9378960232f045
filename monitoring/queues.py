"""The broker's queues, read directly from Redis: how many tasks wait in each queue, and since when.

Kombu's Redis transport keeps a queue as a list (LPUSH to publish, BRPOP to consume: the oldest message is at the
right end), with one extra list per priority step (`<queue>\\x06\\x16<priority>`).
"""

from __future__ import annotations

import json
import time

from . import store
from .heartbeats import ENQUEUED_AT_HEADER

PRIORITY_SEPARATOR = "\x06\x16"
PRIORITY_STEPS = (0, 3, 6, 9)


def queue_names() -> list[str]:
    from timetracker.celery import app

    names = {app.conf.task_default_queue or "celery"}
    for queue in app.conf.task_queues or ():
        names.add(getattr(queue, "name", str(queue)))
    return sorted(names)


def _keys(name: str) -> list[str]:
    return [name if step == 0 else f"{name}{PRIORITY_SEPARATOR}{step}" for step in PRIORITY_STEPS]


def queue_stats() -> dict[str, dict]:
    """{queue: {"depth": n, "oldest_age": seconds | None}}. Raises redis.RedisError when Redis does not answer."""
    conn = store.client()
    if conn is None:
        import redis

        raise redis.ConnectionError("Redis is not reachable (or was not a moment ago).")
    names = queue_names()
    pipe = conn.pipeline(transaction=False)
    for name in names:
        for k in _keys(name):
            pipe.llen(k)
            pipe.lindex(k, -1)
    answers = pipe.execute()
    now = time.time()
    stats = {}
    position = 0
    for name in names:
        depth, oldest = 0, None
        for _k in _keys(name):
            length, last = answers[position], answers[position + 1]
            position += 2
            depth += int(length or 0)
            enqueued = _enqueued_at(last)
            if enqueued is not None:
                age = max(0.0, now - enqueued)
                oldest = age if oldest is None else max(oldest, age)
        stats[name] = {"depth": depth, "oldest_age": oldest}
    return stats


def _enqueued_at(raw: bytes | None) -> float | None:
    if not raw:
        return None
    try:
        value = json.loads(raw).get("headers", {}).get(ENQUEUED_AT_HEADER)
        return float(value) if value is not None else None
    except (ValueError, TypeError, AttributeError):
        return None
