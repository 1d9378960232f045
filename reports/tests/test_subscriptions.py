"""Scheduled delivery of saved reports: due times in the subscriber's time zone, exactly once per period under
repeated and concurrent beat runs, email through Django's backend, failures retried then recorded, and results
computed with the subscriber's visibility."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from reports import subscriptions, tasks
from reports.models import DeliveryStatus, Subscription, SubscriptionDelivery, Visibility
from reports.tests.factories import SavedReportFactory
from tests.concurrency import run_together
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings, in_process_tasks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://tt.example.org"


@pytest.fixture
def report(manager, member):
    project = ProjectFactory(name="Apollo", is_public=True)
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    TimeEntryFactory(user=manager, project=project, start=start, end=start + timedelta(hours=2))
    TimeEntryFactory(user=member, project=project, start=start, end=start + timedelta(hours=1))
    return SavedReportFactory(
        owner=manager,
        name="Hours by project",
        visibility=Visibility.EVERYONE,
        definition={"preset": "last_30_days", "group_by": "project", "filters": {}, "chart": "bar"},
    )


def _subscribe(user, report, *, created=None, **schedule):
    values = {"channel": "email", "frequency": "weekly", "weekday": 0, "time": time(9, 0), **schedule}
    subscription = Subscription.objects.create(report=report, subscriber=user, **values)
    Subscription.objects.filter(pk=subscription.pk).update(created_at=created or timezone.now() - timedelta(days=60))
    subscription.refresh_from_db()
    return subscription


def _beat(now):
    claimed = subscriptions.claim_due(now=now)
    for delivery in claimed:
        tasks.deliver_subscription_task.apply(args=[delivery.pk])
    return len(claimed)


def test_weekly_is_delivered_once_a_week_however_often_beat_runs(member, report):
    member.timezone = "Europe/Paris"
    member.save(update_fields=["timezone"])
    _subscribe(member, report, weekday=2, time=time(9, 30))  # Wednesdays 09:30 in Paris (08:30 UTC in December)
    before = datetime(2026, 12, 2, 8, 29, tzinfo=UTC)  # Wednesday
    assert _beat(before) == 0
    for minutes in (1, 5, 10, 60 * 24 * 3):  # on time, again, again, three days late
        _beat(before + timedelta(minutes=minutes))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "Hours by project" in message.subject
    assert "1.0 h in total" in message.body and "Apollo: 1.0 h" in message.body
    assert f"https://tt.example.org/reports/saved/{report.pk}/" in message.body
    _beat(before + timedelta(days=7, minutes=1))  # the next Wednesday
    _beat(before + timedelta(days=7, minutes=6))
    assert len(mail.outbox) == 2
    assert list(SubscriptionDelivery.objects.order_by("period_key").values_list("period_key", "status")) == [
        ("2026-W49", DeliveryStatus.SENT),
        ("2026-W50", DeliveryStatus.SENT),
    ]


def test_the_beat_task_itself_claims_and_sends_once(member, report):
    today = timezone.now().astimezone(member.tzinfo)
    _subscribe(member, report, weekday=today.weekday(), time=time(0, 0))
    for _ in range(3):
        tasks.deliver_subscriptions_task.apply()
    assert len(mail.outbox) == 1


def test_a_late_beat_after_the_week_turned_still_delivers_last_weeks(member, report):
    member.timezone = "UTC"
    member.save(update_fields=["timezone"])
    _subscribe(member, report, weekday=6, time=time(23, 58))  # Sunday night
    assert _beat(datetime(2026, 12, 7, 0, 3, tzinfo=UTC)) == 1  # Monday 00:03: beat was late
    assert SubscriptionDelivery.objects.get().period_key == "2026-W49"
    assert _beat(datetime(2026, 12, 7, 0, 8, tzinfo=UTC)) == 0


def test_monthly_on_its_day_once_a_month(member, report):
    member.timezone = "America/New_York"
    member.save(update_fields=["timezone"])
    _subscribe(member, report, frequency="monthly", weekday=None, day=28, time=time(18, 0))
    assert _beat(datetime(2026, 12, 28, 22, 59, tzinfo=UTC)) == 0  # 17:59 in New York
    assert _beat(datetime(2026, 12, 28, 23, 0, tzinfo=UTC)) == 1
    assert _beat(datetime(2026, 12, 31, 12, 0, tzinfo=UTC)) == 0
    assert _beat(datetime(2027, 1, 28, 23, 1, tzinfo=UTC)) == 1
    assert len(mail.outbox) == 2
    assert sorted(SubscriptionDelivery.objects.values_list("period_key", flat=True)) == ["2026-12", "2027-01"]


def test_made_before_this_periods_time_it_is_delivered_this_period_after_it_the_next(member, report):
    member.timezone = "UTC"
    member.save(update_fields=["timezone"])
    wednesday = datetime(2026, 12, 2, tzinfo=UTC)
    early = _subscribe(member, report, weekday=2, time=time(9, 0), created=wednesday.replace(hour=8))
    late = _subscribe(member, report, weekday=2, time=time(9, 0), created=wednesday.replace(hour=10))
    _beat(wednesday.replace(hour=11))
    assert set(SubscriptionDelivery.objects.values_list("subscription_id", flat=True)) == {early.pk}
    _beat(wednesday.replace(hour=11) + timedelta(days=7))
    assert SubscriptionDelivery.objects.filter(subscription=late).count() == 1


def test_results_use_the_subscribers_visibility(member, admin_user, report):
    _subscribe(member, report, target="")
    _subscribe(admin_user, report, target="")
    _beat(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "1.0 h in total" in bodies[member.email]  # a member sees only their own time
    assert "3.0 h in total" in bodies[admin_user.email]


def test_a_report_the_subscriber_may_no_longer_see_is_not_sent_and_says_why(member, manager, report):
    report.visibility = Visibility.PRIVATE
    report.save(update_fields=["visibility"])
    subscription = _subscribe(member, report)
    _beat(datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    assert mail.outbox == []
    subscription.refresh_from_db()
    assert "no longer see" in subscription.last_error
    assert SubscriptionDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_failing_mail_server_is_recorded_and_the_period_not_sent_twice(member, report, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    subscription = _subscribe(member, report)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    _beat(now)
    subscription.refresh_from_db()
    delivery = SubscriptionDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert "could not be sent" in subscription.last_error and subscription.last_error_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _beat(now + timedelta(minutes=5))
    assert mail.outbox == []  # the period was claimed: failures are shown, not re-sent by every beat run
    _beat(now + timedelta(days=7))
    assert len(mail.outbox) == 1
    subscription.refresh_from_db()
    assert subscription.last_error == ""  # a later success clears it


def test_a_failed_send_is_retried_with_backoff_when_a_broker_runs_tasks(member, report, settings):
    from celery.exceptions import Retry

    settings.CELERY_TASK_ALWAYS_EAGER = False  # as with a worker: the task asks Celery to run it again later
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    _subscribe(member, report)
    [delivery] = subscriptions.claim_due(now=datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    with pytest.raises(Retry):
        tasks.deliver_subscription_task.apply(args=[delivery.pk], throw=True)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.CLAIMED and delivery.attempts == 1


def test_a_claim_whose_worker_died_is_sent_by_the_first_beat_after_its_lease(member, report):
    _subscribe(member, report)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    [claim] = subscriptions.claim_due(now=now)  # the worker that should send it dies: no task runs
    for minutes in (5, 10, 25):  # the lease still holds: no second sender while the first may be alive
        assert _beat(now + timedelta(minutes=minutes)) == 0
    assert mail.outbox == []
    later = now + subscriptions.CLAIM_LEASE + timedelta(minutes=5)
    assert _beat(later) == 1
    assert len(mail.outbox) == 1
    claim.refresh_from_db()
    assert claim.status == DeliveryStatus.SENT and claim.attempts == 1
    for minutes in (5, 60, 60 * 6):  # sent is final: never taken again
        assert _beat(later + timedelta(minutes=minutes)) == 0
    assert len(mail.outbox) == 1
    assert SubscriptionDelivery.objects.count() == 1


def test_a_claim_held_by_a_retrying_task_is_not_taken_again_until_its_lease_runs_out(member, report, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker retries with backoff: the claim stays "claimed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    _subscribe(member, report)
    now = timezone.now()
    [claim] = subscriptions.claim_due(now=now)
    from celery.exceptions import Retry

    with pytest.raises(Retry):
        tasks.deliver_subscription_task.apply(args=[claim.pk], throw=True)
    assert subscriptions.claim_due(now=now + timedelta(minutes=7)) == []  # the retry's backoff is within the lease
    assert [d.pk for d in subscriptions.claim_due(now=timezone.now() + subscriptions.CLAIM_LEASE * 2)] == [claim.pk]


def test_a_claim_interrupted_again_and_again_is_recorded_as_failed(member, report):
    subscription = _subscribe(member, report)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    [claim] = subscriptions.claim_due(now=now)
    SubscriptionDelivery.objects.filter(pk=claim.pk).update(attempts=subscriptions.MAX_INTERRUPTED)
    assert _beat(now + subscriptions.CLAIM_LEASE * 2) == 0
    claim.refresh_from_db()
    subscription.refresh_from_db()
    assert claim.status == DeliveryStatus.FAILED and "interrupted" in claim.error
    assert "interrupted" in subscription.last_error
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_claim_each_period_once(member, report):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    _subscribe(member, report)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    results = run_together([lambda: len(subscriptions.claim_due(now=now)) for _ in range(4)])
    assert sorted(results) == [0, 0, 0, 1]
    assert SubscriptionDelivery.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_take_an_expired_claim_once(member, report):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    _subscribe(member, report)
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    subscriptions.claim_due(now=now)
    later = now + subscriptions.CLAIM_LEASE * 2
    results = run_together([lambda: len(subscriptions.claim_due(now=later)) for _ in range(4)])
    assert sorted(results) == [0, 0, 0, 1]
