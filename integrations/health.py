"""The integrations' health check and metrics, registered with timetracker.health (shown by the monitoring app).

Reads only what the connectors and the periodic connection check (`integrations.probe_connections`) recorded: the
health page never calls a provider, so a silent provider cannot slow it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from timetracker import health
from timetracker.health import FAIL, OK, WARN, Result

from .models import Integration, SyncStatus, WebhookDelivery
from .selectors import webhook_rejections

logger = logging.getLogger(__name__)

DOCS = "admin/monitoring/health-checks.md#integrations"
WEBHOOK_WINDOW = timedelta(hours=24)


def _failing(queryset):
    return queryset.filter(Q(failure_count__gt=0) | Q(last_sync_status=SyncStatus.FAILED))


def _next_syncs() -> list[str]:
    from django_celery_beat.models import PeriodicTask

    lines = []
    now = timezone.now()
    for task in PeriodicTask.objects.filter(task="integrations.sync_provider", enabled=True).order_by("name")[:20]:
        try:
            remaining = task.schedule.remaining_estimate(task.last_run_at or now)
        except Exception:  # noqa: BLE001 - an odd schedule must not break the page
            logger.warning("integrations: cannot tell when %s runs next", task.name, exc_info=True)
            continue
        minutes = max(0, int(remaining.total_seconds() // 60))
        lines.append(f"{task.name.removeprefix('integrations: ')}: next in {minutes} min")
    return lines


def check_integrations() -> Result:
    active = Integration.objects.filter(is_active=True)
    failing = list(_failing(active).order_by("owner_id", "provider")[:20])
    counts = active.aggregate(total=Count("pk"), failing=Count("pk", filter=Q(pk__in=_failing(active).values("pk"))))
    failed_deliveries = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.FAILED, received_at__gte=timezone.now() - WEBHOOK_WINDOW
    ).count()
    details = []
    for integration in failing:
        whose = "personal" if integration.owner_id else "organisation"
        since = integration.failing_since or integration.last_sync_at or integration.updated_at
        details.append(
            f"{integration.provider} ({whose}): {integration.failure_count or 1} failures in a row since "
            f"{since:%Y-%m-%d %H:%M} UTC: {integration.last_error or 'sync failed'}"[:500]
        )
    details += _next_syncs()
    rejected = webhook_rejections(since=(timezone.now() - WEBHOOK_WINDOW).date())
    details += [
        f"{r['provider']}: {r['count']} webhook requests refused ({r['reason']}) since yesterday" for r in rejected
    ]
    value = f"{counts['total']} active, {counts['failing']} failing"
    if failed_deliveries:
        value += f"; {failed_deliveries} webhook deliveries failed in 24 h"
    if rejected:
        value += f"; {sum(r['count'] for r in rejected)} forged or replayed webhook requests refused"
    threshold = "no connection failing; no failed webhook delivery in 24 h"
    org_failing = [i for i in failing if i.owner_id is None]
    if org_failing:
        return Result(
            FAIL,
            value,
            threshold,
            "An organisation-wide integration fails: open Integrations, run Test, and renew the token if the "
            "provider revoked it.",
            DOCS,
            tuple(details),
        )
    if failing or failed_deliveries:
        return Result(
            WARN,
            value,
            threshold,
            "Some personal connections or webhook deliveries fail: the people concerned reconnect; replay failed "
            "deliveries from the admin.",
            DOCS,
            tuple(details),
        )
    return Result(OK, value, threshold, "", DOCS, tuple(details))


def _failing_by_provider() -> dict:
    rows = _failing(Integration.objects.filter(is_active=True)).values("provider").annotate(n=Count("pk")).order_by()
    return {(("provider", row["provider"]),): row["n"] for row in rows}


def _failed_deliveries() -> float:
    since = timezone.now() - WEBHOOK_WINDOW
    return WebhookDelivery.objects.filter(status=WebhookDelivery.Status.FAILED, received_at__gte=since).count()


def _rejected_webhooks() -> dict:
    since = (timezone.now() - WEBHOOK_WINDOW).date()
    return {(("provider", r["provider"]), ("reason", r["reason"])): r["count"] for r in webhook_rejections(since=since)}


def register() -> None:
    health.register("integrations", check_integrations, timeout=4, order=70)
    health.register_metric(
        "timetracker_integrations_failing", "Active integrations failing now, by provider.", _failing_by_provider
    )
    health.register_metric(
        "timetracker_webhook_deliveries_failed_24h",
        "Webhook deliveries that failed in the last 24 hours.",
        _failed_deliveries,
    )
    health.register_metric(
        "timetracker_webhook_requests_refused",
        "Webhook requests refused (forged, unsigned or replayed) since yesterday (UTC), by provider and reason.",
        _rejected_webhooks,
    )
