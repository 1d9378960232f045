"""analytics' part of a person's data (see accounts/gdpr.py): their analytics choice.

Export: whether they opted out of product analytics. Erasure: they are opted out in the erasure's transaction, so
nothing more about them leaves for PostHog (their activity-log lines hold ids only and stay, under the placeholder).
The audit lines of approvals and locked time also keep a decider's comment or an admin's reason; erasure blanks
those texts on the lines about the person (the line itself, its actor and its time stay).
"""

from __future__ import annotations

from accounts import gdpr

from .models import ActivityLog
from .services import identity

AUDIT_TEXTS = ("comment", "reason")


def export_analytics(user) -> dict:
    return {"opted_out": identity.is_opted_out(user.pk)}


def erase_analytics(user) -> None:
    identity.analytics_preference_set(user=user, opted_out=True)
    for line in ActivityLog.objects.filter(owner=user, verb__in=AUDITED_VERBS):
        if any(line.metadata.get(key) for key in AUDIT_TEXTS):
            line.metadata = {**line.metadata, **{key: "" for key in AUDIT_TEXTS if key in line.metadata}}
            line.save(update_fields=["metadata"])


AUDITED_VERBS = (
    "timesheet.submitted",
    "timesheet.approved",
    "timesheet.rejected",
    "timesheet.open",
    "time_entry.locked_corrected",
)


def register() -> None:
    gdpr.register("analytics", export=export_analytics, erase=erase_analytics)
