"""Context added to every event: where (path only), what client (parsed User-Agent), which installation build."""

from __future__ import annotations

import contextvars
import os
import platform
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from ua_parser import parse as parse_user_agent

import timetracker

from .events import Prop

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "analytics_current_request", default=None
)

TABLET_HINTS = ("ipad", "tablet", "kindle", "silk", "playbook")
MOBILE_OS = ("iOS", "Android", "Windows Phone", "BlackBerry OS", "KaiOS")


def set_current_request(request: HttpRequest | None) -> contextvars.Token:
    return _current_request.set(request)


def reset_current_request(token: contextvars.Token) -> None:
    _current_request.reset(token)


def current_request() -> HttpRequest | None:
    """The request being served in this thread (set by AnalyticsRequestMiddleware), or None in tasks and commands."""
    return _current_request.get()


def app_version() -> str:
    return timetracker.__version__


def deployment_method() -> str:
    if settings.DEPLOYMENT_METHOD:
        return settings.DEPLOYMENT_METHOD
    return "docker" if Path("/.dockerenv").exists() or os.environ.get("container") else "native"  # noqa: SIM112 - systemd-nspawn/podman set lower-case `container`


def platform_name() -> str:
    return f"{platform.system().lower()}-{platform.machine().lower() or 'unknown'}"


def installation_context() -> dict:
    return {
        Prop.APP_VERSION: app_version(),
        Prop.ENVIRONMENT: settings.ENVIRONMENT_NAME,
        Prop.DEPLOYMENT_METHOD: deployment_method(),
    }


@lru_cache(maxsize=256)
def client_from_user_agent(user_agent: str) -> dict:
    """Browser, OS and device type from a User-Agent string (ua-parser), e.g. Firefox / Windows / desktop."""
    if not user_agent:
        return {}
    result = parse_user_agent(user_agent)
    browser = result.user_agent.family if result.user_agent else "Other"
    os_family = result.os.family if result.os else "Other"
    device = result.device.family if result.device else "Other"
    lowered = user_agent.lower()
    if device == "Spider":
        device_type = "bot"
    elif any(hint in lowered for hint in TABLET_HINTS) or (os_family == "Android" and "mobile" not in lowered):
        device_type = "tablet"
    elif os_family in MOBILE_OS or "mobile" in lowered:
        device_type = "mobile"
    else:
        device_type = "desktop"
    return {Prop.BROWSER: browser, Prop.OS: os_family, Prop.DEVICE_TYPE: device_type}


def request_context(request: HttpRequest | None) -> dict:
    """$current_url (the path only: no host, no query string), $browser, $os, $device_type."""
    if request is None:
        return {}
    context = {Prop.CURRENT_URL: request.path}
    context.update(client_from_user_agent(request.META.get("HTTP_USER_AGENT", "")[:512]))
    return context
