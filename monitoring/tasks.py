"""Monitoring's Celery tasks."""

from celery import shared_task

from . import heartbeats


@shared_task(name="monitoring.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Run every minute from beat's schedule: its stamp is how the health page knows beat is ticking."""
    heartbeats.beat_tick()
