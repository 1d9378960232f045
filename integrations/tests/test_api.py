"""GET/PUT /api/v1/integrations/<provider>/config/, status/, test/ and sync/: permissions, secrets, error shape."""

import pytest

from integrations.models import Integration
from integrations.signals import integration_connected

from .conftest import ACCESS_TOKEN, WEBHOOK_SECRET

URL = "/api/v1/integrations/github/"


def put(client, body, scope=""):
    return client.put(f"{URL}config/{scope}", body, content_type="application/json")


def test_get_config_reports_which_secrets_are_set_but_never_their_values(client, admin_user, github):
    client.force_login(admin_user)
    response = client.get(f"{URL}config/")
    assert response.status_code == 200
    data = response.json()
    assert data["secrets"] == {"webhook_secret": True, "access_token": True}
    assert data["config"]["repository"] == "Codertocat/Hello-World"
    assert WEBHOOK_SECRET not in response.content.decode()
    assert ACCESS_TOKEN not in response.content.decode()


def test_admin_configures_github_and_gets_the_generated_webhook_secret_once(
    client, admin_user, project, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    connected = []
    integration_connected.connect(lambda sender, **kw: connected.append(kw), dispatch_uid="t-conn", weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            with_capture = put(
                client,
                {
                    "is_active": True,
                    "config": {"repository": "octo/site", "default_project": project.pk},
                    "secrets": {},
                },
            )
    finally:
        integration_connected.disconnect(dispatch_uid="t-conn")
    assert with_capture.status_code == 200, with_capture.content
    generated = with_capture.json()["generated_secrets"]["webhook_secret"]
    integration = Integration.objects.get(provider="github", owner=None)
    assert integration.secrets["webhook_secret"] == generated
    assert connected and connected[0]["integration_id"] == integration.pk
    again = client.get(f"{URL}config/")
    assert generated not in again.content.decode()
    assert "generated_secrets" not in again.json()


def test_put_with_partial_body_keeps_other_config_and_secrets(client, admin_user, github):
    client.force_login(admin_user)
    response = put(client, {"config": {"label_filter": ["bug"]}})
    assert response.status_code == 200
    github.refresh_from_db()
    assert github.config["repository"] == "Codertocat/Hello-World"
    assert github.config["label_filter"] == ["bug"]
    assert github.secrets["access_token"] == ACCESS_TOKEN


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"repository": "not a repo"}, "repository"),
        ({"default_project": 999999}, "default_project"),
        ({"default_project": "x"}, "default_project"),
        ({"surprise": 1}, "config"),
    ],
)
def test_invalid_config_is_refused_with_400_naming_the_field(client, admin_user, github, config, field):
    client.force_login(admin_user)
    response = put(client, {"config": config})
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_activating_without_a_repository_is_refused(client, admin_user):
    client.force_login(admin_user)
    response = put(client, {"is_active": True, "config": {}})
    assert response.status_code == 400
    assert not Integration.objects.exists()


def test_members_cannot_change_the_organisation_integration(client, member, github):
    client.force_login(member)
    assert put(client, {"is_active": False}).status_code == 403
    assert client.post(f"{URL}sync/").status_code == 403
    assert client.post(f"{URL}test/").status_code == 403
    github.refresh_from_db()
    assert github.is_active


def test_members_see_the_organisation_status_without_secrets(client, member, github):
    client.force_login(member)
    response = client.get(f"{URL}status/")
    assert response.status_code == 200
    assert response.json()["is_active"] is True
    assert WEBHOOK_SECRET not in response.content.decode()


def test_github_has_no_personal_scope(client, member, project):
    client.force_login(member)
    response = put(client, {"is_active": True, "config": {"repository": "me/mine"}}, scope="?scope=personal")
    assert response.status_code == 400
    assert not Integration.objects.exists()


def test_not_configured_integration_answers_409_with_the_uniform_error(client, admin_user):
    client.force_login(admin_user)
    for action in ("sync", "test"):
        response = client.post(f"{URL}{action}/")
        assert response.status_code == 409
        assert response.json() == {
            "ok": False,
            "error": "Integration not configured",
            "detail": "Integration not configured",
            "code": "not_configured",
        }
    status = client.get(f"{URL}status/").json()
    assert status["ok"] is False and status["error"] == "Integration not configured"


def test_unknown_provider_and_scope_are_clear_errors(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/integrations/nope/config/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = client.get(f"{URL}config/?scope=galaxy")
    assert response.status_code == 400 and response.json()["code"] == "invalid_scope"


def test_anonymous_requests_are_refused(client, github):
    assert client.get(f"{URL}config/").status_code in (401, 403)
    assert client.post(f"{URL}sync/").status_code in (401, 403)


def test_sync_through_the_api_runs_and_reports_counts(client, admin_user, github, fake_github, in_process_tasks):
    fake_github.issue(1, "One")
    client.force_login(admin_user)
    response = client.post(f"{URL}sync/")
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["created"] == 1
    status = client.get(f"{URL}status/").json()
    assert status["last_sync_status"] == "ok"
    assert status["last_sync_counts"]["created"] == 1


def test_an_empty_scope_is_refused_not_read_as_the_default(client, admin_user, github):
    client.force_login(admin_user)
    response = client.get(f"{URL}config/?scope=")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_scope"


def test_the_schema_offers_each_connector_only_its_own_scopes(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert not [p for p in paths if "{provider}" in p]

    def scopes(provider):
        params = paths[f"/api/v1/integrations/{provider}/config/"]["get"]["parameters"]
        return next(p for p in params if p["name"] == "scope")["schema"]["enum"]

    assert scopes("github") == scopes("slack") == ["organisation"]
    assert scopes("google") == ["personal"]


def test_the_schema_types_path_ids_and_page_bounds_as_the_api_enforces_them(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    (identifier,) = [p for p in paths["/api/v1/projects/{id}/"]["get"]["parameters"] if p["name"] == "id"]
    assert identifier["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
    params = {p["name"]: p["schema"] for p in paths["/api/v1/projects/"]["get"]["parameters"]}
    assert params["page"]["minimum"] == 1
    assert (params["page_size"]["minimum"], params["page_size"]["maximum"]) == (1, 500)
    entries = {p["name"]: p["schema"] for p in paths["/api/v1/time-entries/"]["get"]["parameters"]}
    assert entries["user"]["minimum"] == 1
