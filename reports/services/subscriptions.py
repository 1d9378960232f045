"""Subscriptions to saved reports (scheduled delivery): subscribe, unsubscribe."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts import policy
from timetracker import outbox

from ..exceptions import InvalidSubscription
from ..models import (
    SavedReport,
    Subscription,
    SubscriptionCheck,
    SubscriptionFrequency,
)

MAX_SUBSCRIPTIONS = 50


def subscription_create(
    *,
    actor,
    report_id: int,
    channel: str,
    target: str | None,
    frequency: str,
    weekday: int | None,
    day: int | None,
    time,
) -> Subscription:
    """Subscribe `actor` to a saved report they may see. The target is checked by its channel here, without
    leaving the process (an email address; a Slack channel id with Slack set up, or the actor's linked Slack
    account for null). A channel that must ask its provider (is the bot in that Slack channel?) does so in a task
    after commit: the subscription is saved `pending` and marked `ok` or `failed` with the reason. Made before this
    period's delivery time, it is delivered this period."""
    from .. import subscriptions

    report = policy.visible(actor, SavedReport.objects.filter(pk=report_id)).first()
    if report is None:
        raise InvalidSubscription(f"No saved report {report_id} that you may see.", field="saved_report")
    if frequency == SubscriptionFrequency.WEEKLY:
        if weekday is None:
            raise InvalidSubscription(
                "weekday (0 = Monday … 6 = Sunday) is required for a weekly one.", field="weekday"
            )
        if day is not None:
            raise InvalidSubscription("day is for monthly subscriptions; a weekly one has a weekday.", field="day")
    elif frequency == SubscriptionFrequency.MONTHLY:
        if day is None:
            raise InvalidSubscription("day (1-28) is required for a monthly one.", field="day")
        if weekday is not None:
            raise InvalidSubscription("weekday is for weekly subscriptions; a monthly one has a day.", field="weekday")
    else:
        raise InvalidSubscription("frequency must be weekly or monthly.", field="frequency")
    target = (target or "").strip()
    carrier = subscriptions.channel_get(channel)
    if carrier is None:
        raise InvalidSubscription(f"Delivery by {channel} is not available on this installation.", field="channel")
    problem = carrier.check(actor, target)
    if problem:
        raise InvalidSubscription(problem, field="target")
    if Subscription.objects.filter(subscriber=actor).count() >= MAX_SUBSCRIPTIONS:
        raise InvalidSubscription(f"At most {MAX_SUBSCRIPTIONS} subscriptions each: delete one first.")
    subscription = Subscription.objects.create(
        report=report,
        subscriber=actor,
        channel=channel,
        target=target,
        frequency=frequency,
        weekday=weekday,
        day=day,
        time=time,
        check_status=SubscriptionCheck.PENDING if carrier.verify else SubscriptionCheck.OK,
    )
    if carrier.verify:
        transaction.on_commit(lambda: outbox.enqueue(subscriptions.CHECK_TASK, subscription.pk))
    return subscription


def subscription_delete(*, actor, subscription: Subscription) -> None:
    if subscription.subscriber_id != actor.pk and not policy.is_admin(actor):
        raise PermissionDenied("Only its subscriber or an admin may delete a subscription.")
    subscription.delete()
