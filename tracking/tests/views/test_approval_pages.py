"""Approvals on the web: the week page's state and actions, the team overview, and locked time refused in forms."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking import services
from tracking.models import TimeEntry, Timesheet
from tracking.periods import local_today, week_start
from tracking.tests.factories import TimeEntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approvals_on")]


@pytest.fixture
def entry(last_week_entry):
    return last_week_entry


def week_url(last_monday, user=None):
    url = f"{reverse('entry_week')}?week={last_monday:%Y-%m-%d}"
    return f"{url}&user={user.pk}" if user else url


def test_member_submits_from_the_week_page_and_sees_the_rejection_comment(
    client_for, member, manager, team, entry, last_monday
):
    me = client_for(member)
    page = me.get(week_url(last_monday)).content.decode()
    assert "Submit this week for approval" in page
    response = me.post(reverse("timesheet_submit"), {"week": f"{last_monday:%Y-%m-%d}"}, follow=True)
    assert "Submitted the week of" in response.content.decode()
    assert Timesheet.objects.get(user=member, week=last_monday).state == "submitted"

    boss = client_for(manager)
    overview = boss.get(reverse("team_overview")).content.decode()
    assert member.display_name in overview and "Submitted" in overview and "1 week waiting" in overview
    data = {"user": member.pk, "week": f"{last_monday:%Y-%m-%d}", "decision": "reject", "comment": "Notes please"}
    boss.post(reverse("timesheet_decide"), data)
    page = me.get(week_url(last_monday)).content.decode()
    assert "Rejected" in page and "Notes please" in page and "Submit again" in page


def test_manager_bulk_approves_and_the_entry_is_then_refused_in_the_web_ui(
    client_for, member, manager, team, entry, last_monday
):
    services.timesheet_submit(actor=member, week=last_monday)
    response = client_for(manager).post(
        reverse("timesheet_approve_bulk"), {"week_of": [f"{member.pk}:{last_monday:%Y-%m-%d}"]}, follow=True
    )
    assert "Approved 1 week" in response.content.decode()
    me = client_for(member)
    response = me.post(
        reverse("entry_edit", args=[entry.pk]),
        {
            "project": entry.project_id,
            "date": f"{last_monday:%Y-%m-%d}",
            "start_time": "09:00",
            "end_time": "11:00",
            "notes": "changed",
        },
    )
    assert response.status_code == 400
    assert "approved by" in response.content.decode()
    response = me.post(reverse("entry_delete", args=[entry.pk]), follow=True)
    assert TimeEntry.objects.filter(pk=entry.pk).exists()
    assert "approved by" in response.content.decode()
    assert "Approved" in me.get(week_url(last_monday)).content.decode()


def test_members_and_viewers_get_no_overview(client_for, member, viewer, team):
    assert client_for(member).get(reverse("team_overview")).status_code == 403
    assert client_for(viewer).get(reverse("team_overview")).status_code == 403
    assert "Team</a>" not in client_for(member).get(reverse("entry_week")).content.decode()


def test_a_manager_cannot_decide_outside_their_teams(client_for, manager, other_member, team, last_monday):
    services.timesheet_submit(actor=other_member, week=last_monday)
    data = {"user": other_member.pk, "week": f"{last_monday:%Y-%m-%d}", "decision": "approve"}
    assert client_for(manager).post(reverse("timesheet_decide"), data).status_code == 404
    assert Timesheet.objects.get(user=other_member).state == "submitted"


def test_the_overview_flags_nothing_tracked_and_forgotten_timers(client_for, manager, member, team, project):
    TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(hours=11), end=None)
    page = client_for(manager).get(reverse("team_overview")).content.decode()
    assert "Timer running for 11 h" in page
    assert "Nothing tracked this week" not in page.split(member.display_name, 1)[1].split("</tr>", 1)[0]


def test_the_overview_is_a_bounded_number_of_queries(client_for, manager, team, project, django_assert_max_num_queries):
    from accounts.tests.factories import UserFactory

    for _ in range(8):
        person = UserFactory()
        team.members.add(person)
        TimeEntryFactory(user=person, project=project)
    boss = client_for(manager)
    with django_assert_max_num_queries(20):
        boss.get(reverse("team_overview"))


def test_the_week_page_says_a_period_is_locked(client_for, admin_user, member, entry):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user) - timedelta(days=1), label="Finance")
    page = client_for(member).get(week_url(week_start(entry.start.date()))).content.decode()
    assert "is locked by Finance" in page


def test_the_entry_list_marks_locked_entries_and_offers_no_edit(client_for, admin_user, member, entry):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user) - timedelta(days=1))
    page = client_for(member).get(reverse("entry_list")).content.decode()
    row = page.split(f'id="entry-{entry.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Locked" in row and "Edit" not in row and 'name="ids"' not in row


def test_the_entry_list_marks_entries_of_an_approved_week_locked_and_no_other(
    client_for, member, manager, team, project, entry, last_monday
):
    earlier = TimeEntryFactory(user=member, project=project, start=entry.start - timedelta(days=7))
    services.timesheet_submit(actor=member, week=last_monday)
    services.timesheet_approve(actor=manager, user=member, week=last_monday)
    page = client_for(member).get(reverse("entry_list")).content.decode()
    row = page.split(f'id="entry-{entry.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Locked" in row and "Edit" not in row
    row = page.split(f'id="entry-{earlier.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Locked" not in row and "Edit" in row


def test_a_required_team_flags_last_week_not_submitted(client_for, admin_user, manager, member, team, entry):
    boss = client_for(manager)
    assert "Last week not submitted" not in boss.get(reverse("team_overview")).content.decode()
    services.approval_settings_update(actor=admin_user, required_teams=[team])
    assert "Last week not submitted" in boss.get(reverse("team_overview")).content.decode()
