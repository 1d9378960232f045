"""Managers edit clients and projects in the web UI, including who may track on a private project."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import TeamFactory
from tracking import selectors
from tracking.models import Client, Project
from tracking.tests.factories import ClientFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _project_data(project, **changes):
    data = {
        "name": project.name,
        "client": project.client_id or "",
        "code": project.code,
        "color": project.color,
        "billable": "on" if project.billable else "",
        "hourly_rate": "",
        "budget_hours": "",
        "budget_amount": "",
        "is_public": "on" if project.is_public else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_a_manager_edits_a_project_and_says_who_may_track(client_for, manager, member, other_member, team):
    project = ProjectFactory(name="Website", billable=True)
    other_client = ClientFactory(name="Globex")
    page = client_for(manager).get(reverse("project_edit", args=[project.pk]))
    assert page.status_code == 200
    assert 'name="teams"' in page.content.decode() and 'name="members"' in page.content.decode()

    data = _project_data(
        project,
        name="Website 2",
        client=other_client.pk,
        code="WEB2",
        color="#ff0000",
        billable="",
        hourly_rate="90",
        budget_hours="12.5",
        is_public="",
        teams=[team.pk],
    )
    response = client_for(manager).post(reverse("project_edit", args=[project.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("project_detail", args=[project.pk])
    project.refresh_from_db()
    assert (project.name, project.client, project.code, project.color) == ("Website 2", other_client, "WEB2", "#ff0000")
    assert not project.billable and project.hourly_rate == Decimal("90") and project.budget_hours == Decimal("12.5")
    assert not project.is_public and list(project.teams.all()) == [team]
    assert project in selectors.trackable_projects(user=member)  # in the team
    assert project not in selectors.trackable_projects(user=other_member)
    detail = client_for(manager).get(reverse("project_detail", args=[project.pk])).content.decode()
    assert f"Who may track: {team.name}" in detail and f'href="/projects/{project.pk}/edit/"' in detail


def test_an_admin_adds_a_person_and_archives_the_project(client_for, admin_user, other_member):
    project = ProjectFactory(is_public=False)
    data = _project_data(project, members=[other_member.pk], archived="on")
    assert client_for(admin_user).post(reverse("project_edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.archived and list(project.members.all()) == [other_member]


def test_teams_the_editor_cannot_see_are_kept(client_for, manager, team):
    hidden_team = TeamFactory(name="Elsewhere")
    project = ProjectFactory(is_public=False)
    project.teams.set([hidden_team])
    page = client_for(manager).get(reverse("project_edit", args=[project.pk]))
    assert "Elsewhere" in page.content.decode()  # already on the project, so it stays offered (and ticked)
    data = _project_data(project, teams=[hidden_team.pk, team.pk])
    client_for(manager).post(reverse("project_edit", args=[project.pk]), data)
    assert set(project.teams.all()) == {hidden_team, team}


def test_a_bad_value_is_shown_next_to_its_field(client_for, manager):
    project = ProjectFactory()
    taken = ProjectFactory(code="TAKEN")
    response = client_for(manager).post(
        reverse("project_edit", args=[project.pk]), _project_data(project, color="red", code=taken.code)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "color" in errors and "code" in errors


def test_members_and_viewers_may_not_edit(client_for, member, viewer):
    project = ProjectFactory()
    for user in (member, viewer):
        client = client_for(user)
        assert client.get(reverse("project_edit", args=[project.pk])).status_code == 403
        assert (
            client.post(reverse("project_edit", args=[project.pk]), _project_data(project, name="x")).status_code == 403
        )
        assert (
            f'href="/projects/{project.pk}/edit/"'
            not in client.get(reverse("project_detail", args=[project.pk])).content.decode()
        )
    assert Project.objects.get(pk=project.pk).name == project.name


def test_a_manager_edits_and_archives_a_client(client_for, manager, member):
    client_obj = ClientFactory(name="Acme")
    url = reverse("client_edit", args=[client_obj.pk])
    response = client_for(manager).post(
        url, {"name": "Acme Corp", "contact": "ops@acme.test", "default_hourly_rate": "120", "archived": "on"}
    )
    assert response.status_code == 302
    client_obj.refresh_from_db()
    assert (client_obj.name, client_obj.default_hourly_rate, client_obj.archived) == ("Acme Corp", Decimal("120"), True)
    assert client_for(member).get(url).status_code == 403
    assert Client.objects.count() == 1


def test_the_new_project_form_has_the_pickers_and_no_archived_box(client_for, manager, team):
    page = client_for(manager).get(reverse("project_new")).content.decode()
    assert 'name="teams"' in page and 'name="archived"' not in page
    response = client_for(manager).post(
        reverse("project_new"), {"name": "Private one", "color": "#112233", "teams": [team.pk]}
    )
    assert response.status_code == 302
    created = Project.objects.get(name="Private one")
    assert not created.is_public and list(created.teams.all()) == [team]


def test_checkboxes_sit_inside_their_labels(client_for, manager):
    project = ProjectFactory()
    page = client_for(manager).get(reverse("project_edit", args=[project.pk])).content.decode()
    for name in ("billable", "archived", "is_public"):
        assert re.search(rf'<label for="id_{name}"><input type="checkbox" name="{name}"[^>]*> [^<]+</label>', page), (
            name
        )
    new_client = client_for(manager).get(reverse("client_new")).content.decode()
    assert 'href="javascript:' not in new_client and 'href="/clients/"' in new_client  # Cancel goes back to the list


def test_empty_lists_teach_the_next_step(client_for, manager, member):
    assert "Create the first project" in client_for(manager).get(reverse("project_list")).content.decode()
    assert "Ask a manager" in client_for(member).get(reverse("project_list")).content.decode()
    assert "Add the first client" in client_for(manager).get(reverse("client_list")).content.decode()
    searched = client_for(manager).get(reverse("client_list"), {"q": "zzz"}).content.decode()
    assert "No clients match “zzz”" in searched and "Show all clients" in searched
