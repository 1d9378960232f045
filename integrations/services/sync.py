"""Framework services for syncing: run a connector's sync, record its outcome, or queue it as a task.

Tasks import this module, never the reverse: a sync asked for by a person is queued by its task name.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from accounts import policy
from timetracker import outbox

from .. import signals
from ..connectors.base import connector_for, get_connector_class, not_configured
from ..models import Integration, SyncStatus
from .configure import _on_commit, failure_streak, success_streak

SYNC_TASK = "integrations.sync"  # integrations.tasks.integration_sync_task


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
        **(failure_streak() if sync_status == SyncStatus.FAILED else success_streak()),
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


def integration_sync_request(*, actor, integration: Integration | None) -> dict:
    """A person asked for a sync: run it as a Celery task (in-process without a broker, so the answer is final)."""
    if integration is None:
        return not_configured()
    policy.require(actor, policy.CHANGE, integration)
    if not connector_for(integration).configured:
        return not_configured()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return integration_sync(integration_id=integration.pk)
    outbox.enqueue(SYNC_TASK, integration.pk)
    return {"ok": True, "queued": True, "message": "Sync started; its outcome will show in the status."}
