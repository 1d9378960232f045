"""The local activity log: fed by the signals, scoped by the policy, filterable, with retention."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts import signals as accounts_signals
from accounts.tests.factories import UserFactory
from analytics.models import ActivityLog, Verb
from analytics.services import activity_cleanup
from integrations import signals as integration_signals
from tracking import services as tracking


@pytest.mark.django_db(transaction=True)
def test_signals_write_activity_with_actor_owner_and_object(manager, member, team, project):
    accounts_signals.user_logged_in.send(sender=type(member), user_id=member.pk, method="local")
    entry = tracking.timer_start(actor=member, project=project)
    tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=10))
    tracking.time_entry_update(actor=manager, entry=entry, notes="corrected")
    client = tracking.client_create(actor=manager, name="Acme")
    tracking.project_create(actor=manager, name="Site", client=client)
    accounts_signals.user_role_changed.send(
        sender=type(member), user_id=member.pk, actor_id=manager.pk, old_role="member", new_role="viewer"
    )
    integration_signals.integration_connected.send(
        sender=None, integration_id=3, provider="github", user_id=member.pk, actor_id=member.pk
    )
    accounts_signals.user_erased.send(sender=type(member), user_id=member.pk, actor_id=manager.pk)

    verbs = list(ActivityLog.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == [
        Verb.LOGIN,
        Verb.TIMER_STARTED,
        Verb.TIMER_STOPPED,
        Verb.ENTRY_UPDATED,
        Verb.CLIENT_CREATED,
        Verb.PROJECT_CREATED,
        Verb.ROLE_CHANGED,
        Verb.INTEGRATION_CONNECTED,
        Verb.USER_ERASED,
    ]
    correction = ActivityLog.objects.get(verb=Verb.ENTRY_UPDATED)
    assert (correction.actor, correction.owner, correction.object_id) == (manager, member, str(entry.pk))
    assert correction.by_other_user
    assert "of another user" in correction.description
    assert not ActivityLog.objects.get(verb=Verb.TIMER_STARTED).by_other_user
    assert ActivityLog.objects.get(verb=Verb.ROLE_CHANGED).metadata == {"old_role": "member", "new_role": "viewer"}
    for row in ActivityLog.objects.all():
        assert "corrected" not in str(row.metadata) and member.email not in row.description


@pytest.mark.django_db
def test_activity_is_recorded_even_when_analytics_is_off(settings, member):
    settings.POSTHOG_API_KEY = ""

    accounts_signals.user_logged_out.send(sender=type(member), user_id=member.pk)

    assert ActivityLog.objects.filter(verb=Verb.LOGOUT, actor=member).exists()


def _log(verb, actor, owner=None, days_ago=0):
    return ActivityLog.objects.create(
        verb=verb, actor=actor, owner=owner or actor, created_at=timezone.now() - timedelta(days=days_ago)
    )


@pytest.mark.django_db
def test_admins_see_all_activity_and_managers_only_their_teams(client, admin_user, manager, member, other_member, team):
    mine = _log(Verb.LOGIN, member)
    outsider = _log(Verb.LOGIN, other_member)

    client.force_login(admin_user)
    admin_page = client.get("/activity/")
    assert list(admin_page.context["page"]) == [outsider, mine]

    client.force_login(manager)
    manager_page = client.get("/activity/")
    assert manager_page.status_code == 200
    assert list(manager_page.context["page"]) == [mine]


@pytest.mark.django_db
def test_members_and_viewers_may_not_open_the_activity_page(client, member, viewer):
    for person in (member, viewer):
        client.force_login(person)
        assert client.get("/activity/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/activity/")

    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_activity_page_filters_by_user_verb_and_date(client, admin_user, member, other_member):
    login = _log(Verb.LOGIN, member)
    old = _log(Verb.TIMER_STARTED, member, days_ago=10)
    other = _log(Verb.TIMER_STARTED, other_member)
    client.force_login(admin_user)
    today = timezone.now().date()

    assert list(client.get(f"/activity/?user={member.pk}").context["page"]) == [login, old]
    assert list(client.get("/activity/?verb=timer.started").context["page"]) == [other, old]
    since = (today - timedelta(days=2)).isoformat()
    assert list(client.get(f"/activity/?verb=timer.started&date_from={since}").context["page"]) == [other]
    until = (today - timedelta(days=5)).isoformat()
    assert list(client.get(f"/activity/?date_to={until}").context["page"]) == [old]


@pytest.mark.django_db
def test_changes_by_someone_else_are_highlighted_on_the_page(client, admin_user, manager, member):
    _log(Verb.ENTRY_UPDATED, manager, owner=member)
    client.force_login(admin_user)

    html = client.get("/activity/").content.decode()

    assert "changed by someone else" in html
    assert 'class="by-other-user"' in html


@pytest.mark.django_db
def test_bad_filters_get_a_400_with_the_reason(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/activity/?date_from=2026-05-10&date_to=2026-05-01&verb=nonsense")

    assert response.status_code == 400
    html = response.content.decode()
    assert "The end date must not be before the start date." in html
    assert "Select a valid choice" in html


@pytest.mark.django_db
def test_retention_deletes_activity_older_than_the_setting(settings, member):
    settings.ACTIVITY_RETENTION_DAYS = 30
    fresh = _log(Verb.LOGIN, member, days_ago=29)
    _log(Verb.LOGIN, member, days_ago=31)

    assert activity_cleanup() == 1
    assert list(ActivityLog.objects.all()) == [fresh]


@pytest.mark.django_db
def test_retention_zero_keeps_everything(settings, member):
    settings.ACTIVITY_RETENTION_DAYS = 0
    _log(Verb.LOGIN, member, days_ago=5000)

    assert activity_cleanup() == 0
    assert ActivityLog.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_lists_activity_and_the_installation_switch(client, admin_user, member):
    _log(Verb.LOGIN, member)
    client.force_login(admin_user)

    assert client.get("/admin/analytics/activitylog/").status_code == 200
    assert client.get("/admin/analytics/installation/").status_code == 200
    assert client.get("/admin/analytics/analyticspreference/").status_code == 200


@pytest.mark.django_db
def test_managers_see_only_their_teams_activity_in_the_admin(client, manager, member, other_member, team):
    _log(Verb.LOGIN, member)
    _log(Verb.LOGIN, other_member)
    client.force_login(manager)

    response = client.get("/admin/analytics/activitylog/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert client.get("/admin/analytics/installation/").status_code == 403


@pytest.mark.django_db
def test_the_activity_page_runs_a_bounded_number_of_queries(client, admin_user, django_assert_max_num_queries):
    for _ in range(30):
        _log(Verb.LOGIN, UserFactory())
    client.force_login(admin_user)

    with django_assert_max_num_queries(10):
        client.get("/activity/")


@pytest.mark.django_db
def test_the_activity_link_follows_the_policy(client, manager, member):
    client.force_login(manager)
    assert '/activity/">Activity</a>' in client.get("/").content.decode()
    client.force_login(member)
    assert '/activity/">Activity</a>' not in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_timers_activity_lines_are_queued_with_a_broker_and_written_with_the_time_they_happened(member, project):
    from celery import current_app

    from tests.brokers import broker

    with broker("memory://") as app, app.connection_for_write() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        queue.clear()
        entry = tracking.timer_start(actor=member, project=project)
        tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=10))
        messages = []
        # Two activity lines (and two Slack notices, unless a notice already found Slack not set up).
        while sum(m.headers["task"] == "analytics.record_activity" for m in messages) < 2:
            message = queue.get(timeout=5)
            message.ack()
            messages.append(message)
        queue.close()
    assert not ActivityLog.objects.exists()  # nothing written in the timer's requests
    recorded = [m for m in messages if m.headers["task"] == "analytics.record_activity"]
    assert [m.payload[0][0] for m in recorded] == [Verb.TIMER_STARTED, Verb.TIMER_STOPPED]
    for message in recorded:  # what a worker does with them, later
        current_app.tasks["analytics.record_activity"].run(*message.payload[0])
    started = ActivityLog.objects.get(verb=Verb.TIMER_STARTED)
    assert (started.actor, started.owner, started.object_id) == (member, member, str(entry.pk))
    happened = datetime.fromisoformat(recorded[0].payload[0][-1])
    assert started.created_at == happened and abs(happened - entry.start) < timedelta(seconds=5)
    assert ActivityLog.objects.get(verb=Verb.TIMER_STOPPED).metadata["duration_seconds"] == 600


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_timers_activity_line_waits_in_the_outbox(member, project):
    from tests.brokers import broker, free_port
    from timetracker.outbox.models import OutboxTask

    with broker(f"redis://127.0.0.1:{free_port()}/0"):
        entry = tracking.timer_start(actor=member, project=project)
    kept = OutboxTask.objects.filter(task_name="analytics.record_activity").get()
    assert kept.args[:3] == [Verb.TIMER_STARTED, member.pk, member.pk]
    assert kept.args[4] == entry.pk
