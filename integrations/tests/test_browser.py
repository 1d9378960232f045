"""The GitHub set-up in a real browser (headless Chromium), as a new admin would do it."""

import re
import uuid

import pytest
import requests

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.chromium import chromium, requires_chromium
from tracking.models import Task
from tracking.tests.factories import ProjectFactory

from .conftest import payload, sign

pytestmark = [
    requires_chromium,
]


@pytest.fixture
def page(monkeypatch):
    with chromium() as browser:
        yield browser.new_page()


def test_admin_configures_github_in_the_browser_and_a_signed_delivery_creates_a_task(
    live_server, page, transactional_db
):
    UserFactory(username="boss", role=Role.ADMIN)
    project = ProjectFactory(name="Website")

    page.goto(f"{live_server.url}/accounts/login/?next=/integrations/")
    page.fill("#id_login", "boss")
    page.fill("#id_password", "correct horse battery staple")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_url(f"{live_server.url}/integrations/")

    card = page.locator("#card-github-organisation")
    assert "Not configured" in card.inner_text()
    card.locator("input[name=is_active]").check()
    card.locator("input[name=repository]").fill("Codertocat/Hello-World")
    card.locator("select[name=default_project]").select_option(str(project.pk))
    card.locator("button[value=save]").click()
    page.wait_for_load_state()

    card = page.locator("#card-github-organisation")
    assert "Active" in card.locator(".status").inner_text()
    secret = card.locator(".generated-secret code").inner_text().strip()
    webhook_url = card.locator(".webhook-url").inner_text().strip()
    assert re.search(r"/api/integrations/github/webhook\?integration=\d+$", webhook_url)

    # GitHub's side, simulated by replaying a real delivery to the URL shown, signed with the secret shown.
    body = payload("issues.opened")
    path = webhook_url[webhook_url.index("/api/") :]
    response = requests.post(
        f"{live_server.url}{path}",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-Hub-Signature-256": sign(body, secret),
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert Task.objects.get(external_ref="github:codertocat/hello-world#1").project == project

    page.reload()
    assert secret not in page.content()  # shown once only
