"""Sharing a saved report as a new user would, in headless Chromium with axe at desktop and phone widths: a manager
shares "Billable hours by client, last month" as a snapshot with a password and a 7-day expiry; a signed-out browser
enters the password and sees the chart, the notes on the data and the table but no entry notes; an entry edited
afterwards leaves the snapshot as it was while a live link shows the change; revoking shows the neutral page at once.
"""

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reports.models import ShareLink
from reports.tests.factories import AnnotationFactory, SavedReportFactory
from tests.axe import PHONE, assert_accessible
from tests.chromium import chromium, requires_chromium
from tracking.models import TimeEntry
from tracking.periods import local_today
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = [pytest.mark.django_db(transaction=True), requires_chromium]

PASSWORD = "sharing is caring"  # noqa: S105 - a test value


def _orm(function):
    """Run ORM work outside Playwright's event loop (Django refuses database calls from a thread running one)."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(value=function()))
    thread.start()
    thread.join()
    return result.get("value")


@pytest.fixture
def scene(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.cache import cache

    cache.clear()
    manager = UserFactory(role=Role.MANAGER, username="maria", full_name="Maria Manager")
    acme = ClientFactory(name="Acme")
    project = ProjectFactory(client=acme, is_public=True, hourly_rate=100)
    day = local_today(manager).replace(day=1) - timedelta(days=20)  # a day of last month
    start = datetime.combine(day, time(9), tzinfo=manager.tzinfo)
    entry = TimeEntryFactory(
        user=manager, project=project, start=start, end=start + timedelta(hours=3), billable=True, notes="SECRET NOTE"
    )
    AnnotationFactory(start=day, end=day, text="Client workshop", author=manager)
    report = SavedReportFactory(
        owner=manager,
        name="Billable hours by client, last month",
        description="What we invoice",
        definition={"preset": "last_month", "group_by": "client", "filters": {"billable": True}, "chart": "bar"},
    )
    client = Client()
    client.force_login(manager)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"report": report, "entry": entry, "cookie": {"name": cookie.key, "value": cookie.value}}


def _share(page, live_server, report, *, kind, password="", days=None):
    page.goto(f"{live_server.url}/reports/saved/{report.pk}/")
    page.click("#share")
    page.wait_for_selector("#share-form")
    page.check(f"input[name=kind][value={kind}]")
    if password:
        page.fill("input[name=password]", password)
    if days is not None:
        page.fill("input[name=expires_on]", (date.today() + timedelta(days=days)).isoformat())
    page.fill("input[name=note]", f"{kind} for the client")
    page.click("#share-create")
    page.wait_for_selector("#share-url")
    return page.input_value("#share-url")


def test_share_a_snapshot_with_a_password_then_edit_and_revoke(scene, live_server):
    report, entry = scene["report"], scene["entry"]
    with chromium() as browser:
        manager_context = browser.new_context()
        manager_context.set_default_timeout(15_000)
        manager_context.add_cookies([{**scene["cookie"], "url": live_server.url}])
        manager_page = manager_context.new_page()

        snapshot_url = _share(manager_page, live_server, report, kind="snapshot", password=PASSWORD, days=7)
        assert snapshot_url.startswith(live_server.url + "/s/")
        assert_accessible(manager_page, label="share page with the new link")
        live_url = _share(manager_page, live_server, report, kind="live")

        for viewport in (None, PHONE):
            visitor = browser.new_context(viewport=viewport) if viewport else browser.new_context()
            visitor.set_default_timeout(15_000)
            page = visitor.new_page()
            errors = []
            page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
            page.goto(snapshot_url)
            assert page.get_by_role("heading", name="This shared report needs a password").is_visible()
            assert_accessible(page, label="share password form")
            page.fill("input[name=password]", PASSWORD)
            page.get_by_role("button", name="Open the report").click()
            page.wait_for_selector("#report-table")
            assert page.locator("#report-name").inner_text() == "Billable hours by client, last month"
            assert page.locator("canvas#chart-time").is_visible()
            page.wait_for_function("() => !!document.querySelector('canvas#chart-time').getAttribute('width')")
            assert "Client workshop" in page.locator("#report-annotations").inner_text()
            assert "Acme" in page.locator("#report-table").inner_text()
            assert "3.00" in page.locator("#report-table").inner_text()
            assert "as of" in page.locator("#share-period").inner_text()
            body = page.content()
            assert "SECRET NOTE" not in body and "Maria" not in body and 'id="nav"' not in body
            assert_accessible(page, label="shared snapshot")
            assert not [e for e in errors if "Content Security Policy" in e], errors
            visitor.close()

        _orm(
            lambda: TimeEntry.objects.filter(pk=entry.pk).update(
                end=entry.start + timedelta(hours=5), duration_seconds=5 * 3600
            )
        )
        visitor = browser.new_context()
        page = visitor.new_page()
        page.goto(snapshot_url)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Open the report").click()
        page.wait_for_selector("#report-table")
        assert "3.00" in page.locator("#report-table tfoot").inner_text()  # the snapshot did not move
        page.goto(live_url)
        assert "5.00" in page.locator("#report-table tfoot").inner_text()  # the live link shows the edit
        assert_accessible(page, label="shared live report")

        manager_page.goto(f"{live_server.url}/reports/saved/{report.pk}/share/")
        snapshot_id = _orm(lambda: ShareLink.objects.get(kind="snapshot").pk)
        manager_page.locator(f'tr[data-link="{snapshot_id}"]').get_by_role("button", name="Revoke").click()
        manager_page.wait_for_selector(f'tr[data-link="{snapshot_id}"] >> text=Revoked')
        assert_accessible(manager_page, label="share page with a revoked link")

        answer = page.goto(snapshot_url)
        assert answer.status == 404
        assert page.get_by_role("heading", name="This link is not available").is_visible()
        assert_accessible(page, label="neutral page")
        visitor.close()
        manager_context.close()
