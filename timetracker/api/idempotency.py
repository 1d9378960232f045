"""Idempotency-Key on POST: a retried request with the same key from the same user gets the first response back,
and nothing is created twice.

The first request stores a pending record (unique per user and key) before it runs, so a concurrent retry is told
to wait (409 idempotency_request_in_progress) instead of running twice; the finished response is then stored and
replayed (with the header `Idempotent-Replayed: true`) for settings.API_IDEMPOTENCY_TTL_HOURS. The same key sent
for a different request (another path or body) is refused with 409 idempotency_key_reused. Server errors are not
stored, so a retry after one runs again.
"""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from accounts.models import IdempotencyKey

from .exceptions import IdempotencyConflict

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class IdempotentReplay(Exception):  # noqa: N818 - control flow, not an error
    def __init__(self, record: IdempotencyKey):
        self.record = record


class RequestInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_request_in_progress"
    default_detail = "A request with this Idempotency-Key is still being processed; retry in a moment."


def _ttl() -> timedelta:
    return timedelta(hours=getattr(settings, "API_IDEMPOTENCY_TTL_HOURS", 24))


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def begin(request) -> IdempotencyKey | None:
    """Claim the request's key; raise IdempotentReplay / IdempotencyConflict / RequestInProgress when it was used."""
    key = request.headers.get(HEADER, "").strip()
    if request.method != "POST" or not key:
        return None
    if len(key) > MAX_KEY_LENGTH:
        raise exceptions.ValidationError({HEADER: [f"Use at most {MAX_KEY_LENGTH} characters."]})
    user = request.user
    fingerprint = _fingerprint(request)
    IdempotencyKey.objects.filter(user=user, created_at__lt=timezone.now() - _ttl()).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user, key=key, method=request.method, path=request.path[:500], request_hash=fingerprint
            )
    except IntegrityError:
        pass
    record = IdempotencyKey.objects.filter(user=user, key=key).first()
    if record is None:  # expired and removed in between: treat as new
        return begin(request)
    if record.request_hash != fingerprint:
        raise IdempotencyConflict()
    if record.status_code is None:
        raise RequestInProgress()
    raise IdempotentReplay(record)


def finish(record: IdempotencyKey, response) -> None:
    if response.status_code >= 500 or response.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        record.delete()
        return
    body = json.loads(json.dumps(response.data, cls=JSONEncoder)) if response.data is not None else None
    IdempotencyKey.objects.filter(pk=record.pk).update(status_code=response.status_code, response_body=body)


def abandon(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).delete()


def replay_response(record: IdempotencyKey) -> Response:
    return Response(record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"})
