"""Fixtures of the accounts tests: a real OpenID Connect provider (panva's oidc-provider, run by Node) and helpers
to sign in through it over HTTP."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.cache import cache

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_ID = "timetracker"
CLIENT_SECRET = "timetracker-test-secret"  # a test fixture, not a credential
PROVIDER_IDS = ("oidc", "corp")

# The people the provider knows; any other login is accepted too, with no groups.
ACCOUNTS = {
    "alice": {"name": "Alice Example", "groups": ["staff", "tt-managers"]},
    "bob": {"name": "Bob Finance", "groups": ["finance"]},
    "carol": {"name": "Carol Admin", "groups": ["tt-admins", "staff"]},
    "dave": {"name": "Dave Nogroup", "groups": ["unrelated"]},
    "erin": {"name": "Erin Local", "email": "erin.local@example.com", "groups": ["staff"]},
}


@dataclass
class OidcProvider:
    issuer: str
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-in tests hash many passwords; the production hasher's cost is not what they test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(settings, request):
    """Rate-limit counters live in the cache; each test gets its own empty local one (never flushing a shared Redis)."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": request.node.nodeid}
    }
    cache.clear()


def _install_provider() -> None:
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    result = subprocess.run(  # noqa: S603
        ["npm", "ci", "--no-audit", "--no-fund"],  # noqa: S607
        cwd=PROVIDER_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"`npm ci` for the test OIDC provider failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def running_provider(redirect_uris: list[str]):
    """Start panva's oidc-provider on 127.0.0.1 (an ephemeral port) with one static client; stop it afterwards."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("Node.js and npm are not installed: the end-to-end OIDC tests need them to run oidc-provider")
    _install_provider()
    env = {
        **os.environ,
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(  # noqa: S603
        ["node", "provider.mjs"],  # noqa: S607
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready: dict = {}

    def read_first_line():
        line = process.stdout.readline()
        if line:
            ready.update(json.loads(line))

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(timeout=30)
    if "issuer" not in ready:
        process.kill()
        stderr = process.stderr.read() if process.poll() is not None else ""
        pytest.fail(f"the test OIDC provider did not start:\n{stderr}")
    # Drain stderr so the provider never blocks on a full pipe.
    threading.Thread(target=process.stderr.read, daemon=True).start()
    try:
        yield OidcProvider(issuer=ready["issuer"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def oidc_provider():
    """The provider for tests that drive TimeTracker with Django's test client (host "testserver")."""
    with running_provider([f"http://testserver/accounts/oidc/{pid}/login/callback/" for pid in PROVIDER_IDS]) as p:
        yield p


def provider_app(provider: OidcProvider, *, provider_id: str = "oidc", name: str = "Example SSO", **overrides):
    """One entry of SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"], as settings.py builds it from OIDC_*."""
    app_settings = {
        "server_url": provider.issuer,
        "scope": ["openid", "email", "profile", "groups"],
        "oauth_pkce_enabled": True,
        "fetch_userinfo": True,
    }
    app_settings.update(overrides.pop("settings", {}))
    app = {
        "provider_id": provider_id,
        "name": name,
        "client_id": provider.client_id,
        "secret": provider.client_secret,
        "settings": app_settings,
    }
    app.update(overrides)
    return app


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    """Single sign-on configured against the test provider; tests change `settings` further as they need."""
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [provider_app(oidc_provider)]}}
    settings.OIDC_ROLE_MAP = "tt-admins=admin,tt-managers=manager,staff=member,finance=viewer"
    settings.OIDC_DEFAULT_ROLE = "member"
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_ONLY = False
    return settings


_FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"', re.IGNORECASE)


def _follow_to_testserver(session: requests.Session, response: requests.Response) -> str:
    """Follow the provider's redirects until one points back at the Django test server; return that path+query."""
    for _ in range(10):
        if response.status_code not in (301, 302, 303, 307, 308):
            return ""
        location = urljoin(response.url, response.headers["Location"])
        if urlsplit(location).netloc == "testserver":
            parts = urlsplit(location)
            return f"{parts.path}?{parts.query}"
        response = session.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("too many redirects at the OIDC provider")


def _submit_interaction(session: requests.Session, response: requests.Response, data: dict) -> requests.Response:
    """Follow redirects inside the provider to its next form and submit it."""
    while response.status_code in (301, 302, 303):
        response = session.get(urljoin(response.url, response.headers["Location"]), allow_redirects=False, timeout=10)
    assert response.status_code == 200, f"expected a form from the provider, got {response.status_code}"
    match = _FORM_ACTION.search(response.text)
    assert match, f"no form on the provider page:\n{response.text[:500]}"
    return session.post(urljoin(response.url, match.group(1)), data=data, allow_redirects=False, timeout=10)


def sign_in_with_provider(client, login: str, *, provider_id: str = "oidc"):
    """Drive authorize → login → consent → callback: the Django test client for TimeTracker, requests for the
    provider. Returns the response of TimeTracker's callback view."""
    start = client.post(f"/accounts/oidc/{provider_id}/login/")
    assert start.status_code == 302, f"the sign-in button did not redirect to the provider: {start.status_code}"
    session = requests.Session()
    authorize = session.get(start["Location"], allow_redirects=False, timeout=10)
    after_login = _submit_interaction(session, authorize, {"prompt": "login", "login": login, "password": "any"})
    after_consent = _submit_interaction(session, after_login, {"prompt": "consent"})
    callback = _follow_to_testserver(session, after_consent)
    assert callback, "the provider did not redirect back to TimeTracker"
    return client.get(callback)


@pytest.fixture
def unused_tcp_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
