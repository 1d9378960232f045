"""The saved reports demo data: seeded by quickstart after tracking's, idempotent."""

import pytest
from django.core.management import call_command

from reports.models import Annotation, Comment, ReportView, SavedReport, ShareLink
from tracking.demo import seed_demo

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (SavedReport, Annotation, Comment, ReportView, ShareLink)]


def test_demo_reports_are_seeded_once_and_the_verified_one_is_the_most_viewed(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(days=3)
    call_command("seed_demo_reports", verbosity=0)
    first = _counts()
    assert first[0] == 4 and first[1] == 3 and first[2] == 2 and first[4] == 1
    call_command("seed_demo_reports", verbosity=0)
    assert _counts() == first
    billable = SavedReport.objects.get(name="Billable hours by client, last month")
    assert billable.verified and billable.owner.username == "maria"
    assert billable.views.values("user").distinct().count() == 5


def test_the_demo_share_link_is_printed_once_and_opens_with_its_password(settings, client):
    from io import StringIO

    from reports.demo import DEMO_SHARE_PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seed_demo(days=3)
    out = StringIO()
    call_command("seed_demo_reports", stdout=out)
    path = out.getvalue().split("): ")[1].strip()
    assert path.startswith("/s/")
    assert client.get(path).status_code == 401
    assert client.post(path, {"password": DEMO_SHARE_PASSWORD}).status_code == 303
    assert client.get(path).status_code == 200
    again = StringIO()
    call_command("seed_demo_reports", stdout=again)
    assert "/s/" not in again.getvalue()
