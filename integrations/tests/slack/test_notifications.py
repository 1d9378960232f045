"""Start/stop notices: any source's timer reaches Slack by chat.postMessage; Slack failing never touches the timer."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from celery import current_app
from django.utils import timezone

from accounts.services import api_token_create
from integrations import signals
from integrations.connectors.slack import services as slack_services
from integrations.connectors.slack.models import Delivery
from integrations.connectors.slack.tasks import slack_notify_timer_task
from tracking import services as tracking
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory

from .conftest import BOT_TOKEN, SLACK_USER, TEAM_CHANNEL


@pytest.fixture
def as_a_worker(settings, monkeypatch):
    """Run a task as a worker would (retries allowed), Celery's apply() running each retry at once instead of
    after its countdown; a retry's failure stays inside Celery as on a worker."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(current_app.conf, "task_eager_propagates", False)


@pytest.fixture
def website(db):
    return ProjectFactory(name="Website", code="WEB", client=ClientFactory(name="Acme"))


def _run_timer(user, project, minutes=45, source="web"):
    entry = tracking.timer_start(actor=user, project=project, notes="private notes", source=source)
    TimeEntry.objects.filter(pk=entry.pk).update(start=timezone.now() - timedelta(minutes=minutes))
    return tracking.timer_stop(actor=user, source=source)


