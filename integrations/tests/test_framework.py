"""The connector framework: registry, graceful degradation, and a new provider needing no framework change."""

import pytest

from integrations.connectors import base
from integrations.connectors.base import NOT_CONFIGURED, Connector, connector_classes, get_connector_class, register
from integrations.models import Integration


def test_github_is_registered_from_its_folder():
    assert get_connector_class("github").name == "GitHub"
    assert "github" in [cls.provider for cls in connector_classes()]


@pytest.mark.parametrize("integration", [None, "inactive"])
def test_every_method_of_an_unconfigured_connector_answers_not_configured(db, integration, github):
    if integration == "inactive":
        github.is_active = False
        github.save()
        integration = github
    connector = get_connector_class("github")(integration)
    expected = {"ok": False, "error": NOT_CONFIGURED}
    assert connector.test_connection() == expected
    assert connector.sync() == expected
    assert connector.status()["ok"] is False and connector.status()["error"] == NOT_CONFIGURED
    assert connector.handle_webhook("issues", {"action": "opened"}, None).body == expected


class EchoConnector(Connector):
    provider = "echo"
    name = "Echo"
    scopes = (base.PERSONAL,)
    config_fields = (base.ConfigField("greeting", "Greeting"),)
    secret_fields = (base.SecretField("api_key", "API key"),)
    can_sync = True

    def do_sync(self):
        return {"ok": True, "counts": {"echoed": len(self.config.get("greeting", ""))}}


@pytest.fixture
def echo_registered():
    register(EchoConnector)
    yield
    base._REGISTRY.pop("echo")


def test_a_new_connector_works_through_the_api_without_framework_changes(
    echo_registered, client, member, in_process_tasks
):
    client.force_login(member)
    response = client.put(
        "/api/v1/integrations/echo/config/",
        {"is_active": True, "config": {"greeting": "hello"}, "secrets": {"api_key": "k-123456789"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "personal"
    assert response.json()["secrets"] == {"api_key": True}
    sync = client.post("/api/v1/integrations/echo/sync/")
    assert sync.status_code == 200 and sync.json()["counts"] == {"echoed": 5}
    assert Integration.objects.get(provider="echo").owner == member
    page = client.get("/integrations/")
    assert b"Echo" in page.content


def test_two_connectors_cannot_claim_one_provider():
    class Other(Connector):
        provider = "github"

    with pytest.raises(ValueError, match="two connectors"):
        register(Other)


def test_personal_integrations_are_their_owners_alone(echo_registered, client, member, other_member):
    client.force_login(member)
    body = {"is_active": True, "config": {"greeting": "hi"}, "secrets": {"api_key": "secret-value-123"}}
    assert client.put("/api/v1/integrations/echo/config/", body, content_type="application/json").status_code == 200
    client.force_login(other_member)
    assert client.get("/api/v1/integrations/echo/config/").json()["configured"] is False
    assert client.post("/api/v1/integrations/echo/sync/").status_code == 409
    assert Integration.objects.get(provider="echo").owner == member


def test_viewers_cannot_create_personal_integrations(echo_registered, client, viewer):
    client.force_login(viewer)
    response = client.put("/api/v1/integrations/echo/config/", {"config": {}}, content_type="application/json")
    assert response.status_code == 403
    assert not Integration.objects.exists()


def test_an_organisation_only_connector_refuses_an_owner(db, member):
    from django.core.exceptions import ValidationError

    from integrations.services import integration_configure

    with pytest.raises(ValidationError, match="organisation"):
        integration_configure(actor=member, provider="github", owner=member, config={})
