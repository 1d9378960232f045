"""/healthz and /readyz: unauthenticated, revealing nothing but ok/unavailable, answering even when Redis hangs."""

import time

import pytest

from monitoring import store


def test_healthz_answers_ok_without_touching_the_database(client):
    # No database access is allowed in this test: any query would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db(transaction=True)
def test_readyz_without_redis_says_the_broker_is_not_configured(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "not configured"}}


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_when_the_broker_is_down(client, settings, closed_port):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    store.reset()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "broker": "unavailable"}}


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_503_in_time_when_the_broker_hangs(client, settings, silent_server):
    settings.REDIS_URL = f"redis://127.0.0.1:{silent_server}/0"
    store.reset()
    started = time.monotonic()
    response = client.get("/readyz")
    # Not a speed target: proves the probe gives up on a hanging broker instead of waiting with it.
    assert time.monotonic() - started < 10
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


@pytest.mark.redis
@pytest.mark.skipif(not __import__("django.conf").conf.settings.REDIS_URL, reason="needs Redis (set REDIS_URL)")
@pytest.mark.django_db(transaction=True)
def test_readyz_with_redis_up_is_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_probes_refuse_other_methods(client):
    assert client.post("/healthz").status_code == 405
