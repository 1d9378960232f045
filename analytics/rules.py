"""Access rules for the activity log, registered with the access policy (accounts.policy) in AnalyticsConfig.ready().

Admins see all of it (the policy lets them); managers what concerns the people of the teams they manage; nobody
else sees the Activity page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts import policy
from accounts.models import Role, User

from .models import ActivityLog


def can_activity(user, action: str, obj: Any) -> bool:
    return action == policy.VIEW and user.role == Role.MANAGER


def visible_activity(user, queryset: QuerySet, action: str) -> QuerySet:
    if action != policy.VIEW or user.role != Role.MANAGER:
        return queryset.none()
    people = User.objects.filter(Q(pk=user.pk) | Q(pk__in=policy.team_scope_user_ids(user))).values("pk")
    return queryset.filter(Q(actor__in=people) | Q(owner__in=people))


def register() -> None:
    policy.register(ActivityLog, can=can_activity, visible=visible_activity)
