"""The admin health page and GET /api/v1/health/: who may see them, what they show, and that no check can hang them.

The checks run in threads with their own database connections, so these tests commit (transaction=True).
"""

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from accounts import services as account_services
from monitoring import checks, webstats
from timetracker import health
from timetracker.health import FAIL, OK, WARN, Result

pytestmark = pytest.mark.django_db(transaction=True)

ISSUE_CHECKS = ["database", "broker", "workers", "beat", "queue", "web", "integrations", "installation"]


def test_the_admin_sees_every_check_with_value_threshold_and_advice(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/health/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in [*ISSUE_CHECKS, "backups"]:
        assert f'data-check="{name}"' in page
    assert "Installation health" in page
    assert "/help/docs/admin/monitoring/" in page


def test_a_manager_who_may_use_the_admin_gets_403(client, manager):
    client.force_login(manager)
    assert client.get("/admin/health/").status_code == 403


def test_a_member_is_sent_to_the_admin_sign_in(client, member):
    client.force_login(member)
    response = client.get("/admin/health/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_index_links_the_health_page(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/").content.decode()
    assert 'href="/admin/health/"' in page
    assert 'href="/usage/"' in page


def test_the_api_gives_the_same_checks_to_admins(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/api/v1/health/")
    assert response.status_code == 200
    body = response.json()
    names = [c["name"] for c in body["checks"]]
    assert set(ISSUE_CHECKS) <= set(names)
    for check in body["checks"]:
        assert set(check) == {"name", "status", "value", "threshold", "advice"}
        assert check["status"] in ("ok", "warn", "fail")


def test_the_api_refuses_everyone_else(client, manager, member):
    for user in (manager, member):
        client.force_login(user)
        assert client.get("/api/v1/health/").status_code == 403


def test_an_admin_token_needs_the_admin_scope(client, admin_user):
    _, narrow = account_services.api_token_create(actor=admin_user, name="narrow", scopes=["read:time_entries"])
    _, wide = account_services.api_token_create(actor=admin_user, name="wide", scopes=["admin"])
    assert client.get("/api/v1/health/", HTTP_AUTHORIZATION=f"Bearer {narrow}").status_code == 403
    assert client.get("/api/v1/health/", HTTP_AUTHORIZATION=f"Bearer {wide}").status_code == 200


@pytest.fixture
def extra_check():
    """Register a check for one test and take it away afterwards."""
    added = []

    def add(name, fn, **kwargs):
        health.register(name, fn, **kwargs)
        added.append(name)

    yield add
    for name in added:
        health._checks.pop(name, None)


def test_a_hung_check_is_reported_failed_and_does_not_hang_the_page(client, admin_user, extra_check):
    release = __import__("threading").Event()

    def hangs():
        release.wait(30)
        return Result(OK, "late")

    extra_check("hangs", hangs, timeout=0.5)
    client.force_login(admin_user)
    started = time.monotonic()
    response = client.get("/api/v1/health/")
    release.set()
    assert time.monotonic() - started < 10  # not a speed target: the page did not wait 30 s for the check
    hung = next(c for c in response.json()["checks"] if c["name"] == "hangs")
    assert hung["status"] == "fail"
    assert hung["value"] == "no answer within 0.5 s"


def test_a_check_that_raises_is_reported_failed(client, admin_user, extra_check):
    def broken():
        raise RuntimeError("boom")

    extra_check("broken", broken)
    client.force_login(admin_user)
    broken_row = next(c for c in client.get("/api/v1/health/").json()["checks"] if c["name"] == "broken")
    assert broken_row == {
        "name": "broken",
        "status": "fail",
        "value": "the check failed: RuntimeError",
        "threshold": "",
        "advice": "Read the web process's log.",
    }


def test_an_app_registers_a_check_in_one_line(client, admin_user, extra_check):
    extra_check("webhooks_forged", lambda: Result(WARN, "3 forged deliveries today", "none", "Rotate the secret."))
    client.force_login(admin_user)
    row = next(c for c in client.get("/api/v1/health/").json()["checks"] if c["name"] == "webhooks_forged")
    assert row["status"] == "warn" and row["advice"] == "Rotate the secret."


# --- individual checks ------------------------------------------------------------------------------------------


def test_the_database_check_measures_the_round_trip():
    result = checks.check_database()
    assert result.status in (OK, WARN)
    assert result.value.startswith("round trip ")


def test_without_redis_the_background_checks_say_tasks_run_in_process(settings):
    settings.REDIS_URL = ""
    for check in (checks.check_broker, checks.check_workers, checks.check_beat, checks.check_queue):
        result = check()
        assert result.status == OK
        assert result.value.startswith("not configured")


def test_with_redis_down_the_page_still_renders_and_shows_the_broker_red(client, admin_user, settings, closed_port):
    from monitoring import store

    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port}/0"
    store.reset()
    client.force_login(admin_user)
    response = client.get("/admin/health/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-check="broker" data-status="fail"' in page
    assert 'data-check="workers" data-status="fail"' in page


def test_debug_and_the_development_key_are_reported_unsafe(settings):
    settings.DEBUG = True
    result = checks.check_installation()
    assert result.status == WARN
    assert "DEBUG is on" in result.details
    assert "Python" in result.value and "Django" in result.value


def test_backups_are_unknown_without_backup_dir(settings):
    settings.BACKUP_DIR = ""
    result = checks.check_backups()
    assert (result.status, result.value) == (WARN, "unknown: BACKUP_DIR is not set")


def _record_backup(directory, hours_ago):
    finished = datetime.now(UTC) - timedelta(hours=hours_ago)
    record = {"finished_at": finished.isoformat().replace("+00:00", "Z"), "file": "tt-1.dump", "bytes": 2097152}
    (directory / "last-backup.json").write_text(json.dumps(record))


@pytest.mark.parametrize(("hours_ago", "status"), [(2, OK), (30, WARN), (60, FAIL)])
def test_backup_age_turns_amber_then_red(settings, tmp_path, hours_ago, status):
    settings.BACKUP_DIR = str(tmp_path)
    _record_backup(tmp_path, hours_ago)
    result = checks.check_backups()
    assert result.status == status
    assert "tt-1.dump (2.0 MB)" in result.value


def test_a_missing_or_broken_backup_record_is_red(settings, tmp_path):
    settings.BACKUP_DIR = str(tmp_path)
    assert checks.check_backups().status == FAIL
    (tmp_path / "last-backup.json").write_text("{not json")
    result = checks.check_backups()
    assert result.status == FAIL and "unreadable" in result.value


def test_web_requests_are_counted_per_route_group(client, admin_user):
    client.force_login(admin_user)
    client.get("/api/v1/users/me/")
    client.get("/help/")
    client.get("/healthz")  # probes are not counted
    summary = webstats.summary()
    assert summary["api"]["requests"] == 1
    assert summary["pages"]["requests"] == 1
    assert "healthz" not in summary
    result = checks.check_web()
    assert result.value.startswith("2 requests in the last hour")


def test_slow_requests_and_errors_turn_the_web_check_amber_or_red():
    for _ in range(19):
        webstats.record("pages", 0.02, 200)
    webstats.record("pages", 3.0, 200)
    assert webstats.summary()["pages"]["p95"] == 0.05
    webstats.record("api", 2.0, 200)
    result = checks.check_web()
    assert result.status == WARN and "add web processes" in result.advice
    for _ in range(5):
        webstats.record("api", 0.01, 503)
    assert checks.check_web().status == FAIL


def test_with_redis_down_as_cache_too_the_page_and_the_api_still_answer(client, admin_user, settings, closed_port):
    from monitoring import store

    dead = f"redis://127.0.0.1:{closed_port}/0"
    settings.REDIS_URL = dead
    settings.CACHES = {"default": {"BACKEND": "timetracker.cache.FailOpenRedisCache", "LOCATION": dead}}
    store.reset()
    client.force_login(admin_user)
    response = client.get("/admin/health/")
    assert response.status_code == 200
    assert 'data-check="broker" data-status="fail"' in response.content.decode()
    api = client.get("/api/v1/health/")
    assert api.status_code == 200
    assert client.get("/").status_code == 200


def test_with_redis_hanging_the_page_renders_within_the_checks_deadlines(client, admin_user, settings, silent_server):
    from monitoring import store

    settings.REDIS_URL = f"redis://127.0.0.1:{silent_server}/0"
    store.reset()
    client.force_login(admin_user)
    started = time.monotonic()
    response = client.get("/admin/health/")
    assert time.monotonic() - started < 15  # not a speed target: nothing waited on Redis beyond its deadline
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("broker", "workers", "beat", "queue"):
        assert f'data-check="{name}" data-status="fail"' in page
