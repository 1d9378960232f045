"""The client: off without a key, background queue flushed on shutdown, failures swallowed and logged at debug."""

import logging
import threading
from datetime import timedelta

import pytest

from analytics import events
from analytics.client import get_client, shutdown_client
from analytics.services import track_event
from tracking import services as tracking


def _sdk_threads():
    return [t for t in threading.enumerate() if "posthog" in type(t).__module__ or "consumer" in t.name.lower()]


@pytest.mark.django_db(transaction=True)
def test_no_api_key_means_no_client_no_thread_and_no_network(settings, posthog_server, member, project):
    settings.POSTHOG_API_KEY = ""
    settings.POSTHOG_HOST = posthog_server.url
    before = set(threading.enumerate())

    entry = tracking.timer_start(actor=member, project=project)
    tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=1))

    assert get_client() is None
    assert [t for t in threading.enumerate() if t not in before] == []
    assert posthog_server.requests == []


@pytest.mark.django_db
def test_in_background_mode_events_are_queued_and_flushed_on_shutdown(settings, posthog_server, member):
    settings.POSTHOG_API_KEY = "phc_testprojectkey"
    settings.POSTHOG_HOST = posthog_server.url
    settings.POSTHOG_SYNC_MODE = False
    client = get_client()
    assert client.sync_mode is False
    assert _sdk_threads(), "the SDK's consumer thread runs in background mode"

    for _ in range(3):
        track_event(member, "queued")
    shutdown_client()

    assert len(posthog_server.events_named("queued")) == 3
    assert len(posthog_server.batches()) <= 3


@pytest.mark.django_db
def test_changing_the_settings_rebuilds_the_client(settings, posthog):
    first = get_client()
    settings.POSTHOG_HOST = posthog.url + "/"

    assert get_client() is not first


@pytest.mark.django_db(transaction=True)
def test_timer_start_and_stop_succeed_when_posthog_is_unreachable_and_only_debug_is_logged(
    posthog_down, member, project, caplog
):
    caplog.set_level(logging.DEBUG)

    entry = tracking.timer_start(actor=member, project=project)
    stopped = tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=3))
    track_event(member, events.TIMER_STARTED)

    assert stopped.end is not None
    noisy = [r for r in caplog.records if r.name.startswith(("posthog", "analytics")) and r.levelno > logging.DEBUG]
    assert noisy == []
    assert any(r.name == "posthog" for r in caplog.records), "the failure is still visible at debug level"
