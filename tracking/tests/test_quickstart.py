from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from tracking.demo import DEMO_PASSWORD
from tracking.models import Client, Project, Task, TimeEntry, Timesheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug_on(settings):
    settings.DEBUG = True  # as on a local install; the test runner forces DEBUG off


def quickstart():
    out = StringIO()
    call_command("quickstart", "--no-serve", stdout=out)
    return out.getvalue()


def counts():
    return [m.objects.count() for m in (User, Client, Project, Task, TimeEntry, Timesheet)]


def test_quickstart_seeds_demo_data_and_prints_logins():
    output = quickstart()
    assert "http://127.0.0.1:8000/admin/" in output
    for username in ("admin", "maria", "sam", "alex", "vera"):
        assert username in output
    assert DEMO_PASSWORD in output
    assert TimeEntry.objects.count() > 30
    assert {u.role for u in User.objects.all()} == {"admin", "manager", "member", "viewer"}


def test_quickstart_twice_changes_nothing():
    quickstart()
    before = counts()
    quickstart()
    assert counts() == before


def test_demo_entries_respect_the_rules():
    quickstart()
    for user in User.objects.all():
        entries = list(TimeEntry.objects.filter(user=user).order_by("start"))
        for previous, current in zip(entries, entries[1:], strict=False):
            assert previous.end <= current.start


def test_demo_admin_logs_in_and_sees_the_demo_time(client):
    quickstart()
    # The admin signs in through the same sign-in page as everyone (rate limits, two-factor, SSO).
    response = client.post(reverse("account_login"), {"login": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("admin:tracking_timeentry_changelist"))
    assert page.status_code == 200
    assert "Website redesign" in page.content.decode()


def test_demo_data_is_refused_when_debug_is_off(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=True"):
        quickstart()


def test_demo_has_an_approved_and_a_waiting_week_on_marias_overview(client):
    quickstart()
    assert sorted(Timesheet.objects.filter(user__username="alex").values_list("state", flat=True)) == [
        "approved",
        "submitted",
    ]
    client.force_login(User.objects.get(username="maria"))
    page = client.get(reverse("team_overview")).content.decode()
    assert "1 week waiting for a decision" in page and "Alex Member" in page


def test_no_serve_says_how_to_serve_instead_of_open():
    output = quickstart()
    assert "python manage.py runserver 127.0.0.1:8000" in output
    assert "Open        http" not in output
    assert "createsuperuser" not in output  # the demo has an admin


def test_without_demo_data_it_says_how_to_create_the_first_admin():
    out = StringIO()
    call_command("quickstart", "--no-serve", "--no-demo", "127.0.0.1:8123", stdout=out)
    output = out.getvalue()
    assert "python manage.py createsuperuser" in output and "runserver 127.0.0.1:8123" in output
    assert User.objects.count() == 0
