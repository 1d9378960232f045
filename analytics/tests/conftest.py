"""Fixtures of the analytics tests: a local PostHog receiver, the client pointed at it, tasks run in-process."""

import pytest

from analytics import flags, services
from analytics.client import shutdown_client
from analytics.tests.posthog_server import FakePostHog
from timetracker.celery import app as celery_app

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Run Celery tasks in-process even when REDIS_URL points at a broker no worker listens to in tests."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _fresh_analytics_state():
    services._id_secret = None
    flags.reset_backoff()
    yield
    shutdown_client()
    services._id_secret = None
    flags.reset_backoff()


@pytest.fixture
def posthog_server():
    server = FakePostHog().start()
    yield server
    server.stop()


@pytest.fixture
def posthog(settings, posthog_server):
    """Analytics on, the real SDK in synchronous mode sending to the local receiver."""
    settings.POSTHOG_API_KEY = "phc_testprojectkey"
    settings.POSTHOG_HOST = posthog_server.url
    settings.POSTHOG_SECRET_KEY = ""
    settings.POSTHOG_SYNC_MODE = True
    settings.POSTHOG_FLAGS_TIMEOUT = 2.0
    settings.POSTHOG_FLAGS_CACHE_SECONDS = 0  # tests change the flags between requests
    return posthog_server


@pytest.fixture
def posthog_down(settings):
    """Analytics configured, but nothing listens at the host (a port that was just closed)."""
    server = FakePostHog().start()
    url = server.url
    server.stop()
    settings.POSTHOG_API_KEY = "phc_testprojectkey"
    settings.POSTHOG_HOST = url
    settings.POSTHOG_SECRET_KEY = ""
    settings.POSTHOG_SYNC_MODE = True
    settings.POSTHOG_FLAGS_CACHE_SECONDS = 0
    return url
