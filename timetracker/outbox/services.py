"""Handing work to Celery from a request, without ever failing or holding up that request.

`enqueue(task_name, *args, **kwargs)` sends the task by name. With a broker, a refusal (Redis down, a timeout)
never raises: the task is written to the outbox (OutboxTask) with a warning in the log, and `outbox_flush` — the
beat job `outbox.flush`, every minute, and `manage.py outbox_flush` — sends it again, with backoff, until the broker
takes it. Without a broker (the embedded default) tasks run in-process after the response is sent
(`deferred.after_response`), so a slow provider never delays the page that caused the work.

Arguments must be JSON: ids and short strings, as every task takes.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import current_app
from django.db import DatabaseError, transaction
from django.utils import timezone

from . import deferred
from .models import OutboxTask

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=10)


def _send(task_name: str, args, kwargs) -> None:
    # No result is waited for: asking Redis for one would retry for many seconds when it is down.
    current_app.signature(task_name, args=list(args), kwargs=dict(kwargs)).apply_async(retry=False, ignore_result=True)


def _run_in_process(task_name: str, args, kwargs) -> None:
    # The task called as a function, not through Celery's eager apply(): that traces the call (a task id, the
    # task_prerun/postrun signals, an EagerResult, a log line) for nothing here, at a cost near the task's own on
    # the timer. Retries are off without a broker (each task asks CELERY_TASK_ALWAYS_EAGER), and a task that asked
    # for one anyway raises its error, logged here like any other failure.
    try:
        current_app.tasks[task_name](*args, **kwargs)
    except Exception:
        logger.exception("Task %s failed in-process", task_name)


def enqueue(task_name: str, *args, **kwargs) -> bool:
    """Send `task_name` to the workers. Returns True when the broker took it (or it ran in-process); never raises."""
    if current_app.conf.task_always_eager:
        deferred.after_response(lambda: _run_in_process(task_name, args, kwargs))
        return True
    try:
        _send(task_name, args, kwargs)
        return True
    except Exception as exc:
        logger.warning(
            "Broker unavailable (%s): %s kept in the outbox to send later", exc.__class__.__name__, task_name
        )
        _record(task_name, args, kwargs, exc)
        return False


def _error(exc: Exception) -> str:
    return f"{exc.__class__.__name__}: {exc}"[:500]


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** min(attempts - 1, 10)), MAX_BACKOFF)


def _record(task_name: str, args, kwargs, exc: Exception) -> None:
    try:
        OutboxTask.objects.create(
            task_name=task_name,
            args=list(args),
            kwargs=dict(kwargs),
            last_error=_error(exc),
            next_attempt_at=timezone.now(),
        )
    except DatabaseError:  # the database is down too: nothing left to keep it in
        logger.exception("Task %s lost: neither the broker nor the database took it", task_name)


def outbox_flush(*, limit: int = 500, due_only: bool = True) -> dict:
    """Send what waits in the outbox, oldest first. Returns {"sent": n, "waiting": n}."""
    sent = 0
    with transaction.atomic():
        rows = OutboxTask.objects.select_for_update(skip_locked=True).order_by("pk")
        if due_only:
            rows = rows.filter(next_attempt_at__lte=timezone.now())
        for row in list(rows[:limit]):
            try:
                _send(row.task_name, row.args, row.kwargs)
            except Exception as exc:
                row.attempts += 1
                row.last_error = _error(exc)
                row.next_attempt_at = timezone.now() + _backoff(row.attempts)
                row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
                logger.warning("Broker still unavailable (%s): outbox flush stops", exc.__class__.__name__)
                break
            row.delete()
            sent += 1
    return {"sent": sent, "waiting": OutboxTask.objects.count()}
