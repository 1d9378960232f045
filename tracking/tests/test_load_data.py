"""generate_load_data: the benchmark's data — realistic in shape, never overlapping, the same for the same seed."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, Team, User
from tracking.models import Client, Project, Tag, Task, TimeEntry

pytestmark = pytest.mark.django_db

UNTIL = date(2026, 4, 15)


def _generate(seed=1, entries=900):
    call_command("generate_load_data", entries=entries, users=30, years=1, seed=seed, until=UNTIL, stdout=io.StringIO())


def _snapshot() -> list[tuple]:
    rows = TimeEntry.objects.order_by("user__username", "start").values_list(
        "user__username", "project__name", "task__name", "start", "end", "duration_seconds", "notes", "billable"
    )
    tags = {}
    for entry_id, name in TimeEntry.tags.through.objects.values_list("timeentry_id", "tag__name"):
        tags.setdefault(entry_id, set()).add(name)
    ids = TimeEntry.objects.order_by("user__username", "start").values_list("pk", flat=True)
    return [(*row, frozenset(tags.get(pk, ()))) for row, pk in zip(rows, ids, strict=True)]


def _erase():
    TimeEntry.objects.all().delete()
    Task.objects.all().delete()
    Project.objects.all().delete()
    Client.objects.all().delete()
    Tag.objects.all().delete()
    Team.objects.all().delete()
    User.objects.all().delete()


def test_people_teams_and_entries_look_like_an_organisation():
    _generate()
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert not User.objects.filter(role=Role.MANAGER, managed_teams=None).exists() and Team.objects.exists()
    assert Project.objects.filter(is_public=False).exists() and Project.objects.filter(client=None).exists()
    entries = TimeEntry.objects.all()
    assert 850 <= entries.count() <= 910
    assert entries.filter(end=None).exists()
    assert TimeEntry.tags.through.objects.exists()
    assert not entries.filter(user__role=Role.VIEWER).exists()
    assert {e.start.date().year for e in entries} == {2025, 2026}  # spread over the year, not bunched at one end


def test_no_two_entries_of_a_person_overlap_and_each_task_belongs_to_its_project():
    _generate()
    by_user = {}
    for entry in TimeEntry.objects.select_related("task").order_by("user_id", "start"):
        previous = by_user.get(entry.user_id)
        if previous is not None:
            assert previous.end is not None and previous.end <= entry.start, (previous, entry)
        by_user[entry.user_id] = entry
        assert entry.task is None or entry.task.project_id == entry.project_id


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    _generate(seed=4)
    first = _snapshot()
    _erase()
    _generate(seed=4)
    assert _snapshot() == first
    _erase()
    _generate(seed=5)
    assert _snapshot() != first


def test_a_second_run_on_the_same_database_is_refused():
    _generate(entries=50)
    with pytest.raises(CommandError, match="already"):
        _generate(entries=50)
