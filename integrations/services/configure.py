"""Framework services: setting a connector up, testing it, recording its failures, rotating the secrets' keys.

Writes are atomic and check accounts.policy for the acting person; integrations.signals are sent after commit,
with ids. Secrets never appear in a return value except the freshly generated ones the caller shows once.
"""

from __future__ import annotations

import logging
import secrets as secrets_module

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import policy
from timetracker import jsonsafe
from timetracker.errors import DomainError

from .. import crypto, signals
from ..connectors.base import ORGANISATION, PERSONAL, connector_for, get_connector_class, not_configured
from ..fields import SealedSecrets
from ..models import Integration

logger = logging.getLogger(__name__)


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


def _check_given_config(cls, config: dict, owner) -> None:
    """The settings a person gives: only the connector's own fields (never the sync state a connector keeps beside
    them), and in a personal integration only a project its owner may track time on — with one answer for a project
    that does not exist and one that is not open to them, so the message does not tell which ids exist."""
    try:  # the admin's and the web page's forms parse JSON too: no NUL, no absurd nesting, whatever the door
        jsonsafe.check(config)
    except jsonsafe.UnsafeInput as exc:
        raise ValidationError({"config": str(exc)}) from None
    unknown = set(config) - {spec.name for spec in cls.config_fields}
    if unknown:
        raise ValidationError({"config": f"Unknown settings: {', '.join(sorted(map(str, unknown)))}."})
    if owner is None:
        return
    for spec in cls.config_fields:
        value = config.get(spec.name)
        if spec.kind != "project" or value in ("", None) or isinstance(value, bool):
            continue
        try:
            project_id = int(value)
        except (TypeError, ValueError):
            continue  # the connector's own cleaning says "Choose a project."
        if not policy.trackable_projects(owner).filter(pk=project_id).exists():
            raise ValidationError({spec.name: "Choose one of the projects you can track time on."})


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
    _check_given_config(cls, config or {}, owner)
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


def integration_test(*, actor, integration: Integration | None, provider: str) -> dict:
    if integration is None:
        return not_configured()
    policy.require(actor, policy.CHANGE, integration)
    result = connector_for(integration).test_connection()
    if not result.get("ok") and result.get("error") and integration.is_active:
        Integration.objects.filter(pk=integration.pk).update(last_error=result["error"][:2000], **failure_streak())
    return result


def failure_streak() -> dict:
    """Update values that count one more failure in a row (and remember when the run of failures began)."""
    now = timezone.now()
    return {"failure_count": F("failure_count") + 1, "failing_since": Coalesce(F("failing_since"), now)}


def success_streak() -> dict:
    """Update values that end a run of failures."""
    return {"failure_count": 0, "failing_since": None}


def integration_probe(*, integration_id: int) -> dict:
    """A system action (the periodic connection check): test the connection, record a failure or a recovery.

    A failure is recorded like any background failure (`last_error`, the run of failures, `integration_failed`);
    a success ends the run of failures and clears `last_error` unless the last sync failed.
    """
    integration = Integration.objects.filter(pk=integration_id, is_active=True).first()
    if integration is None or get_connector_class(integration.provider) is None:
        return not_configured()
    result = connector_for(integration).test_connection()
    if result.get("ok"):
        if integration.failure_count:
            changes = success_streak()
            if integration.last_sync_status != "failed":
                changes["last_error"] = ""
            Integration.objects.filter(pk=integration.pk).update(**changes)
    else:
        integration_record_failure(
            integration=integration,
            what="connection check",
            error=str(result.get("error") or "no answer"),
            error_code="connection_check_failed",
        )
    return result


def integration_record_failure(*, integration: Integration | None, what: str, error: str, error_code: str) -> None:
    """Record a background failure (a notice that could not be posted, say) in the integration's status, where the
    Integrations page and the status API show `last_error`, and announce it with `integration_failed`."""
    if integration is None or integration.pk is None:
        return
    message = f"{timezone.now():%Y-%m-%d %H:%M} UTC: {what} failed: {error}"
    Integration.objects.filter(pk=integration.pk).update(
        last_error=message[:2000], updated_at=timezone.now(), **failure_streak()
    )
    logger.warning("%s: %s failed: %s", integration.provider, what, error)
    _on_commit(
        signals.integration_failed,
        integration_id=integration.pk,
        provider=integration.provider,
        error_code=error_code,
    )


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
