"""Reads for Slack: the integration and its secrets, who a Slack user is, a person's preferences, which projects a
text names, a person's totals per project over a local period, and the daily summaries due.

Projects are scoped by accounts.policy's `trackable_projects`, entries through tracking.selectors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from accounts import policy
from reports.models import Comment
from tracking import periods
from tracking import selectors as tracking_selectors
from tracking.models import Project, TimeEntry

from ...models import Integration
from .models import SlackSummarySent, SlackUserPreference

logger = logging.getLogger(__name__)

PROVIDER = "slack"

MAX_CHOICES = 8
# A summary whose local time passed longer ago than this (the scheduler was down) is skipped, not sent late.
LATE_LIMIT = timedelta(hours=6)


def slack_integration() -> Integration | None:
    """The active organisation-wide Slack integration, or None."""
    return Integration.objects.filter(provider=PROVIDER, owner__isnull=True, is_active=True).first()


# "Slack is not set up", remembered in the cache so a timer queues no notice that would only find that out. Saving or
# deleting an Integration forgets it (receivers.py); it also lapses after NOT_SET_UP_SECONDS, the most another
# process may keep it after Slack is set up when the cache is its own (LocMemCache, without Redis).
NOT_SET_UP_KEY = "slack:not-set-up"
NOT_SET_UP_SECONDS = 30


def slack_known_not_set_up() -> bool:
    """True when the cache says Slack was found not set up a moment ago (no query). Nothing cached, or a cache that
    fails: False, so the caller does what it would without the cache."""
    try:
        return cache.get(NOT_SET_UP_KEY) is True
    except Exception:
        return False


def slack_remember_not_set_up() -> None:
    """Remember that Slack was just found not set up (by the notice task, after the timer's answer)."""
    try:
        cache.set(NOT_SET_UP_KEY, True, NOT_SET_UP_SECONDS)
    except Exception as exc:
        logger.warning("slack: could not cache that Slack is not set up: %s", exc.__class__.__name__)


def slack_forget_not_set_up() -> None:
    try:
        cache.delete(NOT_SET_UP_KEY)
    except Exception as exc:  # then it lapses on its own, after NOT_SET_UP_SECONDS
        logger.warning("slack: could not forget that Slack was not set up: %s", exc.__class__.__name__)


def slack_secret(name: str, integration: Integration | None = None) -> str:
    """A secret of the Slack integration (`integration`, else the active one), "" when unset or not set up."""
    integration = integration if integration is not None else slack_integration()
    return integration.secret(name) if integration is not None else ""


def user_for_slack_id(slack_user_id: str):
    """The active TimeTracker user linked to `slack_user_id`, or None (also when two claim it)."""
    if not slack_user_id:
        return None
    users = list(get_user_model().objects.filter(slack_user_id=slack_user_id, is_active=True)[:2])
    return users[0] if len(users) == 1 else None


def preference_get(user) -> SlackUserPreference:
    """The user's preferences; the defaults (unsaved) when they never changed them."""
    return SlackUserPreference.objects.filter(user=user).first() or SlackUserPreference(user=user)


def project_match(*, user, text: str) -> list[Project]:
    """The projects `user` may track on that `text` names: an id, a code (exact, any case) or a name (exact, any
    case; else a fragment). One element means a single match; the list is cut at MAX_CHOICES + 1."""
    text = text.strip()
    if not text:
        return []
    projects = policy.trackable_projects(user).select_related("client")
    if text.isdigit():
        found = list(projects.filter(pk=int(text)))
        if found:
            return found
    exact = list(projects.filter(Q(code__iexact=text) | Q(name__iexact=text)).order_by("name", "pk")[:2])
    if len(exact) == 1:
        return exact
    return list(projects.filter(name__icontains=text).order_by("name", "pk")[: MAX_CHOICES + 1])


def projects_sample(*, user, limit: int = 8) -> list[Project]:
    """A few projects `user` may track on, by name: the hint shown when a `/tt start` names none."""
    return list(policy.trackable_projects(user).select_related("client").order_by("name")[:limit])


def entry_for_notice(entry_id: int) -> TimeEntry | None:
    """The entry a timer notice is about, with what the notice names (person, project, client)."""
    return TimeEntry.objects.select_related("user", "project", "project__client").filter(pk=entry_id).first()


def summary_recipient(user_id: int):
    """The active, linked person a daily summary goes to, or None."""
    return get_user_model().objects.filter(pk=user_id, is_active=True).exclude(slack_user_id="").first()


def summary_claim_pending(claim_id: int) -> SlackSummarySent | None:
    """A claimed summary still being sent (a retry carries its claim), or None once it was sent or failed."""
    return SlackSummarySent.objects.filter(pk=claim_id, status=SlackSummarySent.Status.SENDING).first()


@dataclass(frozen=True)
class Totals:
    start: datetime
    end: datetime
    rows: list[tuple[str, int]]  # (project name, seconds), largest first
    total_seconds: int
    running_project: str = ""


def time_totals(*, viewer, user, start: datetime, end: datetime, now: datetime | None = None) -> Totals:
    """`user`'s time per project for entries starting in [start, end), as `viewer` may see it (tracking's selector);
    a running timer counts up to `now`."""
    totals = tracking_selectors.project_totals(viewer=viewer, user=user, start=start, end=end, now=now)
    rows = [(str(project), seconds) for project, seconds in totals["projects"]]
    running = str(totals["running"].project) if totals["running"] else ""
    return Totals(start, end, rows, totals["total"], running)


def day_totals(*, user, day: date, now: datetime | None = None) -> Totals:
    start, end = periods.day_bounds(day, user.tzinfo)
    return time_totals(viewer=user, user=user, start=start, end=end, now=now)


def week_totals(*, user, now: datetime | None = None) -> Totals:
    """Monday to Sunday of the current week in the user's time zone."""
    start, end = periods.week(periods.local_today(user, now)).bounds(user.tzinfo)
    return time_totals(viewer=user, user=user, start=start, end=end, now=now)


def summaries_due(*, now: datetime | None = None) -> list[tuple[int, date]]:
    """(user id, local date) of every daily summary whose local time has come (at most LATE_LIMIT ago) and that
    was not claimed yet: linked, active people who turned the summary on."""
    now = now or timezone.now()
    preferences = (
        SlackUserPreference.objects.filter(daily_summary=True, user__is_active=True)
        .exclude(user__slack_user_id="")
        .select_related("user")
    )
    due = []
    for preference in preferences:
        tz = preference.user.tzinfo
        today = periods.local_today(preference.user, now)
        for day in (today, today - timedelta(days=1)):
            at = datetime.combine(day, preference.summary_time, tzinfo=tz)
            if at <= now and now - at <= LATE_LIMIT:
                due.append((preference.user_id, day))
                break
    if not due:
        return []
    claimed = set(
        SlackSummarySent.objects.filter(user_id__in=[u for u, _ in due], date__in={d for _, d in due}).values_list(
            "user_id", "date"
        )
    )
    return [item for item in due if item not in claimed]


def comment_for_notice(comment_id: int):
    """A saved report's comment with its report, owner and author loaded, or None when it is gone."""
    return Comment.objects.select_related("report__owner", "author").filter(pk=comment_id).first()
