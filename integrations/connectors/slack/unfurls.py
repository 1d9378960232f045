"""Slack link previews ("unfurls") of saved reports and share links pasted in Slack (Events API `link_shared`).

- A share link (`/s/<token>/`) follows its own settings: an open public link shows its name, period, total hours,
  top three groups and the description's first line (people as "Person n" unless the link shows names); a
  password-protected or members-only link shows its title only; unknown, expired and revoked links none.
- A saved report's URL (`/reports/saved/<id>/`) is previewed only when the person who posted it is linked to an
  active TimeTracker account that may see the report, computed with that person's visibility.
Only this installation's URLs (SITE_URL's host) are looked at. Reads only; the task posts the answer.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

from accounts import policy
from reports import selectors as report_selectors
from reports import sharing
from reports.definition import period_label
from reports.models import SavedReport

from . import selectors

SHARE_PATH = re.compile(r"^/s/([A-Za-z0-9_-]{1,128})/?$")
SAVED_PATH = re.compile(r"^/reports/saved/(\d{1,18})/?$")
MAX_LINKS = 10
TOP_GROUPS = 3


def _hours(seconds) -> str:
    return f"{(seconds or 0) / 3600:.1f}"


def _text(period: str, payload: dict, description: str) -> str:
    lines = [f"{period[:1].upper()}{period[1:]} · *{_hours(payload['total']['seconds'])} h* in total"]
    for group in payload["groups"][:TOP_GROUPS]:
        lines.append(f"• {group['label']}: {_hours(group['seconds'])} h")
    first = (description or "").strip().splitlines()[0] if (description or "").strip() else ""
    if first:
        lines.append(first[:300])
    return "\n".join(lines)


def preview(url: str, slack_user_id: str) -> dict | None:
    """The unfurl of one pasted URL (Slack's attachment shape: title, title_link, text), or None for no preview."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    parts, site = urlsplit(url), urlsplit(settings.SITE_URL)
    if parts.netloc.lower() != site.netloc.lower():
        return None
    share = SHARE_PATH.match(parts.path)
    if share:
        return _share_preview(url, share.group(1))
    saved = SAVED_PATH.match(parts.path)
    if saved:
        return _saved_preview(url, int(saved.group(1)), slack_user_id)
    return None


def _share_preview(url: str, token: str) -> dict | None:
    link = sharing.share_link_find(token)
    if link is None or not sharing.share_link_is_open(link):
        return None
    title = {"title": link.report.name, "title_link": url}
    if link.password_hash or link.members_only or not settings.SHARE_LINKS_PUBLIC:
        return title
    payload = sharing.share_view_payload(link)
    if payload is None:
        return None
    return {**title, "text": _text(payload["period"], payload, link.report.description)}


def _saved_preview(url: str, pk: int, slack_user_id: str) -> dict | None:
    user = selectors.user_for_slack_id(slack_user_id)
    if user is None:
        return None
    report = policy.visible(user, SavedReport.objects.filter(pk=pk)).first()
    if report is None:
        return None
    results = report_selectors.saved_report_results(viewer=user, report=report)
    return {
        "title": report.name,
        "title_link": url,
        "text": _text(period_label(report.definition), results, report.description),
    }


def unfurls(urls: list, slack_user_id: str) -> dict:
    """{url: preview} for the URLs that get one (at most MAX_LINKS looked at)."""
    found = {}
    for url in list(urls)[:MAX_LINKS]:
        shown = preview(url, slack_user_id)
        if shown is not None:
            found[url] = shown
    return found
