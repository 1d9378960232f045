import pytest

from accounts.policy import PolicyDenied
from tracking import services
from tracking.exceptions import InvalidEntry
from tracking.models import Project, Task
from tracking.tests.factories import ClientFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_manager_creates_client_project_and_task(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        client = services.client_create(actor=manager, name="Initech")
        project = services.project_create(actor=manager, name="Migration", client=client, code="MIG")
        task = services.task_create(actor=manager, project=project, name="Plan")
    assert task.project == project and project.client == client
    assert len(callbacks) == 3  # client_changed, project_changed, task_changed


@pytest.mark.parametrize("role_fixture", ["member", "viewer"])
def test_members_and_viewers_cannot_manage_the_catalog(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PolicyDenied):
        services.client_create(actor=user, name="Nope")
    project = ProjectFactory()
    with pytest.raises(PolicyDenied):
        services.project_update(actor=user, project=project, name="Renamed")
    with pytest.raises(PolicyDenied):
        services.project_archive(actor=user, project=project)
    assert Project.objects.get(pk=project.pk).name == project.name


def test_invalid_values_are_refused_with_field_errors(manager):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.project_create(actor=manager, name="Colour", color="blue")
    assert "color" in exc.value.message_dict


def test_archive_and_unarchive(manager):
    project = ProjectFactory()
    assert services.project_archive(actor=manager, project=project).archived is True
    assert services.project_archive(actor=manager, project=project, archived=False).archived is False


def test_no_task_on_an_archived_project(manager):
    project = ProjectFactory(archived=True)
    with pytest.raises(InvalidEntry, match="archived"):
        services.task_create(actor=manager, project=project, name="Late")
    assert not Task.objects.exists()


def test_project_on_archived_client_is_refused(manager):
    client = ClientFactory(archived=True)
    with pytest.raises(InvalidEntry, match="archived"):
        services.project_create(actor=manager, name="Late", client=client)


def test_system_actor_may_create_tasks(project):
    task = services.task_create(actor=None, project=project, name="From GitHub", source="github", external_ref="g#1")
    assert task.source == "github"
