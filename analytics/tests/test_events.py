"""Events from the domain signals reach PostHog with their context and ids only."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts import signals as accounts_signals
from analytics import events
from analytics.context import client_from_user_agent
from analytics.middleware import AnalyticsRequestMiddleware
from analytics.services import distinct_id, track_event
from integrations import signals as integration_signals
from tracking import services as tracking
from tracking import signals as tracking_signals
from tracking.models import TimeEntry

from .conftest import FIREFOX_WINDOWS, SAFARI_IPHONE


def in_request(path, func, user_agent=FIREFOX_WINDOWS):
    """Run `func` while the middleware serves a request to `path`, as a view would."""
    request = RequestFactory().post(path, HTTP_USER_AGENT=user_agent)
    result = {}

    def view(req):
        result["value"] = func()
        return None

    AnalyticsRequestMiddleware(view)(request)
    return result["value"]


@pytest.mark.django_db(transaction=True)
def test_timer_start_and_stop_send_events_with_request_context_and_ids(posthog, member, project):
    entry = in_request(
        "/timer/start/?next=/dashboard/&q=secret", lambda: tracking.timer_start(actor=member, project=project)
    )
    in_request("/timer/stop/", lambda: tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=30)))

    [started] = posthog.events_named(events.TIMER_STARTED)
    props = started["properties"]
    assert started["distinct_id"] == distinct_id(member.pk)
    assert props["$current_url"] == "/timer/start/"
    assert props["$browser"] == "Firefox"
    assert props["$os"] == "Windows"
    assert props["$device_type"] == "desktop"
    assert props["app_version"]
    assert props["environment"]
    assert props["deployment_method"] in ("docker", "native")
    assert props["project_id"] == project.pk
    assert props["source"] == "web"
    assert props["$geoip_disable"] is True
    assert "$ua_os" not in props and "$os_version" not in props
    [stopped] = posthog.events_named(events.TIMER_STOPPED)
    assert stopped["properties"]["duration_seconds"] == 30 * 60
    assert stopped["properties"]["$current_url"] == "/timer/stop/"


@pytest.mark.django_db(transaction=True)
def test_events_outside_a_request_carry_no_client_context(posthog, member, project):
    tracking.timer_start(actor=member, project=project, source="slack")

    [started] = posthog.events_named(events.TIMER_STARTED)
    assert started["properties"]["source"] == "slack"
    for key in ("$current_url", "$browser", "$os", "$device_type"):
        assert key not in started["properties"]


def test_user_agent_parsing_recognises_phones_and_desktops():
    assert client_from_user_agent(SAFARI_IPHONE) == {
        "$browser": "Mobile Safari",
        "$os": "iOS",
        "$device_type": "mobile",
    }
    assert client_from_user_agent(FIREFOX_WINDOWS)["$device_type"] == "desktop"
    assert client_from_user_agent("") == {}


@pytest.mark.django_db
def test_track_event_takes_an_explicit_request(posthog, member):
    request = RequestFactory().get("/reports/?from=2026-01-01", HTTP_USER_AGENT=SAFARI_IPHONE)

    track_event(member, "report.viewed", {"group_by": "project"}, request=request)

    [event] = posthog.events_named("report.viewed")
    assert event["properties"]["$current_url"] == "/reports/"
    assert event["properties"]["$device_type"] == "mobile"
    assert event["properties"]["$os"] == "iOS"


@pytest.mark.django_db(transaction=True)
def test_manual_entry_changes_send_created_updated_deleted_and_flag_changes_by_someone_else(
    posthog, manager, member, team, project
):
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    entry = tracking.time_entry_create(actor=member, project=project, start=start, end=start + timedelta(hours=1))
    entry = tracking.time_entry_update(actor=manager, entry=entry, end=start + timedelta(hours=2))
    entry_id = entry.pk
    tracking.time_entry_delete(actor=member, entry=entry)

    [created] = posthog.events_named(events.TIME_ENTRY_CREATED)
    [updated] = posthog.events_named(events.TIME_ENTRY_UPDATED)
    [deleted] = posthog.events_named(events.TIME_ENTRY_DELETED)
    assert created["distinct_id"] == distinct_id(member.pk)
    assert created["properties"]["by_other_user"] is False
    assert updated["distinct_id"] == distinct_id(manager.pk)
    assert updated["properties"]["by_other_user"] is True
    assert deleted["properties"]["entry_id"] == entry_id


@pytest.mark.django_db(transaction=True)
def test_project_creation_sends_project_created_with_its_id(posthog, manager):
    project = tracking.project_create(actor=manager, name="Website relaunch")

    [event] = posthog.events_named(events.PROJECT_CREATED)
    assert event["properties"]["project_id"] == project.pk
    assert "Website relaunch" not in posthog.requests[0].text


@pytest.mark.django_db
def test_report_views_and_exports_send_their_events(posthog, member):
    tracking_signals.report_viewed.send(
        sender=TimeEntry, user_id=member.pk, group_by="project", then_by="user", interface="web"
    )
    tracking_signals.report_exported.send(
        sender=TimeEntry, user_id=member.pk, format="csv", row_count=12, interface="web"
    )
    tracking_signals.report_exported.send(
        sender=TimeEntry, user_id=member.pk, format="xlsx", row_count=3, interface="api"
    )

    [viewed] = posthog.events_named(events.REPORT_VIEWED)
    assert viewed["properties"]["group_by"] == "project"
    assert posthog.events_named(events.EXPORT_CSV)[0]["properties"]["row_count"] == 12
    assert posthog.events_named(events.EXPORT_XLSX)[0]["properties"]["interface"] == "api"


@pytest.mark.django_db
def test_integration_signals_send_provider_only(posthog, member):
    integration_signals.integration_connected.send(
        sender=None, integration_id=7, provider="github", user_id=member.pk, actor_id=member.pk
    )
    integration_signals.integration_synced.send(sender=None, integration_id=7, provider="github", counts={"created": 3})
    integration_signals.integration_failed.send(sender=None, integration_id=7, provider="slack", error_code="http_401")

    [connected] = posthog.events_named(events.INTEGRATION_CONNECTED)
    assert connected["distinct_id"] == distinct_id(member.pk)
    assert connected["properties"]["provider"] == "github"
    [synced] = posthog.events_named(events.INTEGRATION_SYNCED)
    assert synced["properties"]["counts"] == {"created": 3}
    assert synced["properties"]["$process_person_profile"] is False
    [failed] = posthog.events_named(events.INTEGRATION_FAILED)
    assert failed["properties"]["error_code"] == "http_401"


@pytest.mark.django_db
def test_logout_sends_auth_logout(posthog, member):
    accounts_signals.user_logged_out.send(sender=type(member), user_id=member.pk)

    [event] = posthog.events_named(events.AUTH_LOGOUT)
    assert event["distinct_id"] == distinct_id(member.pk)


@pytest.mark.django_db(transaction=True)
def test_without_an_api_key_nothing_is_sent_and_no_client_exists(settings, posthog_server, member, project):
    settings.POSTHOG_API_KEY = ""
    settings.POSTHOG_HOST = posthog_server.url
    from analytics.client import get_client

    tracking.timer_start(actor=member, project=project)
    accounts_signals.user_logged_in.send(sender=type(member), user_id=member.pk, method="local")

    assert get_client() is None
    assert posthog_server.requests == []
