"""The 500 and 503 answers: the product's layout and words, never a bare "Server Error (500)".

Both pages are rendered without the request's context processors, so they still render when the database is
what failed. `ServiceUnavailableMiddleware` turns a database that cannot be reached (OperationalError,
InterfaceError) into a 503 with Retry-After instead of a 500. API paths get the API's error shape in JSON.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("django.request")

RETRY_AFTER_SECONDS = 30

API_MESSAGES = {
    500: ("server_error", "Something went wrong on our side; nothing half-done was saved. Try again."),
    503: ("service_unavailable", "TimeTracker is briefly unavailable; nothing was saved. Try again shortly."),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _answer(request, status: int) -> HttpResponse:
    if _is_api(request):
        code, detail = API_MESSAGES[status]
        response = JsonResponse({"detail": detail, "code": code}, status=status)
    else:
        try:
            body = loader.get_template(f"{status}.html").render({"status": status, "path": request.path})
        except Exception:  # the page itself failed: still say something useful
            logger.exception("The %s page could not be rendered", status)
            body = f"<h1>TimeTracker: error {status}</h1><p>Nothing half-done was saved. Try again in a minute.</p>"
        response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _unreachable_database(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def server_error(request):
    """handler500 (called while the exception is being handled: one raised by a middleware lands here too)."""
    return _answer(request, 503 if _unreachable_database(sys.exc_info()[1]) else 500)


class ServiceUnavailableMiddleware:
    """A database that cannot be reached is an outage, not a bug: 503 with Retry-After, logged once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if _unreachable_database(exception):
            logger.error("Database unavailable while serving %s: %s", request.path, exception.__class__.__name__)
            return _answer(request, 503)
        return None
