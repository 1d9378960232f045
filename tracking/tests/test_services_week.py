"""Timesheet mode's service: a typed cell total becomes entries, through the entry services."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tracking import services
from tracking.exceptions import OverlappingEntry
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 3)


def at(hour, minute=0):
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=BERLIN)


def cell(member, project, seconds, task=None):
    return services.week_cell_set(
        actor=member, user=member, project=project, task=task, day=DAY, seconds=seconds, tz=BERLIN
    )


def test_more_time_goes_after_the_days_last_entry(member, project):
    other = ProjectFactory()
    TimeEntryFactory(user=member, project=other, start=at(9), end=at(12))
    assert cell(member, project, 5400) == 5400
    added = TimeEntry.objects.get(user=member, project=project)
    assert (added.start, added.end) == (at(12), at(13, 30))
    assert cell(member, project, 7200) == 7200  # the difference is added after the last entry again
    assert TimeEntry.objects.filter(user=member, project=project).count() == 2


def test_less_time_shortens_then_deletes_the_latest_entries(member, project):
    TimeEntryFactory(user=member, project=project, start=at(9), end=at(10))
    TimeEntryFactory(user=member, project=project, start=at(11), end=at(12))
    assert cell(member, project, 2700) == 2700  # 2h -> 45m: the 11:00 entry goes, the 09:00 one is shortened
    (left,) = TimeEntry.objects.filter(user=member, project=project)
    assert (left.start, left.end) == (at(9), at(9, 45))
    assert cell(member, project, 0) == 0 and not TimeEntry.objects.exists()


def test_a_cell_is_per_task_and_an_overlap_changes_nothing(member, project):
    task = TaskFactory(project=project)
    TimeEntryFactory(user=member, project=project, start=at(9), end=at(10))
    assert cell(member, project, 1800, task=task) == 1800
    assert TimeEntry.objects.get(task=task).start == at(10)
    TimeEntryFactory(user=member, project=project, start=at(11), end=None, duration_seconds=0)  # running
    with pytest.raises(OverlappingEntry):
        cell(member, project, 7200, task=task)
    assert TimeEntry.objects.get(task=task).duration_seconds == 1800
