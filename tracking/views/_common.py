"""Helpers shared by the web views: "not visible" is a 404, safe redirects back, which rows may be changed."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect

from accounts import policy
from timetracker.errors import NOT_VISIBLE

from .. import selectors


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


def mark_changeable(viewer, entries) -> None:
    """Ask the policy once for the page, so each row knows whether to offer Edit and Delete and to be edited in
    place (not in locked time)."""
    ids = policy.correctable_user_ids(viewer)
    locked = selectors.locked_entry_ids(entries)
    for entry in entries:
        entry.locked = entry.pk in locked
        entry.may_change = (ids is None or entry.user_id in ids) and not entry.locked
