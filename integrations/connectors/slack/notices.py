"""What Slack is told and where: timer notices (channel, DM or nowhere) and the daily summary text."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.urls import reverse

from tracking.models import TimeEntry
from tracking.utils import format_date, format_duration

from . import commands, selectors
from .models import Delivery


def notice_text(entry: TimeEntry, event: str, *, dm: bool, duration_seconds: int | None = None) -> str:
    """A start or stop notice: in a channel it names the person and the project, never the notes."""
    who = f"<@{entry.user.slack_user_id}>"
    project = f"*{commands.escape(entry.project)}*"
    if event == "started":
        text = f"{'You' if dm else who} started the timer on {project}"
        if dm and entry.notes:
            text += f" — {commands.escape(entry.notes)}"
        return f":stopwatch: {text}."
    duration = format_duration(entry.duration_seconds if duration_seconds is None else duration_seconds)
    return f":white_check_mark: {'You' if dm else who} stopped the timer on {project} after *{duration}*."


def notice_target(entry: TimeEntry, event: str, config: dict) -> str:
    """Where a notice about `entry` goes: the default channel, the person's DM, or "" for nowhere."""
    if not entry.user.slack_user_id or not entry.user.is_active:
        return ""
    if not config.get(f"notify_on_{'start' if event == 'started' else 'stop'}", True):
        return ""
    preference = selectors.preference_get(entry.user)
    choice = preference.notify_on_start if event == "started" else preference.notify_on_stop
    if choice == Delivery.DM:
        return entry.user.slack_user_id
    if choice == Delivery.CHANNEL:
        return config.get("default_channel") or ""
    return ""


def comment_target(comment) -> str:
    """The report owner's DM for a new comment, or "" (not linked, not opted in, their own comment)."""
    owner = comment.report.owner
    if not owner.slack_user_id or not owner.is_active or owner.pk == comment.author_id:
        return ""
    return owner.slack_user_id if selectors.preference_get(owner).notify_on_comment else ""


def comment_text(comment) -> str:
    """A new comment, told to the report's owner in a DM (they may see both the report and the comment)."""
    url = settings.SITE_URL + reverse("saved_report_detail", args=[comment.report_id]) + "#comments"
    excerpt = comment.text if len(comment.text) <= 300 else comment.text[:299] + "…"
    return (
        f":speech_balloon: {commands.escape(comment.author)} commented on your report "
        f"<{url}|{commands.escape(comment.report.name)}>: {commands.escape(excerpt)}"
    )


def summary_text(user, day: date) -> str:
    totals = selectors.day_totals(user=user, day=day)
    return commands.totals_text(
        f"Your TimeTracker day, {format_date(day, 'short')}",
        totals,
        empty="Nothing tracked that day. Tomorrow is a fresh start.",
    )
