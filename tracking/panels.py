"""Extension points of tracking's pages for the apps above it (saved reports), registered like access rules.

A panel provider is a function `(request, **context) -> Panel | None`, registered for a page in the app's
AppConfig.ready(); the page includes each panel's template with its context. Tracking never imports the apps that
register here. Pages: "report" (the ad-hoc report, context: params, summary) and "dashboard" (the timer page).

`register_home(role, url_name)` sends people of a role elsewhere from the timer page (a viewer cannot track).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REPORT = "report"
DASHBOARD = "dashboard"


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Where on the page: "top" (above the content) or "aside" (beside it); a page shows what it supports.
    place: str = "top"
    # Markers for the page's time chart, e.g. annotations: [{"index": int, "text": str}].
    chart_markers: list[dict] = field(default_factory=list)


Provider = Callable[..., Panel | None]
_PROVIDERS: dict[str, list[Provider]] = {}
_HOMES: dict[str, str] = {}


def register(page: str, provider: Provider) -> None:
    providers = _PROVIDERS.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def panels(page: str, request, **context) -> list[Panel]:
    found = []
    for provider in _PROVIDERS.get(page, []):
        panel = provider(request, **context)
        if panel is not None:
            found.append(panel)
    return found


def register_home(role: str, url_name: str) -> None:
    _HOMES[role] = url_name


def home_for(user) -> str | None:
    """The URL name that replaces the timer page as `user`'s home, or None."""
    return _HOMES.get(getattr(user, "role", ""))
