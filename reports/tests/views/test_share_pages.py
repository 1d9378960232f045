"""Sharing from a saved report's page: the Share form, the link shown once, the owner's list and revoking."""

import re

import pytest
from django.urls import reverse

from reports.models import ShareLink
from reports.tests.factories import SavedReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_share_from_the_report_page_shows_the_link_once_and_lists_it(client_for, manager, member):
    report = SavedReportFactory(owner=manager)
    assert 'id="share"' in client_for(manager).get(reverse("saved_report_detail", args=[report.pk])).content.decode()
    url = reverse("saved_report_share", args=[report.pk])
    page = client_for(manager).post(
        url, {"kind": "snapshot", "password": "a long secret", "note": "Sent to finance", "allow_csv": "on"}
    )
    html = page.content.decode()
    assert page.status_code == 200
    shared = re.search(r'value="(http://testserver/s/[^"]+/)"', html).group(1)
    link = ShareLink.objects.get()
    assert link.kind == "snapshot" and link.has_password and link.allow_csv and not link.show_names
    assert "Sent to finance" in html
    detail = client_for(manager).get(reverse("saved_report_detail", args=[report.pk])).content.decode()
    assert "1 active link" in detail
    again = client_for(manager).get(url).content.decode()
    assert shared not in again and "Sent to finance" in again  # listed, never the token again
    assert "Sent to finance" not in client_for(member).get(url).content.decode()  # someone else's link

    revoke = reverse("saved_report_share_revoke", args=[report.pk, link.pk])
    assert client_for(member).post(revoke).status_code == 404
    assert client_for(manager).post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client_for(member).get(shared.replace("http://testserver", "")).status_code == 404


def test_bad_share_options_are_shown_on_the_form(client_for, manager):
    report = SavedReportFactory(owner=manager)
    page = client_for(manager).post(
        reverse("saved_report_share", args=[report.pk]),
        {"kind": "live", "expires_on": "2001-01-01", "password": "short"},
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "in the future" in html or "8 to 128" in html
    assert not ShareLink.objects.exists()
