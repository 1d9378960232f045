"""The Subscribe page in headless Chromium with axe at desktop and phone widths: a member subscribes to a saved
report by email every Friday, sees an error next to the day when a monthly one has none, and unsubscribes."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reports.models import Visibility
from reports.tests.factories import SavedReportFactory
from tests.axe import PHONE, assert_accessible
from tests.chromium import chromium, requires_chromium

pytestmark = [pytest.mark.django_db(transaction=True), requires_chromium]


def test_subscribe_and_unsubscribe_at_desktop_and_phone_widths(settings, live_server):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    member = UserFactory(role=Role.MEMBER, username="sam")
    report = SavedReportFactory(
        owner=member,
        name="My hours by project",
        visibility=Visibility.PRIVATE,
        definition={"preset": "last_30_days", "group_by": "project", "filters": {}, "chart": "bar"},
    )
    client = Client()
    client.force_login(member)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    with chromium() as browser:
        for viewport in (None, PHONE):
            context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
            context.set_default_timeout(15_000)
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/reports/saved/{report.pk}/")
            page.click("#subscribe")
            page.wait_for_selector("#subscribe-form")
            assert_accessible(page, label="subscribe page")
            page.select_option("select[name=frequency]", "monthly")
            page.click("#subscribe-create")
            page.wait_for_selector(".error")
            assert "required for a monthly" in page.locator("#subscribe-form").inner_text()
            assert_accessible(page, label="subscribe page with an error")
            page.select_option("select[name=frequency]", "weekly")
            page.select_option("select[name=weekday]", "4")
            page.fill("input[name=time]", "08:30")
            page.click("#subscribe-create")
            page.wait_for_selector("#subscriptions")
            assert "Weekly on Friday at 08:30" in page.locator("#subscriptions").inner_text()
            assert_accessible(page, label="subscribe page with a subscription")
            page.get_by_role("button", name="Unsubscribe (Email, Weekly)").click()
            page.wait_for_selector("text=No subscriptions yet.")
            context.close()
