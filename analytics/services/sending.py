"""Sending to PostHog: `track_event` and friends enqueue a Celery task by name; the task calls `send_*` here.

No request ever waits for PostHog: the caller's path only builds the context and enqueues. The task checks the
person's opt-out and sends through the one client.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role
from timetracker import outbox

from ..client import analytics_configured, get_client
from ..context import current_request, installation_context, request_context
from ..events import AUTH_LOGIN, FEATURE_INTERACTION, Prop
from ..models import Installation
from .identity import distinct_id, is_opted_out

logger = logging.getLogger(__name__)


def _user_id(user: Any) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    if getattr(user, "is_authenticated", False):
        return user.pk
    return None


def enqueue(task_name: str, *args) -> None:
    """Hand work to Celery without ever failing or waiting on the caller's path (a down broker: the outbox keeps
    the event and sends it later).

    Tasks are named, not imported: analytics.tasks imports these services, never the reverse.
    """
    outbox.enqueue(task_name, *args)


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
    enqueue("analytics.capture_event", user_id, name, payload)


def track_installation_event(name: str, properties: dict | None = None) -> None:
    """An event that belongs to no person (a scheduled sync), sent in the background under the installation's id."""
    if not analytics_configured():
        return
    enqueue("analytics.capture_anonymous_event", name, properties or {})


def track_feature_interaction(user, key: str, action: str, request=None) -> None:
    """`user` did `action` (e.g. "viewed", "clicked") with the feature behind flag `key`."""
    track_event(user, FEATURE_INTERACTION, {Prop.FEATURE_FLAG: key, Prop.ACTION: action}, request=request)


def track_login(user_id: int, method: str) -> None:
    """Identify the person (role, auth method, login times) and record auth.login."""
    if not analytics_configured():
        return
    enqueue("analytics.identify_user", user_id, method, timezone.now().isoformat())
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
