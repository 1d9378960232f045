"""The dashboard and the timer through the web UI."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_in_with_username_and_password_leads_to_the_dashboard(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_first_run_shows_what_to_do_first(client_for, member, project):
    response = client_for(member).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "You have not tracked any time yet" in response.content.decode()


def test_start_runs_a_timer_shown_in_the_header_of_every_page(client_for, member, project):
    client = client_for(member)
    task = TaskFactory(project=project)
    response = client.post(
        reverse("timer_start"), {"project": project.pk, "task": task.pk, "notes": "Writing", "tags": "deep, focus"}
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get(user=member)
    assert entry.end is None and entry.task == task and entry.notes == "Writing"
    assert sorted(entry.tags.values_list("name", flat=True)) == ["deep", "focus"]
    page = client.get(reverse("project_list")).content.decode()
    assert f'data-start="{entry.start.isoformat()}"' in page  # the header ticks from the entry's start
    assert project.name in page and 'id="stop-form"' in page


def test_second_start_is_refused_with_the_running_timer_named(client_for, member, project):
    client = client_for(member)
    client.post(reverse("timer_start"), {"project": project.pk})
    other = ProjectFactory(name="Second")
    response = client.post(reverse("timer_start"), {"project": other.pk})
    assert response.status_code == 400
    assert "already running" in response.content.decode()
    assert TimeEntry.objects.filter(user=member).count() == 1


def test_start_without_a_project_shows_the_error_next_to_the_field(client_for, member, project):
    response = client_for(member).post(reverse("timer_start"), {"project": ""})
    assert response.status_code == 400
    assert 'id="id_project-error"' in response.content.decode()


def test_task_of_another_project_is_refused(client_for, member, project):
    task = TaskFactory()
    response = client_for(member).post(reverse("timer_start"), {"project": project.pk, "task": task.pk})
    assert response.status_code == 400
    assert not TimeEntry.objects.exists()


def test_stop_ends_the_running_timer(client_for, member, project):
    client = client_for(member)
    client.post(reverse("timer_start"), {"project": project.pk})
    entry = TimeEntry.objects.get(user=member)
    TimeEntry.objects.filter(pk=entry.pk).update(start=entry.start - timedelta(minutes=90))
    response = client.post(reverse("timer_stop"), follow=True)
    entry.refresh_from_db()
    assert entry.end is not None and entry.duration_seconds >= 90 * 60
    assert "Stopped" in response.content.decode()


def test_stop_without_a_timer_says_so(client_for, member):
    response = client_for(member).post(reverse("timer_stop"), follow=True)
    assert "No timer was running" in response.content.decode()


def test_continue_starts_a_timer_like_an_earlier_entry(client_for, member, project):
    earlier = TimeEntryFactory(user=member, project=project, notes="Review", billable=False)
    client_for(member).post(reverse("timer_continue", args=[earlier.pk]))
    running = TimeEntry.objects.get(user=member, end=None)
    assert (running.project, running.notes, running.billable) == (project, "Review", False)


def test_continue_of_an_entry_you_cannot_see_is_not_found(client_for, member, other_member, project):
    theirs = TimeEntryFactory(user=other_member, project=project)
    response = client_for(member).post(reverse("timer_continue", args=[theirs.pk]))
    assert response.status_code == 404


def test_viewer_has_no_start_form(client_for, viewer, project):
    client = client_for(viewer)
    assert 'id="start-form"' not in client.get(reverse("dashboard")).content.decode()
    response = client.post(reverse("timer_start"), {"project": project.pk})
    assert response.status_code == 400
    assert not TimeEntry.objects.exists()


def test_dashboard_totals_count_today_and_this_week_in_the_users_timezone(client_for, member, project):
    member.timezone = "Pacific/Auckland"
    member.save()
    local_now = timezone.localtime(timezone.now(), member.tzinfo)
    start = local_now.replace(hour=0, minute=30, second=0, microsecond=0)
    if start > timezone.now() - timedelta(hours=1):
        pytest.skip("too early in the day in Auckland for a finished one-hour entry")
    TimeEntryFactory(user=member, project=project, start=start, end=start + timedelta(hours=1))
    response = client_for(member).get(reverse("dashboard"))
    assert response.context["totals"]["today"] == 3600
    assert "00:30" in response.content.decode()  # shown in Auckland time, not UTC


def test_dashboard_query_count_is_bounded(client_for, member, project, django_assert_max_num_queries):
    for day in range(1, 15):
        TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(days=day))
    client = client_for(member)
    with django_assert_max_num_queries(17):  # +2: locked periods and approved weeks (rows edited in place)
        assert client.get(reverse("dashboard")).status_code == 200


def test_a_viewers_stop_is_refused_with_403(client_for, viewer):
    assert client_for(viewer).post(reverse("timer_stop")).status_code == 403


def test_a_viewers_stop_is_refused_by_the_service_whether_or_not_a_timer_runs(viewer):
    from accounts.policy import PolicyDenied
    from tracking import services

    with pytest.raises(PolicyDenied):
        services.timer_stop(actor=viewer)


def test_editing_the_description_keeps_a_start_in_the_minute_the_previous_entry_ended(client_for, member, project):
    now = timezone.now().replace(microsecond=0)
    ended = now.replace(second=30) if now.second > 30 else now  # an entry ended this minute, the timer started after
    earlier = TimeEntryFactory(user=member, project=project, start=ended - timedelta(hours=1), end=ended)
    running = TimeEntryFactory(user=member, project=project, start=ended, end=None, duration_seconds=0)
    start_time = timezone.localtime(running.start, member.tzinfo).strftime("%H:%M")
    client = client_for(member)
    response = client.post(
        reverse("timer_edit"), {"notes": "Now with a description", "project": project.pk, "start_time": start_time}
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.notes, running.start) == ("Now with a description", ended)
    assert running.start >= TimeEntry.objects.get(pk=earlier.pk).end

    moved = timezone.localtime(running.start - timedelta(minutes=30), member.tzinfo).strftime("%H:%M")
    refused = client.post(reverse("timer_edit"), {"notes": "x", "project": project.pk, "start_time": moved})
    assert refused.status_code == 400  # moving it onto the earlier entry is still an overlap
    assert "overlaps" in refused.content.decode()
