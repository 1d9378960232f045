"""API tokens reach the integrations API only with the integrations scopes; the role still decides the rest."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from accounts.tokens import api_token_create

pytestmark = pytest.mark.django_db


def bearer(user, scopes):
    _, raw = api_token_create(user=user, name="script", scopes=scopes)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_token_without_integration_scope_is_refused(client):
    admin = UserFactory(role=Role.ADMIN)
    response = client.get("/api/v1/integrations/github/config/", **bearer(admin, ["read:time_entries"]))
    assert response.status_code == 403
    assert "read:integrations" in response.json()["detail"]


def test_read_scope_reads_but_cannot_write(client):
    admin = UserFactory(role=Role.ADMIN)
    headers = bearer(admin, ["read:integrations"])
    assert client.get("/api/v1/integrations/github/config/", **headers).status_code == 200
    response = client.put(
        "/api/v1/integrations/github/config/", data={"is_active": False}, content_type="application/json", **headers
    )
    assert response.status_code == 403
    assert "write:integrations" in response.json()["detail"]


def test_write_scope_still_needs_the_admin_role_for_organisation_wide_connectors(client):
    member = UserFactory(role=Role.MEMBER)
    response = client.put(
        "/api/v1/integrations/github/config/",
        data={"is_active": True, "config": {"repository": "a/b"}},
        content_type="application/json",
        **bearer(member, ["read:integrations", "write:integrations"]),
    )
    assert response.status_code == 403


def test_no_token_is_401(client):
    response = client.get("/api/v1/integrations/github/config/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
