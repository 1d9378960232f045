"""Scheduled delivery of saved reports ("subscriptions"): when each one is due, the ledger claim, the message, and
the channels that carry it.

Each subscription has one delivery per period: the ISO week ("2026-W49") or the month ("2026-12") of its most
recent delivery time (weekday or day, at HH:MM in the subscriber's time zone at the moment of delivery). A beat run
claims a `SubscriptionDelivery` row for that period before anything is sent; the row's unique constraint makes a
late, repeated or concurrent run deliver each period exactly once. A subscription made after this period's
delivery time starts with the next period.

A claim is a lease (CLAIM_LEASE, renewed by every attempt, longer than the task's retries with backoff): a claim
whose worker died before finishing is still `claimed` when its lease runs out, and the next beat run takes it again
(one conditional UPDATE, so one run wins). Sent and failed rows are final, never taken again. A claim interrupted
MAX_INTERRUPTED times is recorded as failed rather than tried for ever.

Channels: "email" is built in (Django's email backend, with a short timeout). Other channels are registered by the
apps that can carry them (`register_channel`: the Slack connector registers "slack"), so reports never imports
integrations.
"""

from __future__ import annotations

import calendar
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection, send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from tracking.utils import format_date

from .definition import period_label
from .models import (
    DeliveryStatus,
    SavedReport,
    Subscription,
    SubscriptionChannel,
    SubscriptionCheck,
    SubscriptionDelivery,
)

logger = logging.getLogger(__name__)

TOP_GROUPS = 5
ERROR_MAX = 500
CHECK_TASK = "reports.check_subscription"  # reports.tasks.check_subscription_task, enqueued by name
LATE_GRACE = timedelta(days=1)  # how late last period's delivery may still go out after the period turned
CLAIM_LEASE = timedelta(minutes=30)  # > the task's retries (1 + 2 + 4 minutes) and their sending deadlines
MAX_INTERRUPTED = 5


