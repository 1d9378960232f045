"""Help by role, the documentation pages, 403/404 pages, links to pages of apps that may not be installed."""

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_help_is_open_to_signed_out_visitors(client):
    response = client.get(reverse("help"))
    assert response.status_code == 200
    assert "Where can I get help?" in response.content.decode()


def test_help_shows_admin_docs_only_to_admins(client_for, admin_user, member):
    assert "Administrator docs" in client_for(admin_user).get(reverse("help")).content.decode()
    assert "Administrator docs" not in client_for(member).get(reverse("help")).content.decode()


def test_help_links_to_the_guides_and_the_guides_open(client_for, member):
    page = client_for(member).get(reverse("help")).content.decode()
    assert "/help/docs/guides/tracking-time.md" in page
    doc = client_for(member).get("/help/docs/guides/tracking-time.md")
    assert doc.status_code == 200 and "Tracking time" in doc.content.decode()


@pytest.mark.parametrize("path", ["../pyproject.toml", "guides/missing.md", "../../etc/passwd", "admin"])
def test_documentation_outside_docs_or_missing_is_not_found(client, path):
    assert client.get(f"/help/docs/{path}").status_code == 404


def test_admin_link_only_for_staff(client_for, admin_user, member):
    assert 'href="/admin/"' in client_for(admin_user).get(reverse("help")).content.decode()
    assert 'href="/admin/"' not in client_for(member).get(reverse("dashboard")).content.decode()


def test_unknown_page_gets_the_friendly_404(client_for, member):
    response = client_for(member).get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_url_if_exists_renders_a_link_only_when_the_url_name_resolves():
    template = Template("{% load tt %}[{% url_if_exists 'no_such_page' 'help' %}][{% url_if_exists 'nope' %}]")
    assert template.render(Context({})) == "[/help/][]"


def test_help_links_to_the_interactive_api_docs(client_for, member):
    assert 'href="/api/docs/"' in client_for(member).get(reverse("help")).content.decode()


@pytest.mark.parametrize("name", ["dashboard", "entry_list", "project_list", "report", "profile", "help"])
def test_pages_show_no_template_source(client_for, member, name):
    page = client_for(member).get(reverse(name)).content.decode()
    assert "{#" not in page and "{%" not in page and "{{" not in page
