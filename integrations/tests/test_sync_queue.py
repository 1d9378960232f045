"""With a worker, a sync asked for by a person is queued by task name (services never import tasks)."""

from __future__ import annotations

import pytest
from celery import current_app

from integrations import services
from integrations.tasks import integration_sync_task


@pytest.fixture
def broker_queue(settings):
    """The default queue of the configured broker (in memory without REDIS_URL, Redis with it), emptied first."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    eager, current_app.conf.task_always_eager = current_app.conf.task_always_eager, False
    with current_app.connection_for_write() as connection:
        queue = connection.SimpleQueue(current_app.conf.task_default_queue)
        queue.clear()
        yield queue
        queue.clear()
        queue.close()
    current_app.conf.task_always_eager = eager


def test_a_sync_asked_for_with_a_worker_is_queued_as_the_sync_task(github, admin_user, broker_queue):
    result = services.integration_sync_request(actor=admin_user, integration=github)
    assert result == {"ok": True, "queued": True, "message": "Sync started; its outcome will show in the status."}
    message = broker_queue.get(timeout=5)
    message.ack()
    assert message.headers["task"] == integration_sync_task.name
    assert message.payload[0] == [github.pk]
