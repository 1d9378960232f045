"""The timer's answers are written without the serializer's fields; the output is what TimeEntrySerializer writes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import prefetch_related_objects

from tracking.api.serializers import TimeEntrySerializer, time_entry_output
from tracking.models import Source, TimeEntry
from tracking.services import timer_start, timer_stop
from tracking.tests.factories import TagFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def _both(entry):
    prefetch_related_objects([entry], "tags")
    return time_entry_output(entry), dict(TimeEntrySerializer(entry).data)


def test_a_finished_entry_with_tags_task_and_text_is_written_as_the_serializer_writes_it(member, project):
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 29, 1, 30, 5, 123456, tzinfo=berlin)  # the night clocks go forward, microseconds
    entry = TimeEntryFactory(
        user=member,
        project=project,
        task=TaskFactory(project=project),
        start=start,
        end=start + timedelta(hours=2),
        notes="Réunion « Q2 » \u2028 ✓",
        billable=False,
        source=Source.API,
        external_ref="gh-1",
    )
    entry.tags.set([TagFactory(name="zeta"), TagFactory(name="Alpha")])
    entry = TimeEntry.objects.get(pk=entry.pk)
    fast, by_fields = _both(entry)
    assert fast == by_fields
    assert list(fast) == list(by_fields)  # the same order of keys, so the same bytes


def test_the_timers_own_entries_are_written_as_the_serializer_writes_them(member, project):
    started = timer_start(actor=member, project=project, tags=["b", "a"], source=Source.API)
    fast, by_fields = _both(started)
    assert fast == by_fields and fast["end"] is None and fast["task"] is None
    stopped = timer_stop(actor=member, source="api")
    fast, by_fields = _both(stopped)
    assert fast == by_fields and fast["end"] is not None and fast["tags"] == ["a", "b"]
    assert list(fast) == list(by_fields)


def test_the_list_and_one_entry_are_written_as_the_serializer_writes_them(api_as, member, project):
    """The list reads its page without related objects and its tags' names in one query: same output, same order."""
    start = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))
    tagged = TimeEntryFactory(user=member, project=project, task=TaskFactory(project=project), start=start,
                              end=start + timedelta(hours=1), notes="=cmd", source=Source.SLACK)  # fmt: skip
    tagged.tags.set([TagFactory(name="zeta"), TagFactory(name="Alpha"), TagFactory(name="beta")])
    TimeEntryFactory(user=member, project=project, start=start + timedelta(hours=2), end=start + timedelta(hours=3))
    timer_start(actor=member, project=project, tags=["running"], source=Source.API)
    api = api_as(member)

    listed = api.get("/api/v1/time-entries/?page_size=2").json()
    expected = TimeEntry.objects.filter(user=member).order_by("-start", "-id").prefetch_related("tags")
    assert listed["results"] == [dict(TimeEntrySerializer(e).data) for e in expected[:2]]
    following = api.get(listed["next"]).json()["results"]
    assert following == [dict(TimeEntrySerializer(expected[2]).data)]
    assert following[0]["tags"] == ["Alpha", "beta", "zeta"] and following[0]["task"] is not None
    assert api.get(f"/api/v1/time-entries/{tagged.pk}/").json() == dict(TimeEntrySerializer(tagged).data)
