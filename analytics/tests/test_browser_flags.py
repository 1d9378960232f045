"""In a real browser (headless Chromium): front-end code reads window.featureFlags and the flagged widget shows."""

import pytest
from django.conf import settings as django_settings

from analytics.flags import FeatureFlags
from tests.chromium import chromium, requires_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def admin_cookie(client, admin_user):
    """A signed-in session, made before the browser starts (Playwright's event loop forbids ORM calls after)."""
    client.force_login(admin_user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value}


@pytest.fixture
def signed_in_page(admin_cookie, live_server):
    with chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        context.add_cookies([{**admin_cookie, "url": live_server.url}])
        yield context.new_page()


def test_front_end_code_sees_the_flags_and_the_widget_appears_when_the_flag_is_on(posthog, live_server, signed_in_page):
    posthog.flags = {FeatureFlags.ACTIVITY_WIDGET: True, "new-reports": "compact"}
    page = signed_in_page

    page.goto(f"{live_server.url}/activity/")

    assert page.evaluate("window.featureFlags") == {"activity-widget": True, "new-reports": "compact"}
    assert page.get_by_role("heading", name="Your recent activity").is_visible()
    page.get_by_role("link", name="See all activity").click()
    page.wait_for_url("**/activity/?ref=activity-widget")
    for _ in range(50):  # the event leaves the page as it navigates: give it up to 5 s to arrive
        if posthog.events_named("feature_interaction"):
            break
        page.wait_for_timeout(100)
    [interaction] = posthog.events_named("feature_interaction")
    assert interaction["properties"]["$browser"].startswith(("Chrome", "HeadlessChrome", "Chromium"))
    assert interaction["properties"]["$current_url"] == "/activity/"


def test_the_widget_is_absent_and_flags_default_when_posthog_is_down(posthog_down, live_server, signed_in_page):
    page = signed_in_page

    page.goto(f"{live_server.url}/activity/")

    assert page.evaluate("window.featureFlags") == {"activity-widget": False}
    assert page.get_by_role("heading", name="Your recent activity").count() == 0
    assert page.get_by_role("heading", name="Activity").is_visible()
