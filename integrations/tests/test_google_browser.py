"""Google Calendar as a new user tries it, in headless Chromium against the simulated Google: connect from the
Integrations page, import yesterday's meetings, move one, track an hour and see it on the calendar once, disconnect."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from integrations import crypto
from integrations.models import Integration
from tests.chromium import chromium, requires_chromium
from tracking import services as tracking
from tracking.models import Source, TimeEntry
from tracking.tests.factories import ProjectFactory

from . import google_fake

pytestmark = [
    requires_chromium,
]

fake_google = google_fake.fake_google  # the fixture


@pytest.fixture
def browser_page(monkeypatch):
    with chromium() as browser:
        yield browser.new_context()


def yesterday(hour: int, minute: int = 0):
    return (timezone.now() - timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_a_new_user_connects_imports_moves_exports_and_disconnects(
    live_server, browser_page, fake_google, settings, transactional_db
):
    settings.SITE_URL = live_server.url  # Google sends the browser back here
    member = UserFactory(username="mia", role=Role.MEMBER)
    meetings = ProjectFactory(name="Meetings")
    standup = fake_google.add_event("Standup", yesterday(9), yesterday(9, 15))
    fake_google.add_event("Client call", yesterday(14), yesterday(15))

    signed_in = Client()
    signed_in.force_login(member)
    browser_page.add_cookies(
        [{"name": "sessionid", "value": signed_in.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = browser_page.new_page()
    page.goto(f"{live_server.url}/integrations/")
    card = page.locator("#card-google-personal")
    assert "Not connected" in card.inner_text()

    # Connect: to Google's consent screen (the fake answers at once) and back.
    card.locator("a.google-connect").click()
    page.wait_for_url(f"{live_server.url}/integrations/#card-google-personal")
    card = page.locator("#card-google-personal")
    assert "Google Calendar connected" in card.inner_text()
    assert "Active" in card.locator(".status").inner_text()

    # Choose the default project, save, sync now.
    card.locator("select[name=default_project]").select_option(str(meetings.pk))
    card.locator("button[value=save]").click()
    page.wait_for_load_state()
    page.locator("#card-google-personal button[value=sync]").click()
    page.wait_for_load_state()
    assert "2 imported" in page.locator("#card-google-personal").inner_text()
    entries = TimeEntry.objects.filter(user=member, source=Source.CALENDAR)
    assert sorted(entries.values_list("notes", flat=True)) == ["Client call", "Standup"]
    assert {e.project_id for e in entries} == {meetings.pk}

    # Move the standup; the entry follows.
    fake_google.move_event(standup["id"], yesterday(10), yesterday(10, 30))
    page.locator("#card-google-personal button[value=sync]").click()
    page.wait_for_load_state()
    assert "1 updated" in page.locator("#card-google-personal").inner_text()
    assert entries.get(notes="Standup").start == yesterday(10)

    # Track an hour; it appears on the calendar once, however often the sync runs.
    tracking.time_entry_create(
        actor=member, project=meetings, start=yesterday(16), end=yesterday(17), notes="Write the minutes"
    )
    for _ in range(2):
        page.locator("#card-google-personal button[value=sync]").click()
        page.wait_for_load_state()
    tt_events = [e for e in fake_google.events() if e["summary"].startswith("[TT]")]
    assert [e["summary"] for e in tt_events] == ["[TT] Meetings — Write the minutes"]

    # Disconnect: revoked at Google, the tokens gone from the database.
    page.locator("#card-google-personal form.google-disconnect button").click()
    page.wait_for_load_state()
    card = page.locator("#card-google-personal")
    assert "access revoked" in card.inner_text()
    assert "Not connected" in card.inner_text()
    integration = Integration.objects.get(provider="google", owner=member)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM integrations_integration WHERE id = %s", [integration.pk])
        assert crypto.decrypt_json(cursor.fetchone()[0]) == {}
    assert fake_google.revoked
