"""Reads of the accounts domain, scoped by the access policy."""

from django.db.models import QuerySet

from . import policy
from .models import User


def user_list(*, viewer) -> QuerySet:
    """The people `viewer` may see (themselves; managers their teams' members; admins everyone), by username."""
    return policy.visible(viewer, User.objects.filter(is_active=True)).prefetch_related("teams").order_by("username")
