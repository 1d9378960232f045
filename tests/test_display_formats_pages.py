"""Every page shows dates, times and durations in the one set of formats, in the reader's time zone.

One instant is stored on everything a page can show (an entry, a running timer, a token, an activity item, a share
link, a comment, a failed subscription), for a reader in Auckland, where that instant falls on another day than in UTC.
Each page must show it the same way, and no page may show a date or time in another format.
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, Role
from accounts.tests.factories import TeamFactory, UserFactory
from analytics.models import ActivityLog
from monitoring.usage import FORGOTTEN_AFTER
from reports.models import Comment, ShareLink, Subscription
from reports.tests.factories import SavedReportFactory
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

AUCKLAND = ZoneInfo("Pacific/Auckland")
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# Formats that are not ours: ISO dates or times in the text, "Dec 3" (month first), "03 Dec" (a padded day),
# "9:30 AM", "UTC" (the reader's own zone is used), Django's default "Dec. 3, 2026, 9:30 a.m.".
FOREIGN = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "month first": re.compile(rf"\b(?:{MONTHS})\.? \d{{1,2}}\b(?!:)"),
    "padded day": re.compile(rf"\b0\d (?:{MONTHS})\b"),
    "12-hour clock": re.compile(r"\b\d{1,2}:\d{2}\s?(?:[AaPp]\.?[Mm]\.?)"),
    "UTC": re.compile(r"\bUTC\b"),
    "seconds": re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b"),
}


def visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles, select options (time-zone names) or attributes."""
    html = re.sub(
        r"(?is)<(script|style|option|time class=\"elapsed[^\"]*\")[^>]*>.*?</(script|style|option|time)>", " ", html
    )
    return re.sub(r"\s+", " ", re.sub(r"(?s)<[^>]+>", " ", html))


def foreign_formats(text: str) -> list[str]:
    return [f"{name}: {match.group(0)!r}" for name, rx in FOREIGN.items() for match in rx.finditer(text)]


@pytest.fixture
def instant():
    """00:05 in Auckland, the previous day in UTC (a page in the wrong zone shows another date): the latest such
    moment at least FORGOTTEN_AFTER and an hour ago, so that the timer running since then is a forgotten one on the
    usage page (and the 90-minute entry is over), whatever the time of day the test runs."""
    latest = timezone.localtime(timezone.now() - FORGOTTEN_AFTER - timedelta(hours=1), AUCKLAND)
    day = latest.date() if latest.time() >= time(0, 5) else latest.date() - timedelta(days=1)
    return datetime.combine(day, time(0, 5), tzinfo=AUCKLAND)


@pytest.fixture
def world(instant):
    admin = UserFactory(username="ari", role=Role.ADMIN, timezone="Pacific/Auckland")
    mate = UserFactory(username="mo", timezone="Pacific/Auckland")
    TeamFactory(name="Crew", members=[admin, mate])
    project = ProjectFactory(name="Website")
    TimeEntryFactory(user=admin, project=project, start=instant, end=instant + timedelta(minutes=90))
    TimeEntryFactory(user=mate, project=project, start=instant, end=None, duration_seconds=0)  # running since then
    token = ApiToken.objects.create(owner=admin, name="script", prefix="tt_abc", key_hash="k" * 64, scopes=[])
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=instant)
    ActivityLog.objects.create(
        actor=admin, owner=admin, verb="entry_created", description="Added time", created_at=instant
    )
    report = SavedReportFactory(owner=admin, name="Monthly")
    Comment.objects.filter(pk=Comment.objects.create(report=report, author=admin, text="Looks right").pk).update(
        created_at=instant
    )
    link = ShareLink.objects.create(report=report, created_by=admin, token_hash="t" * 64)
    ShareLink.objects.filter(pk=link.pk).update(created_at=instant, last_viewed_at=instant)
    Subscription.objects.create(
        report=report,
        subscriber=admin,
        channel="email",
        frequency="weekly",
        weekday=0,
        time=time(9, 0),
        last_error="The mail server refused the message.",
        last_error_at=instant,
    )
    client = Client()
    client.force_login(admin)
    return {"client": client, "report": report, "project": project, "admin": admin}


def pages(world) -> dict[str, str]:
    r, p = world["report"].pk, world["project"]
    return {
        "dashboard": "/",
        "entries": "/entries/",
        "week": "/entries/week/",
        "reports": "/reports/?preset=this_month",
        "saved reports": "/reports/saved/",
        "saved report": f"/reports/saved/{r}/",
        "share links": f"/reports/saved/{r}/share/",
        "subscriptions": f"/reports/saved/{r}/subscribe/",
        "team overview": "/team/",
        "profile and tokens": "/profile/",
        "activity": "/activity/",
        "usage": "/usage/",
        "health": "/admin/health/",
        "project": f"/projects/{p.pk}/",
        "client": f"/clients/{p.client_id}/",
        "projects": "/projects/",
        "tasks": "/tasks/",
        "integrations": "/integrations/",
    }


def test_no_page_shows_a_date_or_time_in_another_format(world):
    found = {}
    for name, url in pages(world).items():
        response = world["client"].get(url)
        assert response.status_code == 200, f"{name} ({url}) answered {response.status_code}"
        if problems := foreign_formats(visible_text(response.content.decode())):
            found[name] = problems
    assert found == {}


def test_the_same_instant_reads_the_same_on_every_page_that_shows_it(world, instant):
    short = f"{instant:%a} {instant.day} {instant:%b}"  # "Thu 3 Dec"
    full = f"{short} {instant:%Y}"
    shown = {
        "dashboard": short,  # the recent entries (their times are fields: see below)
        "entries": f"{instant:%A} {instant.day} {instant:%B %Y}",  # the day's heading
        "profile and tokens": f"{full}, 00:05",  # the token's last use
        "activity": f"{full}, 00:05",
        "saved report": f"{full}, 00:05",  # the comment
        "share links": f"{full}, 00:05",  # made, and last viewed
        "subscriptions": f"{full}, 00:05",  # the last error
        "usage": f"since {full}, 00:05",  # the running timer
    }
    urls = pages(world)
    missing = {}
    for name, expected in shown.items():
        text = visible_text(world["client"].get(urls[name]).content.decode())
        if expected not in text:
            missing[name] = expected
    assert missing == {}
    # Rows the reader may change are edited in place: their times are the values of the start and end fields.
    for name in ("dashboard", "entries"):
        html = world["client"].get(urls[name]).content.decode()
        assert re.search(r'name="start" value="00:05"', html), name
        assert re.search(r'name="end" value="01:35"', html), name
