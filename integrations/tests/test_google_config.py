"""A member's personal Google Calendar settings: only projects they may track on (one answer whether a project does
not exist or is closed to them), and only the connector's own settings (never its sync state)."""

import json

import pytest

from accounts.tests.factories import TeamFactory
from integrations import services
from integrations.models import Integration
from tracking.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/integrations/google/config/?scope=personal"


def put(client, config):
    return client.put(URL, json.dumps({"config": config}), content_type="application/json")


@pytest.fixture
def signed_in(client, member):
    client.force_login(member)
    return client


def test_a_project_restricted_to_another_team_is_refused_like_one_that_does_not_exist(signed_in, other_member):
    restricted = ProjectFactory(name="Secret merger", is_public=False)
    restricted.teams.add(TeamFactory(members=[other_member]))
    closed = put(signed_in, {"default_project": restricted.pk})
    missing = put(signed_in, {"default_project": restricted.pk + 1000})
    assert closed.status_code == missing.status_code == 400
    assert closed.json() == missing.json()
    assert closed.json()["errors"] == {"default_project": ["Choose one of the projects you can track time on."]}
    assert "Secret merger" not in closed.content.decode()
    assert not Integration.objects.filter(provider="google").exists()


def test_an_archived_restricted_project_does_not_give_its_name_away(signed_in):
    hidden = ProjectFactory(name="Hidden archive", is_public=False, archived=True)
    response = put(signed_in, {"default_project": hidden.pk})
    assert response.status_code == 400 and "Hidden archive" not in response.content.decode()


def test_a_project_open_to_the_member_is_kept(signed_in, member, project):
    response = put(signed_in, {"default_project": project.pk})
    assert response.status_code == 200, response.content
    assert Integration.objects.get(provider="google", owner=member).config["default_project"] == project.pk


@pytest.mark.parametrize("config", [{"state": {"sync_token": "forged"}}, {"colour": "red"}])
def test_unknown_settings_and_the_sync_state_are_refused(signed_in, config):
    response = put(signed_in, config)
    assert response.status_code == 400
    assert "Unknown settings" in response.json()["errors"]["config"][0]


def test_the_connector_keeps_its_own_sync_state_across_a_change(member, project):
    integration, _ = services.integration_configure(
        actor=member, provider="google", owner=member, config={"default_project": project.pk}
    )
    Integration.objects.filter(pk=integration.pk).update(config={**integration.config, "state": {"sync_token": "t1"}})
    integration, _ = services.integration_configure(
        actor=member, provider="google", owner=member, config={"days_back": 3}
    )
    assert integration.config["state"] == {"sync_token": "t1"} and integration.config["days_back"] == 3


def test_a_nul_in_settings_is_refused_by_the_service_whatever_the_form(member):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="NUL"):
        services.integration_configure(actor=member, provider="google", owner=member, config={"calendar_id": "a\x00b"})
