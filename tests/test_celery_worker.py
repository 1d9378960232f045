"""A real task through a real Celery worker on Redis (when REDIS_URL is set), and in-process otherwise."""

import pytest
from django.conf import settings

from timetracker.celery import app, ping


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (set REDIS_URL), as CI does")
def test_a_worker_on_redis_runs_a_task():
    from celery.contrib.testing.worker import start_worker

    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis://")
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"
        assert result.successful()


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="embedded default only applies without REDIS_URL")
def test_without_redis_tasks_run_in_process():
    assert app.conf.task_always_eager is True
    assert ping.delay().get(timeout=1) == "pong"
