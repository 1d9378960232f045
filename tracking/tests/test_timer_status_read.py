"""timer_status reads the running entry by a query compiled once (timetracker.prepared): the entry, its project, the
project's client and the task are what select_related gives, with no query when they are used."""

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.utils import timezone

from tracking.models import TimeEntry
from tracking.services import timer, timer_status
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def _orm(user):
    return TimeEntry.objects.select_related("project", "project__client", "task").filter(user=user, end=None).first()


@pytest.mark.parametrize("with_client_and_task", [True, False])
def test_the_running_entry_is_the_orms_with_its_project_client_and_task(
    member, other_member, django_assert_num_queries, with_client_and_task
):
    assert timer_status(user=member) is None
    project = ProjectFactory(hourly_rate="12.50") if with_client_and_task else ProjectFactory(client=None)
    task = TaskFactory(project=project) if with_client_and_task else None
    TimeEntryFactory(user=other_member, project=project, start=timezone.now(), end=None, duration_seconds=0)
    TimeEntryFactory(user=member, project=project, task=task, start=timezone.now(), end=None, duration_seconds=0)
    expected = _orm(member)
    with django_assert_num_queries(1):
        entry = timer_status(user=member)
        shown = (str(entry.project), entry.project.color, entry.task and entry.task.name, entry.project.client)
    assert model_to_dict(entry) == model_to_dict(expected) and entry.start == expected.start
    assert model_to_dict(entry.project) == model_to_dict(expected.project)
    assert shown == (str(expected.project), expected.project.color, task and task.name, expected.project.client)
    assert entry.project.hourly_rate == expected.project.hourly_rate and entry.user_id == member.pk


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are prepared on PostgreSQL only")
def test_the_compiled_read_sends_the_sql_and_parameters_of_a_fresh_build():
    read = timer._status_read
    read.rows(user_id=5)
    sql, params = read.build(user_id=5).query.sql_with_params()
    assert read.sql_with_params(user_id=5) == (sql, list(params))
