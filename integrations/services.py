"""Every write of the integrations app: configuring connectors, recording syncs, receiving webhook deliveries.

Writes are atomic and check accounts.policy for the acting person; integrations.signals are sent after commit,
with ids. Secrets never appear in a return value except the freshly generated ones the caller shows once.
"""

from __future__ import annotations

import logging
import secrets as secrets_module
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts import policy
from timetracker.errors import DomainError
from timetracker.errors import message as error_message

from . import crypto, signals
from .connectors.base import (
    ORGANISATION,
    PERSONAL,
    WebhookOutcome,
    connector_for,
    get_connector_class,
    not_configured,
)
from .fields import SealedSecrets
from .models import Integration, SyncStatus, WebhookDelivery

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


class UnknownProvider(DomainError, ValidationError):
    code = "unknown_provider"
    status = 404

    def __init__(self, provider: str):
        super().__init__(f"There is no connector called “{provider}”.", code=self.code)


def _on_commit(signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=Integration, **kwargs))


def owner_for_scope(actor, provider: str, scope: str | None):
    """The owner an integration of `provider` has in `scope` for `actor`: None (organisation) or the actor."""
    cls = get_connector_class(provider)
    if cls is None:
        raise UnknownProvider(provider)
    scope = scope or cls.scopes[0]
    if scope not in cls.scopes:
        raise ValidationError(
            f"{cls.name} can be set up as: {', '.join(cls.scopes)} (not {scope}).", code="invalid_scope"
        )
    return None if scope == ORGANISATION else actor


@transaction.atomic
def integration_configure(
    *,
    actor,
    provider: str,
    owner=None,
    is_active: bool | None = None,
    config: dict | None = None,
    secrets: dict | None = None,
) -> tuple[Integration, dict]:
    """Create or change the integration of `provider` for `owner` (None: organisation-wide).

    `config` replaces the keys it names; `secrets` sets the ones it names (a blank value of a generated secret
    generates a new one; of another secret, clears it) and keeps the others. Returns the integration and the
    secrets generated now, for the caller to show once.
    """
    cls = get_connector_class(provider)
    if cls is None:
        raise UnknownProvider(provider)
    scope = ORGANISATION if owner is None else PERSONAL
    if scope not in cls.scopes:
        raise ValidationError({"owner": f"{cls.name} can be set up as: {', '.join(cls.scopes)} (not {scope})."})
    integration = Integration.objects.select_for_update().filter(provider=provider, owner=owner).first() or Integration(
        provider=provider, owner=owner, secrets=SealedSecrets()
    )
    creating = integration.pk is None
    policy.require(actor, policy.CREATE if creating else policy.CHANGE, integration)
    was_active = integration.is_active
    merged_config = {**(integration.config or {}), **(config or {})}
    active = integration.is_active if is_active is None else bool(is_active)
    clean_config, given_secrets = cls.validate_config(merged_config, secrets or {}, is_active=active)

    current = integration.secrets
    unreadable = isinstance(current, SealedSecrets) and current.unreadable
    if unreadable and given_secrets:
        raise ValidationError(
            {
                "secrets": "The stored secrets cannot be decrypted with the configured keys; "
                "fix TT_ENCRYPTION_KEYS first."
            }
        )
    new_secrets = dict(current or {})
    generated = {}
    # Secrets no key can open are left exactly as stored (the right key may come back), and none is generated.
    for spec in () if unreadable else cls.secret_fields:
        if spec.name in given_secrets:
            value = given_secrets[spec.name].strip()
            if not value and spec.generate:
                value = secrets_module.token_urlsafe(32)
                generated[spec.name] = value
            new_secrets[spec.name] = value
        elif spec.generate and not new_secrets.get(spec.name) and active:
            value = secrets_module.token_urlsafe(32)
            generated[spec.name] = value
            new_secrets[spec.name] = value
    new_secrets = {k: v for k, v in new_secrets.items() if v}

    integration.config = clean_config
    integration.is_active = active
    if not unreadable:
        integration.secrets = SealedSecrets(new_secrets)
    try:
        with transaction.atomic():
            integration.save()
    except IntegrityError as exc:  # created at the same moment by another request
        raise ValidationError("This integration was just set up by someone else; reload and try again.") from exc
    if active and (creating or not was_active or given_secrets):
        _on_commit(
            signals.integration_connected,
            integration_id=integration.pk,
            provider=provider,
            user_id=integration.owner_id,
            actor_id=getattr(actor, "pk", None),
        )
    return integration, generated


def integration_record_sync(integration: Integration, result: dict) -> Integration:
    """Store a sync's outcome in the integration's status and announce it."""
    counts = {k: int(v) for k, v in (result.get("counts") or {}).items()}
    error = result.get("error", "") or ""
    sync_status = (SyncStatus.PARTIAL if error else SyncStatus.OK) if result.get("ok") else SyncStatus.FAILED
    Integration.objects.filter(pk=integration.pk).update(
        last_sync_at=timezone.now(),
        last_sync_status=sync_status,
        last_sync_counts=counts,
        last_error=error[:2000],
        updated_at=timezone.now(),
    )
    integration.refresh_from_db()
    if sync_status == SyncStatus.FAILED:
        _on_commit(
            signals.integration_failed,
            integration_id=integration.pk,
            provider=integration.provider,
            error_code=result.get("error_code", "sync_failed"),
        )
    else:
        _on_commit(
            signals.integration_synced, integration_id=integration.pk, provider=integration.provider, counts=counts
        )
    return integration


