"""Content-Security-Policy and Permissions-Policy on every answer (issue 13 §15); inline code only with the nonce."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/entries/", "/entries/week/", "/reports/", "/projects/", "/help/", "/profile/", "/api/v1/"]


def nonce_of(response) -> str:
    match = re.search(r"script-src 'self' 'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else ""


@pytest.mark.parametrize("path", PAGES)
def test_every_page_sends_both_policies(client, member, path):
    client.force_login(member)
    response = client.get(path)
    assert response.status_code < 500
    policy = response["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_signed_out_and_error_answers_carry_them_too(client):
    for response in (client.get("/accounts/login/"), client.get("/no-such-page/"), client.get("/api/v1/users/me/")):
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "Permissions-Policy" in response


def _inline_tags(html: str) -> list[str]:
    """Opening tags of inline <script> and <style> elements (not JSON data, not external files)."""
    tags = re.findall(r"<(?:script|style)\b[^>]*>", html)
    return [t for t in tags if "src=" not in t and 'type="application/json"' not in t]


@pytest.mark.parametrize("path", ["/", "/api/docs/"])
def test_inline_scripts_and_styles_carry_the_responses_nonce(client, member, path):
    client.force_login(member)
    response = client.get(path)
    nonce = nonce_of(response)
    inline = _inline_tags(response.content.decode())
    assert inline, "the page has an inline script (the flags loader, Swagger UI's set-up)"
    assert nonce and all(f'nonce="{nonce}"' in tag for tag in inline), inline


@pytest.mark.parametrize("path", ["/", "/entries/", "/entries/week/", "/projects/", "/tasks/"])
def test_no_inline_style_or_event_handler_attribute_in_the_pages(client, manager, project, path):
    client.force_login(manager)
    html = client.get(path).content.decode()
    assert not re.search(r"\sstyle=\"", html)
    assert not re.search(r"\son[a-z]+=\"", html)
