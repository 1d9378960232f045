"""Every page runs under a strict Content-Security-Policy (no inline script, style or handler without the response's
nonce) and still works: project colours, budget bars and "submit on change" come from data attributes; an
injected inline script is refused (issue 13 §15)."""

import pytest
from django.contrib.auth import get_user_model

from tests.axe import assert_accessible
from tracking.demo import DEMO_PASSWORD, seed_demo
from tracking.models import Project

pytestmark = pytest.mark.django_db(transaction=True)

# Runs before any page script (through the DevTools protocol, which the CSP does not govern).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));
"""


def violations(page) -> list[str]:
    return page.evaluate("() => window.__csp")


def test_pages_work_under_the_policy_and_inline_script_is_refused(page_for, live_server):
    seed_demo()
    maria = get_user_model().objects.get(username="maria")
    website = Project.objects.get(code="WEB")
    page = page_for(maria, password=DEMO_PASSWORD)
    page.context.add_init_script(RECORD_VIOLATIONS)

    response = page.goto(live_server.url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy and "'unsafe-inline'" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    page.select_option("#id_project", label="Acme Corp / Website redesign")
    page.click("#start-form button[type=submit]")
    page.wait_for_selector("#elapsed")
    dot = page.locator("#timerbar .dot")
    assert dot.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(37, 99, 235)"  # #2563eb

    # An inline script slipped into the page does not run.
    ran = page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = 1";
                   document.body.appendChild(s); return window.__ran === 1; }"""
    )
    assert ran is False
    assert any(v.startswith("script-src") for v in violations(page))
    assert all("Content Security Policy" in e for e in page.errors)  # the refusal, logged by the browser
    page.errors.clear()

    page.goto(f"{live_server.url}/projects/{website.pk}/")
    bar = page.locator(".bar span").first
    assert bar.evaluate("el => el.style.width").endswith("%")
    assert violations(page) == []
    assert_accessible(page)

    # "Submit on change" without an inline handler: the week page's person picker reloads for that person.
    page.goto(live_server.url + "/entries/week/")
    page.select_option("#week-user", label="Sam Member")
    page.wait_for_url("**user=*")
    assert violations(page) == []
    assert_accessible(page)
    assert page.errors == []
