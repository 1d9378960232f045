"""Reads of the integrations app, scoped by accounts.policy."""

from __future__ import annotations

from datetime import date

from django.db.models import Sum

from accounts import policy

from .connectors.base import connector_classes
from .models import Integration, WebhookRejection


def integration_get(*, viewer, provider: str, owner) -> Integration | None:
    """The integration of `provider` for `owner` (None: organisation-wide), if `viewer` may see it."""
    integration = Integration.objects.filter(provider=provider, owner=owner).first()
    if integration is None or not policy.can(viewer, policy.VIEW, integration):
        return None
    return integration


def integration_cards(*, viewer) -> list[dict]:
    """One card per registered connector and scope the viewer may use, for the Integrations page."""
    visible = {(i.provider, i.owner_id): i for i in policy.visible(viewer, Integration.objects.all())}
    cards = []
    for cls in connector_classes():
        for scope in cls.scopes:
            owner_id = None if scope == "organisation" else viewer.pk
            integration = visible.get((cls.provider, owner_id))
            probe = integration or Integration(provider=cls.provider, owner_id=owner_id)
            may_change = policy.can(viewer, policy.CHANGE, probe)
            if integration is None and not may_change:
                continue
            cards.append({"cls": cls, "scope": scope, "integration": integration, "may_change": may_change})
    return cards


def secrets_summary(integration: Integration | None, cls) -> dict[str, bool]:
    """Whether each secret is set — the only thing any page or API says about secrets."""
    stored = integration.secrets if integration is not None else {}
    return {spec.name: bool(stored.get(spec.name)) for spec in cls.secret_fields}


def webhook_rejections(*, since: date) -> list[dict]:
    """Webhook requests refused since the UTC day `since` (inclusive), for the health page and metrics:
    [{"provider", "reason", "count"}] with reason "signature" (forged or unsigned) or "replay", largest first.
    Counted even when no row was kept for them (see WEBHOOK_REJECTION_SAMPLES_PER_DAY)."""
    rows = (
        WebhookRejection.objects.filter(day__gte=since)
        .values("provider", "reason")
        .annotate(count=Sum("count"))
        .order_by("-count", "provider", "reason")
    )
    return [{"provider": r["provider"], "reason": r["reason"], "count": r["count"]} for r in rows]
