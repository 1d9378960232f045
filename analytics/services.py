"""Writes and sends of the analytics app.

`track_event` is what the rest of the code calls: it adds context and hands the event to a Celery task, so no
request ever waits for PostHog. The task checks the user's opt-out and sends through the one client.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Role

from .client import analytics_configured, get_client
from .context import current_request, installation_context, request_context
from .events import AUTH_LOGIN, FEATURE_INTERACTION, Prop
from .models import ActivityLog, AnalyticsPreference, Installation, Verb
from .privacy import distinct_id_for

logger = logging.getLogger(__name__)

_id_secret: str | None = None


# --- Identity and preference -----------------------------------------------------------------------------------
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
    from .flags import forget_flags

    transaction.on_commit(lambda: forget_flags(user.pk))
    return preference


# --- Sending ----------------------------------------------------------------------------------------------------
def _user_id(user: Any) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    if getattr(user, "is_authenticated", False):
        return user.pk
    return None


def enqueue(task, *args) -> None:
    """Hand work to Celery without ever failing or waiting on the caller's path (a down broker loses the event)."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception as exc:
        logger.debug("analytics: could not enqueue %s: %s", task.name, exc.__class__.__name__)


def track_event(user, name: str, properties: dict | None = None, request=None) -> None:
    """Record that `user` (a User or a user id) did `name`. Adds context; sends in the background; never raises.

    Context: $current_url (path only), $browser, $os, $device_type from the request's User-Agent (the current
    request when none is given), and app_version, environment, deployment_method.
    """
    if not analytics_configured():
        return
    user_id = _user_id(user)
    if user_id is None:
        return
    try:
        request = request if request is not None else current_request()
        payload = {**installation_context(), **request_context(request), **(properties or {})}
    except Exception as exc:
        logger.debug("analytics: could not build the context of %s: %s", name, exc.__class__.__name__)
        return
    from .tasks import capture_event

    enqueue(capture_event, user_id, name, payload)


def track_installation_event(name: str, properties: dict | None = None) -> None:
    """An event that belongs to no person (a scheduled sync), sent in the background under the installation's id."""
    if not analytics_configured():
        return
    from .tasks import capture_anonymous_event

    enqueue(capture_anonymous_event, name, properties or {})


def track_feature_interaction(user, key: str, action: str, request=None) -> None:
    """`user` did `action` (e.g. "viewed", "clicked") with the feature behind flag `key`."""
    track_event(user, FEATURE_INTERACTION, {Prop.FEATURE_FLAG: key, Prop.ACTION: action}, request=request)


def track_login(user_id: int, method: str) -> None:
    """Identify the person (role, auth method, login times) and record auth.login."""
    if not analytics_configured():
        return
    from .tasks import identify_user

    enqueue(identify_user, user_id, method, timezone.now().isoformat())
    track_event(user_id, AUTH_LOGIN, {Prop.AUTH_METHOD: method})


def _for_transport(properties: dict) -> dict:
    properties = dict(properties)
    if Prop.OS in properties:
        properties[Prop.UA_OS] = properties.pop(Prop.OS)
    return properties


def send_user_event(user_id: int, name: str, properties: dict) -> bool:
    """Send one event now (called by the task). Returns whether it was handed to the SDK."""
    client = get_client()
    if client is None or is_opted_out(user_id):
        return False
    client.capture(name, distinct_id=distinct_id(user_id), properties=_for_transport(properties))
    return True


def send_anonymous_event(name: str, properties: dict) -> bool:
    """An event that belongs to no person (a scheduled sync): attributed to the installation, no person profile."""
    client = get_client()
    if client is None:
        return False
    installation = Installation.get()
    properties = {**installation_context(), **properties, Prop.PROCESS_PERSON_PROFILE: False}
    client.capture(name, distinct_id=f"installation-{installation.installation_id}", properties=properties)
    return True


def send_identify(user_id: int, method: str, logged_in_at: str) -> bool:
    """Person properties: $set role, is_admin, auth_method, last_login; $set_once first_login, signup_method."""
    client = get_client()
    if client is None or is_opted_out(user_id):
        return False
    user = get_user_model().objects.filter(pk=user_id).only("pk", "role").first()
    if user is None:
        return False
    ident = distinct_id(user_id)
    client.set(
        distinct_id=ident,
        properties={
            Prop.ROLE: user.role,
            Prop.IS_ADMIN: user.role == Role.ADMIN,
            Prop.AUTH_METHOD: method,
            Prop.LAST_LOGIN: logged_in_at,
        },
    )
    client.set_once(distinct_id=ident, properties={Prop.FIRST_LOGIN: logged_in_at, Prop.SIGNUP_METHOD: method})
    return True


# --- Activity log -------------------------------------------------------------------------------------------------
def activity_record(
    verb: str,
    *,
    actor_id: int | None,
    owner_id: int | None = None,
    object_type: str = "",
    object_id: Any = "",
    metadata: dict | None = None,
) -> ActivityLog | None:
    """Write one activity row. Ids and codes only in metadata; names are shown from the rows they point to."""
    metadata = {k: v for k, v in (metadata or {}).items() if v is not None}
    if verb not in Verb.values:
        logger.debug("analytics: no activity verb %s", verb)
        return None
    label = Verb(verb).label
    description = f"{label} #{object_id}" if object_id not in ("", None) else str(label)
    if actor_id and owner_id and actor_id != owner_id:
        description += " (of another user)"
    try:
        return ActivityLog.objects.create(
            verb=verb,
            actor_id=actor_id,
            owner_id=owner_id,
            object_type=object_type,
            object_id="" if object_id is None else str(object_id),
            description=description[:255],
            metadata=metadata,
        )
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
