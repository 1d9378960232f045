"""Authenticating Slack's requests: the v0 signature over `v0:{timestamp}:{raw body}`, at most 5 minutes old.

Checked on the raw body before anything parses it. `slack_sdk`'s SignatureVerifier does the HMAC and the age
check; this module only guards the inputs (a non-numeric timestamp is a forgery, not a server error).
"""

from __future__ import annotations

import time

from slack_sdk.signature import Clock, SignatureVerifier


class _At(Clock):
    def __init__(self, now: float):
        self._now = now

    def now(self) -> float:
        return self._now


def signature_valid(
    signing_secret: str, body: bytes, timestamp: str | None, signature: str | None, *, now: float | None = None
) -> bool:
    """True when `signature` signs `body` at `timestamp` with `signing_secret` and `timestamp` is within 5 minutes
    of `now` (default: the current time)."""
    if not signing_secret or not timestamp or not signature:
        return False
    if not timestamp.isdigit():
        return False
    verifier = SignatureVerifier(signing_secret, clock=_At(time.time() if now is None else now))
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except UnicodeDecodeError:
        return False
