"""The rules the timer, logged entries and tags share: one validation, one tag service, one meaning of `actor`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.policy import PolicyDenied
from tracking import services
from tracking.exceptions import ArchivedProject, InvalidEntry, OverlappingEntry, TimerAlreadyRunning
from tracking.models import Tag, TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def _start(actor, project, **kwargs):
    return services.timer_start(actor=actor, project=project, **kwargs)


def _log_running(actor, project, **kwargs):
    return services.time_entry_create(actor=actor, project=project, start=timezone.now(), **kwargs)


@pytest.mark.parametrize("start", [_start, _log_running], ids=["timer_start", "time_entry_create"])
class TestTimerAndLoggedEntryShareTheirChecks:
    def test_archived_project_is_refused(self, start, member):
        with pytest.raises(ArchivedProject):
            start(member, ProjectFactory(archived=True))

    def test_task_of_another_project_is_refused(self, start, member, project):
        with pytest.raises(InvalidEntry) as exc:
            start(member, project, task=TaskFactory())
        assert exc.value.field == "task"

    def test_a_second_running_entry_is_refused(self, start, member, project):
        TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(hours=1), end=None)
        with pytest.raises(TimerAlreadyRunning):
            start(member, project)

    def test_starting_inside_a_logged_entry_is_refused(self, start, member, project):
        now = timezone.now()
        TimeEntryFactory(user=member, project=project, start=now - timedelta(hours=1), end=now + timedelta(hours=1))
        with pytest.raises(OverlappingEntry):
            start(member, project)

    def test_someone_else_outside_the_managers_teams_is_refused(self, start, manager, other_member, project, team):
        with pytest.raises(PolicyDenied):
            start(manager, project, user=other_member)
        assert not TimeEntry.objects.filter(user=other_member).exists()


def test_the_timer_checks_up_to_now_so_an_entry_logged_ahead_stays_allowed(member, project):
    later = timezone.now() + timedelta(hours=2)
    TimeEntryFactory(user=member, project=project, start=later, end=later + timedelta(hours=1))

    with pytest.raises(OverlappingEntry):  # a logged running entry stays open-ended
        services.time_entry_create(actor=member, project=project, start=timezone.now() - timedelta(minutes=1))
    assert services.timer_start(actor=member, project=project).is_running


def test_actor_is_keyword_only_and_required(member, project):
    with pytest.raises(TypeError):
        services.timer_start(user=member, project=project)
    with pytest.raises(TypeError):
        services.timer_stop(user=member)


def test_the_actor_starts_their_own_timer_when_no_user_is_given(member, project):
    entry = services.timer_start(actor=member, project=project)
    assert entry.user == member
    assert services.timer_stop(actor=member).pk == entry.pk


def test_a_new_tag_name_is_created_once_by_the_tag_service(member, project):
    Tag.objects.create(name="Design")
    entry = services.timer_start(actor=member, project=project, tags=["design", "  ", "x" * 70, "New one"])

    assert sorted(t.name for t in entry.tags.all()) == sorted(["Design", "x" * 64, "New one"])
    assert Tag.objects.filter(name__iexact="design").count() == 1


def test_a_person_who_may_not_create_tags_cannot_create_one_through_an_entry(viewer, member, project, team):
    with pytest.raises(PolicyDenied):
        services.tags_resolve(actor=viewer, tags=["Brand new"])
    assert not Tag.objects.filter(name="Brand new").exists()
