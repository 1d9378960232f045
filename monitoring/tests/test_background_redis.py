"""Workers, beat and the queue, against a real Celery worker on Redis (skipped without REDIS_URL, as CI sets it)."""

import time

import pytest
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from monitoring import checks, heartbeats, queues, store
from monitoring.tasks import beat_heartbeat
from timetracker.celery import app, ping
from timetracker.health import FAIL, OK, WARN

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (set REDIS_URL), as CI does"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def empty_queue():
    app.control.purge()
    yield
    app.control.purge()


def _worker():
    from celery.contrib.testing.worker import start_worker

    return start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10)


def test_a_running_worker_is_green_and_a_stopped_one_red_at_once(empty_queue):
    assert checks.check_workers().status == FAIL
    with _worker() as worker:
        assert ping.delay().get(timeout=20) == "pong"
        assert heartbeats.read()["workers"][worker.hostname] < heartbeats.WORKER_DEAD_AFTER  # its own heartbeat
        result = checks.check_workers()
        assert result.status == OK
        assert result.value.startswith("1 alive; last task finished ")
        assert "never" not in result.value
    assert worker.hostname not in heartbeats.read()["workers"]  # removed on a clean shutdown
    result = checks.check_workers()
    assert result.status == FAIL
    assert result.value.startswith("no worker alive")
    assert result.advice.startswith("Start a worker")


def test_a_killed_worker_turns_red_once_its_heartbeat_is_old(empty_queue):
    conn = store.client()
    conn.hset(heartbeats.WORKERS_KEY, "celery@gone", time.time() - heartbeats.WORKER_DEAD_AFTER + 5)
    assert checks.check_workers().status == OK
    conn.hset(heartbeats.WORKERS_KEY, "celery@gone", time.time() - heartbeats.WORKER_DEAD_AFTER - 1)
    assert checks.check_workers().status == FAIL


def test_waiting_tasks_are_counted_and_an_old_one_says_add_a_worker(empty_queue):
    assert queues.queue_stats()["celery"] == {"depth": 0, "oldest_age": None}
    ping.apply_async(headers={heartbeats.ENQUEUED_AT_HEADER: time.time() - 16 * 60})
    ping.delay()
    stats = queues.queue_stats()["celery"]
    assert stats["depth"] == 2
    assert stats["oldest_age"] > 15 * 60
    result = checks.check_queue()
    assert result.status == FAIL
    assert result.value.startswith("2 waiting")
    assert "add a worker" in result.advice
    with _worker():
        deadline = time.monotonic() + 20
        while queues.queue_stats()["celery"]["depth"] and time.monotonic() < deadline:
            time.sleep(0.2)
    assert checks.check_queue().status == OK


def test_a_fresh_task_waiting_a_minute_is_amber(empty_queue):
    ping.apply_async(headers={heartbeats.ENQUEUED_AT_HEADER: time.time() - 2 * 60})
    assert checks.check_queue().status == WARN


def test_beat_is_green_when_its_heartbeat_task_ran_then_amber_then_red(empty_queue):
    from django.apps import apps

    schedule_heartbeat = __import__(
        "monitoring.migrations.0001_beat_heartbeat_periodic_task", fromlist=["create"]
    ).create
    schedule_heartbeat(apps, None)  # what the migration does (this test's database was emptied after migrating)
    job = PeriodicTask.objects.get(name="monitoring: beat heartbeat")
    assert (job.task, job.interval.every, job.interval.period) == ("monitoring.beat_heartbeat", 60, "seconds")
    assert checks.check_beat().status == FAIL  # never ticked
    with _worker():
        beat_heartbeat.delay()
        deadline = time.monotonic() + 20
        while checks.check_beat().status != OK and time.monotonic() < deadline:
            time.sleep(0.2)
    assert checks.check_beat().status == OK
    conn = store.client()
    conn.set(heartbeats.BEAT_KEY, time.time() - checks.BEAT_LATE_SECONDS - 30)
    late = checks.check_beat()
    assert late.status == WARN
    assert "syncs" in late.advice
    conn.set(heartbeats.BEAT_KEY, time.time() - checks.BEAT_MISSING_SECONDS - 30)
    assert checks.check_beat().status == FAIL


def test_the_broker_check_reports_memory(empty_queue):
    result = checks.check_broker()
    assert result.status in (OK, WARN)
    assert result.value.startswith("reachable; ")
