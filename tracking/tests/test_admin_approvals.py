"""The admin against the one rule: locked time refused with the same message; "edit anyway" with a reason, audited;
locks created and reopened through the services."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tracking import services
from tracking.models import PeriodLock, TimeEntry
from tracking.periods import local_today
from tracking.tests.factories import TimeEntryFactory
from tracking.tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def locked_entry(admin_user, member, project):
    day = local_today(admin_user) - timedelta(days=2)
    entry = TimeEntryFactory(user=member, project=project, start=datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    services.period_lock_create(actor=admin_user, until=day + timedelta(days=1), label="Finance")
    return entry


def test_changing_locked_time_in_the_admin_is_refused_with_the_message(admin_client, locked_entry, project):
    url = reverse("admin:tracking_timeentry_change", args=[locked_entry.pk])
    data = form_data(locked_entry.user, project, locked_entry.start, locked_entry.end, notes="changed")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is locked by Finance; ask an admin to reopen." in response.content.decode()
    locked_entry.refresh_from_db()
    assert locked_entry.notes == ""


def test_an_admin_edits_anyway_with_a_reason(admin_client, admin_user, locked_entry, project):
    url = reverse("admin:tracking_timeentry_change", args=[locked_entry.pk])
    data = form_data(locked_entry.user, project, locked_entry.start, locked_entry.end, notes="changed")
    response = admin_client.post(url, {**data, "override_reason": "Client billed the wrong project"})
    assert response.status_code == 302, response.content.decode()[:2000]
    locked_entry.refresh_from_db()
    assert locked_entry.notes == "changed"


def test_locked_time_cannot_be_deleted_from_the_admin(admin_client, locked_entry):
    response = admin_client.post(reverse("admin:tracking_timeentry_delete", args=[locked_entry.pk]), {"post": "yes"})
    assert response.status_code == 403
    changelist = reverse("admin:tracking_timeentry_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [locked_entry.pk], "post": "yes"})
    assert TimeEntry.objects.filter(pk=locked_entry.pk).exists()


def test_locks_are_created_and_reopened_in_the_admin_through_the_services(admin_client, admin_user):
    until = local_today(admin_user) - timedelta(days=1)
    add = reverse("admin:tracking_periodlock_add")
    future = {"until": str(local_today(admin_user) + timedelta(days=3)), "team": "", "locked_by_label": "Finance"}
    assert "Only past days" in admin_client.post(add, future).content.decode()
    response = admin_client.post(add, {"until": str(until), "team": "", "locked_by_label": "Finance"})
    assert response.status_code == 302
    lock = PeriodLock.objects.get()
    change = reverse("admin:tracking_periodlock_change", args=[lock.pk])
    assert admin_client.post(change, {"reopen_reason": ""}).status_code == 302
    assert PeriodLock.objects.active().count() == 1  # no reason: nothing reopened
    admin_client.post(change, {"reopen_reason": "Late expense"})
    lock.refresh_from_db()
    assert lock.reopen_reason == "Late expense" and lock.reopened_by == admin_user


def test_managers_cannot_lock_in_the_admin(client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:tracking_periodlock_add")).status_code == 403
