"""Daily summaries: sent by DM at each person's local HH:MM, exactly once per local day (the database decides)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from integrations.connectors.slack import selectors
from integrations.connectors.slack import services as slack_services
from integrations.connectors.slack.models import SlackSummarySent
from integrations.connectors.slack.tasks import slack_daily_summaries_task, slack_summary_send_task
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

from .conftest import SLACK_USER


def _opt_in(user, at: str, tz: str = "UTC"):
    user.timezone = tz
    user.save(update_fields=["timezone"])
    return slack_services.preference_update(
        actor=user, user=user, daily_summary=True, summary_time=time.fromisoformat(at)
    )


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "now,due",
    [
        ("2026-11-23 16:59", False),  # 17:59 in Berlin
        ("2026-11-23 17:00", True),  # 18:00 in Berlin
        ("2026-11-23 22:59", True),  # late, within six hours
        ("2026-11-23 23:01", False),  # more than six hours late: skipped
    ],
)
def test_a_summary_is_due_from_the_local_time_for_six_hours(linked, now, due):
    _opt_in(linked, "18:00", "Europe/Berlin")
    expected = [(linked.pk, datetime(2026, 11, 23).date())] if due else []
    assert selectors.summaries_due(now=_utc(now)) == expected


def test_a_late_run_after_local_midnight_still_sends_yesterdays_summary(linked):
    _opt_in(linked, "23:59")
    assert selectors.summaries_due(now=_utc("2026-11-24 00:04")) == [(linked.pk, datetime(2026, 11, 23).date())]


def test_only_linked_active_people_who_opted_in_are_due(linked, member, other_member):
    _opt_in(linked, "09:00")
    other_member.slack_user_id = "U0INACTIVE"
    _opt_in(other_member, "09:00")
    other_member.is_active = False
    other_member.save()
    unlinked = UserFactory()
    _opt_in(unlinked, "09:00")
    opted_out = UserFactory(slack_user_id="U0OPTEDOUT")
    slack_services.preference_update(actor=opted_out, user=opted_out, summary_time=time(9))
    assert selectors.summaries_due(now=_utc("2026-11-23 10:00")) == [(linked.pk, datetime(2026, 11, 23).date())]


def test_a_claimed_summary_is_no_longer_due(linked):
    _opt_in(linked, "09:00")
    assert slack_services.summary_claim(user_id=linked.pk, day=datetime(2026, 11, 23).date()) is not None
    assert slack_services.summary_claim(user_id=linked.pk, day=datetime(2026, 11, 23).date()) is None
    assert selectors.summaries_due(now=_utc("2026-11-23 10:00")) == []


@pytest.fixture
def due_now(linked):
    """`linked` opted in for two minutes ago, local time (Asia/Kolkata), with time tracked that local day."""
    tz = "Asia/Kolkata"
    linked.timezone = tz
    linked.save(update_fields=["timezone"])
    local = timezone.localtime(timezone.now(), linked.tzinfo) - timedelta(minutes=2)
    _opt_in(linked, local.strftime("%H:%M"), tz)
    day = local.date()
    start = datetime.combine(day, time(0, 10), tzinfo=linked.tzinfo)
    website = ProjectFactory(name="Website", client=ClientFactory(name="Acme"))
    TimeEntryFactory(
        user=linked, project=website, start=start, end=start + timedelta(minutes=75), duration_seconds=4500
    )
    return day


def test_the_beat_job_sends_the_summary_by_dm_once_however_often_it_runs(slack, fake_slack, linked, due_now):
    assert slack_daily_summaries_task() == 1
    assert slack_daily_summaries_task() == 0
    assert slack_daily_summaries_task() == 0
    assert [(p["channel"], p["text"]) for p in fake_slack.posted] == [
        (
            SLACK_USER,
            f"*Your TimeTracker day, {due_now:%a} {due_now.day} {due_now:%b}*\n"
            "• Acme / Website — 1h 15m\n*Total: 1h 15m*",
        )
    ]
    claim = SlackSummarySent.objects.get()
    assert (claim.user, claim.date, claim.status) == (linked, due_now, "sent")
    assert claim.sent_at is not None


def test_a_second_send_of_the_same_day_sends_nothing(slack, fake_slack, linked, due_now):
    assert slack_summary_send_task(linked.pk, due_now.isoformat()) == "sent"
    assert slack_summary_send_task(linked.pk, due_now.isoformat()) == "already sent"
    assert len(fake_slack.posted) == 1


def test_a_day_without_time_says_so(slack, fake_slack, linked):
    _opt_in(linked, "00:00")
    assert slack_summary_send_task(linked.pk, "2026-01-05") == "sent"
    assert "Nothing tracked that day" in fake_slack.posted[0]["text"]


def test_a_failed_summary_is_recorded_and_not_sent_again(slack, fake_slack, linked, due_now):
    fake_slack.mode = "error"
    fake_slack.error_code = "ratelimited"
    assert slack_daily_summaries_task() == 1
    claim = SlackSummarySent.objects.get()
    assert claim.status == "failed" and "ratelimited" in claim.error
    slack.refresh_from_db()
    assert "daily summary" in slack.last_error and "ratelimited" in slack.last_error
    fake_slack.mode = None
    assert slack_daily_summaries_task() == 0
    assert fake_slack.posted == []


def test_no_summaries_while_slack_is_not_configured(db, fake_slack, linked, due_now, in_process_tasks):
    assert slack_daily_summaries_task() == 0
    assert fake_slack.calls == []
    assert not SlackSummarySent.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL), as CI does")
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_on_postgresql_send_one_summary(slack, fake_slack, linked, due_now):
    workers = 6
    barrier = threading.Barrier(workers)
    outcomes = []

    def send():
        try:
            barrier.wait()
            outcomes.append(slack_summary_send_task(linked.pk, due_now.isoformat()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already sent"] * (workers - 1) + ["sent"]
    assert len(fake_slack.posted) == 1
    assert SlackSummarySent.objects.filter(user=linked, date=due_now, status="sent").count() == 1
