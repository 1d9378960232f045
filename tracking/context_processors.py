"""Template context every page needs: the running timer shown in the header, and whether the person tracks time."""

from accounts import policy

from . import services
from .models import TimeEntry


def running_timer(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "running_entry": services.timer_status(user=user),
        "may_track": policy.can(user, policy.CREATE, TimeEntry),  # viewers read; they are offered no tracking
    }
