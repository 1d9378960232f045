"""The health and usage pages in headless Chromium, with axe at desktop and phone widths."""

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from tests.axe import assert_accessible
from tests.chromium import chromium, requires_chromium
from tracking.demo import seed_demo

pytestmark = [pytest.mark.django_db(transaction=True), requires_chromium]


@pytest.fixture
def admin_cookie(client):
    """The demo data and a signed-in admin, made before the browser starts (Playwright's loop forbids ORM calls)."""
    seed_demo()
    client.force_login(User.objects.get(username="admin"))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value}


@pytest.fixture
def page(admin_cookie, live_server):
    with chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        context.add_cookies([{**admin_cookie, "url": live_server.url}])
        yield context.new_page()


def test_an_admin_goes_from_the_admin_index_to_the_health_page(page, live_server):
    page.goto(f"{live_server.url}/admin/")
    page.get_by_role("link", name="Installation health").click()
    page.wait_for_url("**/admin/health/")
    assert page.locator('tr[data-check="database"] .health-status').inner_text().strip() in ("● green", "● amber")
    assert page.get_by_role("link", name="What to do").count() >= 8
    assert_accessible(page, label="health page")


def test_the_usage_page_from_the_menu(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Usage").click()
    page.wait_for_url("**/usage/")
    assert page.get_by_role("row", name="Product team").is_visible()
    assert_accessible(page, label="usage page")
