"""Connecting Google Calendar through the real views: PKCE, the session-bound state, refusals, refresh, revoke."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.db import connection
from django.utils import timezone

from integrations import crypto
from integrations.connectors.google import store
from integrations.connectors.google.oauth import SCOPE, code_challenge
from integrations.models import Integration

from . import google_fake
from .google_fake import CLIENT_ID, connect

fake_google = google_fake.fake_google  # the fixture

CALLBACK = "http://testserver/integrations/google/callback"


def raw_secrets(integration_id: int) -> str:
    """The secrets column as stored, read past the ORM field."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM integrations_integration WHERE id = %s", [integration_id])
        return cursor.fetchone()[0]


def start(client) -> dict:
    """GET /integrations/google/connect; returns the query of the redirect to Google's consent screen."""
    response = client.get("/integrations/google/connect")
    assert response.status_code == 302, response.content[:500]
    return {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}


def consent(fake, client) -> str:
    """Walk to the fake's consent screen and back: returns the callback path with Google's query."""
    response = client.get("/integrations/google/connect")
    google = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert google.status_code == 302
    location = google.headers["Location"]
    assert location.startswith(CALLBACK)
    return location.removeprefix("http://testserver")


def page_text(response) -> str:
    return response.content.decode()


def test_connect_redirects_to_google_with_pkce_s256_a_state_and_the_documented_parameters(client, member, fake_google):
    client.force_login(member)
    query = start(client)
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == CALLBACK
    assert query["response_type"] == "code"
    assert query["scope"] == SCOPE == "https://www.googleapis.com/auth/calendar.events"
    assert query["access_type"] == "offline"
    assert query["prompt"] == "consent"
    assert query["code_challenge_method"] == "S256"
    pending = client.session["google_calendar_oauth"]
    assert query["state"] == pending["state"] and len(pending["state"]) >= 32
    assert query["code_challenge"] == code_challenge(pending["verifier"])
    assert 43 <= len(pending["verifier"]) <= 128
    assert query["code_challenge"] != pending["verifier"]


def test_full_round_trip_stores_the_tokens_encrypted_and_activates_the_integration(client, member, fake_google):
    client.force_login(member)
    callback = consent(fake_google, client)
    response = client.get(callback, follow=True)
    assert response.status_code == 200
    assert "Google Calendar connected" in page_text(response)
    assert "Connected</strong> to Google Calendar" in page_text(response)

    # The fake checked the verifier against the challenge: the exchange succeeded only with the right one.
    exchange = [r for r in fake_google.token_requests if r["grant_type"] == "authorization_code"]
    assert len(exchange) == 1 and exchange[0]["code_verifier"]
    integration = Integration.objects.get(provider="google", owner=member)
    assert integration.is_active
    assert integration.secrets["refresh_token"] in fake_google.refresh_tokens
    assert integration.secrets["access_token"] in fake_google.access_tokens
    expiry = store.parse_time(integration.secrets["token_expiry"])
    assert timedelta(minutes=55) < expiry - timezone.now() <= timedelta(hours=1)
    raw = raw_secrets(integration.pk)
    assert integration.secrets["refresh_token"] not in raw and integration.secrets["access_token"] not in raw
    assert crypto.decrypt_json(raw)["refresh_token"] == integration.secrets["refresh_token"]
    assert "google_calendar_oauth" not in client.session


def test_the_fake_refuses_an_exchange_with_a_verifier_that_does_not_match_the_challenge(client, member, fake_google):
    client.force_login(member)
    callback = consent(fake_google, client)
    session = client.session
    session["google_calendar_oauth"] = {**session["google_calendar_oauth"], "verifier": "x" * 64}
    session.save()
    response = client.get(callback, follow=True)
    assert "Google refused the authorisation code (invalid_grant)" in page_text(response)
    assert not Integration.objects.filter(provider="google").exists()


@pytest.mark.parametrize("state", ["wrong-state", None], ids=["wrong", "missing"])
def test_a_wrong_or_missing_state_is_refused_with_a_message_and_nothing_is_stored(client, member, fake_google, state):
    client.force_login(member)
    callback = consent(fake_google, client)
    query = {k: v[0] for k, v in parse_qs(urlsplit(callback).query).items()}
    if state is None:
        query.pop("state")
    else:
        query["state"] = state
    response = client.get("/integrations/google/callback", query, follow=True)
    assert response.status_code == 200
    assert "missing or wrong state" in page_text(response)
    assert not [r for r in fake_google.token_requests if r["grant_type"] == "authorization_code"]
    assert not Integration.objects.filter(provider="google").exists()


def test_a_callback_cannot_be_replayed(client, member, fake_google):
    client.force_login(member)
    callback = consent(fake_google, client)
    client.get(callback)
    response = client.get(callback, follow=True)
    assert "missing or wrong state" in page_text(response)
    assert len([r for r in fake_google.token_requests if r["grant_type"] == "authorization_code"]) == 1


def test_the_state_of_another_session_is_refused(client, member, other_member, fake_google):
    from django.test import Client

    other = Client()
    other.force_login(other_member)
    stolen_callback = consent(fake_google, other)  # other_member's code and state
    client.force_login(member)
    start(client)
    response = client.get(stolen_callback, follow=True)
    assert "missing or wrong state" in page_text(response)
    assert not Integration.objects.filter(provider="google").exists()


def test_access_denied_on_the_consent_screen_shows_a_message_and_stores_nothing(client, member, fake_google):
    fake_google.consent = "deny"
    client.force_login(member)
    response = client.get(consent(fake_google, client), follow=True)
    assert "access was declined" in page_text(response)
    assert not Integration.objects.filter(provider="google").exists()
    assert not fake_google.token_requests


