"""Celery tasks of the analytics app. They take ids, never raise (analytics must not fill a dead-letter queue)."""

import logging

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
