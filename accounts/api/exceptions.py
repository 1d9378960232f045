"""The API's one error shape: {"detail": "<human message>", "code": "<machine code>"} plus, for bad input,
"errors": {field: [messages]}.

Maps DRF's exceptions, Django's ValidationError (which the services raise, TrackingError among them with a stable
.code and .field), the access policy's PolicyDenied and a missing object. No domain app is imported: the codes that
mean "state conflict" are listed here by name.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

# Codes of domain errors that describe the state of things rather than bad input: 409 Conflict.
CONFLICT_CODES = frozenset({"timer_already_running", "no_running_timer", "overlapping_entry"})


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


def _errors(detail) -> dict:
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    return {"non_field_errors": _flatten(detail)}


def _django_validation(exc: DjangoValidationError) -> Response:
    code = getattr(exc, "code", None) or "invalid"
    field = getattr(exc, "field", None)
    if hasattr(exc, "error_dict"):
        errors = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        messages = [m for v in errors.values() for m in v]
        detail = messages[0] if len(messages) == 1 else "Invalid input."
    else:
        messages = exc.messages
        detail = " ".join(messages)
        errors = {field: messages} if field else None
    body = {"detail": detail, "code": code}
    if errors:
        body["errors"] = errors
    return Response(body, status=status.HTTP_409_CONFLICT if code in CONFLICT_CODES else status.HTTP_400_BAD_REQUEST)


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError | PermissionDenied | ObjectDoesNotExist | Http404):
        set_rollback()  # like DRF's own handler: nothing half-written stays behind under ATOMIC_REQUESTS
    if isinstance(exc, DjangoValidationError):
        return _django_validation(exc)
    if isinstance(exc, PermissionDenied):  # accounts.policy.PolicyDenied
        return Response({"detail": str(exc) or "Permission denied.", "code": "permission_denied"}, status=403)
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return Response({"detail": "Not found.", "code": "not_found"}, status=404)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
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
