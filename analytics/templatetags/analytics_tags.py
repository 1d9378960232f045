"""Template tags for feature flags and the flagged activity widget.

{% load analytics_tags %}
{% flag_enabled "activity-widget" as show_widget %}{% if show_widget %}…{% endif %}
{% feature_flags_script %}   → window.featureFlags = {...} for front-end code
{% activity_widget %}        → the "recent activity" card, shown only when its flag is on
"""

import json

from django import template
from django.utils.html import escape, json_script
from django.utils.safestring import mark_safe

from ..flags import FeatureFlags, all_flags, flag_enabled, flag_payload
from ..selectors import activity_page_allowed, activity_recent_for

register = template.Library()


def _request_user(context):
    request = context.get("request")
    return request, getattr(request, "user", None)


@register.simple_tag(takes_context=True, name="flag_enabled")
def flag_enabled_tag(context, key: str, default: bool = False) -> bool:
    request, user = _request_user(context)
    return flag_enabled(user, key, default, request=request)


@register.simple_tag(takes_context=True, name="flag_payload")
def flag_payload_tag(context, key: str, default=None):
    request, user = _request_user(context)
    return flag_payload(user, key, default, request=request)


@register.simple_tag(takes_context=True)
def feature_flags_script(context) -> str:
    """The current user's flags as `window.featureFlags` (JSON, safely escaped for an HTML page)."""
    request, user = _request_user(context)
    data = json_script(all_flags(user, request=request), "feature-flags-data")
    # The page's Content-Security-Policy runs an inline script only with the request's nonce.
    nonce = getattr(request, "csp_nonce", None)  # lazy: reading it puts the nonce in the response's header
    nonce = escape(str(nonce)) if nonce is not None else ""
    loader = (
        f'<script nonce="{nonce}">'
        "window.featureFlags = JSON.parse(document.getElementById('feature-flags-data').textContent);</script>"
    )
    return mark_safe(f"{data}{loader}")  # noqa: S308 - json_script escapes the data; the nonce is escaped


@register.inclusion_tag("analytics/_activity_widget.html", takes_context=True)
def activity_widget(context) -> dict:
    request, user = _request_user(context)
    if not flag_enabled(user, FeatureFlags.ACTIVITY_WIDGET, request=request):
        return {"show": False}
    config = flag_payload(user, FeatureFlags.ACTIVITY_WIDGET, {}, request=request)
    limit = config.get("limit", 5) if isinstance(config, dict) else 5
    try:
        limit = max(1, min(int(limit), 20))
    except (TypeError, ValueError):
        limit = 5
    return {
        "show": True,
        "items": activity_recent_for(user, limit=limit),
        "flag": FeatureFlags.ACTIVITY_WIDGET,
        "link_to_activity": activity_page_allowed(user),
    }


@register.filter
def as_json(value) -> str:
    return json.dumps(value, sort_keys=True)
