"""Template context every page needs: the running timer shown in the header, and whether the person tracks time."""

from accounts import policy

from . import services
from .models import TimeEntry

_UNREAD = object()


def running_timer(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A view that has just read the running timer leaves it on the request (request.running_entry): one query less.
    running = getattr(request, "running_entry", _UNREAD)
    return {
        "running_entry": services.timer_status(user=user) if running is _UNREAD else running,
        "may_track": policy.can(user, policy.CREATE, TimeEntry),  # viewers read; they are offered no tracking
    }