class DeliveryFailed(Exception):
    """A channel could not deliver: `permanent` failures (no such channel, bot not invited) are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class DeliveryChannel:
    """`check(subscriber, target)` returns "" or a clear reason the target cannot be used, without leaving the
    process (it runs in the request that subscribes); `send(subscription, subject, text, url)` delivers or raises
    DeliveryFailed. `verify(subscriber, target)`, when the channel has one, asks the provider whether the target can
    be used ("" or the reason): it makes an outbound call, so it runs in a task after the subscription is saved
    (`subscription_check`), never in a request."""

    check: Callable[..., str]
    send: Callable[..., None]
    verify: Callable[..., str] | None = None


_CHANNELS: dict[str, DeliveryChannel] = {}


def register_channel(name: str, channel: DeliveryChannel) -> None:
    _CHANNELS[name] = channel


def channel_get(name: str) -> DeliveryChannel | None:
    return _CHANNELS.get(name)


# -- email, built in --------------------------------------------------------------------------------------------------


def _email_address(subscription_or_user, target: str) -> str:
    return target or (subscription_or_user.email or "")


def _email_check(subscriber, target: str) -> str:
    if not target:
        return "" if subscriber.email else "Your account has no email address: add one to your profile first."
    try:
        validate_email(target)
    except ValidationError:
        return "target must be an email address (or null for your own)."
    return ""


def _email_send(subscription: Subscription, subject: str, text: str, url: str) -> None:
    address = _email_address(subscription.subscriber, subscription.target)
    if not address:
        raise DeliveryFailed("Your account has no email address.", permanent=True)
    try:
        connection = get_connection(timeout=settings.SUBSCRIPTION_EMAIL_TIMEOUT)
        send_mail(subject, text, None, [address], connection=connection)
    except Exception as exc:  # noqa: BLE001 - any mail failure is retried, then recorded
        raise DeliveryFailed(f"The email could not be sent ({exc.__class__.__name__}).") from exc


register_channel(SubscriptionChannel.EMAIL, DeliveryChannel(check=_email_check, send=_email_send))


# -- the target's check, in a task ------------------------------------------------------------------------------------


def subscription_check(subscription_id: int) -> str:
    """Ask the channel's provider whether a pending subscription's target can be used, and mark it `ok` or `failed`
    with the reason (shown on the saved report's Subscribe page and in the API). Returns the new status."""
    subscription = Subscription.objects.select_related("subscriber").filter(pk=subscription_id).first()
    if subscription is None or subscription.check_status != SubscriptionCheck.PENDING:
        return "already checked"
    channel = channel_get(subscription.channel)
    if channel is None:
        problem = f"{subscription.get_channel_display()} is not available on this installation."
    else:
        problem = channel.verify(subscription.subscriber, subscription.target) if channel.verify else ""
    status = SubscriptionCheck.FAILED if problem else SubscriptionCheck.OK
    Subscription.objects.filter(pk=subscription.pk, check_status=SubscriptionCheck.PENDING).update(
        check_status=status, check_error=problem[:ERROR_MAX]
    )
    return status


# -- schedule ---------------------------------------------------------------------------------------------------------


def _at(day: date, subscription: Subscription, zone) -> datetime:
    return datetime.combine(day, subscription.time, tzinfo=zone)


def _month_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def last_due(subscription: Subscription, now: datetime) -> tuple[str, datetime] | None:
    """This period's delivery time and period key when it has passed (in the subscriber's time zone now); else the
    previous period's when it passed less than LATE_GRACE ago (beat ran late across the turn of the week or
    month); else None."""
    zone = subscription.subscriber.tzinfo
    today = now.astimezone(zone).date()
    if subscription.frequency == "weekly":
        day = today - timedelta(days=today.weekday()) + timedelta(days=subscription.weekday or 0)
        due = _at(day, subscription, zone)
        if due > now:
            due = _at(day - timedelta(days=7), subscription, zone)
        year, week, _ = due.date().isocalendar()
        key = f"{year}-W{week:02d}"
    else:
        due = _at(_month_day(today.year, today.month, subscription.day or 1), subscription, zone)
        if due > now:
            previous = today.replace(day=1) - timedelta(days=1)
            due = _at(_month_day(previous.year, previous.month, subscription.day or 1), subscription, zone)
        key = f"{due.year}-{due.month:02d}"
    in_this_period = due.astimezone(zone).date() >= _period_start(subscription, today)
    if not in_this_period and now - due > LATE_GRACE:
        return None
    return key, due


def _period_start(subscription: Subscription, today: date) -> date:
    if subscription.frequency == "weekly":
        return today - timedelta(days=today.weekday())
    return today.replace(day=1)


def _lease_expired(now: datetime) -> Q:
    # Rows claimed before leases existed have none: their claim time stands in.
    return Q(lease_until__lt=now) | Q(lease_until__isnull=True, claimed_at__lt=now - CLAIM_LEASE)


def claim_due(*, now: datetime | None = None) -> list[SubscriptionDelivery]:
    """Claim this period's delivery of every due subscription (one INSERT each; a row already there — another run,
    another worker — is skipped, unless it is an unfinished claim whose lease ran out, which is taken again).
    Returns the claimed ledger rows, to be sent by their own tasks."""
    now = now or timezone.now()
    due = []
    subscribed = Subscription.objects.filter(active=True, subscriber__is_active=True).exclude(
        check_status=SubscriptionCheck.FAILED  # the subscriber must change it; until then nothing is sent
    )
    for subscription in subscribed.select_related("subscriber"):
        found = last_due(subscription, now)
        if found is not None and subscription.created_at <= found[1] <= now:
            due.append((subscription, found[0]))
    if not due:
        return []
    existing = {
        (row.subscription_id, row.period_key): row
        for row in SubscriptionDelivery.objects.filter(
            subscription__in=[s for s, _ in due], period_key__in={k for _, k in due}
        )
    }
    claimed = []
    for subscription, key in due:
        row = existing.get((subscription.pk, key))
        if row is None:
            try:
                with transaction.atomic():
                    claimed.append(
                        SubscriptionDelivery.objects.create(
                            subscription=subscription, period_key=key, lease_until=now + CLAIM_LEASE
                        )
                    )
            except IntegrityError:  # claimed meanwhile by a concurrent run
                continue
        elif row.status == DeliveryStatus.CLAIMED:
            retaken = _retake(row, now)
            if retaken is not None:
                claimed.append(retaken)
    return claimed


def _retake(row: SubscriptionDelivery, now: datetime) -> SubscriptionDelivery | None:
    """Take an unfinished claim again once its lease ran out (its worker died); None while it is held."""
    expired = SubscriptionDelivery.objects.filter(_lease_expired(now), pk=row.pk, status=DeliveryStatus.CLAIMED)
    if row.attempts >= MAX_INTERRUPTED:
        if expired.exists():
            delivery_fail(row, f"Sending was interrupted {row.attempts} times; this period is not sent.")
        return None
    if not expired.update(lease_until=now + CLAIM_LEASE):  # still held, or another run took it first
        return None
    row.refresh_from_db()
    logger.warning("Subscription delivery %s (%s) was interrupted: sending it again.", row.pk, row.period_key)
    return row


# -- the message ------------------------------------------------------------------------------------------------------


def _hours(seconds) -> str:
    return f"{(seconds or 0) / 3600:.1f}"


def report_url(report: SavedReport) -> str:
    return settings.SITE_URL + reverse("saved_report_detail", args=[report.pk])


def message(subscription: Subscription, *, now: datetime | None = None) -> tuple[str, str, str]:
    """(subject, text, url): the report's name, period, total hours and top groups, computed with the subscriber's
    visibility, and a link to the saved report."""
    from .selectors import saved_report_results

    report, viewer = subscription.report, subscription.subscriber
    results = saved_report_results(viewer=viewer, report=report, now=now)
    period = results["params"].period
    label = period_label(report.definition)
    dates = f"{format_date(period.start)} – {format_date(period.end)}"
    url = report_url(report)
    lines = [
        f"{report.name}",
        f"{label[:1].upper()}{label[1:]} ({dates}): {_hours(results['total']['seconds'])} h in total",
    ]
    for group in results["groups"][:TOP_GROUPS]:
        lines.append(f"• {group['label']}: {_hours(group['seconds'])} h")
    if not results["groups"]:
        lines.append("No time tracked in this period.")
    lines.append(f"Open the report: {url}")
    subject = " ".join(f"{report.name} — {label}".split())  # one line: a mail header
    return subject, "\n".join(lines), url


# -- sending ----------------------------------------------------------------------------------------------------------


def delivery_fail(delivery: SubscriptionDelivery, error: str) -> None:
    """Record a delivery that will not be retried, on the ledger row and on the subscription (shown to its owner)."""
    now = timezone.now()
    error = error[:ERROR_MAX]
    SubscriptionDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.FAILED, error=error, finished_at=now
    )
    Subscription.objects.filter(pk=delivery.subscription_id).update(last_error=error, last_error_at=now)


