"""The health and usage pages in headless Chromium, with axe at desktop and phone widths."""

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from tests.axe import assert_accessible
from tests.chromium import chromium, requires_chromium
from tracking.demo import seed_demo

pytestmark = [pytest.mark.django_db(transaction=True), requires_chromium]


@pytest.fixture
def username():
    return "admin"


@pytest.fixture
def cookie(client, username):
    """The demo data and a signed-in person, made before the browser starts (Playwright's loop forbids ORM calls)."""
    seed_demo()
    client.force_login(User.objects.get(username=username))
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value}


@pytest.fixture
def page(cookie, live_server):
    with chromium() as browser:
        context = browser.new_context()
        context.set_default_timeout(15_000)
        context.add_cookies([{**cookie, "url": live_server.url}])
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
    assert page.locator("#usage-teams").get_by_role("row", name="Product team").is_visible()
    assert_accessible(page, label="usage page")


@pytest.mark.parametrize("username", ["sam"])
def test_a_new_member_follows_the_checklist_to_the_reports(page, live_server):
    page.goto(f"{live_server.url}/")
    checklist = page.locator("#onboarding")
    assert "2 of 3 done" in checklist.get_by_role("heading").inner_text()  # the demo set the time zone and entries
    assert_accessible(page, label="dashboard with the checklist")
    page.set_viewport_size({"width": 1280, "height": 860})
    checklist.get_by_role("link", name="open Reports").click()
    page.wait_for_url("**/reports/")
    page.goto(f"{live_server.url}/")
    assert page.locator("#onboarding").count() == 0  # all done: it is gone