def test_a_failed_exchange_shows_a_message_and_stores_nothing(client, member, fake_google, settings):
    client.force_login(member)
    callback = consent(fake_google, client)
    settings.GOOGLE_CLIENT_SECRET = "not-the-secret"  # Google answers 401 invalid_client
    response = client.get(callback, follow=True)
    assert "Google refused the authorisation code (invalid_client)" in page_text(response)
    assert not Integration.objects.filter(provider="google").exists()


def test_an_unreachable_token_endpoint_shows_a_message_and_stores_nothing(client, member, fake_google, settings):
    client.force_login(member)
    callback = consent(fake_google, client)
    settings.GOOGLE_OAUTH_TOKEN_URL = "http://127.0.0.1:9/token"
    response = client.get(callback, follow=True)
    assert "Google could not be reached" in page_text(response)
    assert not Integration.objects.filter(provider="google").exists()


def test_connect_without_a_client_id_explains_what_the_administrator_must_set(client, member, fake_google, settings):
    settings.GOOGLE_CLIENT_ID = ""
    client.force_login(member)
    response = client.get("/integrations/google/connect", follow=True)
    assert "GOOGLE_CLIENT_ID" in page_text(response)
    assert not fake_google.authorize_requests


def test_viewers_cannot_connect_a_calendar(client, viewer, fake_google):
    client.force_login(viewer)
    response = client.get("/integrations/google/connect")
    assert response.status_code == 403
    assert "read-only" in page_text(response)
    assert "google_calendar_oauth" not in client.session


def test_connect_requires_a_signed_in_person(client, fake_google):
    response = client.get("/integrations/google/connect")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_disconnect_revokes_at_google_and_wipes_every_token_from_the_column(client, member, fake_google):
    integration = connect(fake_google, member)
    refresh = integration.secrets["refresh_token"]
    client.force_login(member)
    response = client.post("/integrations/google/disconnect", follow=True)
    assert "access revoked and the tokens deleted" in page_text(response)
    assert fake_google.revoked == [refresh]
    assert refresh not in fake_google.refresh_tokens
    integration.refresh_from_db()
    assert not integration.is_active
    assert crypto.decrypt_json(raw_secrets(integration.pk)) == {}
    assert "Not connected" in page_text(response)


def test_disconnect_wipes_the_tokens_even_when_google_cannot_be_reached(client, member, fake_google, settings):
    integration = connect(fake_google, member)
    settings.GOOGLE_OAUTH_REVOKE_URL = "http://127.0.0.1:9/revoke"
    client.force_login(member)
    response = client.post("/integrations/google/disconnect", follow=True)
    assert "Google could not confirm the revocation" in page_text(response)
    assert crypto.decrypt_json(raw_secrets(integration.pk)) == {}


def test_disconnect_is_a_post(client, member, fake_google):
    connect(fake_google, member)
    client.force_login(member)
    assert client.get("/integrations/google/disconnect").status_code == 405


def test_a_token_expiring_within_five_minutes_is_refreshed_before_the_api_call(member, fake_google):
    integration = connect(fake_google, member)
    old = integration.secrets["access_token"]
    secrets = dict(integration.secrets)
    secrets["token_expiry"] = (timezone.now() + timedelta(minutes=4)).isoformat()
    integration.secrets = secrets
    integration.save()

    token = store.access_token(integration)
    assert token != old
    refreshes = [r for r in fake_google.token_requests if r["grant_type"] == "refresh_token"]
    assert len(refreshes) == 1 and refreshes[0]["refresh_token"] == integration.secrets["refresh_token"]
    integration.refresh_from_db()
    assert integration.secrets["access_token"] == token
    assert store.parse_time(integration.secrets["token_expiry"]) - timezone.now() > timedelta(minutes=50)


def test_a_token_valid_for_longer_than_five_minutes_is_used_as_it_is(member, fake_google):
    integration = connect(fake_google, member)
    secrets = dict(integration.secrets)
    secrets["token_expiry"] = (timezone.now() + timedelta(minutes=6)).isoformat()
    integration.secrets = secrets
    integration.save()
    assert store.access_token(integration) == secrets["access_token"]
    assert not [r for r in fake_google.token_requests if r["grant_type"] == "refresh_token"]


def test_invalid_grant_marks_the_integration_needs_reconnect_and_the_card_says_so(client, member, fake_google):
    integration = connect(fake_google, member)
    fake_google.refresh_tokens.clear()  # revoked at Google (password change, removed access…)
    secrets = dict(integration.secrets)
    secrets["token_expiry"] = (timezone.now() - timedelta(minutes=1)).isoformat()
    integration.secrets = secrets
    integration.save()

    with pytest.raises(store.NeedsReconnect):
        store.access_token(integration)
    integration.refresh_from_db()
    assert not integration.is_active
    assert store.needs_reconnect(integration)
    assert "refresh_token" not in integration.secrets and "access_token" not in integration.secrets
    client.force_login(member)
    html = page_text(client.get("/integrations/"))
    assert "Needs reconnect" in html
    assert "Reconnect Google Calendar" in html


def test_reconnecting_clears_needs_reconnect(client, member, fake_google):
    integration = connect(fake_google, member)
    store.mark_needs_reconnect(integration)
    client.force_login(member)
    client.get(consent(fake_google, client))
    integration.refresh_from_db()
    assert integration.is_active and not store.needs_reconnect(integration)
    assert integration.secrets["refresh_token"] in fake_google.refresh_tokens
