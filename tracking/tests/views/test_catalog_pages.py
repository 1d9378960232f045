"""Clients, projects and tasks in the web UI."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tracking.models import Client, Project, Task
from tracking.tests.factories import ClientFactory, ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_project_list_searches_and_hides_archived(client_for, member):
    ProjectFactory(name="Website", code="WEB")
    ProjectFactory(name="Mobile", code="APP")
    ProjectFactory(name="Old website", archived=True)
    client = client_for(member)
    names = [p.name for p in client.get(reverse("project_list"), {"q": "web"}).context["projects"]]
    assert names == ["Website"]
    archived = [p.name for p in client.get(reverse("project_list"), {"archived": "1"}).context["projects"]]
    assert archived == ["Old website"]


def test_member_does_not_see_a_restricted_project(client_for, member):
    hidden = ProjectFactory(name="Secret", is_public=False)
    client = client_for(member)
    assert "Secret" not in client.get(reverse("project_list")).content.decode()
    assert client.get(reverse("project_detail", args=[hidden.pk])).status_code == 404


def test_project_detail_shows_totals_and_budget_used(client_for, manager, member, team):
    project = ProjectFactory(hourly_rate=Decimal("100"), budget_hours=Decimal("10"), budget_amount=Decimal("400"))
    TimeEntryFactory(user=member, project=project)  # one hour
    TimeEntryFactory(user=member, project=project, billable=False, start=project.created_at)
    TaskFactory(project=project, name="Doing", status=Task.Status.IN_PROGRESS)
    response = client_for(manager).get(reverse("project_detail", args=[project.pk]))
    summary = response.context["summary"]
    assert summary["seconds"] == 7200 and summary["amount"] == Decimal("100.00")
    assert summary["hours_pct"] == 20 and summary["amount_pct"] == 25
    columns = {c["status"]: [t.name for t in c["tasks"]] for c in response.context["columns"]}
    assert columns == {"todo": [], "in_progress": ["Doing"], "done": []}
    assert 'aria-valuenow="20"' in response.content.decode()


def test_client_detail_totals_cover_its_projects(client_for, admin_user):
    acme = ClientFactory(default_hourly_rate=Decimal("60"))
    TimeEntryFactory(project=ProjectFactory(client=acme))
    response = client_for(admin_user).get(reverse("client_detail", args=[acme.pk]))
    assert response.context["totals"]["amount"] == Decimal("60.00")


def test_member_may_not_create_or_archive(client_for, member, project):
    client = client_for(member)
    assert client.get(reverse("project_new")).status_code == 403
    assert client.post(reverse("client_new"), {"name": "X"}).status_code == 403
    assert client.post(reverse("project_archive", args=[project.pk])).status_code == 403
    project.refresh_from_db()
    assert not project.archived and not Client.objects.filter(name="X").exists()


def test_manager_creates_a_client_project_and_task(client_for, manager):
    client = client_for(manager)
    assert client.post(reverse("client_new"), {"name": "Initech", "default_hourly_rate": "80"}).status_code == 302
    initech = Client.objects.get(name="Initech")
    response = client.post(
        reverse("project_new"),
        {
            "name": "Portal",
            "client": initech.pk,
            "code": "POR",
            "color": "#123456",
            "billable": "on",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    portal = Project.objects.get(name="Portal")
    assert (
        client.post(
            reverse("task_new"), {"name": "Login", "project": portal.pk, "status": "todo", "priority": "normal"}
        ).status_code
        == 302
    )
    assert Task.objects.filter(project=portal, name="Login").exists()


def test_invalid_project_shows_errors_next_to_fields(client_for, manager):
    response = client_for(manager).post(reverse("project_new"), {"name": "", "color": "blue"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "name" in errors and "color" in errors


def test_manager_archives_and_restores_a_project(client_for, manager, project):
    client = client_for(manager)
    client.post(reverse("project_archive", args=[project.pk]), {"archived": "1"})
    project.refresh_from_db()
    assert project.archived
    client.post(reverse("project_archive", args=[project.pk]), {"archived": "0"})
    project.refresh_from_db()
    assert not project.archived


def test_task_board_moves_a_task_between_status_columns(client_for, manager, project):
    task = TaskFactory(project=project)
    client = client_for(manager)
    client.post(reverse("task_status", args=[task.pk]), {"status": "done"})
    task.refresh_from_db()
    assert task.status == "done"
    response = client.post(reverse("task_status", args=[task.pk]), {"status": "nonsense"}, follow=True)
    assert "Choose a status" in response.content.decode()


def test_member_may_not_change_task_status(client_for, member, project):
    task = TaskFactory(project=project)
    assert client_for(member).post(reverse("task_status", args=[task.pk]), {"status": "done"}).status_code == 403
    task.refresh_from_db()
    assert task.status == "todo"


def test_catalog_pages_query_counts_are_bounded(client_for, manager, django_assert_max_num_queries):
    for i in range(15):
        project = ProjectFactory()
        TaskFactory(project=project, name=f"T{i}")
    client = client_for(manager)
    for name in ("project_list", "client_list", "task_board"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name)).status_code == 200