def deliver(delivery_id: int) -> str:
    """Send one claimed delivery. Returns "sent" or why nothing was sent; raises DeliveryFailed for the task to
    retry (a permanent failure is recorded at once)."""
    delivery = (
        SubscriptionDelivery.objects.select_related("subscription__report", "subscription__subscriber")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != DeliveryStatus.CLAIMED:
        return "already handled"
    subscription = delivery.subscription
    SubscriptionDelivery.objects.filter(pk=delivery.pk).update(
        attempts=F("attempts") + 1,
        lease_until=timezone.now() + CLAIM_LEASE,  # this attempt holds the claim
    )
    if not subscription.active or not subscription.subscriber.is_active:
        delivery_fail(delivery, "The subscription was paused before it was sent.")
        return "paused"
    if not policy.visible(subscription.subscriber, SavedReport.objects.filter(pk=subscription.report_id)).exists():
        delivery_fail(delivery, "You may no longer see this report.")
        return "not visible"
    channel = channel_get(subscription.channel)
    if channel is None:
        raise DeliveryFailed(f"{subscription.get_channel_display()} is not available on this installation.")
    subject, text, url = message(subscription)
    try:
        channel.send(subscription, subject, text, url)
    except DeliveryFailed as exc:
        if exc.permanent:
            delivery_fail(delivery, exc.message)
        raise
    now = timezone.now()
    SubscriptionDelivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.SENT, error="", finished_at=now)
    Subscription.objects.filter(pk=subscription.pk).exclude(last_error="").update(last_error="", last_error_at=None)
    # Delivered before its check ran (a broker outage kept the check waiting): the target evidently works.
    Subscription.objects.filter(pk=subscription.pk, check_status=SubscriptionCheck.PENDING).update(
        check_status=SubscriptionCheck.OK
    )
    return "sent"
