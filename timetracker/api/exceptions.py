"""The API's one error shape: {"detail": "<human message>", "code": "<machine code>"} plus, for bad input,
"errors": {field: [messages]}.

Domain errors (and Django's ValidationError, PermissionDenied, a missing object) are translated by
timetracker.errors.api_error, which reads the code and status each error declares; DRF's own exceptions (bad JSON,
authentication, throttling, serializer validation) are reshaped here.
"""

from django.urls import NoReverseMatch, reverse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from timetracker.errors import api_error


class InvalidParameters(exceptions.ValidationError):
    """Unknown or malformed query parameters."""

    default_code = "invalid_filter"

    def __init__(self, errors: dict, detail: str | None = None):
        super().__init__(errors)
        self.message = detail


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used for a different request."


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for v in detail.values() for m in _flatten(v)]
    if isinstance(detail, list):
        return [m for v in detail for m in _flatten(v)]
    return [str(detail)]


def _sign_in_hint() -> str:
    """How to authenticate, for a request that sent no credentials: the one 401 a newcomer meets first."""
    paths = {}
    for name, fallback in (("profile", "/profile/"), ("account_login", "/accounts/login/"), ("api-docs", "/api/docs/")):
        try:
            paths[name] = reverse(name)
        except NoReverseMatch:
            paths[name] = fallback
    return (
        "Authentication credentials were not provided. Send “Authorization: Bearer tt_…” with a personal API token "
        f"(create one on your profile page, {paths['profile']}), or sign in at {paths['account_login']} to use the "
        f"API from the browser. See {paths['api-docs']}."
    )


def _errors(detail) -> dict:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def exception_handler(exc, context):
    translated = api_error(exc)
    if translated is not None:
        set_rollback()  # like DRF's own handler: nothing half-written stays behind under ATOMIC_REQUESTS
        status_code, body = translated
        return Response(body, status=status_code)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": _sign_in_hint(), "code": exc.default_code}
        return response
    if isinstance(exc, exceptions.ValidationError):
        messages = _flatten(exc.detail)
        detail = getattr(exc, "message", None) or (messages[0] if len(messages) == 1 else "Invalid input.")
        codes = exc.get_codes()
        code = exc.default_code if isinstance(exc, InvalidParameters) else "invalid"
        if isinstance(codes, list) and len(codes) == 1 and isinstance(codes[0], str) and codes[0] != "invalid":
            code = codes[0]
        response.data = {"detail": detail, "code": code, "errors": _errors(exc.detail)}
        return response
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = {
            "detail": str(detail) if not isinstance(detail, dict | list) else _flatten(detail)[0],
            "code": code,
        }
    return response
