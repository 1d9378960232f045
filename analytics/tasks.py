"""Celery tasks of the analytics app. They take ids, never raise (analytics must not fill a dead-letter queue)."""

import logging
from datetime import datetime

from celery import shared_task

from . import services, telemetry

logger = logging.getLogger(__name__)


def _quietly(what: str, func, *args):
    try:
        return func(*args)
    except Exception as exc:
        logger.debug("analytics: %s failed: %s", what, exc.__class__.__name__)
        return None


@shared_task(name="analytics.capture_event", ignore_result=True)
def capture_event(user_id: int, name: str, properties: dict) -> None:
    _quietly(name, services.send_user_event, user_id, name, properties)


@shared_task(name="analytics.capture_anonymous_event", ignore_result=True)
def capture_anonymous_event(name: str, properties: dict) -> None:
    _quietly(name, services.send_anonymous_event, name, properties)


@shared_task(name="analytics.identify_user", ignore_result=True)
def identify_user(user_id: int, method: str, logged_in_at: str) -> None:
    _quietly("identify", services.send_identify, user_id, method, logged_in_at)


@shared_task(name="analytics.send_telemetry", ignore_result=True)
def send_telemetry() -> None:
    """Daily: the installation's health report, when telemetry is on; at most one a day however often it runs."""
    _quietly("telemetry", lambda: telemetry.send_telemetry(scheduled=True))


@shared_task(name="analytics.activity_cleanup")
def activity_cleanup() -> int:
    return services.activity_cleanup()


@shared_task(name="analytics.record_activity", ignore_result=True)
def record_activity(verb: str, actor_id, owner_id, object_type: str, object_id, metadata: dict, at: str) -> None:
    """Write an activity row after the fact (`at`: when it happened, ISO 8601), for receivers that keep the work
    out of the request that caused it (the timer's start and stop)."""
    services.activity_record(
        verb,
        actor_id=actor_id,
        owner_id=owner_id,
        object_type=object_type,
        object_id=object_id,
        metadata=metadata,
        created_at=datetime.fromisoformat(at),
    )
