"""Reads of the activity log, scoped by the access policy.

Who sees the Activity page: administrators (everything) and managers (activity by or about the people
`accounts.policy.visible` lets them see — their teams). Everyone sees their own recent activity in the widget.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from accounts import policy
from tracking import periods

from .models import ActivityLog


def activity_page_allowed(viewer) -> bool:
    return policy.can(viewer, policy.VIEW, ActivityLog)


def activity_visible_users(viewer) -> QuerySet:
    return policy.visible(viewer, get_user_model().objects.all())


def activity_list(
    *, viewer, user_id: int | None = None, verb: str = "", date_from: date | None = None, date_to: date | None = None
) -> QuerySet:
    qs = policy.visible(viewer, ActivityLog.objects.select_related("actor", "owner"))
    if user_id:
        qs = qs.filter(Q(actor_id=user_id) | Q(owner_id=user_id))
    if verb:
        qs = qs.filter(verb=verb)
    tz = viewer.tzinfo
    if date_from:
        qs = qs.filter(created_at__gte=periods.day_bounds(date_from, tz)[0])
    if date_to:
        qs = qs.filter(created_at__lt=periods.day_bounds(date_to, tz)[1])
    return qs


def activity_recent_for(user, *, limit: int = 5) -> list[ActivityLog]:
    """The user's own latest activity (what they did, and what others did to their data)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(ActivityLog.objects.select_related("actor", "owner").filter(Q(actor=user) | Q(owner=user))[:limit])
