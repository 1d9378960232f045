"""The first-week checklist on the dashboard: its steps, what ticks them, dismissing it, and teams' progress."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from integrations.models import Integration
from monitoring import onboarding
from monitoring.models import OnboardingProgress
from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(settings):
    settings.TIME_ZONE = "UTC"
    return UserFactory(role=Role.MEMBER, timezone="UTC")


def steps(client):
    checklist = client.get("/", follow=True).context.get("onboarding")  # a viewer's home is elsewhere
    return None if checklist is None else {s.key: s.done for s in checklist.steps}


def test_a_new_member_sees_the_checklist_on_the_dashboard(client, newcomer):
    client.force_login(newcomer)
    response = client.get("/")
    page = response.content.decode()
    assert 'id="onboarding"' in page
    assert "Your first week: 0 of 3 done" in page
    assert steps(client) == {"timezone": False, "first_entry": False, "reports": False}


def test_linking_is_a_step_only_when_slack_or_github_is_set_up(client, newcomer):
    Integration.objects.create(provider="slack", is_active=True)
    client.force_login(newcomer)
    assert steps(client)["link_account"] is False
    newcomer.slack_user_id = "U123"
    newcomer.save()
    assert steps(client)["link_account"] is True


def test_the_steps_tick_from_the_persons_own_data_and_clicks(client, newcomer):
    client.force_login(newcomer)
    TimeEntryFactory(user=newcomer)
    assert steps(client)["first_entry"] is True
    assert client.post("/onboarding/timezone/").status_code == 302
    assert steps(client)["timezone"] is True
    response = client.get("/onboarding/reports/")
    assert response.status_code == 302 and response["Location"] == "/reports/"
    # Everything is done: the checklist goes away for good.
    assert steps(client) is None
    assert OnboardingProgress.objects.get(user=newcomer).completed_at is not None


def test_a_time_zone_other_than_the_installations_counts_as_set(client, newcomer):
    newcomer.timezone = "Europe/Berlin"
    newcomer.save()
    client.force_login(newcomer)
    assert steps(client)["timezone"] is True


def test_dismissing_hides_the_checklist(client, newcomer):
    client.force_login(newcomer)
    assert client.post("/onboarding/dismiss/").status_code == 302
    assert 'id="onboarding"' not in client.get("/").content.decode()


def test_the_onboarding_links_refuse_wrong_methods_and_anonymous_people(client, newcomer):
    assert client.post("/onboarding/dismiss/").status_code == 302  # to sign in
    assert not OnboardingProgress.objects.exists()
    client.force_login(newcomer)
    assert client.get("/onboarding/dismiss/").status_code == 405


def test_people_who_joined_long_ago_and_viewers_never_see_it(client, newcomer, viewer):
    newcomer.date_joined = timezone.now() - timedelta(days=90)
    newcomer.save()
    for user in (newcomer, viewer):
        client.force_login(user)
        assert steps(client) is None


def test_the_usage_page_shows_each_teams_onboarding_progress(client, admin_user, newcomer):
    other = UserFactory(role=Role.MEMBER, timezone="Europe/Berlin")
    TeamFactory(name="Support", members=[newcomer, other])
    TimeEntryFactory(user=other)
    onboarding.onboarding_step_done(actor=other, step=onboarding.STEP_REPORTS)
    client.force_login(admin_user)
    rows = {row["team"]: row for row in client.get("/usage/").context["usage"]["onboarding"]}
    assert rows["Support"] == {"team": "Support", "new": 2, "tracked": 1, "done": 1}
