"""The connectors against the one lock rule: a Google Calendar import, a GitHub assignment and Slack's /tt all meet
locked time with the same message, and nothing is written into it (issue 18)."""

from datetime import timedelta

from django.utils import timezone

from tracking import services as tracking
from tracking.models import Source, TimeEntry
from tracking.periods import local_today, week_start

from . import google_fake
from . import test_google_sync as google_sync

fake_google = google_fake.fake_google  # the fixture
google = google_sync.google  # the fixture: a member's Google integration importing into `project`
sync, yesterday = google_sync.sync, google_sync.yesterday


def lock_yesterday(admin_user):
    return tracking.period_lock_create(
        actor=admin_user, until=local_today(admin_user) - timedelta(days=1), label="Finance"
    )


def test_an_import_into_a_locked_day_is_skipped_with_the_message(google, fake_google, member, admin_user):
    lock_yesterday(admin_user)
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    result = sync(google)
    assert not TimeEntry.objects.filter(user=member, source=Source.CALENDAR).exists()
    assert result["counts"]["skipped"] == 1
    assert "is locked by Finance; ask an admin to reopen." in result["message"]


def test_a_moved_or_cancelled_event_leaves_its_locked_entry_as_it_was(google, fake_google, member, admin_user):
    moved = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    cancelled = fake_google.add_event("Review", yesterday(11), yesterday(12))
    sync(google)
    lock_yesterday(admin_user)
    fake_google.move_event(moved["id"], yesterday(14), yesterday(15))
    fake_google.cancel_event(cancelled["id"])
    result = sync(google)
    entries = TimeEntry.objects.filter(user=member, source=Source.CALENDAR).order_by("start")
    assert [(e.start, e.end) for e in entries] == [(yesterday(9), yesterday(9, 30)), (yesterday(11), yesterday(12))]
    assert result["counts"]["skipped"] == 2 and result["counts"].get("removed", 0) == 0
    assert "is locked by Finance" in result["message"]


def test_an_import_touching_an_approved_week_is_refused(google, fake_google, member, manager, team, settings):
    settings.APPROVALS_ENABLED = True
    start = yesterday(9)
    event = fake_google.add_event("Planning", start, start + timedelta(hours=1))
    sync(google)
    monday = week_start(timezone.localtime(start, member.tzinfo).date())
    tracking.timesheet_submit(actor=member, week=monday)
    tracking.timesheet_approve(actor=manager, user=member, week=monday)
    fake_google.rename_event(event["id"], "Planning (renamed)")
    result = sync(google)
    assert TimeEntry.objects.get(user=member, source=Source.CALENDAR).notes == "Planning"
    assert "approved by" in result["message"]


def test_a_github_assignment_does_not_start_a_timer_in_locked_time(github, deliver, codertocat, admin_user):
    from integrations.models import WebhookDelivery

    from .conftest import payload

    tracking.period_lock_create(actor=admin_user, until=local_today(admin_user), label="Finance")
    deliver(payload("issues.opened"), "issues")
    response = deliver(payload("issues.assigned"), "issues", delivery="assign-locked")
    assert response.status_code == 200
    assert not TimeEntry.objects.filter(user=codertocat).exists()
    detail = WebhookDelivery.objects.get(delivery_id="assign-locked").detail
    assert "Timer not started" in detail and "is locked by Finance; ask an admin to reopen." in detail
