"""The admin saves through the services: the same rules, shown as form errors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def form_data(user, project, start, end=None, notes=""):
    local = timezone.localtime
    data = {
        "user": user.pk,
        "project": project.pk,
        "task": "",
        "start_0": local(start).strftime("%Y-%m-%d"),
        "start_1": local(start).strftime("%H:%M:%S"),
        "end_0": local(end).strftime("%Y-%m-%d") if end else "",
        "end_1": local(end).strftime("%H:%M:%S") if end else "",
        "notes": notes,
        "billable": "on",
        "source": "admin",
        "external_ref": "",
    }
    return data


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def morning():
    return (timezone.now() - timedelta(days=3)).replace(hour=9, minute=0, second=0, microsecond=0)


def test_admin_adds_an_entry_through_the_service(
    admin_client, member, project, morning, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("admin:tracking_timeentry_add"), form_data(member, project, morning, morning + timedelta(hours=2))
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = TimeEntry.objects.get()
    assert entry.user == member and entry.duration_seconds == 7200 and entry.source == "admin"
    assert len(callbacks) == 1  # time_entry_changed


def test_overlapping_entry_is_refused_with_the_conflict_named(admin_client, member, project, morning):
    TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    response = admin_client.post(
        reverse("admin:tracking_timeentry_add"),
        form_data(member, project, morning + timedelta(minutes=30), morning + timedelta(hours=2)),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert f"overlaps {member.display_name}’s entry on {project}" in text  # the admin reads it, not the member
    assert TimeEntry.objects.count() == 1


def test_second_running_timer_is_refused(admin_client, member, project):
    TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(hours=1), end=None)
    response = admin_client.post(
        reverse("admin:tracking_timeentry_add"), form_data(member, project, timezone.now() - timedelta(days=5))
    )
    assert response.status_code == 200
    assert f"{member.display_name}’s timer is already running" in response.content.decode()
    assert TimeEntry.objects.filter(end=None).count() == 1


def test_edit_that_overlaps_is_refused_and_nothing_changes(admin_client, member, project, morning):
    TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    second = TimeEntryFactory(
        user=member, project=project, start=morning + timedelta(hours=2), end=morning + timedelta(hours=3)
    )
    data = form_data(member, project, morning + timedelta(minutes=30), morning + timedelta(hours=3))
    response = admin_client.post(reverse("admin:tracking_timeentry_change", args=[second.pk]), data)
    assert response.status_code == 200
    assert "overlaps" in response.content.decode()
    second.refresh_from_db()
    assert second.start == morning + timedelta(hours=2)


def test_edit_recomputes_duration(admin_client, member, project, morning):
    entry = TimeEntryFactory(user=member, project=project, start=morning, end=morning + timedelta(hours=1))
    data = form_data(member, project, morning, morning + timedelta(hours=4), notes="longer")
    response = admin_client.post(reverse("admin:tracking_timeentry_change", args=[entry.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    entry.refresh_from_db()
    assert entry.duration_seconds == 4 * 3600 and entry.notes == "longer"


def test_archived_project_is_refused_next_to_the_field(admin_client, member, morning):
    project = ProjectFactory(archived=True)
    response = admin_client.post(
        reverse("admin:tracking_timeentry_add"), form_data(member, project, morning, morning + timedelta(hours=1))
    )
    assert response.status_code == 200
    assert "is archived" in response.content.decode()


def test_delete_goes_through_the_service(admin_client, member, project, django_capture_on_commit_callbacks):
    entry = TimeEntryFactory(user=member, project=project)
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(reverse("admin:tracking_timeentry_delete", args=[entry.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not TimeEntry.objects.exists()
    assert len(callbacks) == 1


def test_changelist_filters_and_query_count(admin_client, member, project, django_assert_max_num_queries):
    for day in range(30):
        start = timezone.now() - timedelta(days=day + 1)
        TimeEntryFactory(user=member, project=project, start=start, end=start + timedelta(hours=1))
    with django_assert_max_num_queries(15):
        response = admin_client.get(reverse("admin:tracking_timeentry_changelist"))
    assert response.status_code == 200
    assert "30 time entries" in response.content.decode()


def test_manager_sees_only_their_teams_entries_in_the_admin(client, manager, member, other_member, project, team):
    mine = TimeEntryFactory(user=member, project=project, notes="team entry")
    TimeEntryFactory(user=other_member, project=project, notes="outsider entry")
    client.force_login(manager)
    response = client.get(reverse("admin:tracking_timeentry_changelist"))
    text = response.content.decode()
    assert "team entry" in text and "outsider entry" not in text
    outsider = TimeEntry.objects.get(notes="outsider entry")
    assert client.get(reverse("admin:tracking_timeentry_change", args=[outsider.pk])).status_code == 302
    assert client.get(reverse("admin:tracking_timeentry_change", args=[mine.pk])).status_code == 200


def test_members_cannot_reach_the_admin(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:tracking_timeentry_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_model_is_registered_with_search(admin_client):
    for name in ("client", "project", "task", "tag", "timeentry"):
        response = admin_client.get(reverse(f"admin:tracking_{name}_changelist"), {"q": "x"})
        assert response.status_code == 200
    for name in ("user", "team"):
        assert admin_client.get(reverse(f"admin:accounts_{name}_changelist"), {"q": "x"}).status_code == 200
