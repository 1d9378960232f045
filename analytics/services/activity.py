"""The local activity log: one row per thing a person did, ids and codes only; and its retention."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from ..models import ActivityLog, Verb

logger = logging.getLogger(__name__)


def activity_record(
    verb: str,
    *,
    actor_id: int | None,
    owner_id: int | None = None,
    object_type: str = "",
    object_id: Any = "",
    metadata: dict | None = None,
    strict: bool = False,
    created_at: datetime | None = None,
) -> ActivityLog | None:
    """Write one activity row. Ids and codes only in metadata; names are shown from the rows they point to.

    strict: the row is part of the caller's transaction (an audit trail: approvals, locks); a failure to write it
    propagates and rolls the change back instead of being logged and forgotten.
    """
    metadata = {k: v for k, v in (metadata or {}).items() if v is not None}
    if verb not in Verb.values:
        logger.debug("analytics: no activity verb %s", verb)
        return None
    label = Verb(verb).label
    description = f"{label} #{object_id}" if object_id not in ("", None) else str(label)
    if actor_id and owner_id and actor_id != owner_id:
        description += " (of another user)"
    row = {
        "verb": verb,
        "actor_id": actor_id,
        "owner_id": owner_id,
        "object_type": object_type,
        "object_id": "" if object_id is None else str(object_id),
        "description": description[:255],
        "metadata": metadata,
    }
    if created_at is not None:  # written later by a task: the time it happened, not the time it was written
        row["created_at"] = created_at
    if strict:
        return ActivityLog.objects.create(**row)
    try:
        return ActivityLog.objects.create(**row)
    except Exception:
        # The action itself has committed; losing its log line must not turn it into an error page.
        logger.warning("analytics: could not record activity %s", verb, exc_info=True)
        return None


def activity_cleanup(*, now: datetime | None = None) -> int:
    """Delete activity older than ACTIVITY_RETENTION_DAYS (0 keeps everything). Returns the number deleted."""
    days = settings.ACTIVITY_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = ActivityLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
