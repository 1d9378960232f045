"""The task outbox: a broker that refuses a task never fails the caller; the task is kept and sent later."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest
from django.utils import timezone

from tests.brokers import broker, free_port
from timetracker import outbox
from timetracker.outbox.models import OutboxTask
from timetracker.outbox.services import outbox_flush

pytestmark = pytest.mark.django_db


@contextmanager
def memory_queue():
    with broker("memory://") as app, app.connection_for_write() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        queue.clear()
        try:
            yield queue
        finally:
            queue.clear()
            queue.close()


def test_a_refused_task_is_kept_with_a_warning_and_sent_when_the_broker_is_back(caplog):
    with broker(f"redis://127.0.0.1:{free_port()}/0"), caplog.at_level(logging.WARNING):
        assert outbox.enqueue("integrations.sync", 42) is False
    row = OutboxTask.objects.get()
    assert (row.task_name, row.args, row.attempts) == ("integrations.sync", [42], 1)
    assert "integrations.sync kept in the outbox" in caplog.text

    with memory_queue() as queue:
        assert outbox_flush() == {"sent": 1, "waiting": 0}
        message = queue.get(timeout=5)
        message.ack()
    assert message.headers["task"] == "integrations.sync"
    assert message.payload[0] == [42]
    assert not OutboxTask.objects.exists()


def test_a_flush_while_the_broker_is_still_down_backs_off_and_keeps_the_task():
    dead = f"redis://127.0.0.1:{free_port()}/0"
    with broker(dead):
        outbox.enqueue("outbox.flush")
        assert outbox_flush() == {"sent": 0, "waiting": 1}
    row = OutboxTask.objects.get()
    assert row.attempts == 2
    assert row.next_attempt_at > timezone.now()
    assert "OperationalError" in row.last_error
    with memory_queue():
        assert outbox_flush()["sent"] == 0  # not due yet
        assert outbox_flush(due_only=False) == {"sent": 1, "waiting": 0}


def test_an_accepted_task_is_not_kept():
    with memory_queue() as queue:
        assert outbox.enqueue("integrations.sync", 7) is True
        queue.get(timeout=5).ack()
    assert not OutboxTask.objects.exists()


def test_without_a_broker_the_task_runs_after_the_response(client, admin_user, settings):
    """The embedded default: in-process, but only once the response is out."""
    from timetracker.outbox import deferred

    ran = []
    deferred._on_request_started(None)
    outbox.after_response(lambda: ran.append("late"))
    assert ran == []
    deferred._on_request_finished(None)
    assert ran == ["late"]
    outbox.after_response(lambda: ran.append("now"))  # outside a request: at once
    assert ran == ["late", "now"]


def test_admins_see_what_waits_for_the_broker(client, admin_user):
    OutboxTask.objects.create(task_name="integrations.sync", args=[3], next_attempt_at=timezone.now())
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.get("/admin/outbox/outboxtask/")
    assert response.status_code == 200
    assert b"integrations.sync" in response.content


def test_without_a_broker_a_failing_task_is_logged_after_the_response_and_the_others_still_run(
    admin_user, settings, monkeypatch, caplog
):
    from celery import current_app

    from analytics.models import ActivityLog, Verb
    from timetracker.outbox import deferred

    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setitem(current_app.conf, "task_always_eager", True)
    at = timezone.now().isoformat()
    deferred._on_request_started(None)
    assert outbox.enqueue("analytics.record_activity", Verb.LOGIN, admin_user.pk, admin_user.pk, "", "", {}, "noon")
    assert outbox.enqueue("analytics.record_activity", Verb.LOGOUT, admin_user.pk, admin_user.pk, "", "", {}, at)
    assert not ActivityLog.objects.exists()  # nothing before the response has gone out
    with caplog.at_level(logging.ERROR):
        deferred._on_request_finished(None)  # raises nothing
    assert "Task analytics.record_activity failed in-process" in caplog.text
    assert "Invalid isoformat string: 'noon'" in caplog.text
    assert list(ActivityLog.objects.values_list("verb", flat=True)) == [Verb.LOGOUT]


@pytest.mark.django_db(transaction=True)
def test_work_after_the_response_reuses_the_requests_connection_without_checking_it_again(admin_user):
    """Django's request_finished receiver (close_old_connections) runs after the deferred work, not before it: it
    would mark the connection for a health check (a SELECT 1) that the work pays after every request."""
    from django.core.signals import request_finished, request_started
    from django.db import connection

    from accounts.models import User
    from timetracker.outbox import deferred

    request_started.send(sender=None)
    assert User.objects.filter(pk=admin_user.pk).exists()  # the request checked and used its connection
    used = connection.connection
    seen = []
    outbox.after_response(lambda: seen.append((connection.health_check_done, connection.connection is used)))
    outbox.after_response(lambda: seen.append(User.objects.filter(pk=admin_user.pk).exists()))
    assert seen == []
    request_finished.send(sender=None)
    assert seen == [(True, True), True]
    assert connection.health_check_done is False  # then marked for the next request's check, as before
    assert deferred._pending.get() is None
