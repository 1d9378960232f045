"""integrations' part of a person's data (see accounts/gdpr.py): their personal connectors and the grants behind them.

Export: each integration's shown fields (never its secrets). Erasure: the rows are deleted in the erasure's
transaction; a grant held at the provider (Google's OAuth token) is revoked after commit by the task
`integrations.grant_revoke`, with a short deadline. The task gets the secrets sealed (encrypted with the
installation's key), so they are never readable in the broker. A failed revocation is logged and announced as
`integration_failed` (error code `grant_revoke_failed`); the erasure stands either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from accounts import gdpr
from timetracker import outbox

from . import crypto, signals
from .connectors.base import Connector, get_connector_class
from .models import Integration

logger = logging.getLogger(__name__)

# Seconds the provider has to answer a revocation (connect and read), so an outage never holds a worker long.
REVOKE_TIMEOUT = 5.0
REVOKE_TASK = "integrations.grant_revoke"

_SHOWN_FIELDS = (
    "id",
    "provider",
    "name",
    "is_active",
    "config",
    "created_at",
    "updated_at",
    "last_synced_at",
    "last_sync_at",
    "last_sync_status",
)


def export_integrations(user) -> list[dict[str, Any]]:
    return [gdpr.metadata(i, _SHOWN_FIELDS) for i in Integration.objects.filter(owner=user)]


def erase_integrations(user) -> None:
    for integration in Integration.objects.filter(owner=user):
        cls = get_connector_class(integration.provider)
        secrets = dict(integration.secrets or {})
        if secrets and _holds_grants(cls):
            sealed = crypto.encrypt_json(secrets)
            args = (integration.pk, integration.provider, sealed)
            transaction.on_commit(lambda args=args: _enqueue_revoke(*args))
    Integration.objects.filter(owner=user).delete()


def _holds_grants(cls) -> bool:
    """Whether the connector revokes something at its provider (it overrides Connector.grant_revoke)."""
    return cls is not None and cls.grant_revoke.__func__ is not Connector.grant_revoke.__func__


def _enqueue_revoke(integration_id: int, provider: str, sealed: str) -> None:
    """Tasks are named, not imported (integrations.tasks imports this module). Never fails the erasure."""
    outbox.enqueue(REVOKE_TASK, integration_id, provider, sealed)  # a broker outage: sent later from the outbox


def grant_revoke(*, integration_id: int, provider: str, sealed: str) -> bool:
    """Revoke at the provider the grant of an erased integration. Returns whether the provider confirmed it."""
    cls = get_connector_class(provider)
    try:
        revoked = cls.grant_revoke(crypto.decrypt_json(sealed), timeout=REVOKE_TIMEOUT) if cls else None
    except Exception as exc:
        logger.warning(
            "Revoking the %s grant of integration %s failed: %s", provider, integration_id, type(exc).__name__
        )
        revoked = False
    if revoked is False:
        _record_failure(integration_id, provider)
    return bool(revoked)


def _record_failure(integration_id: int, provider: str) -> None:
    logger.warning("The %s grant of erased integration %s may still be alive at the provider", provider, integration_id)
    signals.integration_failed.send(
        sender=Integration, integration_id=integration_id, provider=provider, error_code="grant_revoke_failed"
    )


def register() -> None:
    gdpr.register("integrations", export=export_integrations, erase=erase_integrations)
