"""Celery tasks of the integrations app. They take ids and call services."""

from celery import shared_task

from . import gdpr, services
from .models import Integration


@shared_task(name="integrations.sync")
def integration_sync_task(integration_id: int) -> dict:
    return services.integration_sync(integration_id=integration_id)


@shared_task(name="integrations.sync_provider")
def integrations_sync_provider_task(provider: str) -> int:
    """The periodic job of one provider: sync each of its active integrations in its own task."""
    ids = list(Integration.objects.filter(provider=provider, is_active=True).values_list("pk", flat=True))
    for integration_id in ids:
        integration_sync_task.delay(integration_id)
    return len(ids)


@shared_task(name="integrations.probe", ignore_result=True)
def integration_probe_task(integration_id: int) -> dict:
    return services.integration_probe(integration_id=integration_id)


@shared_task(name="integrations.probe_connections", ignore_result=True)
def integrations_probe_connections_task() -> int:
    """The periodic connection check: test each active organisation-wide integration in its own task.

    Personal integrations are not probed (hundreds of people would mean hundreds of calls): their syncs report.
    """
    ids = list(Integration.objects.filter(is_active=True, owner__isnull=True).values_list("pk", flat=True))
    for integration_id in ids:
        integration_probe_task.delay(integration_id)
    return len(ids)


@shared_task(name="integrations.prune_webhook_payloads")
def webhook_deliveries_prune_task() -> int:
    return services.webhook_deliveries_prune()


@shared_task(name="integrations.grant_revoke", ignore_result=True)
def grant_revoke_task(integration_id: int, provider: str, sealed: str) -> bool:
    """After an erasure: revoke the person's grant at the provider (short deadline, never retried, never raises)."""
    return gdpr.grant_revoke(integration_id=integration_id, provider=provider, sealed=sealed)
