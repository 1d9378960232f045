"""No personal data leaves: the before_send net, the opt-out, and a scan of every request body."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import signals as accounts_signals
from analytics import events, privacy
from analytics.client import get_client
from analytics.flags import all_flags
from analytics.services import analytics_preference_set, distinct_id, track_event
from integrations import signals as integration_signals
from tracking import services as tracking
from tracking import signals as tracking_signals
from tracking.models import TimeEntry

from .conftest import FIREFOX_WINDOWS
from .test_events import in_request

POISON = {
    "email": "alice@example.com",
    "username": "alice",
    "full_name": "Alice Liddell",
    "name": "Alice",
    "notes": "meeting with Dr. Who about the secret plan",
    "api_token": "tt_abc",
    "ip": "203.0.113.9",
    "$ip": "203.0.113.9",
    "referrer": "mailto:someone@example.org",
    "client_address": "10.0.0.1",
    "forwarded_for": "198.51.100.4",
    "link": "/users/alice@example.com/",
    "key_like": "sk_live_51HxQ2mK8aPqRsTuVwXyZ",
    "opaque": "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZg",
    "ipv6": "2001:db8::1",
    "tags": ["fine", "bob@example.net"],
    "hook": "/webhooks/slack/T0k3nAbCdEfGhIjKlMnOpQrSt/",
}
SAFE = {
    "project_id": 4,
    "source": "web",
    "duration_seconds": 1800,
    "app_version": "0.1.0",
    "$current_url": "/projects/12/entries/345/activity-widget/",
    "request_uuid": "0f4c6e0e-2b5c-4a0e-9a43-1d1f0c9d2a11",
    "platform": "linux-x86_64",
}


def test_before_send_drops_every_personal_looking_property_and_keeps_the_rest():
    msg = {
        "event": "timer.started",
        "distinct_id": "0" * 32,
        "properties": {**POISON, **SAFE, "$set": {"role": "member", "email": "a@b.co"}},
    }

    cleaned = privacy.before_send(msg)

    assert cleaned["properties"] == {**SAFE, "$set": {"role": "member"}}


def test_before_send_cleans_set_and_set_once_messages():
    msg = {"event": "$set", "$set": {"role": "admin", "username": "alice"}, "$set_once": {"first_name": "A"}}

    cleaned = privacy.before_send(msg)

    assert cleaned["$set"] == {"role": "admin"}
    assert cleaned["$set_once"] == {}


@pytest.mark.django_db
def test_a_poisoned_event_reaches_posthog_without_its_personal_properties(posthog, member):
    track_event(member, "poisoned", {**POISON, **SAFE})

    [event] = posthog.events_named("poisoned")
    for key in POISON:
        assert key not in event["properties"]
    for key, value in SAFE.items():
        assert event["properties"][key] == value
    body = posthog.requests[0].text
    for value in ("alice@example.com", "Alice Liddell", "203.0.113.9", "secret plan", "bob@example.net"):
        assert value not in body


@pytest.mark.django_db
def test_the_sdk_sends_the_visitors_os_not_the_servers(posthog, member):
    get_client().capture("raw", distinct_id=distinct_id(member.pk), properties={"$ua_os": "Android"})

    [event] = posthog.events_named("raw")
    assert event["properties"]["$os"] == "Android"
    assert "$os_distro" not in event["properties"]


@pytest.mark.django_db(transaction=True)
def test_an_opted_out_user_sends_nothing_at_all(posthog, member, project):
    posthog.flags = {"activity-widget": True}
    analytics_preference_set(user=member, opted_out=True)

    accounts_signals.user_logged_in.send(sender=type(member), user_id=member.pk, method="local")
    entry = tracking.timer_start(actor=member, project=project)
    tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=5))
    track_event(member, "anything")
    flags = all_flags(member)

    assert posthog.requests == []
    assert flags == {"activity-widget": False}


@pytest.mark.django_db(transaction=True)
def test_opting_back_in_sends_again(posthog, member, project):
    analytics_preference_set(user=member, opted_out=True)
    analytics_preference_set(user=member, opted_out=False)

    tracking.timer_start(actor=member, project=project)

    assert posthog.events_named(events.TIMER_STARTED)


@pytest.mark.django_db(transaction=True)
def test_no_request_body_ever_contains_the_test_users_emails_usernames_names_or_notes(
    posthog, admin_user, manager, member, team, project
):
    posthog.flags = {"activity-widget": True}
    people = [admin_user, manager, member]
    notes = ["Call with Mrs. Robinson re: invoice 42", "Fixing bug for alice@corp.example", "Lunch & Learn prep"]
    for person in people:
        in_request(
            "/accounts/login/",
            lambda p=person: accounts_signals.user_logged_in.send(sender=type(p), user_id=p.pk, method="oidc"),
        )
    entry = in_request("/timer/", lambda: tracking.timer_start(actor=member, project=project, notes=notes[0]))
    in_request("/timer/", lambda: tracking.timer_stop(actor=member, end=entry.start + timedelta(minutes=20)))
    start = timezone.now().replace(microsecond=0) - timedelta(days=3)
    manual = tracking.time_entry_create(
        actor=member, project=project, start=start, end=start + timedelta(hours=1), notes=notes[1]
    )
    tracking.time_entry_update(actor=manager, entry=manual, notes=notes[2])
    tracking.project_create(actor=manager, name="Robinson account")
    tracking_signals.report_viewed.send(
        sender=TimeEntry, user_id=manager.pk, group_by="user", then_by="", interface="web"
    )
    tracking_signals.report_exported.send(
        sender=TimeEntry, user_id=manager.pk, format="csv", row_count=2, interface="web"
    )
    integration_signals.integration_connected.send(
        sender=None, integration_id=1, provider="slack", user_id=member.pk, actor_id=member.pk
    )
    accounts_signals.user_logged_out.send(sender=type(member), user_id=member.pk)
    for person in people:
        all_flags(person)

    assert len(posthog.events()) >= 15
    assert len(posthog.flag_requests()) == 3
    forbidden = [notes_part for notes_part in notes]
    for person in people:
        forbidden += [person.email, person.username, person.full_name, person.email.split("@")[0]]
    for request in posthog.requests:
        lowered = request.text.lower()
        for value in forbidden:
            assert value.lower() not in lowered, f"{value!r} was sent to {request.path}"
    assert FIREFOX_WINDOWS not in "".join(r.text for r in posthog.requests)  # the raw User-Agent stays home
