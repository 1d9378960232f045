"""Clients, projects, tasks and tags over the API."""

import pytest

from tracking.models import Client, Project, Tag, Task
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TaskFactory

pytestmark = pytest.mark.django_db


class TestClients:
    def test_manager_creates_reads_updates_and_archives_a_client(self, api_as, manager):
        api = api_as(manager)
        created = api.post("/api/v1/clients/", {"name": "Acme", "default_hourly_rate": "95.50"}, format="json")
        assert created.status_code == 201
        body = created.json()
        assert body["name"] == "Acme" and body["default_hourly_rate"] == "95.50" and body["archived"] is False
        assert body["created_at"].endswith("Z")
        url = f"/api/v1/clients/{body['id']}/"
        assert api.get(url).json()["name"] == "Acme"
        assert api.patch(url, {"contact": "ann@acme.test"}, format="json").json()["contact"] == "ann@acme.test"
        replaced = api.put(url, {"name": "Acme Inc"}, format="json")
        assert replaced.status_code == 200 and replaced.json()["name"] == "Acme Inc"
        assert api.delete(url).status_code == 204
        assert Client.objects.get(pk=body["id"]).archived is True

    def test_members_may_read_but_not_write_clients(self, api_as, member):
        client = ClientFactory()
        api = api_as(member)
        assert api.get(f"/api/v1/clients/{client.pk}/").status_code == 200
        refused = api.post("/api/v1/clients/", {"name": "New"}, format="json")
        assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
        assert api.delete(f"/api/v1/clients/{client.pk}/").status_code == 403
        assert not Client.objects.filter(name="New").exists()

    def test_a_read_token_cannot_write(self, api_as, manager):
        response = api_as(manager, ["read:clients"]).post("/api/v1/clients/", {"name": "New"}, format="json")
        assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"

    def test_bad_input_is_400_naming_the_field(self, api_as, manager):
        ClientFactory(name="Taken")
        api = api_as(manager)
        duplicate = api.post("/api/v1/clients/", {"name": "Taken"}, format="json")
        assert duplicate.status_code == 400 and "name" in duplicate.json()["errors"]
        wrong_type = api.post("/api/v1/clients/", {"name": "X", "default_hourly_rate": "lots"}, format="json")
        assert wrong_type.status_code == 400 and "default_hourly_rate" in wrong_type.json()["errors"]
        negative = api.post("/api/v1/clients/", {"name": "X", "default_hourly_rate": "-1"}, format="json")
        assert negative.status_code == 400
        not_an_object = api.post("/api/v1/clients/", [1, 2], format="json")
        assert not_an_object.status_code == 400

    def test_archived_filter_and_unknown_filter(self, api_as, member):
        ClientFactory(name="Old", archived=True)
        ClientFactory(name="Live")
        api = api_as(member)
        names = [c["name"] for c in api.get("/api/v1/clients/?archived=false").json()["results"]]
        assert names == ["Live"]
        bad = api.get("/api/v1/clients/?archived=maybe")
        assert bad.status_code == 400 and "archived" in bad.json()["errors"]
        unknown = api.get("/api/v1/clients/?nmae=Live")
        assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_filter"

    def test_missing_client_is_404(self, api_as, member):
        response = api_as(member).get("/api/v1/clients/999999/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


class TestProjects:
    def test_manager_creates_a_project_with_teams_and_members(self, api_as, manager, team, member):
        client = ClientFactory()
        response = api_as(manager).post(
            "/api/v1/projects/",
            {"name": "Web", "client": client.pk, "code": "WEB", "is_public": False, "teams": [team.pk], "members": []},
            format="json",
        )
        assert response.status_code == 201, response.json()
        project = Project.objects.get(pk=response.json()["id"])
        assert list(project.teams.all()) == [team] and project.client == client
        assert response.json()["teams"] == [team.pk]

    def test_members_see_only_projects_open_to_them(self, api_as, member, other_member):
        open_project = ProjectFactory(is_public=True)
        closed = ProjectFactory(is_public=False)
        closed.members.add(other_member)
        api = api_as(member)
        ids = [p["id"] for p in api.get("/api/v1/projects/").json()["results"]]
        assert ids == [open_project.pk]
        assert api.get(f"/api/v1/projects/{closed.pk}/").status_code == 404

    def test_a_project_on_an_archived_client_is_refused(self, api_as, manager):
        client = ClientFactory(archived=True)
        response = api_as(manager).post("/api/v1/projects/", {"name": "X", "client": client.pk}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {"client": [f"The client “{client.name}” is archived."]}

    def test_bad_colour_is_400(self, api_as, manager):
        response = api_as(manager).post("/api/v1/projects/", {"name": "X", "color": "red"}, format="json")
        assert response.status_code == 400 and "color" in response.json()["errors"]

    def test_listing_projects_takes_a_fixed_number_of_queries(
        self, api_as, manager, team, django_assert_max_num_queries
    ):
        for _ in range(20):
            project = ProjectFactory()
            project.teams.add(team)
        api = api_as(manager)
        with django_assert_max_num_queries(8):
            response = api.get("/api/v1/projects/?page_size=100")
        assert response.json()["count"] == 20


class TestTasks:
    def test_manager_creates_and_filters_tasks(self, api_as, manager):
        project = ProjectFactory()
        api = api_as(manager)
        created = api.post("/api/v1/tasks/", {"project": project.pk, "name": "Nav", "status": "todo"}, format="json")
        assert created.status_code == 201 and created.json()["source"] == "api"
        TaskFactory(name="Elsewhere")
        names = [t["name"] for t in api.get(f"/api/v1/tasks/?project={project.pk}").json()["results"]]
        assert names == ["Nav"]
        assert api.get("/api/v1/tasks/?status=started").status_code == 400

    def test_task_on_a_project_you_cannot_see_is_400_and_a_hidden_task_is_404(self, api_as, member, manager):
        hidden = ProjectFactory(is_public=False)
        task = TaskFactory(project=hidden)
        response = api_as(manager).post("/api/v1/tasks/", {"project": 999999, "name": "x"}, format="json")
        assert response.status_code == 400 and "project" in response.json()["errors"]
        assert api_as(member).get(f"/api/v1/tasks/{task.pk}/").status_code == 404

    def test_member_cannot_archive_a_task(self, api_as, member):
        task = TaskFactory()
        assert api_as(member).delete(f"/api/v1/tasks/{task.pk}/").status_code == 403
        task.refresh_from_db()
        assert task.archived is False

    def test_listing_tasks_takes_a_fixed_number_of_queries(self, api_as, admin_user, django_assert_max_num_queries):
        for _ in range(20):
            TaskFactory()
        api = api_as(admin_user)
        with django_assert_max_num_queries(6):
            response = api.get("/api/v1/tasks/?page_size=100")
        assert response.json()["count"] == 20


class TestTags:
    def test_members_create_tags_and_managers_rename_and_delete_them(self, api_as, member, manager):
        created = api_as(member).post("/api/v1/tags/", {"name": "urgent"}, format="json")
        assert created.status_code == 201
        tag_id = created.json()["id"]
        assert api_as(member).patch(f"/api/v1/tags/{tag_id}/", {"name": "x"}, format="json").status_code == 403
        renamed = api_as(manager).patch(f"/api/v1/tags/{tag_id}/", {"name": "asap"}, format="json")
        assert renamed.json() == {"id": tag_id, "name": "asap"}
        assert api_as(manager).delete(f"/api/v1/tags/{tag_id}/").status_code == 204
        assert not Tag.objects.exists()

    def test_a_duplicate_tag_name_is_400(self, api_as, member):
        TagFactory(name="Urgent")
        response = api_as(member).post("/api/v1/tags/", {"name": "urgent"}, format="json")
        assert response.status_code == 400 and "name" in response.json()["errors"]

    def test_viewers_cannot_create_tags(self, api_as, viewer):
        response = api_as(viewer).post("/api/v1/tags/", {"name": "x"}, format="json")
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]

    def test_tags_filter_by_name(self, api_as, member):
        TagFactory(name="frontend")
        TagFactory(name="backend")
        names = [t["name"] for t in api_as(member).get("/api/v1/tags/?name=front").json()["results"]]
        assert names == ["frontend"]


def test_task_model_is_untouched_by_refused_requests(api_as, viewer):
    project = ProjectFactory()
    response = api_as(viewer).post("/api/v1/tasks/", {"project": project.pk, "name": "x"}, format="json")
    assert response.status_code == 403
    assert not Task.objects.exists()
