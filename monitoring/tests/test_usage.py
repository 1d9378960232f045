"""The usage page: admins see every team, managers theirs; computed from the product's tables in a few queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Team, User
from accounts.tests.factories import TeamFactory, UserFactory
from integrations.models import Integration
from monitoring import usage
from tracking.demo import seed_demo
from tracking.models import TimeEntry
from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    seed_demo()
    return {u.username: u for u in User.objects.all()}


def test_the_usage_page_lists_the_demo_datas_active_people_per_team(client, demo):
    client.force_login(demo["admin"])
    response = client.get("/usage/")
    assert response.status_code == 200
    overview = response.context["usage"]
    team = next(t for t in overview["teams"] if t.team == "Product team")
    assert team.members == 3
    assert max(team.weeks) == 2  # sam and alex track; vera only reads
    assert team.weeks[0] == 0  # twelve weeks ago the demo had not started
    page = response.content.decode()
    assert 'data-team="Product team"' in page
    assert "Import" in page  # the demo's entries are imported


def test_a_manager_sees_only_the_teams_they_manage(client, demo, manager):
    TeamFactory(name="Other team", managers=[manager])
    client.force_login(demo["maria"])
    teams = [t.team for t in client.get("/usage/").context["usage"]["teams"]]
    assert teams == ["Product team"]


def test_members_and_viewers_may_not_see_usage(client, member, viewer):
    for user in (member, viewer):
        client.force_login(user)
        assert client.get("/usage/").status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client, db):
    response = client.get("/usage/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_quiet_people_and_forgotten_timers_are_listed(admin_user, team, member, other_member):
    TimeEntryFactory(user=member, start=timezone.now() - timedelta(days=20))
    TimeEntryFactory(user=other_member, start=timezone.now() - timedelta(days=1))
    running = TimeEntryFactory(user=other_member, start=timezone.now() - timedelta(hours=30), end=None)
    overview = usage.usage_overview(viewer=admin_user)
    quiet = {p["pk"] for p in overview["quiet"]}
    assert member.pk in quiet and other_member.pk not in quiet
    assert [e.pk for e in overview["forgotten"]] == [running.pk]


def test_adoption_counts_organisation_wide_and_personal_connections(admin_user, member):
    member.slack_user_id = "U1"
    member.save()
    Integration.objects.create(provider="slack", is_active=True)
    Integration.objects.create(provider="google", owner=member, is_active=True)
    adoption = {row["provider"]: row for row in usage.usage_overview(viewer=admin_user)["adoption"]}
    assert adoption["slack"]["organisation"] is True and adoption["slack"]["linked"] == 1
    assert adoption["google"]["personal"] == 1 and adoption["google"]["organisation"] is False


def test_the_query_count_does_not_grow_with_teams_and_people(admin_user, django_assert_max_num_queries):
    for i in range(15):
        people = UserFactory.create_batch(3)
        TeamFactory(name=f"Team {i}", members=people)
        for person in people:
            TimeEntryFactory(user=person)
    from timetracker import health

    # A fixed number, plus one query per feature line the apps register.
    with django_assert_max_num_queries(11 + len(health.usage())):
        overview = usage.usage_overview(viewer=admin_user)
        len(overview["quiet"])
    assert len(overview["teams"]) == Team.objects.count()
    assert all(t.weeks[-1] + t.weeks[-2] == 3 for t in overview["teams"] if t.team.startswith("Team "))


def test_an_app_adds_a_feature_line_in_one_line(client, admin_user, member):
    from timetracker import health

    TimeEntryFactory(user=member)
    health.register_usage("Entries of people in view", lambda people: TimeEntry.objects.filter(user__in=people).count())
    try:
        client.force_login(admin_user)
        response = client.get("/usage/")
    finally:
        health._usage.pop("Entries of people in view")
    assert {"label": "Entries of people in view", "count": 1} in response.context["usage"]["features"]
    assert "Features in use" in response.content.decode()


def test_saved_reports_and_approvals_count_among_the_features_in_use(client, admin_user, member, settings):
    from reports.tests.factories import SavedReportFactory
    from tracking import services
    from tracking.periods import local_today, week_start

    settings.APPROVALS_ENABLED = True
    SavedReportFactory(owner=member)
    services.timesheet_submit(actor=member, week=week_start(local_today(member)))

    client.force_login(admin_user)
    features = client.get("/usage/").context["usage"]["features"]

    assert {"label": "Saved reports", "count": 1} in features
    assert {"label": "Weeks submitted or approved (timesheet approvals)", "count": 1} in features
