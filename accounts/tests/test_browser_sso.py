"""A person signs in with single sign-on in a real browser (headless Chromium) against a real OIDC provider."""

import pytest

from accounts.tests.conftest import provider_app, running_provider
from tests.chromium import chromium, requires_chromium

pytestmark = [
    pytest.mark.django_db(transaction=True),
    requires_chromium,
]


@pytest.fixture
def browser_page():
    with chromium() as browser:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        yield page


@pytest.fixture
def sso_for_live_server(live_server, settings):
    with running_provider([f"{live_server.url}/accounts/oidc/oidc/login/callback/"]) as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [provider_app(provider, name="Acme SSO")]}}
        settings.OIDC_ROLE_MAP = "tt-admins=admin,tt-managers=manager,staff=member,finance=viewer"
        settings.OIDC_DEFAULT_ROLE = "member"
        settings.OIDC_ONLY = True
        yield live_server


def test_a_new_person_clicks_the_sso_button_and_lands_signed_in_with_their_role(browser_page, sso_for_live_server):
    page = browser_page
    page.goto(f"{sso_for_live_server.url}/accounts/login/")
    assert page.locator("input[name=password]").count() == 0  # OIDC_ONLY hides the password form

    page.get_by_role("button", name="Sign in with Acme SSO").click()
    page.locator("input[name=login]").fill("alice")  # the provider's own sign-in page
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    page.get_by_role("button", name="Continue").click()  # the provider's consent page
    page.wait_for_url(f"{sso_for_live_server.url}/**")

    page.goto(f"{sso_for_live_server.url}/accounts/profile/")
    assert page.locator("h1").inner_text() == "Your account"
    body = page.locator("main").inner_text()
    assert "alice@example.com" in body
    assert "Manager" in body
