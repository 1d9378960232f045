"""Makes the current request available to analytics receivers, which run inside the request but get only ids."""

from .context import reset_current_request, set_current_request


class AnalyticsRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_current_request(request)
        try:
            return self.get_response(request)
        finally:
            reset_current_request(token)
