"""Who a person is to PostHog, and what they agreed to.

`distinct_id` is the pseudonymous id a person's events and flags go out under; the preference is their opt-out.
The cached feature-flag answers depend on that choice, so their cache key lives here too (flags.py reads it).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

from ..models import AnalyticsPreference, Installation
from ..privacy import distinct_id_for

_id_secret: str | None = None


def flags_cache_key(user_id: int) -> str:
    """The cache key of `user_id`'s feature-flag answers."""
    return f"analytics:flags:{user_id}"


def forget_flags(user_id: int) -> None:
    """Drop the user's cached flags (after their opt-out changed)."""
    cache.delete(flags_cache_key(user_id))


def _secret() -> str:
    global _id_secret
    if _id_secret is None:
        _id_secret = Installation.get().id_secret
    return _id_secret


def distinct_id(user_id: int) -> str:
    """The pseudonymous id under which `user_id` appears in PostHog (events and flags alike)."""
    return distinct_id_for(user_id, _secret())


def is_opted_out(user_id: int) -> bool:
    return AnalyticsPreference.objects.filter(user_id=user_id, opted_out=True).exists()


def analytics_preference_get(*, user) -> AnalyticsPreference:
    return AnalyticsPreference.objects.filter(user=user).first() or AnalyticsPreference(user=user)


@transaction.atomic
def analytics_preference_set(*, user, opted_out: bool) -> AnalyticsPreference:
    """A person's own choice; nobody else sets it."""
    preference, _created = AnalyticsPreference.objects.update_or_create(user=user, defaults={"opted_out": opted_out})
    transaction.on_commit(lambda: forget_flags(user.pk))
    return preference
