"""The writes of the Google Calendar connector: its tokens (encrypted in `Integration.secrets`) and its sync state.

Tokens: `access_token`, `refresh_token` and `token_expiry` (ISO 8601, UTC) in the integration's encrypted secrets;
never in `config`, never logged, never returned. Sync state — the incremental sync token, how far events have been
imported, when entries were last exported, whether the connection needs a reconnect — lives under `config["state"]`:
it is not secret, and showing it in the API helps when something looks wrong.

Every write locks the integration row, so a sync and a person saving the settings never overwrite each other.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import requests
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import policy

from ... import signals
from ...fields import SealedSecrets
from ...models import Integration
from .client import GoogleOAuthClient, OAuthError

logger = logging.getLogger(__name__)

PROVIDER = "google"
TOKEN_KEYS = ("access_token", "refresh_token", "token_expiry")
REFRESH_MARGIN = timedelta(minutes=5)
RECONNECT_MESSAGE = (
    "Google no longer accepts this calendar connection (invalid_grant: access was revoked, the password changed or "
    "the authorisation expired). Reconnect Google Calendar on the Integrations page."
)


class NeedsReconnect(Exception):
    """The stored authorisation is dead; only the user can fix it, by connecting again."""


def state_of(integration: Integration) -> dict:
    state = (integration.config or {}).get("state")
    return dict(state) if isinstance(state, dict) else {}


def needs_reconnect(integration: Integration | None) -> bool:
    return integration is not None and bool(state_of(integration).get("needs_reconnect"))


def is_connected(integration: Integration | None) -> bool:
    if integration is None or integration.pk is None:
        return False
    secrets = integration.secrets or {}
    return bool(secrets.get("refresh_token") or secrets.get("access_token"))


def _locked(integration_id: int) -> Integration:
    return Integration.objects.select_for_update().get(pk=integration_id)


def _expiry(expires_in) -> str:
    try:
        seconds = int(expires_in)
    except (TypeError, ValueError):
        seconds = 3600
    return (timezone.now() + timedelta(seconds=seconds)).isoformat()


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def state_update(integration: Integration, **changes) -> Integration:
    """Merge `changes` into the sync state (a value of None removes the key) and refresh `integration`."""
    with transaction.atomic():
        row = _locked(integration.pk)
        state = state_of(row)
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        row.config = {**(row.config or {}), "state": state}
        row.save(update_fields=["config", "updated_at"])
    integration.config = row.config
    return integration


@transaction.atomic
def google_connect(*, actor, tokens: dict, default_config: dict) -> Integration:
    """Store the tokens of a completed OAuth exchange in `actor`'s Google integration and activate it.

    Creates the integration with `default_config` the first time; a reconnect keeps the person's settings and starts
    the sync afresh (the new authorisation may be for another Google account).
    """
    integration = Integration.objects.select_for_update().filter(provider=PROVIDER, owner=actor).first()
    creating = integration is None
    if creating:
        policy.require(actor, policy.CREATE, Integration(provider=PROVIDER, owner=actor))
        try:
            with transaction.atomic():
                Integration.objects.create(
                    provider=PROVIDER, owner=actor, config=dict(default_config), secrets=SealedSecrets()
                )
        except IntegrityError:
            pass  # connected at the same moment from another tab: both write to the one row
        integration = Integration.objects.select_for_update().get(provider=PROVIDER, owner=actor)
    policy.require(actor, policy.CHANGE, integration)
    old = integration.secrets or {}
    refresh_token = tokens.get("refresh_token") or old.get("refresh_token") or ""
    integration.secrets = SealedSecrets(
        {
            k: v
            for k, v in {
                "access_token": tokens.get("access_token", ""),
                "refresh_token": refresh_token,
                "token_expiry": _expiry(tokens.get("expires_in")),
            }.items()
            if v
        }
    )
    integration.config = {**(integration.config or {}), "state": {}}
    integration.is_active = True
    integration.last_error = ""
    integration.save()
    pk, owner_id = integration.pk, actor.pk
    transaction.on_commit(
        lambda: signals.integration_connected.send(
            sender=Integration, integration_id=pk, provider=PROVIDER, user_id=owner_id, actor_id=owner_id
        )
    )
    return integration


def mark_needs_reconnect(integration: Integration, message: str = RECONNECT_MESSAGE) -> Integration:
    """The refresh token was refused: drop the dead tokens, stop scheduled syncs (inactive), say so on the card."""
    with transaction.atomic():
        row = _locked(integration.pk)
        row.secrets = SealedSecrets({k: v for k, v in (row.secrets or {}).items() if k not in TOKEN_KEYS})
        row.is_active = False
        row.config = {**(row.config or {}), "state": {**state_of(row), "needs_reconnect": True}}
        row.last_error = message
        row.save()
    integration.refresh_from_db()
    logger.info("Google Calendar integration %s needs a reconnect", integration.pk)
    return integration


def access_token(integration: Integration) -> str:
    """A usable access token: the stored one, or a fresh one when it expires within 5 minutes (or has no expiry).

    Raises NeedsReconnect when Google answers invalid_grant (or nothing is left to refresh with), OAuthError for
    another refusal, requests.RequestException when Google cannot be reached.
    """
    secrets = integration.secrets or {}
    token = secrets.get("access_token", "")
    expiry = parse_time(secrets.get("token_expiry"))
    if token and expiry is not None and expiry - timezone.now() > REFRESH_MARGIN:
        return token
    refresh_token = secrets.get("refresh_token", "")
    if not refresh_token:
        mark_needs_reconnect(integration)
        raise NeedsReconnect(RECONNECT_MESSAGE)
    client = GoogleOAuthClient()
    try:
        body = client.refresh(refresh_token)
    except OAuthError as exc:
        if exc.code == "invalid_grant":
            mark_needs_reconnect(integration)
            raise NeedsReconnect(RECONNECT_MESSAGE) from exc
        raise
    finally:
        client.close()
    with transaction.atomic():
        row = _locked(integration.pk)
        current = dict(row.secrets or {})
        current["access_token"] = body["access_token"]
        current["token_expiry"] = _expiry(body.get("expires_in"))
        if body.get("refresh_token"):  # Google may rotate it
            current["refresh_token"] = body["refresh_token"]
        row.secrets = SealedSecrets(current)
        row.save(update_fields=["secrets", "updated_at"])
    integration.secrets = row.secrets
    return body["access_token"]


def expire_access_token(integration: Integration) -> None:
    """Make the next call refresh the access token first (Google refused it before its expiry)."""
    with transaction.atomic():
        row = _locked(integration.pk)
        row.secrets = SealedSecrets({k: v for k, v in (row.secrets or {}).items() if k != "token_expiry"})
        row.save(update_fields=["secrets", "updated_at"])
    integration.secrets = row.secrets


def grant_revoke(secrets: dict, *, timeout: float) -> bool | None:
    """Revoke the person's authorisation at Google (the refresh token, which takes the access tokens with it)."""
    token = (secrets or {}).get("refresh_token") or (secrets or {}).get("access_token")
    if not token:
        return None
    client = GoogleOAuthClient(timeout=timeout)
    try:
        return client.revoke(token)
    except requests.RequestException as exc:
        logger.warning("Google did not answer the revocation: %s", exc.__class__.__name__)
        return False
    finally:
        client.close()


def google_disconnect(*, actor, integration: Integration) -> dict:
    """Revoke the authorisation at Google, then wipe every stored token whatever Google answered."""
    policy.require(actor, policy.CHANGE, integration)
    secrets = integration.secrets or {}
    token = secrets.get("refresh_token") or secrets.get("access_token")
    revoked = None
    if token:
        client = GoogleOAuthClient()
        try:
            revoked = client.revoke(token)
        except requests.RequestException:
            revoked = False
        finally:
            client.close()
    with transaction.atomic():
        row = _locked(integration.pk)
        row.secrets = SealedSecrets()
        row.is_active = False
        row.config = {**(row.config or {}), "state": {}}
        row.last_error = ""
        row.save()
    integration.refresh_from_db()
    if revoked is False:
        return {
            "ok": True,
            "message": "Disconnected; the tokens are deleted here. Google could not confirm the revocation: remove "
            "TimeTracker under “Third-party apps with account access” in your Google Account to be sure.",
        }
    return {"ok": True, "message": "Disconnected from Google Calendar: access revoked and the tokens deleted."}
