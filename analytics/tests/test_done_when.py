"""The issue's acceptance path, end to end against the local PostHog receiver."""

from datetime import timedelta

import pytest

from accounts import signals as accounts_signals
from analytics import events
from analytics.flags import FeatureFlags
from analytics.services import distinct_id
from analytics.tasks import send_telemetry
from tracking import services as tracking

from .test_events import in_request


@pytest.mark.django_db(transaction=True)
def test_admin_logs_in_tracks_time_sees_person_events_flag_widget_telemetry_groups_and_activity(
    posthog, settings, client, admin_user, project
):
    in_request(
        "/accounts/login/",
        lambda: accounts_signals.user_logged_in.send(sender=type(admin_user), user_id=admin_user.pk, method="local"),
    )
    entry = in_request("/timer/start/", lambda: tracking.timer_start(actor=admin_user, project=project))
    in_request("/timer/stop/", lambda: tracking.timer_stop(actor=admin_user, end=entry.start + timedelta(minutes=45)))

    ident = distinct_id(admin_user.pk)
    [person] = [e for e in posthog.events() if e["event"] == "$set"]
    assert (person["distinct_id"], person["$set"]["role"], person["$set"]["auth_method"]) == (ident, "admin", "local")
    for name in (events.TIMER_STARTED, events.TIMER_STOPPED):
        [event] = posthog.events_named(name)
        assert event["distinct_id"] == ident
        assert event["properties"]["$browser"] == "Firefox"
        assert event["properties"]["$current_url"].startswith("/timer/")

    posthog.flags = {FeatureFlags.ACTIVITY_WIDGET: True}
    client.force_login(admin_user)
    page = client.get("/activity/").content.decode()
    assert "Your recent activity" in page
    assert "started a timer" in page and "stopped a timer" in page and "signed in" in page

    settings.TELEMETRY_ENABLED = True
    send_telemetry.delay()
    groups = {(g["properties"]["$group_type"]) for g in posthog.events_named("$groupidentify")}
    assert groups == {"version", "platform"}
