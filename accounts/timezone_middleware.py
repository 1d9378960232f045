"""Show every time in the signed-in user's own timezone."""

from django.utils import timezone


class UserTimezoneMiddleware:
    """Activate the user's timezone for the request (templates and forms then use it); UTC for anonymous visitors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(user.tzinfo)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
