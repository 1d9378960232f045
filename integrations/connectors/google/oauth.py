"""The OAuth 2.0 authorisation-code flow with PKCE (S256) and a state bound to the person's session.

`begin` makes a one-time `state` and a PKCE `code_verifier`, keeps both in the session and answers the URL of
Google's consent screen. `finish` takes the callback's query: it checks `state` against the session (and drops it
so a callback cannot be replayed), exchanges the code with the verifier and stores the tokens. Any failure leaves
nothing stored and returns a message for the Integrations page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.urls import reverse

from accounts import policy

from ...fields import SealedSecrets
from ...models import Integration
from . import store
from .client import GoogleOAuthClient, OAuthError

SCOPE = "https://www.googleapis.com/auth/calendar.events"
SESSION_KEY = "google_calendar_oauth"
STATE_MAX_AGE = 15 * 60  # seconds a person may spend on Google's consent screen


class OAuthFlowError(Exception):
    """Connecting cannot start or did not complete; the message is for the person."""


def redirect_uri() -> str:
    return f"{settings.SITE_URL}{reverse('integrations:google_callback')}"


def code_challenge(verifier: str) -> str:
    """RFC 7636 S256: BASE64URL(SHA256(ASCII(code_verifier))) without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def may_connect(user) -> bool:
    probe = Integration.objects.filter(provider=store.PROVIDER, owner=user).first() or Integration(
        provider=store.PROVIDER, owner=user, secrets=SealedSecrets()
    )
    return policy.can(user, policy.CHANGE if probe.pk else policy.CREATE, probe)


def begin(request) -> str:
    """Start connecting: remember state and verifier in the session; return Google's consent URL."""
    if not settings.GOOGLE_CLIENT_ID or not settings.GOOGLE_CLIENT_SECRET:
        raise OAuthFlowError(
            "Google Calendar is not set up on this server: an administrator must set GOOGLE_CLIENT_ID and "
            "GOOGLE_CLIENT_SECRET (see docs/integrations/GOOGLE_CALENDAR.md)."
        )
    if not may_connect(request.user):
        raise policy.PolicyDenied("You may not connect a calendar (viewers have read-only access).")
    state = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters of [A-Za-z0-9_-], within RFC 7636's 43–128
    request.session[SESSION_KEY] = {"state": state, "verifier": verifier, "at": int(time.time())}
    query = {
        "client_id": settings.GOOGLE_CLIENT_ID,
        "redirect_uri": redirect_uri(),
        "response_type": "code",
        "scope": SCOPE,
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "state": state,
        "code_challenge": code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{settings.GOOGLE_OAUTH_AUTH_URL}?{urlencode(query)}"


def finish(request) -> str:
    """Complete connecting from the callback's query; returns the success message or raises OAuthFlowError."""
    pending = request.session.pop(SESSION_KEY, None)  # one use only, whatever happens next
    given_state = request.GET.get("state", "")
    if not pending or not given_state or not hmac.compare_digest(str(pending.get("state", "")), given_state):
        raise OAuthFlowError(
            "Google Calendar was not connected: the answer from Google could not be matched to your sign-in "
            "(missing or wrong state). Nothing was stored; press “Connect Google Calendar” to try again."
        )
    if time.time() - int(pending.get("at") or 0) > STATE_MAX_AGE:
        raise OAuthFlowError("Google Calendar was not connected: the sign-in took too long. Please try again.")
    error = request.GET.get("error", "")
    if error == "access_denied":
        raise OAuthFlowError(
            "Google Calendar was not connected: access was declined on Google's consent screen. Nothing was stored."
        )
    if error:
        raise OAuthFlowError(f"Google Calendar was not connected: Google answered “{error[:100]}”. Nothing was stored.")
    code = request.GET.get("code", "")
    if not code:
        raise OAuthFlowError("Google Calendar was not connected: Google's answer had no authorisation code.")
    client = GoogleOAuthClient()
    try:
        tokens = client.exchange_code(code=code, code_verifier=pending["verifier"], redirect_uri=redirect_uri())
    except OAuthError as exc:
        raise OAuthFlowError(
            f"Google Calendar was not connected: Google refused the authorisation code ({exc.code}). "
            "Nothing was stored; please try again."
        ) from exc
    except requests.RequestException as exc:
        raise OAuthFlowError(
            "Google Calendar was not connected: Google could not be reached to complete the sign-in. "
            "Nothing was stored; please try again."
        ) from exc
    finally:
        client.close()
    from .connector import GoogleCalendarConnector

    store.google_connect(actor=request.user, tokens=tokens, default_config=GoogleCalendarConnector.default_config())
    return "Google Calendar connected. Choose a default project for imported events, then press “Sync now”."
