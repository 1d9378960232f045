"""Slack previews of saved reports and share links: a signed link_shared event answered with chat.unfurl to the
local Slack stand-in; share links follow their own settings, saved-report URLs the poster's visibility."""

from __future__ import annotations

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import WebhookDelivery
from reports import services as report_services
from reports.tests.factories import SavedReportFactory
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

from .conftest import TEAM_CHANNEL, SlackPoster

pytestmark = pytest.mark.django_db

SITE = "https://tt.example.com"


@pytest.fixture
def report(settings, manager):
    settings.SITE_URL = SITE
    project = ProjectFactory(client=ClientFactory(name="Acme"), is_public=True)
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    TimeEntryFactory(user=manager, project=project, start=start, end=start + timedelta(hours=4), notes="SECRET NOTE")
    return SavedReportFactory(
        owner=manager,
        name="Billable hours by client",
        description="What we invoice\nsecond line",
        definition={"preset": "last_30_days", "group_by": "client", "filters": {}, "chart": "bar"},
    )


def _link_shared(urls, *, user="U0POSTER1", event_id="Ev1", **sign):
    payload = {
        "type": "event_callback",
        "event_id": event_id,
        "event": {
            "type": "link_shared",
            "channel": TEAM_CHANNEL,
            "user": user,
            "message_ts": "1700000000.000200",
            "links": [{"domain": "tt.example.com", "url": url} for url in urls],
        },
    }
    return SlackPoster().event(payload, **sign)


def _unfurls(fake_slack) -> dict:
    [call] = fake_slack.unfurled
    unfurls = call["unfurls"]
    assert call["channel"] == TEAM_CHANNEL and call["ts"] == "1700000000.000200"
    return json.loads(unfurls) if isinstance(unfurls, str) else unfurls


def test_a_pasted_share_link_is_unfurled_with_the_total_and_top_groups(slack, fake_slack, manager, report):
    _link, token = report_services.share_link_create(actor=manager, report=report)
    url = f"{SITE}/s/{token}/"
    assert _link_shared([url]).status_code == 200
    preview = _unfurls(fake_slack)[url]
    assert preview["title"] == "Billable hours by client" and preview["title_link"] == url
    assert "*4.0 h* in total" in preview["text"] and "• Acme: 4.0 h" in preview["text"]
    assert "What we invoice" in preview["text"] and "second line" not in preview["text"]
    assert "SECRET NOTE" not in json.dumps(fake_slack.unfurled)


def test_password_and_members_only_links_unfurl_as_a_title_only(slack, fake_slack, manager, report):
    _a, locked = report_services.share_link_create(actor=manager, report=report, password="a long secret")
    _b, members = report_services.share_link_create(actor=manager, report=report, members_only=True)
    urls = [f"{SITE}/s/{locked}/", f"{SITE}/s/{members}/"]
    _link_shared(urls)
    previews = _unfurls(fake_slack)
    assert [set(previews[u]) for u in urls] == [{"title", "title_link"}] * 2


def test_revoked_unknown_and_foreign_links_get_no_preview(slack, fake_slack, manager, report):
    link, token = report_services.share_link_create(actor=manager, report=report)
    report_services.share_link_revoke(actor=manager, link=link)
    _link_shared([f"{SITE}/s/{token}/", f"{SITE}/s/unknown-token/", f"https://elsewhere.example/s/{token}/"])
    assert fake_slack.unfurled == []


def test_a_saved_report_url_unfurls_only_for_a_linked_poster_who_may_see_it(slack, fake_slack, manager, report):
    url = f"{SITE}/reports/saved/{report.pk}/"
    _link_shared([url], user="U0STRANGER", event_id="Ev2")
    assert fake_slack.unfurled == []  # not linked: nothing
    manager.slack_user_id = "U0MANAGER1"
    manager.save(update_fields=["slack_user_id"])
    _link_shared([url], user="U0MANAGER1", event_id="Ev3")
    preview = _unfurls(fake_slack)[url]
    assert "*4.0 h* in total" in preview["text"]


def test_a_forged_or_stale_link_shared_event_is_refused(slack, fake_slack, manager, report):
    _link, token = report_services.share_link_create(actor=manager, report=report)
    assert _link_shared([f"{SITE}/s/{token}/"], secret="forged").status_code == 401
    assert _link_shared([f"{SITE}/s/{token}/"], timestamp=int(time.time()) - 3600).status_code == 401
    assert fake_slack.unfurled == []
    assert not WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PROCESSED).exists()
