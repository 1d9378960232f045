"""Helpers shared by the web views: "not visible" is a 404, and safe redirects back."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect

from timetracker.errors import NOT_VISIBLE


def get_or_404(selector, **kwargs):
    """Call a `visible_*` selector; an object the user may not see is a 404, like one that does not exist."""
    try:
        return selector(**kwargs)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_VISIBLE) from exc


def back(request, default: str):
    """Redirect to a safe `next` (a local path) or to `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(default)
