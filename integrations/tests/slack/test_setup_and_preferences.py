"""Setting Slack up (API, connection test, beat entry) and a person's Slack preferences page."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from accounts.tests.factories import UserFactory
from integrations.connectors.slack.models import SlackUserPreference

from .conftest import BOT_TOKEN, SIGNING_SECRET, TEAM_CHANNEL

PAGE = "/integrations/slack/preferences"


def test_an_admin_configures_slack_through_the_api_and_never_gets_the_secrets_back(client, admin_user, fake_slack):
    client.force_login(admin_user)
    response = client.put(
        "/api/v1/integrations/slack/config/",
        {
            "is_active": True,
            "config": {"default_channel": f" {TEAM_CHANNEL} "},
            "secrets": {"signing_secret": SIGNING_SECRET, "bot_token": BOT_TOKEN},
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.content.decode()
    assert SIGNING_SECRET not in body and BOT_TOKEN not in body
    data = client.get("/api/v1/integrations/slack/config/").json()
    assert data["config"] == {"default_channel": TEAM_CHANNEL, "notify_on_start": True, "notify_on_stop": True}
    assert SIGNING_SECRET not in str(data) and BOT_TOKEN not in str(data)


def test_slack_is_organisation_wide_only(client, member, fake_slack):
    client.force_login(member)
    response = client.put(
        "/api/v1/integrations/slack/config/?scope=personal", {"config": {}}, content_type="application/json"
    )
    assert response.status_code == 400


def test_members_cannot_configure_slack(client, member, slack):
    client.force_login(member)
    response = client.put(
        "/api/v1/integrations/slack/config/",
        {"config": {"default_channel": "C0OTHER"}},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_connection_test_asks_slack_who_the_bot_is(client, admin_user, slack, fake_slack):
    client.force_login(admin_user)
    response = client.post("/api/v1/integrations/slack/test/")
    assert response.json() == {"ok": True, "message": "Connected to the workspace Acme as timetracker."}
    assert [c["method"] for c in fake_slack.calls] == ["auth.test"]


def test_the_connection_test_reports_a_rejected_token(client, admin_user, slack, fake_slack):
    from integrations import services

    services.integration_configure(actor=admin_user, provider="slack", secrets={"bot_token": "xoxb-wrong"})
    client.force_login(admin_user)
    response = client.post("/api/v1/integrations/slack/test/")
    assert response.status_code == 400
    assert response.json()["error"] == "Slack answered 200: invalid_auth"


def test_setup_periodic_tasks_creates_the_daily_summary_job(db):
    call_command("setup_periodic_tasks")
    job = PeriodicTask.objects.get(name="slack: daily summaries")
    assert job.task == "integrations.slack.daily_summaries"
    assert job.crontab.minute == "*/5" and job.crontab.hour == "*"
    call_command("setup_periodic_tasks")
    assert PeriodicTask.objects.filter(name="slack: daily summaries").count() == 1


def test_the_integrations_page_shows_a_slack_card(client, admin_user, slack):
    client.force_login(admin_user)
    html = client.get("/integrations/").content.decode()
    assert "Slack" in html and "signing_secret" in html
    assert SIGNING_SECRET not in html and BOT_TOKEN not in html


# -- the preferences page -------------------------------------------------------------------------------------------


def _form(**overrides) -> dict:
    return {
        "action": "save",
        "slack_user_id": "U0MEMBER1",
        "notify_on_start": "dm",
        "notify_on_stop": "off",
        "daily_summary": "on",
        "summary_time": "17:30",
        **overrides,
    }


def test_the_preferences_page_needs_a_login(client, db):
    response = client.get(PAGE)
    assert response.status_code == 302


def test_a_person_links_their_slack_id_and_saves_preferences(client, member, slack):
    client.force_login(member)
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, _form(slack_user_id="u0member1"))
    assert response.status_code == 200
    assert "Saved." in response.content.decode()
    member.refresh_from_db()
    assert member.slack_user_id == "U0MEMBER1"
    preference = SlackUserPreference.objects.get(user=member)
    assert (
        preference.notify_on_start,
        preference.notify_on_stop,
        preference.daily_summary,
        preference.summary_time,
    ) == (
        "dm",
        "off",
        True,
        time(17, 30),
    )


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"slack_user_id": "not an id"}, "A Slack member ID looks like"),
        ({"summary_time": "25:00"}, "Enter a valid time"),
        ({"notify_on_start": "sometimes"}, "Select a valid choice"),
    ],
)
def test_invalid_preferences_are_refused_with_400_and_nothing_is_saved(client, member, slack, overrides, message):
    client.force_login(member)
    response = client.post(PAGE, _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.slack_user_id == ""
    assert not SlackUserPreference.objects.exists()


def test_a_slack_id_linked_to_someone_else_is_refused(client, member, slack):
    UserFactory(slack_user_id="U0MEMBER1")
    client.force_login(member)
    response = client.post(PAGE, _form())
    assert response.status_code == 400
    assert "already linked to another person" in response.content.decode()
    assert not SlackUserPreference.objects.exists()


def test_find_me_by_email_links_through_users_lookup_by_email(client, member, slack, fake_slack):
    fake_slack.emails[member.email] = "U0BYEMAIL"
    client.force_login(member)
    response = client.post(PAGE, {"action": "link_by_email"})
    assert response.status_code == 200
    assert "Linked to the Slack member U0BYEMAIL" in response.content.decode()
    member.refresh_from_db()
    assert member.slack_user_id == "U0BYEMAIL"
    assert fake_slack.calls[0]["method"] == "users.lookupByEmail"


def test_find_me_by_email_explains_an_unknown_email(client, member, slack, fake_slack):
    client.force_login(member)
    response = client.post(PAGE, {"action": "link_by_email"})
    assert response.status_code == 400
    assert f"Slack has no member with the email {member.email}" in response.content.decode()


def test_find_me_by_email_explains_a_missing_scope(client, member, slack, fake_slack):
    fake_slack.mode, fake_slack.error_code = "error", "missing_scope"
    client.force_login(member)
    response = client.post(PAGE, {"action": "link_by_email"})
    assert response.status_code == 400
    assert "users:read.email" in response.content.decode()


def test_the_page_says_when_slack_is_not_set_up(client, member):
    client.force_login(member)
    html = client.get(PAGE).content.decode()
    assert "Slack is not set up" in html
    assert "link_by_email" not in html


def test_admins_see_the_summary_ledger_and_preferences_read_only(client, admin_user, linked, slack, fake_slack):
    from integrations.connectors.slack.tasks import slack_summary_send_task

    slack_summary_send_task(linked.pk, "2026-01-05")
    client.force_login(admin_user)
    listing = client.get("/admin/integrations/slacksummarysent/")
    assert listing.status_code == 200 and "Jan. 5, 2026" in listing.content.decode()
    assert client.get("/admin/integrations/slacksummarysent/add/").status_code == 403
    assert client.get("/admin/integrations/slackuserpreference/").status_code == 200


def test_the_profile_page_links_the_slack_preferences(client, member):
    client.force_login(member)
    page = client.get("/profile/").content.decode()
    assert f'href="{PAGE}"' in page
