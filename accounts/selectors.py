"""Reads of the accounts domain, scoped by the access policy."""

from django.db.models import QuerySet

from . import policy
from .models import ApiToken, User


def user_list(*, viewer) -> QuerySet:
    """The people `viewer` may see (themselves; managers their teams' members; admins everyone), by username."""
    return policy.visible(viewer, User.objects.filter(is_active=True)).prefetch_related("teams").order_by("username")


def api_token_list(*, viewer, owner) -> QuerySet:
    """The API tokens of `owner` that `viewer` may see, newest first (revoked ones included, marked)."""
    return policy.visible(viewer, ApiToken.objects.filter(owner=owner)).order_by("-created_at")
