"""Feature flags from PostHog.

`flag_enabled`, `flag_payload` and `all_flags` ask PostHog once per request under the user's pseudonymous id; the
answer is cached on the request, and for POSTHOG_FLAGS_CACHE_SECONDS in the cache. PostHog off, the user opted out,
or PostHog unreachable → the defaults, fast: after a failed request flags are not asked for again for
POSTHOG_FLAGS_BACKOFF_SECONDS. With POSTHOG_SECRET_KEY the SDK evaluates flags locally from their definitions, and
only then are opted-out users evaluated too (nothing about them leaves the server).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404

from accounts.models import Role

from .client import analytics_configured, get_client
from .context import current_request
from .services.identity import distinct_id, flags_cache_key, is_opted_out

logger = logging.getLogger(__name__)


class FeatureFlags:
    """Every flag key the code knows, in one place. Add a key here, then create the flag in PostHog."""

    # A widget on the Activity page (and the dashboard, where the web UI includes it): your recent activity.
    # Payload (optional): {"limit": <number of items>}.
    ACTIVITY_WIDGET = "activity-widget"

    DEFAULTS: dict[str, Any] = {ACTIVITY_WIDGET: False}


_EMPTY: tuple[dict, dict] = ({}, {})
_backoff_lock = threading.Lock()
_unavailable_until = 0.0
_CACHE_ATTR = "_analytics_feature_flags"


def _mark_unavailable() -> None:
    global _unavailable_until
    with _backoff_lock:
        _unavailable_until = time.monotonic() + settings.POSTHOG_FLAGS_BACKOFF_SECONDS


def reset_backoff() -> None:
    global _unavailable_until
    with _backoff_lock:
        _unavailable_until = 0.0


def _person_properties(user) -> dict:
    return {"role": user.role, "is_admin": user.role == Role.ADMIN}


def _fetch(user) -> tuple[dict, dict]:
    """(values, payloads) for `user` from PostHog, or empty dicts."""
    client = get_client()
    if client is None:
        return _EMPTY
    opted_out = is_opted_out(user.pk)
    local_only = bool(settings.POSTHOG_SECRET_KEY)
    if opted_out and not local_only:
        return _EMPTY
    if not local_only and time.monotonic() < _unavailable_until:
        return _EMPTY
    ident = distinct_id(user.pk)
    try:
        if local_only:
            answer = client.get_all_flags_and_payloads(
                ident, person_properties=_person_properties(user), only_evaluate_locally=opted_out
            )
            return _remember(user, (answer.get("featureFlags") or {}, answer.get("featureFlagPayloads") or {}))
        from posthog.types import to_flags_and_payloads

        decision = client.get_flags_decision(ident, person_properties=_person_properties(user))
    except Exception as exc:
        logger.debug("analytics: feature flags unavailable: %s", exc.__class__.__name__)
        _mark_unavailable()
        return _EMPTY
    # The SDK answers a failed request with an empty decision that has no request id; PostHog always sends one.
    if not decision.get("requestId") and not decision.get("flags"):
        _mark_unavailable()
        return _EMPTY
    answer = to_flags_and_payloads(decision)
    return _remember(user, (answer.get("featureFlags") or {}, answer.get("featureFlagPayloads") or {}))


def _remember(user, result: tuple[dict, dict]) -> tuple[dict, dict]:
    """Keep a real answer for POSTHOG_FLAGS_CACHE_SECONDS, so pages do not each wait for PostHog."""
    if settings.POSTHOG_FLAGS_CACHE_SECONDS > 0:
        cache.set(flags_cache_key(user.pk), result, settings.POSTHOG_FLAGS_CACHE_SECONDS)
    return result


def _evaluate(user, request=None) -> tuple[dict, dict]:
    if user is None or not getattr(user, "is_authenticated", False):
        return _EMPTY
    if not analytics_configured():  # analytics off: nothing to ask, not even the cache
        return _EMPTY
    request = request if request is not None else current_request()
    per_request = getattr(request, _CACHE_ATTR, None) if request is not None else None
    if per_request is not None and user.pk in per_request:
        return per_request[user.pk]
    result = cache.get(flags_cache_key(user.pk)) if settings.POSTHOG_FLAGS_CACHE_SECONDS > 0 else None
    if result is None:
        result = _fetch(user)
    if request is not None:
        if per_request is None:
            per_request = {}
            setattr(request, _CACHE_ATTR, per_request)
        per_request[user.pk] = result
    return result


def all_flags(user, request=None) -> dict[str, Any]:
    """Every flag's value for `user` (True/False or a variant name), defaults filled in for known keys."""
    values, _payloads = _evaluate(user, request)
    return {**FeatureFlags.DEFAULTS, **values}


def flag_enabled(user, key: str, default: bool = False, request=None) -> bool:
    values, _payloads = _evaluate(user, request)
    if key not in values:
        return default
    return bool(values[key])


def flag_payload(user, key: str, default: Any = None, request=None) -> Any:
    """The flag's payload (remote configuration), decoded from JSON; `default` when none or the flag is off."""
    values, payloads = _evaluate(user, request)
    if not values.get(key) or payloads.get(key) is None:
        return default
    payload = payloads[key]
    if isinstance(payload, str):
        try:
            return json.loads(payload)
        except ValueError:
            return payload
    return payload


def feature_flag_required(key: str):
    """View decorator: 404 unless the flag is on for the requesting user (the feature does not exist for them)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not flag_enabled(request.user, key, request=request):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def flags_json(user, request=None) -> str:
    return json.dumps(all_flags(user, request), sort_keys=True)
