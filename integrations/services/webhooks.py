"""Receiving webhook deliveries: authenticate, record, de-duplicate and handle them; replay and prune the log.

Every provider's requests come through `webhook_receive` — GitHub's single webhook endpoint as well as Slack's
slash-command and Events API URLs — so each one is verified by its connector before anything parses it and leaves
a `WebhookDelivery` row.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import policy
from timetracker import jsonsafe
from timetracker.errors import message as error_message

from .. import signals
from ..connectors.base import WebhookOutcome, connector_for, get_connector_class
from ..models import Integration, WebhookDelivery, WebhookRejection
from .configure import _on_commit

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


def _candidates(provider: str, integration_id: str | None):
    qs = Integration.objects.filter(provider=provider, is_active=True).order_by("pk")
    if integration_id:
        try:
            return list(qs.filter(pk=int(integration_id)))
        except ValueError:
            return []
    return list(qs)


def webhook_receive(*, provider: str, request, own_url: bool = False) -> WebhookOutcome:
    """Authenticate, deduplicate, record and handle one webhook delivery.

    The signature is checked against the raw body before anything parses it; an unauthenticated delivery (401) or
    a replay of signed content accepted before under another delivery id (409) changes nothing: it is counted per
    provider, reason and day (`WebhookRejection`) and, up to WEBHOOK_REJECTION_SAMPLES_PER_DAY a day, kept as a
    `rejected` row without its payload. `own_url`: the request came to one of the connector's `webhook_urls`
    (Slack's commands and events), not to the generic webhook endpoint.
    """
    cls = get_connector_class(provider)
    if cls is None or not (cls.webhook_urls if own_url else cls.accepts_webhooks):
        return WebhookOutcome(Status.REJECTED, "unknown provider", 404, {"error": "Unknown provider"})
    delivery_id, event = cls.webhook_delivery_info(request)
    delivery_id, event = delivery_id[:128], event[:64]

    integration = None
    for candidate in _candidates(provider, request.GET.get("integration")):
        if cls(candidate).webhook_verify(request):
            integration = candidate
            break
    if integration is None:
        _reject(
            provider,
            WebhookRejection.Reason.SIGNATURE,
            delivery_id=delivery_id,
            event=event,
            error="Signature missing or not valid for any active integration.",
        )
        return WebhookOutcome(Status.REJECTED, "", 401, {"error": "Invalid or missing signature"})
    signed_digest = hashlib.sha256(cls.webhook_signed_content(request)).hexdigest()

    try:
        payload = cls.webhook_parse(request)
    except ValueError as exc:
        error = str(exc) if isinstance(exc, jsonsafe.UnsafeInput) else "The body is not a JSON object."
        WebhookDelivery.objects.create(
            provider=provider,
            integration=integration,
            delivery_id="",
            event=event,
            status=Status.FAILED,
            error=error,
        )
        return WebhookOutcome(Status.FAILED, "", 400, {"error": error.rstrip(".")})
    delivery_id, event = cls.webhook_identify(request, payload, delivery_id, event)
    delivery_id, event = delivery_id[:128], event[:64]

    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                provider=provider,
                integration=integration,
                delivery_id=delivery_id,
                event=event,
                action=str(payload.get("action") or "")[:64],
                payload=payload,
                signed_digest=signed_digest,
            )
    except IntegrityError:
        accepted = WebhookDelivery.objects.filter(provider=provider, status__in=WebhookDelivery.ACCEPTED)
        if not delivery_id or not accepted.filter(delivery_id=delivery_id).exists():
            # The signed content was accepted before under another (or no) delivery id: a replay, not a retry.
            _reject(
                provider,
                WebhookRejection.Reason.REPLAY,
                delivery_id=delivery_id,
                event=event,
                error="Replay of a request already accepted (same signature); not run again.",
            )
            return WebhookOutcome(
                Status.REJECTED, "", 409, {"error": "This signed request was already received; it is not run again"}
            )
        WebhookDelivery.objects.create(
            provider=provider,
            integration=integration,
            delivery_id=delivery_id,
            event=event,
            action=str(payload.get("action") or "")[:64],
            status=Status.DUPLICATE,
            detail="Already received; nothing changed.",
        )
        return cls.webhook_duplicate(request)
    return _handle(delivery, integration, event, payload)


def _reject(provider: str, reason: str, *, delivery_id: str, event: str, error: str) -> None:
    """Count a refused request (per provider, reason and UTC day) and keep it as a row and a log line only while
    that day's count is within WEBHOOK_REJECTION_SAMPLES_PER_DAY: forgeries cost a counter update, not a row each."""
    key = {"provider": provider, "reason": reason, "day": timezone.now().date()}
    counters = WebhookRejection.objects.filter(**key)
    with transaction.atomic():
        if not counters.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    WebhookRejection.objects.create(**key, count=1)
            except IntegrityError:  # created meanwhile by a concurrent rejection
                counters.update(count=F("count") + 1)
        count = counters.values_list("count", flat=True).first() or 1
    samples = settings.WEBHOOK_REJECTION_SAMPLES_PER_DAY
    if count > samples:
        return
    if count == samples:
        error += f" Later {reason} rejections today are only counted."
    WebhookDelivery.objects.create(
        provider=provider, delivery_id=delivery_id, event=event, status=Status.REJECTED, error=error
    )
    logger.warning("Rejected %s webhook delivery %s (%s): %s", provider, delivery_id or "-", reason, error)


def _handle(delivery: WebhookDelivery, integration: Integration, event: str, payload: dict) -> WebhookOutcome:
    connector = connector_for(integration)
    try:
        with transaction.atomic():
            outcome = connector.handle_webhook(event, payload, delivery)
    except ValidationError as exc:
        outcome = WebhookOutcome(Status.FAILED, "", 422, {"status": "failed", "error": error_message(exc)})
        outcome.detail = outcome.body["error"]
    except Exception as exc:  # a bug or an outage must leave a replayable row, not a half-written task
        logger.exception("Handling %s delivery %s failed", integration.provider, delivery.delivery_id)
        outcome = WebhookOutcome(
            Status.FAILED, "", 500, {"status": "failed", "error": f"{type(exc).__name__} while handling the delivery"}
        )
        outcome.detail = outcome.body["error"]
    delivery.status = outcome.status
    if outcome.status == Status.FAILED:
        delivery.error = outcome.detail[:2000]
        delivery.detail = ""
        _on_commit(
            signals.integration_failed,
            integration_id=integration.pk,
            provider=integration.provider,
            error_code="webhook_failed",
        )
    else:
        delivery.error = ""
        delivery.detail = outcome.detail[:2000]
    delivery.save(update_fields=["status", "detail", "error", "attempts"])
    if outcome.body is not None and not outcome.exact:
        outcome.body.setdefault("status", outcome.status)
    return outcome


def webhook_delivery_replay(*, actor, delivery: WebhookDelivery) -> WebhookOutcome:
    """Handle a failed delivery again from its stored payload (admins only)."""
    if not policy.can(actor, policy.CHANGE, delivery):
        raise policy.PolicyDenied("Only administrators may replay webhook deliveries.")
    if delivery.status != Status.FAILED:
        raise ValidationError("Only failed deliveries can be replayed.", code="not_failed")
    if delivery.payload is None or delivery.integration is None:
        raise ValidationError(
            "This delivery's payload or integration is gone; it cannot be replayed.", code="no_payload"
        )
    delivery.attempts += 1
    return _handle(delivery, delivery.integration, delivery.event, delivery.payload)


def webhook_deliveries_prune(*, now=None) -> int:
    """Past WEBHOOK_PAYLOAD_RETENTION_DAYS: drop the payloads of accepted deliveries (their rows stay as the log
    and keep delivery ids and signed digests unique, so an old request cannot be replayed) and delete rejected and
    duplicate rows and the daily rejection counters, which anyone on the internet can cause.
    Returns the number of payloads dropped."""
    days = settings.WEBHOOK_PAYLOAD_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = WebhookDelivery.objects.filter(received_at__lt=cutoff)
    old.filter(status__in=[Status.REJECTED, Status.DUPLICATE]).delete()
    WebhookRejection.objects.filter(day__lt=cutoff.date()).delete()
    return old.filter(payload__isnull=False).update(payload=None)
