"""The two concurrency rules, against a real PostgreSQL: one running timer, no overlap — under parallel requests."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from tracking import services
from tracking.exceptions import OverlappingEntry, TimerAlreadyRunning, TrackingError
from tracking.models import TimeEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL), as CI does"),
]


def run_together(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def target(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_two_threads_starting_a_timer_leave_exactly_one_running(member, project, attempt):
    results = run_together([lambda: services.timer_start(user=member, project=project)] * 2)
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