def integration_sync(*, integration_id: int, actor=None) -> dict:
    """Run a connector's sync now and record the outcome (the Celery task and the API both call this)."""
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None or get_connector_class(integration.provider) is None:
        return not_configured()
    if actor is not None:
        policy.require(actor, policy.CHANGE, integration)
    connector = connector_for(integration)
    if not connector.configured:
        return not_configured()
    result = connector.sync()
    integration_record_sync(integration, result)
    return result


def integration_test(*, actor, integration: Integration | None, provider: str) -> dict:
    if integration is None:
        return not_configured()
    policy.require(actor, policy.CHANGE, integration)
    result = connector_for(integration).test_connection()
    if not result.get("ok") and result.get("error") and integration.is_active:
        Integration.objects.filter(pk=integration.pk).update(last_error=result["error"][:2000])
    return result


# -- webhook deliveries ----------------------------------------------------------------------------------------------


def _candidates(provider: str, integration_id: str | None):
    qs = Integration.objects.filter(provider=provider, is_active=True).order_by("pk")
    if integration_id:
        try:
            return list(qs.filter(pk=int(integration_id)))
        except ValueError:
            return []
    return list(qs)


def webhook_receive(*, provider: str, request) -> WebhookOutcome:
    """Authenticate, deduplicate, record and handle one webhook delivery.

    The signature is checked against the raw body before anything parses it; an unauthenticated delivery leaves
    a `rejected` row (without its payload) and changes nothing else.
    """
    cls = get_connector_class(provider)
    if cls is None or not cls.accepts_webhooks:
        return WebhookOutcome(Status.REJECTED, "unknown provider", 404, {"error": "Unknown provider"})
    delivery_id, event = cls.webhook_delivery_info(request)
    delivery_id, event = delivery_id[:128], event[:64]

    integration = None
    for candidate in _candidates(provider, request.GET.get("integration")):
        if cls(candidate).webhook_verify(request):
            integration = candidate
            break
    if integration is None:
        WebhookDelivery.objects.create(
            provider=provider,
            delivery_id=delivery_id,
            event=event,
            status=Status.REJECTED,
            error="Signature missing or not valid for any active integration.",
        )
        logger.warning("Rejected %s webhook delivery %s: bad or missing signature", provider, delivery_id or "-")
        return WebhookOutcome(Status.REJECTED, "", 401, {"error": "Invalid or missing signature"})

    try:
        payload = cls.webhook_parse(request)
    except ValueError:
        WebhookDelivery.objects.create(
            provider=provider,
            integration=integration,
            delivery_id="",
            event=event,
            status=Status.FAILED,
            error="The body is not a JSON object.",
        )
        return WebhookOutcome(Status.FAILED, "", 400, {"error": "The body is not a JSON object"})

    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                provider=provider,
                integration=integration,
                delivery_id=delivery_id,
                event=event,
                action=str(payload.get("action") or "")[:64],
                payload=payload,
            )
    except IntegrityError:
        WebhookDelivery.objects.create(
            provider=provider,
            integration=integration,
            delivery_id=delivery_id,
            event=event,
            action=str(payload.get("action") or "")[:64],
            status=Status.DUPLICATE,
            detail="Already received; nothing changed.",
        )
        return WebhookOutcome(Status.DUPLICATE, "", 200, {"status": "duplicate"})
    return _handle(delivery, integration, event, payload)


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
    and keep delivery ids unique) and delete rejected and duplicate rows, which anyone on the internet can cause.
    Returns the number of payloads dropped."""
    days = settings.WEBHOOK_PAYLOAD_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    old = WebhookDelivery.objects.filter(received_at__lt=cutoff)
    old.filter(status__in=[Status.REJECTED, Status.DUPLICATE]).delete()
    return old.filter(payload__isnull=False).update(payload=None)


def integration_secrets_rotate() -> tuple[int, int]:
    """Re-encrypt every integration's secrets with the first key. Returns (rotated, unreadable)."""
    rotated = unreadable = 0
    # Work on the raw column: read the ciphertext without the field decrypting it.
    table = Integration._meta.db_table
    column = Integration._meta.get_field("secrets").column
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT id, "{column}" FROM "{table}"')  # noqa: S608 - names from model meta
        raw_rows = cursor.fetchall()
    for pk, token in raw_rows:
        if not token:
            continue
        try:
            new_token = crypto.rotate_token(token)
        except crypto.SecretsUnreadable:
            unreadable += 1
            continue
        with transaction.atomic():
            Integration.objects.filter(pk=pk).update(secrets=_RawToken(new_token))
        rotated += 1
    return rotated, unreadable


class _RawToken(SealedSecrets):
    """Passes an already-encrypted token through EncryptedJSONField.get_prep_value unchanged."""

    def __init__(self, token: str):
        super().__init__()
        self.unreadable = True
        self.token = token


def integration_sync_request(*, actor, integration: Integration | None) -> dict:
    """A person asked for a sync: run it as a Celery task (in-process without a broker, so the answer is final)."""
    if integration is None:
        return not_configured()
    policy.require(actor, policy.CHANGE, integration)
    if not connector_for(integration).configured:
        return not_configured()
    from .tasks import integration_sync_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return integration_sync(integration_id=integration.pk)
    integration_sync_task.delay(integration.pk)
    return {"ok": True, "queued": True, "message": "Sync started; its outcome will show in the status."}
