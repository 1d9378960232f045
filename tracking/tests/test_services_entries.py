from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.policy import PolicyDenied
from tracking import services
from tracking.exceptions import InvalidEntry, OverlappingEntry, TimerAlreadyRunning
from tracking.models import Tag, TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def morning():
    return (timezone.now() - timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)


def test_manual_entry_gets_duration_and_tags(member, project, morning):
    entry = services.time_entry_create(
        actor=member, project=project, start=morning, end=morning + timedelta(hours=1, minutes=30), tags=["Bug", "ui"]
    )
    assert entry.duration_seconds == 5400
    assert sorted(entry.tags.values_list("name", flat=True)) == ["Bug", "ui"]
    services.time_entry_create(
        actor=member,
        project=project,
        start=morning + timedelta(hours=2),
        end=morning + timedelta(hours=3),
        tags=["bug"],
    )
    assert Tag.objects.count() == 2  # tag names are matched case-insensitively


@pytest.mark.parametrize(
    ("start_h", "end_h"),
    [(0.5, 1.5), (-0.5, 0.5), (0.25, 0.75), (-1, 2)],
    ids=["starts-inside", "ends-inside", "contained", "contains"],
)
def test_overlapping_manual_entry_is_refused_naming_the_conflict(member, project, morning, start_h, end_h):
    TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    with pytest.raises(OverlappingEntry) as exc:
        services.time_entry_create(
            actor=member,
            project=project,
            start=morning + timedelta(hours=start_h),
            end=morning + timedelta(hours=end_h),
        )
    assert f"overlaps your entry on {project}" in exc.value.message and "#" not in exc.value.message
    assert exc.value.code == "overlapping_entry"
    assert TimeEntry.objects.count() == 1


def test_adjacent_entries_do_not_overlap(member, project, morning):
    TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    entry = services.time_entry_create(
        actor=member, project=project, start=morning + timedelta(hours=1), end=morning + timedelta(hours=2)
    )
    assert entry.pk


def test_other_users_entries_do_not_count_as_overlap(member, other_member, project, morning):
    TimeEntryFactory(user=other_member, project=project, start=morning, end=morning + timedelta(hours=1))
    assert services.time_entry_create(actor=member, project=project, start=morning, end=morning + timedelta(hours=1))


def test_entry_after_a_running_timer_start_is_refused(member, project):
    running = services.timer_start(actor=member, project=project)
    with pytest.raises(OverlappingEntry) as exc:
        services.time_entry_create(
            actor=member,
            project=project,
            start=running.start + timedelta(minutes=1),
            end=running.start + timedelta(minutes=5),
        )
    assert "running" in exc.value.message


def test_end_before_start_is_refused(member, project, morning):
    with pytest.raises(InvalidEntry) as exc:
        services.time_entry_create(actor=member, project=project, start=morning, end=morning - timedelta(minutes=5))
    assert exc.value.field == "end"


def test_update_that_creates_an_overlap_is_refused_and_changes_nothing(member, project, morning):
    TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    second = TimeEntryFactory(
        user=member, project=project, start=morning + timedelta(hours=2), end=morning + timedelta(hours=3)
    )
    with pytest.raises(OverlappingEntry) as exc:
        services.time_entry_update(actor=member, entry=second, start=morning + timedelta(minutes=30))
    assert f"overlaps your entry on {project}" in exc.value.message
    second.refresh_from_db()
    assert second.start == morning + timedelta(hours=2)


def test_update_recomputes_duration_and_can_move_to_a_task(member, project, morning):
    entry = TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    task = TaskFactory(project=project)
    updated = services.time_entry_update(actor=member, entry=entry, end=morning + timedelta(hours=2), task=task)
    assert updated.duration_seconds == 7200
    assert updated.task == task


def test_reopening_an_entry_while_a_timer_runs_is_refused(member, project, morning):
    entry = TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    services.timer_start(actor=member, project=project)
    with pytest.raises(TimerAlreadyRunning):
        services.time_entry_update(actor=member, entry=entry, end=None)


def test_unknown_fields_are_refused(member, project, morning):
    entry = TimeEntryFactory(user=member, project=project)
    with pytest.raises(InvalidEntry):
        services.time_entry_update(actor=member, entry=entry, duration_seconds=5)


def test_member_cannot_change_or_delete_a_colleagues_entry(member, other_member, project):
    entry = TimeEntryFactory(user=other_member, project=project)
    with pytest.raises(PolicyDenied):
        services.time_entry_update(actor=member, entry=entry, notes="mine now")
    with pytest.raises(PolicyDenied):
        services.time_entry_delete(actor=member, entry=entry)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_manager_corrects_a_team_members_entry(manager, member, project, team):
    entry = TimeEntryFactory(user=member, project=project)
    assert services.time_entry_update(actor=manager, entry=entry, notes="corrected").notes == "corrected"
    services.time_entry_delete(actor=manager, entry=entry)
    assert not TimeEntry.objects.filter(pk=entry.pk).exists()


def test_viewer_cannot_write_even_in_their_team(viewer, member, project, team, morning):
    entry = TimeEntryFactory(user=member, project=project)
    with pytest.raises(PolicyDenied, match="read-only"):
        services.time_entry_update(actor=viewer, entry=entry, notes="x")
    with pytest.raises(PolicyDenied):
        services.time_entry_create(actor=viewer, project=project, start=morning, end=morning + timedelta(hours=1))


def test_admin_logs_time_for_someone_else(admin_user, member, project, morning):
    entry = services.time_entry_create(
        actor=admin_user, user=member, project=project, start=morning, end=morning + timedelta(hours=1)
    )
    assert entry.user == member


def test_moving_an_entry_to_an_archived_project_is_refused(member, project, morning):
    entry = TimeEntryFactory(user=member, project=project)
    archived = ProjectFactory(archived=True)
    with pytest.raises(Exception, match="archived"):
        services.time_entry_update(actor=member, entry=entry, project=archived)
