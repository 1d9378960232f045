"""The two concurrency rules, against a real PostgreSQL: one running timer, no overlap — under parallel requests."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.concurrency import run_together
from tracking import services
from tracking.exceptions import OverlappingEntry, TimerAlreadyRunning, TrackingError
from tracking.models import TimeEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL), as CI does"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_two_threads_starting_a_timer_leave_exactly_one_running(member, project, attempt):
    results = run_together([lambda: services.timer_start(actor=member, project=project)] * 2)
    errors = [r for r in results if isinstance(r, Exception)]
    entries = [r for r in results if isinstance(r, TimeEntry)]
    assert len(entries) == 1, results
    assert len(errors) == 1 and isinstance(errors[0], TimerAlreadyRunning), results
    assert TimeEntry.objects.filter(user=member, end=None).count() == 1


def test_two_threads_logging_overlapping_entries_keep_only_one(member, project):
    start = (timezone.now() - timedelta(days=1)).replace(microsecond=0)

    def log(offset):
        return lambda: services.time_entry_create(
            actor=member, project=project, start=start + timedelta(minutes=offset), end=start + timedelta(hours=1)
        )

    results = run_together([log(0), log(10), log(20)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len([r for r in results if isinstance(r, TimeEntry)]) == 1, results
    assert all(isinstance(e, OverlappingEntry) for e in errors), results
    assert TimeEntry.objects.filter(user=member).count() == 1


def test_errors_are_tracking_errors_with_codes():
    assert issubclass(TimerAlreadyRunning, TrackingError) and TimerAlreadyRunning.code == "timer_already_running"
