"""Heartbeats: each worker refreshes its own every few seconds; beat's is refreshed by a periodic task.

- Workers: a bootstep in every worker's consumer writes `{hostname: unix time}` into a Redis hash every
  `WORKER_INTERVAL` seconds and removes it on a clean shutdown. A worker that was killed stops refreshing and is
  counted dead once its heartbeat is older than `WORKER_DEAD_AFTER`.
- Last task: every finished task stamps the time (one Redis SET), so "last task finished" is known.
- Beat: `monitoring.beat_heartbeat` runs every minute from beat's schedule and stamps the time.
- Queue age: each published task carries `enqueued_at` in its headers, so the oldest waiting task has an age.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from celery import bootsteps, signals

from . import store

logger = logging.getLogger(__name__)

WORKER_INTERVAL = 10
WORKER_DEAD_AFTER = 45
WORKERS_KEY = store.key("workers")
LAST_TASK_KEY = store.key("last_task")
BEAT_KEY = store.key("beat")
ENQUEUED_AT_HEADER = "enqueued_at"


def _write(action) -> None:
    conn = store.client()
    if conn is None:
        return
    try:
        action(conn)
    except redis.RedisError as exc:
        logger.warning("monitoring: could not write a heartbeat: %s", exc)


def worker_beat(hostname: str) -> None:
    _write(lambda conn: conn.hset(WORKERS_KEY, hostname, time.time()))


def worker_gone(hostname: str) -> None:
    _write(lambda conn: conn.hdel(WORKERS_KEY, hostname))


def beat_tick() -> None:
    _write(lambda conn: conn.set(BEAT_KEY, time.time()))


def read() -> dict:
    """{"workers": {hostname: age in seconds}, "last_task_age": s | None, "beat_age": s | None}.

    Raises redis.RedisError when Redis does not answer (the caller reports it)."""
    conn = store.client()
    if conn is None:
        raise redis.ConnectionError("Redis is not reachable (or was not a moment ago).")
    now = time.time()
    pipe = conn.pipeline(transaction=False)
    pipe.hgetall(WORKERS_KEY)
    pipe.get(LAST_TASK_KEY)
    pipe.get(BEAT_KEY)
    workers, last_task, beat = pipe.execute()

    def age(raw) -> float | None:
        return None if raw is None else max(0.0, now - float(raw))

    return {
        "workers": {name.decode(): age(value) for name, value in workers.items()},
        "last_task_age": age(last_task),
        "beat_age": age(beat),
    }


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Consumer bootstep: a thread refreshing this worker's heartbeat while the consumer runs."""

    def __init__(self, parent, **kwargs):
        super().__init__(parent, **kwargs)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._hostname = ""

    def start(self, parent):
        self._hostname = parent.hostname
        self._stop.clear()
        worker_beat(self._hostname)

        def loop():
            while not self._stop.wait(WORKER_INTERVAL):
                worker_beat(self._hostname)

        self._thread = threading.Thread(target=loop, name="monitoring-heartbeat", daemon=True)
        self._thread.start()

    def stop(self, parent):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)  # so no refresh lands after the removal below
            self._thread = None
        if self._hostname:
            worker_gone(self._hostname)

    shutdown = stop


def _task_finished(**kwargs) -> None:
    _write(lambda conn: conn.set(LAST_TASK_KEY, time.time()))


def _stamp_enqueued_at(headers=None, **kwargs) -> None:
    if headers is not None:
        headers.setdefault(ENQUEUED_AT_HEADER, time.time())


def connect() -> None:
    from timetracker.celery import app

    app.steps["consumer"].add(WorkerHeartbeat)
    signals.task_postrun.connect(_task_finished, dispatch_uid="monitoring.task_finished", weak=False)
    signals.before_task_publish.connect(_stamp_enqueued_at, dispatch_uid="monitoring.enqueued_at", weak=False)
