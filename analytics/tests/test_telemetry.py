"""Opt-in installation telemetry: install once, update on a new version, health every run, groups."""

import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

import timetracker
from analytics import events, telemetry
from analytics.models import Installation
from analytics.tasks import send_telemetry


@pytest.mark.django_db
def test_telemetry_is_off_by_default_and_sends_nothing(posthog, settings):
    settings.TELEMETRY_ENABLED = False

    send_telemetry.delay()

    assert posthog.requests == []


@pytest.mark.django_db
def test_first_report_sends_install_and_health_with_installation_properties_and_groups(posthog, settings):
    settings.TELEMETRY_ENABLED = True
    settings.TIME_ZONE = "Europe/Berlin"

    send_telemetry.delay()

    installation = Installation.get()
    distinct_id = f"installation-{installation.installation_id}"
    [install] = posthog.events_named(events.TELEMETRY_INSTALL)
    [health] = posthog.events_named(events.TELEMETRY_HEALTH)
    props = health["properties"]
    assert health["distinct_id"] == install["distinct_id"] == distinct_id
    uuid.UUID(str(installation.installation_id))
    assert props["app_version"] == timetracker.__version__
    assert props["python_version"].count(".") == 2
    assert props["platform"] and props["environment"] and props["deployment_method"]
    assert props["timezone"] == "Europe/Berlin"
    assert props["$set"]["current_version"] == timetracker.__version__
    assert props["$set"]["current_platform"] == props["platform"]
    assert props["$set_once"] == {
        "first_seen_version": timetracker.__version__,
        "first_seen_platform": props["platform"],
    }
    assert props["$groups"] == {"version": timetracker.__version__, "platform": props["platform"]}
    group_events = posthog.events_named("$groupidentify")
    assert {(g["properties"]["$group_type"], g["properties"]["$group_key"]) for g in group_events} == {
        ("version", timetracker.__version__),
        ("platform", props["platform"]),
    }
    assert installation.install_reported_at is not None
    assert installation.last_reported_version == timetracker.__version__


@pytest.mark.django_db
def test_later_reports_send_health_only_and_update_when_the_version_changed(posthog, settings, monkeypatch):
    settings.TELEMETRY_ENABLED = True
    send_telemetry.delay()
    posthog.requests.clear()

    telemetry.send_telemetry()  # a later report (the daily job sends one a day: see below)
    assert [e["event"] for e in posthog.events() if not e["event"].startswith("$")] == [events.TELEMETRY_HEALTH]

    posthog.requests.clear()
    monkeypatch.setattr(timetracker, "__version__", "9.9.9")
    telemetry.send_telemetry()
    [update] = posthog.events_named(events.TELEMETRY_UPDATE)
    assert update["properties"]["previous_version"] != "9.9.9"
    assert update["properties"]["app_version"] == "9.9.9"
    assert posthog.events_named(events.TELEMETRY_HEALTH)
    assert not posthog.events_named(events.TELEMETRY_INSTALL)


@pytest.mark.django_db
def test_the_daily_job_run_twice_in_a_day_reports_once_and_again_the_next_day(posthog, settings):
    # Two beat schedulers (or a job retried) enqueue it twice: the day is claimed in the database.
    settings.TELEMETRY_ENABLED = True
    send_telemetry.delay()
    send_telemetry.delay()
    assert len(posthog.events_named(events.TELEMETRY_HEALTH)) == 1

    Installation.objects.update(last_reported_at=timezone.now() - timedelta(days=1))
    send_telemetry.delay()
    assert len(posthog.events_named(events.TELEMETRY_HEALTH)) == 2


@pytest.mark.django_db
def test_an_admin_can_turn_telemetry_on_in_the_database(posthog, settings):
    settings.TELEMETRY_ENABLED = False
    installation = Installation.get()
    installation.telemetry_enabled = True
    installation.save()

    send_telemetry.delay()

    assert posthog.events_named(events.TELEMETRY_HEALTH)


@pytest.mark.django_db
def test_telemetry_ping_sends_now_and_prints_what_it_sent(posthog, settings, capsys):
    settings.TELEMETRY_ENABLED = True

    call_command("telemetry_ping")

    out = capsys.readouterr().out
    assert "telemetry.install, telemetry.health" in out
    assert str(Installation.get().installation_id) in out
    assert posthog.events_named(events.TELEMETRY_HEALTH)


@pytest.mark.django_db
def test_telemetry_ping_explains_how_to_turn_telemetry_on(posthog, settings):
    settings.TELEMETRY_ENABLED = False

    with pytest.raises(CommandError, match="TELEMETRY_ENABLED=true"):
        call_command("telemetry_ping")
    assert posthog.requests == []


@pytest.mark.django_db
def test_telemetry_ping_explains_that_posthog_is_not_configured(settings):
    settings.POSTHOG_API_KEY = ""

    with pytest.raises(CommandError, match="POSTHOG_API_KEY"):
        call_command("telemetry_ping")


@pytest.mark.django_db
def test_the_daily_schedules_exist_after_migrating():
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))

    assert {"analytics.send_telemetry", "analytics.activity_cleanup"} <= tasks
