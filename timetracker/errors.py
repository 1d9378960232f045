"""Domain errors and the one translator that turns them into what each interface shows.

A domain error declares its machine `code`, its HTTP `status` and (where it belongs to an input) its `field` once,
on the class; its human message is the exception's text. Each app's errors derive from `DomainError` together with
the Django exception they have always been, so existing `except ValidationError` / `except PermissionDenied` keep
working:

    tracking.exceptions.TrackingError (TimerAlreadyRunning, NoRunningTimer, OverlappingEntry, ArchivedProject, ...)
    accounts.services.AccountError, accounts.policy.PolicyDenied
    integrations.services.UnknownProvider

This module imports only Django, so every app may import it. It is the only place that maps an error to an
interface: `api_error` (the REST API's {"detail", "code", "errors"?} body and status), `form_error` (a message next
to the right form field), `slack_reply` (the text of a Slack answer) and `admin_message` / `message` (a line for the
admin or a flash message). Plain Django `ValidationError`, `PermissionDenied` and a missing object are translated
the same way, so a view never builds its own error text.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

# What every interface says of an object that does not exist or that the reader may not see (one answer for both,
# so nothing tells which ids exist): the API's 404 and invalid related ids, the web's 404 and its filters.
NOT_VISIBLE = "Not found, or not visible to you."


class DomainError(Exception):
    """Base of every app's domain errors: code, status and field declared once, on the class."""

    code: str = "invalid"
    status: int = 400
    field: str | None = None


@dataclass(frozen=True)
class Translation:
    code: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = None
    field: str | None = None


def _messages(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    text = str(exc)
    return [text] if text else []


def translate(exc: BaseException) -> Translation | None:
    """What a domain (or Django) error means; None for anything else (a bug, DRF's own exceptions)."""
    if isinstance(exc, ValidationError):
        code = exc.code if isinstance(exc, DomainError) else (getattr(exc, "code", None) or "invalid")
        status = exc.status if isinstance(exc, DomainError) else 400
        field = getattr(exc, "field", None)
        if hasattr(exc, "error_dict"):
            errors = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            messages = [m for v in errors.values() for m in v]
            detail = messages[0] if len(messages) == 1 else "Invalid input."
            return Translation(code, status, detail, errors)
        messages = _messages(exc)
        return Translation(code, status, " ".join(messages), {field: messages} if field else None, field)
    if isinstance(exc, PermissionDenied):
        code = exc.code if isinstance(exc, DomainError) else "permission_denied"
        return Translation(code, 403, str(exc) or "Permission denied.", field=getattr(exc, "field", None))
    if isinstance(exc, ObjectDoesNotExist | Http404):
        return Translation("not_found", 404, "Not found.")
    if isinstance(exc, DomainError):
        return Translation(exc.code, exc.status, str(exc) or exc.code, field=exc.field)
    return None


def api_error(exc: BaseException) -> tuple[int, dict] | None:
    """(HTTP status, {"detail", "code", "errors"?}) for the REST API; None when `exc` is not a domain error."""
    t = translate(exc)
    if t is None:
        return None
    body: dict = {"detail": t.detail, "code": t.code}
    if t.errors:
        body["errors"] = t.errors
    return t.status, body


def form_error(form, exc: BaseException, *, aliases: dict[str, str] | None = None, denied_field=None) -> None:
    """Put an error on `form` next to the field it belongs to (or on top of the form).

    aliases: the form's name for a service field (e.g. {"start": "start_time"}); denied_field: where a refusal of
    the access policy belongs on this form (None: on top).
    """
    t = translate(exc)
    if t is None:
        form.add_error(None, str(exc))
        return
    if t.errors and t.field is None:  # a ValidationError with a field per message
        for name, messages in t.errors.items():
            form.add_error(name if name in form.fields else None, messages)
        return
    field = denied_field if t.status == 403 else t.field
    field = (aliases or {}).get(field, field) if field else None
    form.add_error(field if field in form.fields else None, t.detail if t.field or t.status == 403 else _messages(exc))


def message(exc: BaseException) -> str:
    """One line for a person: a flash message on a web page."""
    t = translate(exc)
    return t.detail if t is not None else str(exc)


def admin_message(exc: BaseException) -> str:
    """The line the admin shows for a refused action."""
    return message(exc)


def slack_reply(exc: BaseException) -> str:
    """The text of an ephemeral Slack answer to a refused command, in the services' words."""
    return message(exc)
