"""The activity log as the audit trail of approvals and locked periods (issue 18): every transition with its actor
and comment, written in the same transaction as the change; the comments about an erased person blanked."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from django.urls import reverse

from accounts.services import user_erase
from analytics.models import ActivityLog
from tracking import services
from tracking.periods import local_today
from tracking.tests.factories import TimeEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approvals_on")]


def lines(object_type):
    return list(
        ActivityLog.objects.filter(object_type=object_type).order_by("pk").values_list("verb", "actor_id", "metadata")
    )


def test_every_transition_is_logged_with_its_actor_and_comment(member, manager, team, last_monday):
    services.timesheet_submit(actor=member, week=last_monday)
    services.timesheet_reject(actor=manager, user=member, week=last_monday, comment="Tuesday is missing notes")
    services.timesheet_submit(actor=member, week=last_monday)
    services.timesheet_approve(actor=manager, user=member, week=last_monday)
    services.timesheet_reopen(actor=manager, user=member, week=last_monday, comment="Friday was a holiday")
    week = last_monday.isoformat()
    assert lines("tracking.timesheet") == [
        ("timesheet.submitted", member.pk, {"week": week, "previous_state": "open"}),
        (
            "timesheet.rejected",
            manager.pk,
            {"week": week, "previous_state": "submitted", "comment": "Tuesday is missing notes"},
        ),
        ("timesheet.submitted", member.pk, {"week": week, "previous_state": "rejected"}),
        ("timesheet.approved", manager.pk, {"week": week, "previous_state": "submitted"}),
        ("timesheet.open", manager.pk, {"week": week, "previous_state": "approved", "comment": "Friday was a holiday"}),
    ]
    assert ActivityLog.objects.filter(verb="timesheet.rejected", owner=member).exists()


def test_the_log_line_is_part_of_the_changes_transaction(member, last_monday):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.timesheet_submit(actor=member, week=last_monday)
        assert ActivityLog.objects.filter(verb="timesheet.submitted").exists()  # written with the change …
        raise RuntimeError("the change rolls back")
    assert not ActivityLog.objects.filter(verb="timesheet.submitted").exists()  # … and rolled back with it


def test_locks_and_corrections_are_logged_with_their_reasons(admin_user, member, project):
    day = local_today(admin_user) - timedelta(days=2)
    entry = TimeEntryFactory(user=member, project=project, start=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    lock = services.period_lock_create(actor=admin_user, until=day, label="Finance")
    services.time_entry_update(actor=admin_user, entry=entry, notes="fixed", override_reason="Wrong client")
    services.period_lock_reopen(actor=admin_user, lock=lock, reason="Late invoice")
    assert lines("tracking.periodlock") == [
        ("period_lock.locked", admin_user.pk, {"until": day.isoformat()}),
        ("period_lock.reopened", admin_user.pk, {"until": day.isoformat(), "reason": "Late invoice"}),
    ]
    corrected = ActivityLog.objects.get(verb="time_entry.locked_corrected")
    assert (corrected.actor_id, corrected.owner_id, corrected.object_id) == (admin_user.pk, member.pk, str(entry.pk))
    assert corrected.metadata == {"action": "updated", "reason": "Wrong client"}


def test_the_activity_page_shows_the_comment(client, admin_user, member, manager, team, last_monday):
    services.timesheet_submit(actor=member, week=last_monday)
    services.timesheet_reject(actor=manager, user=member, week=last_monday, comment="Add ticket numbers")
    client.force_login(admin_user)
    page = client.get(reverse("activity")).content.decode()
    assert "rejected a week" in page and "Add ticket numbers" in page


def test_erasure_blanks_the_comments_about_the_person(admin_user, member, manager, team, last_monday):
    services.timesheet_submit(actor=member, week=last_monday)
    services.timesheet_reject(actor=manager, user=member, week=last_monday, comment="Too many hours on Friday")
    user_erase(actor=admin_user, user=member)
    line = ActivityLog.objects.get(verb="timesheet.rejected")
    assert line.metadata["comment"] == "" and line.actor_id == manager.pk


@pytest.mark.django_db(transaction=True)
def test_decisions_send_product_events_with_ids_only(posthog, member, manager, team, last_monday):
    from analytics import events

    services.timesheet_submit(actor=member, week=last_monday)
    sheet = services.timesheet_reject(actor=manager, user=member, week=last_monday, comment="Secret remark about Sam")
    [submitted] = posthog.events_named(events.TIMESHEET_SUBMITTED)
    [rejected] = posthog.events_named(events.TIMESHEET_REJECTED)
    assert submitted["properties"]["timesheet_id"] == sheet.pk and submitted["properties"]["by_other_user"] is False
    assert rejected["properties"]["by_other_user"] is True
    assert all("Secret remark" not in r.text for r in posthog.requests)
