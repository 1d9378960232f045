"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright.

Never a browser downloaded by Playwright. Tests that need it are marked `requires_chromium` and skip with a
reason where the package is missing; CI installs it (.ci/apt-packages).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",  # this machine's network is closed; keep Chromium from trying
    "--disable-component-update",
    "--no-first-run",
]

requires_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium)"
)


@contextmanager
def chromium() -> Iterator:
    """Launch headless Chromium and yield the Playwright Browser; it is closed afterwards."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (dev extra)")
    # Django refuses database access from inside a running event loop; Playwright's sync API only runs its own.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
