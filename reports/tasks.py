"""Scheduled delivery of saved reports: the beat job claims due periods, one task per claimed delivery sends it; a
new subscription's target is checked with its provider by its own task."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import subscriptions

MAX_RETRIES = 3
BACKOFF_SECONDS = 60  # 1, 2, 4 minutes


@shared_task(name="reports.deliver_subscriptions")
def deliver_subscriptions_task() -> int:
    """The beat job (every 5 minutes): claim every due period in the ledger and hand each to its own task. Running
    late, twice or on two workers still sends each period once."""
    claimed = subscriptions.claim_due(now=timezone.now())
    for delivery in claimed:
        deliver_subscription_task.delay(delivery.pk)
    return len(claimed)


@shared_task(bind=True, name="reports.deliver_subscription", max_retries=MAX_RETRIES)
def deliver_subscription_task(self, delivery_id: int) -> str:
    """Send one claimed delivery; a failure is retried with backoff, then recorded (ledger and subscription)."""
    try:
        return subscriptions.deliver(delivery_id)
    except subscriptions.DeliveryFailed as exc:
        if exc.permanent:
            return f"failed: {exc.message}"
        # Without a broker the task runs in-process, where Celery would retry at once: one attempt is all there.
        if self.request.retries < self.max_retries and not settings.CELERY_TASK_ALWAYS_EAGER:
            raise self.retry(exc=exc, countdown=BACKOFF_SECONDS * (2**self.request.retries)) from exc
        delivery = subscriptions.SubscriptionDelivery.objects.filter(pk=delivery_id).first()
        if delivery is not None:
            subscriptions.delivery_fail(delivery, exc.message)
        return f"failed: {exc.message}"


@shared_task(name=subscriptions.CHECK_TASK)
def check_subscription_task(subscription_id: int) -> str:
    """Check a new subscription's target with its provider (Slack: is the bot in the channel?) and mark it ok or
    failed with the reason. The provider's client has its own short deadline."""
    return subscriptions.subscription_check(subscription_id)
