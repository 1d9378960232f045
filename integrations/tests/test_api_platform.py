"""The integrations API stands on the API platform: v1 paths, the error shape, strict query parameters,
idempotency, throttling, the OpenAPI schema, and 308 redirects from the earlier paths."""

import pytest
from django.core.cache import cache

from integrations.models import Integration

URL = "/api/v1/integrations/github/"


def test_old_paths_answer_308_to_the_v1_paths_keeping_the_query(client, admin_user):
    client.force_login(admin_user)
    for action in ("config", "status", "test", "sync"):
        response = client.post(f"/api/integrations/github/{action}?scope=organisation")
        assert response.status_code == 308
        assert response["Location"] == f"{URL}{action}/?scope=organisation"


def test_a_put_follows_the_redirect_with_its_method_and_body(client, admin_user, project):
    client.force_login(admin_user)
    body = {"config": {"repository": "octo/site"}}
    response = client.put("/api/integrations/github/config", body, content_type="application/json", follow=True)
    assert response.redirect_chain == [(f"{URL}config/", 308)]
    assert response.status_code == 200, response.content
    assert Integration.objects.get(provider="github").config["repository"] == "octo/site"


def test_the_webhook_receiver_stays_where_providers_send_it(client, db):
    response = client.post("/api/integrations/github/webhook", b"{}", content_type="application/json")
    assert response.status_code != 308 and response.status_code < 500


def test_an_unknown_query_parameter_is_400_naming_it(client, admin_user, github):
    client.force_login(admin_user)
    response = client.get(f"{URL}config/?scop=personal")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_filter"
    assert "scop" in response.json()["errors"]


def test_a_refusal_has_the_api_error_shape(client, member, github):
    client.force_login(member)
    response = client.put(f"{URL}config/", {"is_active": False}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied" and response.json()["detail"]


def test_bad_input_has_the_api_error_shape(client, admin_user, github):
    client.force_login(admin_user)
    response = client.put(f"{URL}config/", {"config": "not an object"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "errors"} and "config" in response.json()["errors"]


def test_a_retried_sync_with_the_same_key_is_replayed_not_run_again(
    client, admin_user, github, fake_github, in_process_tasks
):
    fake_github.issue(1, "One")
    client.force_login(admin_user)
    first = client.post(f"{URL}sync/", content_type="application/json", HTTP_IDEMPOTENCY_KEY="sync-1")
    calls = len(fake_github.requests)
    assert calls > 0
    again = client.post(f"{URL}sync/", content_type="application/json", HTTP_IDEMPOTENCY_KEY="sync-1")
    assert first.status_code == again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(fake_github.requests) == calls  # GitHub was not asked again


def test_requests_beyond_the_rate_are_429(client, settings, admin_user, github):
    settings.API_THROTTLE_RATE = "2/minute"
    cache.clear()
    client.force_login(admin_user)
    codes = [client.get(f"{URL}status/").status_code for _ in range(3)]
    cache.clear()
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_the_integrations_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    # Each provider has its own paths (with only the scopes it accepts).
    for provider in ("github", "slack", "google"):
        for action, method in (
            ("config", "get"),
            ("config", "put"),
            ("status", "get"),
            ("test", "post"),
            ("sync", "post"),
        ):
            operation = schema["paths"][f"/api/v1/integrations/{provider}/{action}/"][method]
            assert "integrations" in operation["tags"]
            assert "400" in operation["responses"] and "403" in operation["responses"]
    assert not any(path.startswith("/api/integrations/") for path in schema["paths"])
