"""The one guard on untrusted request bodies: JSON nested too deep, NUL characters, bodies that are not UTF-8.

Every JSON body TimeTracker reads from the outside goes through `loads`: the REST API's parsers
(`timetracker.api.parsers`) and every webhook (`Connector.webhook_parse`). Form-encoded bodies are checked by
`check_form` (Slack's slash commands) and, for every page and the API, by `InputGuardMiddleware`, which also
refuses NUL characters in a path or query string.

- Nesting: at most settings.INPUT_MAX_JSON_DEPTH levels of arrays and objects (default 32; nothing TimeTracker
  accepts needs more than 4). Deeper input is refused before it can exhaust the interpreter's recursion limit
  anywhere downstream (a serializer, a JSON column, a template).
- NUL (U+0000) in a string or key is refused: PostgreSQL cannot store it in text or jsonb, and no one types it.
- A body that is not valid UTF-8 is refused rather than decoded with replacement characters.

Each refusal raises `UnsafeInput` (a ValueError) with a message for the sender; the API answers 400 in its error
shape, a webhook leaves a failed delivery, a web page shows the product's 400 page. The size of a body is bounded by
Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default) before any of this runs.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse

NUL = "\x00"
FORM_TYPE = "application/x-www-form-urlencoded"


class UnsafeInput(ValueError):
    """A body refused by the guard; its text says why."""


def max_depth() -> int:
    return settings.INPUT_MAX_JSON_DEPTH


def decode(raw: bytes | str) -> str:
    """`raw` as text; raise UnsafeInput when it is not UTF-8."""
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnsafeInput("The body is not valid UTF-8.") from None


def loads(raw: bytes | str) -> Any:
    """Parse a JSON body and `check` it. Raises UnsafeInput for the guard's refusals and ValueError (json's
    JSONDecodeError) for text that is not JSON."""
    text = decode(raw)
    try:
        value = json.loads(text)
    except RecursionError:  # nested deeper than the interpreter allows: far past the limit
        raise UnsafeInput(too_deep()) from None
    check(value)
    return value


def too_deep() -> str:
    return f"JSON nested deeper than {max_depth()} levels is refused."


def check(value: Any) -> None:
    """Refuse a parsed value nested deeper than the limit or holding a NUL in any string or key (no recursion, so
    any depth is walked safely)."""
    limit = max_depth()
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise UnsafeInput("Text may not contain NUL (\\u0000) characters.")
        elif isinstance(item, dict | list | tuple):
            if depth >= limit:
                raise UnsafeInput(too_deep())
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def check_form(raw: bytes) -> None:
    """Refuse a form-encoded body that is not UTF-8 or carries a NUL in a name or value."""
    text = decode(raw)
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:  # %-escapes that decode to something other than UTF-8
        raise UnsafeInput("The form is not valid UTF-8.") from None
    check([value for pair in pairs for value in pair])


class InputGuardMiddleware:
    """Refuse (400) a path or query string holding NUL characters, and a form-encoded body that is not UTF-8 or
    holds them, where Django would otherwise decode it with replacement characters and let the page save (or echo,
    or store) the result. Views that check their raw body themselves (webhooks, which record a failed delivery) are
    left to do so for the body: see `checks_own_body`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            check([request.path, *(item for pair in request.GET.lists() for item in (pair[0], *pair[1]))])
            if request.method in ("GET", "HEAD", "OPTIONS") or getattr(view_func, "checks_own_body", False):
                return None
            if request.content_type == FORM_TYPE:
                check_form(request.body)
        except UnsafeInput as exc:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(exc), "code": "parse_error"}, status=400)
            raise BadRequest(str(exc)) from exc
        return None


def checks_own_body(view):
    """Mark a view that reads and refuses its raw body itself (a webhook receiver), so InputGuardMiddleware leaves
    the refusal to it."""
    view.checks_own_body = True
    return view
