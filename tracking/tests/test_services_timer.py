from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.policy import PolicyDenied
from accounts.tests.factories import UserFactory
from tracking import services, signals
from tracking.exceptions import ArchivedProject, InvalidEntry, NoRunningTimer, OverlappingEntry, TimerAlreadyRunning
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_start_creates_a_running_entry_with_billable_from_project(member):
    project = ProjectFactory(billable=False)
    entry = services.timer_start(actor=member, project=project, notes="nav", source="api")
    entry.refresh_from_db()
    assert entry.end is None and entry.is_running
    assert entry.billable is False
    assert entry.source == "api"
    assert services.timer_status(user=member) == entry


def test_second_start_is_refused_naming_the_running_timer(member, project):
    services.timer_start(actor=member, project=project)
    with pytest.raises(TimerAlreadyRunning) as exc:
        services.timer_start(actor=member, project=ProjectFactory())
    assert exc.value.code == "timer_already_running"
    assert str(project) in exc.value.message
    assert TimeEntry.objects.filter(user=member).count() == 1


def test_stop_without_running_timer_is_refused(member):
    with pytest.raises(NoRunningTimer) as exc:
        services.timer_stop(actor=member)
    assert exc.value.code == "no_running_timer"


def test_stop_sets_end_and_duration(member, project):
    entry = services.timer_start(actor=member, project=project)
    TimeEntry.objects.filter(pk=entry.pk).update(start=timezone.now() - timedelta(minutes=90, seconds=5))
    stopped = services.timer_stop(actor=member)
    assert stopped.pk == entry.pk
    assert stopped.end is not None
    assert 90 * 60 <= stopped.duration_seconds <= 90 * 60 + 10
    assert services.timer_status(user=member) is None


def test_a_timer_stopped_within_its_first_minute_ends_now_and_the_next_one_starts(member, project):
    entry = services.timer_start(actor=member, project=project)
    stopped = services.timer_stop(actor=member)
    assert entry.start < stopped.end <= timezone.now()  # never in the future, where it would block the next timer
    assert services.timer_start(actor=member, project=project).end is None


def test_stop_applies_the_users_rounding(project):
    user = UserFactory(rounding_mode="up", rounding_minutes=15)
    entry = services.timer_start(actor=user, project=project)
    TimeEntry.objects.filter(pk=entry.pk).update(start=timezone.now() - timedelta(minutes=16))
    assert services.timer_stop(actor=user).duration_seconds == 30 * 60


def test_archived_project_cannot_be_tracked(member):
    project = ProjectFactory(archived=True)
    with pytest.raises(ArchivedProject) as exc:
        services.timer_start(actor=member, project=project)
    assert "archived" in exc.value.message
    assert not TimeEntry.objects.exists()


def test_task_from_another_project_is_refused(member, project):
    with pytest.raises(InvalidEntry) as exc:
        services.timer_start(actor=member, project=project, task=TaskFactory())
    assert exc.value.field == "task"


def test_viewer_cannot_start_a_timer(viewer, project):
    with pytest.raises(PolicyDenied):
        services.timer_start(actor=viewer, project=project)


def test_member_cannot_track_on_a_restricted_project_they_are_not_on(member):
    project = ProjectFactory(is_public=False)
    with pytest.raises(PolicyDenied):
        services.timer_start(actor=member, project=project)
    project.members.add(member)
    assert services.timer_start(actor=member, project=project).is_running


def test_start_inside_a_logged_entry_is_refused(member, project):
    now = timezone.now()
    TimeEntryFactory(user=member, project=project, start=now - timedelta(minutes=30), end=now + timedelta(minutes=30))
    with pytest.raises(OverlappingEntry):
        services.timer_start(actor=member, project=project)


def test_stop_ends_where_a_later_entry_begins(member, project):
    entry = services.timer_start(actor=member, project=project)
    start = timezone.now() - timedelta(hours=3)
    TimeEntry.objects.filter(pk=entry.pk).update(start=start)
    later = TimeEntryFactory(
        user=member, project=project, start=start + timedelta(hours=1), end=start + timedelta(hours=2)
    )
    stopped = services.timer_stop(actor=member)
    assert stopped.end == later.start


def test_signals_are_sent_after_commit_with_ids(member, project, django_capture_on_commit_callbacks):
    received = []

    def started(sender, **kwargs):
        received.append(("started", kwargs))

    def stopped(sender, **kwargs):
        received.append(("stopped", kwargs))

    signals.timer_started.connect(started, weak=False)
    signals.timer_stopped.connect(stopped, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            entry = services.timer_start(actor=member, project=project, source="slack")
            assert received == []  # not before commit
        assert len(callbacks) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.timer_stop(actor=member, source="slack")
    finally:
        signals.timer_started.disconnect(started)
        signals.timer_stopped.disconnect(stopped)
    assert received[0] == (
        "started",
        {
            "signal": signals.timer_started,
            "entry_id": entry.pk,
            "user_id": member.pk,
            "project_id": project.pk,
            "actor_id": member.pk,
            "source": "slack",
        },
    )
    assert received[1][0] == "stopped" and received[1][1]["entry_id"] == entry.pk
    assert isinstance(received[1][1]["duration_seconds"], int)


def test_refused_start_sends_no_signal(member, project, django_capture_on_commit_callbacks):
    services.timer_start(actor=member, project=project)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(TimerAlreadyRunning):
        services.timer_start(actor=member, project=project)
    assert callbacks == []


def test_manager_cannot_start_timer_for_someone_outside_their_teams(manager, other_member, project, team):
    with pytest.raises(PolicyDenied):
        services.timer_start(user=other_member, project=project, actor=manager)


def test_database_refuses_a_second_running_entry_even_without_the_service(member, project):
    from django.db import IntegrityError, transaction

    TimeEntryFactory(user=member, project=project, end=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=member, project=project, start=timezone.now())


def test_database_refuses_end_before_start(member, project):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        TimeEntry.objects.create(user=member, project=project, start=now, end=now - timedelta(minutes=1))
