"""The /tt grammar, run through signed requests as Slack sends them, against the real tracking services."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tracking import services as tracking
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

from .conftest import SLACK_USER, midday_timezone


@pytest.fixture
def website(db):
    return ProjectFactory(name="Website", code="WEB", client=ClientFactory(name="Acme"))


def test_start_by_name_fragment_with_notes_starts_a_slack_timer(tt, linked, website):
    text = tt("start website: fixing nav")
    entry = TimeEntry.objects.get()
    assert (entry.user, entry.project, entry.notes, entry.source, entry.end) == (
        linked,
        website,
        "fixing nav",
        "slack",
        None,
    )
    assert "Started your timer on *Acme / Website* (WEB)" in text
    assert "fixing nav" in text
    assert "/tt stop" in text
    # The web UI and the API see the same timer.
    assert tracking.timer_status(user=linked) == entry


def test_start_by_code_in_any_case(tt, linked, website):
    tt("start web")
    assert TimeEntry.objects.get().project == website


def test_start_by_id(tt, linked, website):
    tt(f"start {website.pk}")
    assert TimeEntry.objects.get().project == website


def test_start_by_exact_name_wins_over_fragments(tt, linked, website):
    ProjectFactory(name="Website redesign", code="WR")
    tt("start Website")
    assert TimeEntry.objects.get().project == website


def test_several_matches_answer_a_short_list_and_start_nothing(tt, linked, website):
    other = ProjectFactory(name="Website redesign", code="WR")
    text = tt("start websi")
    assert "Several projects match “websi”" in text
    assert "`/tt start WEB`" in text and "`/tt start WR`" in text and str(other) in text
    assert not TimeEntry.objects.exists()


def test_many_matches_are_cut_short(tt, linked):
    for n in range(12):
        ProjectFactory(name=f"Support {n:02d}")
    text = tt("start support")
    assert text.count("• ") == 8
    assert "…and more" in text


def test_no_match_is_a_helpful_message_naming_projects(tt, linked, website):
    text = tt("start nonexistent")
    assert "No project you can track on matches “nonexistent”" in text
    assert "Acme / Website (WEB)" in text
    assert not TimeEntry.objects.exists()


def test_start_without_a_project_asks_which(tt, linked, website):
    text = tt("start")
    assert "Which project?" in text and "WEB" in text
    assert not TimeEntry.objects.exists()


def test_a_project_not_open_to_the_user_is_not_found_by_name_code_or_id(tt, linked):
    private = ProjectFactory(name="Secret", code="SEC", is_public=False)
    for text in ("start secret", "start SEC", f"start {private.pk}"):
        assert "No project you can track on matches" in tt(text)
    assert not TimeEntry.objects.exists()


def test_a_project_the_user_is_member_of_is_found(tt, linked):
    private = ProjectFactory(name="Secret", code="SEC", is_public=False)
    private.members.add(linked)
    tt("start sec")
    assert TimeEntry.objects.get().project == private


def test_an_archived_project_is_not_found(tt, linked):
    ProjectFactory(name="Old site", code="OLD", archived=True)
    assert "No project you can track on matches" in tt("start old")
    assert not TimeEntry.objects.exists()


def test_a_viewer_cannot_start_a_timer(tt, website):
    UserFactory(role=Role.VIEWER, slack_user_id=SLACK_USER)
    assert "read-only" in tt("start web")
    assert not TimeEntry.objects.exists()


def test_starting_while_running_says_what_runs_and_how_to_stop(tt, linked, website):
    other = ProjectFactory(name="Intranet", code="INT")
    tracking.timer_start(actor=linked, project=other)
    text = tt("start web")
    assert "already running on *" in text and "Intranet" in text
    assert "/tt stop" in text
    assert TimeEntry.objects.count() == 1


def test_stop_shows_the_duration(tt, linked, website):
    entry = tracking.timer_start(actor=linked, project=website, source="web")
    TimeEntry.objects.filter(pk=entry.pk).update(start=timezone.now() - timedelta(hours=1, minutes=30))
    text = tt("stop")
    entry.refresh_from_db()
    assert entry.end is not None
    assert "Stopped your timer on *Acme / Website*" in text
    assert "*1h 30m*" in text


def test_stop_with_nothing_running_says_so(tt, linked):
    assert "No timer is running" in tt("stop")


def test_status_names_project_start_and_notes(tt, linked, website, settings):
    linked.timezone = "Asia/Tokyo"
    linked.save(update_fields=["timezone"])
    entry = tracking.timer_start(actor=linked, project=website, notes="deploy")
    text = tt("status")
    local = timezone.localtime(entry.start, ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
    assert f"Running on *Acme / Website* (WEB) since {local}" in text
    assert "deploy" in text


def test_status_with_nothing_running_says_so(tt, linked):
    assert "No timer is running" in tt("status")


def _at(user, day, hour, minutes=60, project=None):
    start = datetime.combine(day, datetime.min.time(), tzinfo=user.tzinfo) + timedelta(hours=hour)
    return TimeEntryFactory(
        user=user, project=project, start=start, end=start + timedelta(minutes=minutes), duration_seconds=minutes * 60
    )


def test_today_totals_per_project_and_grand_total_in_the_users_time_zone(tt, linked, website):
    linked.timezone = "Pacific/Auckland"
    linked.save(update_fields=["timezone"])
    intranet = ProjectFactory(name="Intranet", client=None, code="INT")
    today = timezone.localtime(timezone.now(), ZoneInfo("Pacific/Auckland")).date()
    _at(linked, today, 0, 90, website)  # 00:00 Auckland: yesterday in UTC, but today for the user
    _at(linked, today, 2, 30, intranet)
    _at(linked, today - timedelta(days=1), 23, 60, website)  # yesterday locally: not counted
    _at(UserFactory(), today, 3, 60, website)  # someone else's time: not counted
    text = tt("today")
    assert f"*Today, {today:%a} {today.day} {today:%b}*" in text
    assert "• Acme / Website — 1h 30m" in text
    assert "• Intranet — 30m" in text
    assert "*Total: 2h*" in text


def test_today_counts_the_running_timer(tt, linked, website):
    linked.timezone = midday_timezone()
    linked.save(update_fields=["timezone"])
    entry = tracking.timer_start(actor=linked, project=website)
    TimeEntry.objects.filter(pk=entry.pk).update(start=timezone.now() - timedelta(minutes=20))
    text = tt("today")
    assert "Acme / Website — 20m (running)" in text


def test_today_with_nothing_tracked(tt, linked):
    assert "Nothing tracked today yet." in tt("today")


def test_week_runs_monday_to_sunday_in_the_users_time_zone(tt, linked, website):
    today = timezone.localtime(timezone.now(), linked.tzinfo).date()
    monday = today - timedelta(days=today.weekday())
    _at(linked, monday, 0, 60, website)
    _at(linked, monday - timedelta(days=1), 12, 45, website)  # last Sunday: not this week
    _at(linked, today, 0, 30, website) if today != monday else None
    text = tt("week")
    sunday = monday + timedelta(days=6)
    assert f"This week, {monday:%a} {monday.day} {monday:%b} – {sunday:%a} {sunday.day} {sunday:%b}" in text
    expected = "1h 30m" if today != monday else "1h"
    assert f"• Acme / Website — {expected}" in text
    assert f"*Total: {expected}*" in text


@pytest.mark.parametrize("text", ["help", "", "HELP"])
def test_help_lists_the_grammar(tt, linked, text):
    answer = tt(text)
    for command in ("start <project>[: notes]", "stop", "status", "today", "week", "help"):
        assert f"/tt {command}" in answer


def test_an_unknown_command_answers_the_grammar(tt, linked):
    answer = tt("dance")
    assert "I don't know “dance”" in answer
    assert "/tt start <project>[: notes]" in answer


def test_mrkdwn_control_characters_in_input_are_escaped(tt, linked):
    assert "&lt;!channel&gt;" in tt("start <!channel>")


def test_an_unlinked_slack_user_gets_a_link_to_their_profile(tt, member, settings, website):
    text = tt("start web", user_id="U0NOBODY")
    assert "not linked" in text
    assert f"<{settings.SITE_URL}/profile/|" in text
    assert not TimeEntry.objects.exists()


def test_an_unlinked_slack_user_with_a_known_email_is_linked_and_told_through_response_url(tt, member, fake_slack):
    fake_slack.emails[member.email] = "U0FOUNDME"
    tt("status", user_id="U0FOUNDME")
    member.refresh_from_db()
    assert member.slack_user_id == "U0FOUNDME"
    assert [r["text"] for r in fake_slack.responses] == [
        f"Found you by your email: your Slack account is now linked to {member}'s TimeTracker account. "
        "Run your command again."
    ]
    assert "Running" not in tt("status", user_id="U0FOUNDME") and "not linked" not in tt("status", user_id="U0FOUNDME")


def test_an_inactive_users_slack_account_counts_as_unlinked(tt, linked, website):
    linked.is_active = False
    linked.save()
    assert "not linked" in tt("start web")
    assert not TimeEntry.objects.exists()


def test_a_start_answers_with_a_bounded_number_of_queries(tt, linked, website, django_assert_max_num_queries):
    for n in range(20):
        ProjectFactory(name=f"Other {n}")
    # Recording the request as a webhook delivery (find the integration, insert, update) is part of the budget.
    with django_assert_max_num_queries(30):
        tt("start web: quick")
    with django_assert_max_num_queries(15):
        tt("today")
