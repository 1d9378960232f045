"""Headless Chromium (Debian's `chromium` package) driven by Playwright against pytest-django's live server."""

import pytest

from tests.chromium import CHROMIUM, chromium


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module; closed at the module's end so other suites can start their own Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
    with chromium() as browser:
        yield browser


@pytest.fixture
def page_for(browser, live_server):
    """A signed-in page: page_for(user, viewport=...) -> a Playwright page on the dashboard."""
    contexts = []

    def make(user, *, password="correct horse battery staple", viewport=None):  # noqa: S107 - the factories' test password
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 860}, accept_downloads=True)
        contexts.append(context)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
        page.goto(live_server.url + "/")
        page.fill("input[name=login]", user.username)
        page.fill("input[name=password]", password)
        page.click("form.login button[type=submit]")
        page.wait_for_selector("#timerbar")
        return page

    yield make
    for context in contexts:
        context.close()