def test_start_and_stop_from_the_web_are_posted_to_the_team_channel(
    slack, fake_slack, linked, website, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(linked, website)
    assert [(p["channel"], p["text"]) for p in fake_slack.posted] == [
        (TEAM_CHANNEL, f":stopwatch: <@{SLACK_USER}> started the timer on *Acme / Website*."),
        (TEAM_CHANNEL, f":white_check_mark: <@{SLACK_USER}> stopped the timer on *Acme / Website* after *45m*."),
    ]
    assert all("private notes" not in p["text"] for p in fake_slack.posted)
    assert {c["auth"] for c in fake_slack.calls} == {f"Bearer {BOT_TOKEN}"}


def test_a_timer_started_by_slash_command_is_announced_too(
    tt, fake_slack, linked, website, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tt("start web")
    assert [p["channel"] for p in fake_slack.posted] == [TEAM_CHANNEL]


def test_a_person_may_take_their_notices_to_a_direct_message(
    slack, fake_slack, linked, website, django_capture_on_commit_callbacks
):
    slack_services.preference_update(actor=linked, user=linked, notify_on_start=Delivery.DM, notify_on_stop=Delivery.DM)
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(linked, website)
    assert [p["channel"] for p in fake_slack.posted] == [SLACK_USER, SLACK_USER]
    assert fake_slack.posted[0]["text"] == ":stopwatch: You started the timer on *Acme / Website* — private notes."


def test_a_person_may_turn_their_notices_off(slack, fake_slack, linked, website, django_capture_on_commit_callbacks):
    slack_services.preference_update(actor=linked, user=linked, notify_on_start=Delivery.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(linked, website)
    assert [p["text"][:18] for p in fake_slack.posted] == [":white_check_mark:"]


def test_the_organisation_may_turn_start_notices_off(
    slack, fake_slack, linked, website, admin_user, django_capture_on_commit_callbacks
):
    from integrations import services

    services.integration_configure(actor=admin_user, provider="slack", config={"notify_on_start": False})
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(linked, website)
    assert [p["text"][:18] for p in fake_slack.posted] == [":white_check_mark:"]


def test_unlinked_people_are_not_announced(slack, fake_slack, member, website, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(member, website)
    assert fake_slack.calls == []


def test_nothing_is_posted_when_slack_is_not_configured(
    db, fake_slack, linked, website, in_process_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run_timer(linked, website)
    assert fake_slack.calls == []


@pytest.mark.parametrize("mode", ["error", "http500", "slow"])
def test_slack_failing_leaves_the_timer_alone_and_records_the_failure(
    slack, fake_slack, linked, website, mode, django_capture_on_commit_callbacks
):
    fake_slack.mode = mode
    fake_slack.delay = 2.5  # longer than SLACK_API_TIMEOUT (1 s in tests)
    failures = []
    signals.integration_failed.connect(lambda **kw: failures.append(kw["error_code"]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            entry = tracking.timer_start(actor=linked, project=website)
        assert TimeEntry.objects.get(pk=entry.pk).end is None
        with django_capture_on_commit_callbacks(execute=True):
            stopped = tracking.timer_stop(actor=linked)
    finally:
        signals.integration_failed.disconnect(dispatch_uid="t")
    assert stopped.end is not None
    assert fake_slack.posted == []
    slack.refresh_from_db()
    expected = {
        "error": "Slack answered 200: channel_not_found",
        "http500": "Slack answered 500",
        "slow": "Slack did not answer in time",
    }[mode]
    assert "the stopped notice for entry" in slack.last_error and expected in slack.last_error
    assert BOT_TOKEN not in slack.last_error
    assert failures == ["notify_failed", "notify_failed"]


def test_a_failing_notice_is_retried_with_backoff_then_recorded(slack, fake_slack, linked, website, as_a_worker):
    entry = tracking.timer_start(actor=linked, project=website)  # its on-commit notice never runs in this test
    fake_slack.mode = "error"
    result = slack_notify_timer_task.apply(args=(entry.pk, "started"), throw=False)
    assert result.get() == "failed: Slack answered 200: channel_not_found"
    attempts = [c for c in fake_slack.calls if c["method"] == "chat.postMessage"]
    assert len(attempts) == 1 + slack_notify_timer_task.max_retries
    slack.refresh_from_db()
    assert "the started notice" in slack.last_error


def test_a_notice_that_succeeds_on_retry_records_nothing(slack, fake_slack, linked, website, as_a_worker):
    entry = tracking.timer_start(actor=linked, project=website)
    fake_slack.fail_times = 2
    assert slack_notify_timer_task.apply(args=(entry.pk, "started"), throw=False).get() == "posted"
    assert len(fake_slack.posted) == 1
    slack.refresh_from_db()
    assert slack.last_error == ""


def test_without_a_worker_a_slack_that_does_not_answer_never_holds_up_the_timer(
    transactional_db, live_server, slack, fake_slack, linked, website, settings
):
    """The embedded default runs the notice in-process, but only after the timer's answer has gone out."""
    settings.SLACK_API_TIMEOUT = 20  # Slack's own deadline is not what keeps the timer quick
    _, raw = api_token_create(actor=linked, name="cli", scopes="write:time_entries")
    fake_slack.mode = "hold"
    response = requests.post(
        f"{live_server.url}/api/v1/timer/start/",
        json={"project": website.pk},
        headers={"Authorization": f"Bearer {raw}"},
        timeout=5,  # far less than the held Slack call (30 s): only an answer sent before it can arrive
    )
    assert response.status_code == 201
    assert fake_slack.posted == []  # Slack has not answered yet...
    fake_slack.release.set()
    for _ in range(100):  # ...and once it does, the notice is posted
        if fake_slack.posted:
            break
        time.sleep(0.05)
    assert [p["channel"] for p in fake_slack.posted] == [TEAM_CHANNEL]


# -- no notice queued while Slack is known not to be set up --------------------------------------------------------


@pytest.fixture
def nothing_known_of_slack():
    """No "Slack is not set up" left in the cache by an earlier test."""
    from integrations.connectors.slack import selectors

    selectors.slack_forget_not_set_up()
    yield
    selectors.slack_forget_not_set_up()


def _timer_by_api(client, raw_token, project):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}
    started = client.post("/api/v1/timer/start/", {"project": project.pk}, content_type="application/json", **headers)
    assert started.status_code == 201
    assert client.post("/api/v1/timer/stop/", **headers).status_code == 200


def _queued_tasks(make_requests) -> list[str]:
    """The names of the tasks `make_requests()` queues, sent to Celery's in-memory transport as to a worker's."""
    from tests.brokers import broker

    with broker("memory://") as app, app.connection_for_write() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        queue.clear()
        try:
            make_requests()
            names = []
            while True:
                try:
                    message = queue.get(timeout=0.5)
                except queue.Empty:
                    return names
                message.ack()
                names.append(message.headers["task"])
        finally:
            queue.clear()
            queue.close()


@pytest.mark.django_db(transaction=True)
def test_once_a_notice_found_slack_not_set_up_timers_queue_none(client, linked, website, nothing_known_of_slack):
    _, raw = api_token_create(actor=linked, name="cli", scopes="write:time_entries")
    first = _queued_tasks(lambda: _timer_by_api(client, raw, website))
    # Not known yet: the notices are queued as always, and the first a worker runs finds Slack not set up.
    assert first.count("integrations.slack.notify_timer") == 2
    assert slack_notify_timer_task.apply(args=(1, "started")).get() == "not configured"
    then = _queued_tasks(lambda: _timer_by_api(client, raw, website))
    assert "integrations.slack.notify_timer" not in then
    assert then.count("analytics.record_activity") == 2  # the rest of the timer's work is queued as before


@pytest.mark.django_db(transaction=True)
def test_slack_set_up_after_it_was_found_not_set_up_gets_the_next_notices(
    db,
    client,
    fake_slack,
    linked,
    website,
    admin_user,
    in_process_tasks,
    nothing_known_of_slack,
    django_capture_on_commit_callbacks,
):
    from .conftest import set_up_slack

    _, raw = api_token_create(actor=linked, name="cli", scopes="write:time_entries")
    _timer_by_api(client, raw, website)  # the notices run after each answer and find Slack not set up
    _timer_by_api(client, raw, website)  # then none is queued
    assert fake_slack.calls == []

    set_up_slack(admin_user)
    _timer_by_api(client, raw, website)
    assert [(p["channel"], p["text"][:18]) for p in fake_slack.posted] == [
        (TEAM_CHANNEL, ":stopwatch: <@U2CE"),
        (TEAM_CHANNEL, ":white_check_mark:"),
    ]


@pytest.mark.django_db(transaction=True)
def test_a_cache_that_fails_leaves_the_notices_as_they_were(
    db,
    client,
    fake_slack,
    slack,
    linked,
    website,
    settings,
    nothing_known_of_slack,
    django_capture_on_commit_callbacks,
):
    """The cache down (Redis unreachable: the fail-open backend answers nothing): every notice is queued and posted."""
    from django.core.cache import caches

    from tests.brokers import free_port

    settings.CACHES = {
        "default": {
            "BACKEND": "timetracker.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2, "RETRY_SECONDS": 60},
        }
    }
    assert caches["default"].get("anything") is None  # the dead one, from now on
    _, raw = api_token_create(actor=linked, name="cli", scopes="write:time_entries")
    _timer_by_api(client, raw, website)
    _timer_by_api(client, raw, website)
    assert len(fake_slack.posted) == 4
