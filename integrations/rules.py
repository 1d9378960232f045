"""Access rules for integrations, registered with the access policy (accounts.policy) in IntegrationsConfig.ready().

An organisation-wide connector (no owner) is managed by admins and its status is visible to everyone; a personal
connector belongs to its owner alone. Webhook deliveries (payloads from outside) have no rule: admins only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts import policy

from .models import Integration


def can_integration(user, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action == policy.VIEW or (action == policy.CREATE and policy.writes(user))
    if action == policy.VIEW:
        return obj.owner_id is None or obj.owner_id == user.pk
    return action in (policy.CREATE, policy.CHANGE, policy.DELETE) and policy.writes(user) and obj.owner_id == user.pk


def visible_integrations(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW:
        return queryset.none()
    return queryset.filter(Q(owner__isnull=True) | Q(owner=user))


def register() -> None:
    policy.register(Integration, can=can_integration, visible=visible_integrations)
