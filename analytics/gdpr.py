"""analytics' part of a person's data (see accounts/gdpr.py): their analytics choice.

Export: whether they opted out of product analytics. Erasure: they are opted out in the erasure's transaction, so
nothing more about them leaves for PostHog (their activity-log lines hold ids only and stay, under the placeholder).
"""

from __future__ import annotations

from accounts import gdpr

from .services import identity


def export_analytics(user) -> dict:
    return {"opted_out": identity.is_opted_out(user.pk)}


def erase_analytics(user) -> None:
    identity.analytics_preference_set(user=user, opted_out=True)


def register() -> None:
    gdpr.register("analytics", export=export_analytics, erase=erase_analytics)
