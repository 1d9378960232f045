"""The outbox's beat job: send again what the broker refused."""

from celery import shared_task

from . import services


@shared_task(name="outbox.flush", ignore_result=True)
def outbox_flush_task() -> dict:
    return services.outbox_flush()
