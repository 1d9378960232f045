"""Token authentication, scopes and throttling shared by every API view (timetracker.api)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

ME = "/api/v1/users/me/"


def client_with(header: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client


class TestAuthentication:
    def test_bearer_and_token_headers_both_authenticate(self, member):
        _, raw = api_token_create(actor=member, name="a", scopes="read:users")
        for keyword in ("Bearer", "Token", "bearer"):
            response = client_with(f"{keyword} {raw}").get(ME)
            assert response.status_code == 200, keyword
            assert response.json()["username"] == member.username

    def test_no_credentials_is_401_with_a_bearer_challenge(self, anon_api):
        response = anon_api.get(ME)
        assert response.status_code == 401
        body = response.json()
        assert body["code"] == "not_authenticated"
        assert body["detail"].startswith("Authentication credentials were not provided. Send “Authorization: Bearer")
        assert "/profile/" in body["detail"] and "/accounts/login/" in body["detail"] and "/api/docs/" in body["detail"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")

    def test_api_redirects_to_the_current_version(self, anon_api):
        response = anon_api.get("/api/")
        assert response.status_code == 302 and response["Location"] == "/api/v1/"

    @pytest.mark.parametrize("header", ["Bearer tt_" + "x" * 40, "Bearer", "Bearer a b", "Token nonsense"])
    def test_an_unknown_or_malformed_token_is_401(self, header):
        response = client_with(header).get(ME)
        assert response.status_code == 401
        assert response.json()["code"] in ("invalid_token", "authentication_failed")

    def test_expired_and_revoked_tokens_are_401(self, member):
        expired, raw_expired = api_token_create(
            actor=member, name="a", scopes="read:users", expires_at=timezone.now() + timedelta(hours=1)
        )
        ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        revoked, raw_revoked = api_token_create(actor=member, name="b", scopes="read:users")
        api_token_revoke(actor=member, token=revoked)
        for raw in (raw_expired, raw_revoked):
            response = client_with(f"Bearer {raw}").get(ME)
            assert response.status_code == 401
            assert response.json()["code"] == "invalid_token"

    def test_a_token_without_the_scope_is_403_naming_the_scope(self, api_as, member):
        response = api_as(member, ["read:clients"]).get(ME)
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"
        assert "read:users" in response.json()["detail"]

    def test_session_login_works_for_the_browsable_api(self, client, member):
        client.force_login(member)
        response = client.get(ME, HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        assert b"<html" in response.content and member.username.encode() in response.content

    def test_there_is_no_api_password_login_that_would_skip_the_sign_in_page(self, client):
        assert client.get("/api/auth/login/").status_code == 404

    def test_session_writes_need_the_csrf_token(self, member, project):
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(member)
        response = client.post("/api/v1/timer/start/", {"project": project.pk}, format="json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]

    def test_requests_beyond_the_rate_are_429_per_token(self, settings, api_as, member):
        cache.clear()  # counts live in the cache (Redis in CI), which outlives the test database
        settings.API_THROTTLE_RATE = "3/minute"
        first, second = api_as(member, ["read:users"]), api_as(member, ["read:users"])
        assert [first.get(ME).status_code for _ in range(3)] == [200, 200, 200]
        limited = first.get(ME)
        assert limited.status_code == 429
        assert limited.json()["code"] == "throttled"
        assert "Retry-After" in limited.headers
        assert second.get(ME).status_code == 200


class TestFailedAuthenticationThrottle:
    """Guessing tokens from one address is cut off (issue 13 §16); other addresses and proxies' clients are not."""

    BAD = "Bearer tt_" + "x" * 40

    @pytest.fixture(autouse=True)
    def _rate(self, settings):
        cache.clear()
        settings.API_AUTH_FAILURE_RATE = "5/minute"

    def test_after_the_rate_of_failures_an_address_gets_429_with_retry_after(self, member):
        _, good = api_token_create(actor=member, name="a", scopes="read:users")
        guesser = client_with(self.BAD)
        assert [guesser.get(ME).status_code for _ in range(5)] == [401] * 5
        limited = guesser.get(ME)
        assert limited.status_code == 429
        assert limited.json()["code"] == "throttled"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # Even a good token from that address waits: guessing right must not be the way out.
        assert client_with(f"Bearer {good}").get(ME).status_code == 429
        # Another address is not affected.
        assert client_with(f"Bearer {good}").get(ME, REMOTE_ADDR="192.0.2.7").status_code == 200

    def test_malformed_headers_count_as_failures_too(self):
        guesser = client_with("Bearer a b")
        assert [guesser.get(ME).status_code for _ in range(6)] == [401] * 5 + [429]

    def test_successful_requests_are_not_counted(self, member):
        _, good = api_token_create(actor=member, name="a", scopes="read:users")
        assert {client_with(f"Bearer {good}").get(ME).status_code for _ in range(8)} == {200}

    def test_a_forged_forwarded_for_header_does_not_give_a_fresh_address(self):
        guesser = client_with(self.BAD)
        codes = [guesser.get(ME, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(6)]
        assert codes == [401] * 5 + [429]

    def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(self, settings):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
        guesser = client_with(self.BAD)
        # The proxy appends the address it saw; what the client sent before it is ignored.
        codes = [guesser.get(ME, HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.5").status_code for i in range(6)]
        assert codes == [401] * 5 + [429]
        other = guesser.get(ME, HTTP_X_FORWARDED_FOR="203.0.113.6")
        assert other.status_code == 401

    def test_empty_rate_switches_it_off(self, settings):
        settings.API_AUTH_FAILURE_RATE = ""
        guesser = client_with(self.BAD)
        assert {guesser.get(ME).status_code for _ in range(8)} == {401}
