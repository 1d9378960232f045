"""Template context every page needs: the running timer shown in the header."""

from . import services


def running_timer(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"running_entry": services.timer_status(user=user)}
