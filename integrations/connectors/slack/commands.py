"""The `/tt` grammar: parse the text of a slash command, act through tracking.services, answer in Slack mrkdwn.

`run()` only touches the database, so the answer fits in Slack's 3-second budget. Every write goes through
tracking.services with source "slack", so the web UI, the API and analytics see the same timer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts import policy
from timetracker.errors import slack_reply
from tracking import services as tracking
from tracking.exceptions import NoRunningTimer, TimerAlreadyRunning
from tracking.models import Source, TimeEntry
from tracking.periods import local_today
from tracking.utils import format_date, format_duration, format_time

from . import selectors


def escape(text: str) -> str:
    """Slack mrkdwn treats &, < and > as control characters."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ephemeral(text: str) -> dict:
    return {"response_type": "ephemeral", "text": text}


def help_text(command: str = "/tt") -> str:
    c = escape(command or "/tt")
    lines = ["*TimeTracker in Slack*"]
    lines += [f"`{c} {spec.usage}` — {spec.summary}" for spec in COMMANDS.values()]
    return "\n".join(lines)


def unlinked_text(profile_url: str) -> str:
    return (
        "Your Slack account is not linked to TimeTracker yet. "
        f"Link it on your profile: <{profile_url}|open your TimeTracker profile>, then try again."
    )


def _local(user, moment) -> str:
    return format_time(moment, user.tzinfo)


def _project_label(project) -> str:
    code = f" ({project.code})" if project.code else ""
    return f"*{escape(project)}*{escape(code)}"


def run(*, user, text: str, command: str = "/tt") -> dict:
    """Run one `/tt` command for `user` and return the ephemeral answer."""
    verb, _, rest = (text or "").strip().partition(" ")
    spec = COMMANDS.get(verb.lower())
    if spec is None:
        prefix = f"I don't know “{escape(verb)}”.\n" if verb else ""
        return ephemeral(prefix + help_text(command))
    try:
        return ephemeral(spec.handler(user, rest.strip(), command))
    except (ValidationError, PermissionDenied) as exc:  # a rule of the services or the policy, in their words
        return ephemeral(slack_reply(exc))


def _start(user, rest: str, command: str) -> str:
    if not policy.can(user, policy.CREATE, TimeEntry):
        return "Viewers have read-only access and cannot track time."
    project_text, _, notes = rest.partition(":")
    project_text, notes = project_text.strip(), notes.strip()
    c = escape(command)
    if not project_text:
        return f"Which project? `{c} start <project>[: notes]`.\n" + _some_projects(user)
    running = tracking.timer_status(user=user)
    if running is not None:
        return _already_running(user, running, command)
    matches = selectors.project_match(user=user, text=project_text)
    if not matches:
        return f"No project you can track on matches “{escape(project_text)}”.\n" + _some_projects(user)
    if len(matches) > 1:
        shown = matches[: selectors.MAX_CHOICES]
        lines = [f"Several projects match “{escape(project_text)}”; say which one:"]
        lines += [f"• {_project_label(p)} — `{c} start {escape(p.code or p.pk)}`" for p in shown]
        if len(matches) > len(shown):
            lines.append("…and more: type more of the name.")
        return "\n".join(lines)
    project = matches[0]
    try:
        entry = tracking.timer_start(actor=user, project=project, notes=notes, source=Source.SLACK)
    except TimerAlreadyRunning as exc:  # started elsewhere a moment ago
        if exc.entry is not None:
            return _already_running(user, exc.entry, command)
        raise
    suffix = f" — {escape(notes)}" if notes else ""
    return (
        f":stopwatch: Started your timer on {_project_label(project)} at {_local(user, entry.start)}{suffix}.\n"
        f"Stop it with `{c} stop`."
    )


def _already_running(user, entry, command: str) -> str:
    elapsed = format_duration(int((timezone.now() - entry.start).total_seconds()))
    return (
        f"Your timer is already running on {_project_label(entry.project)} since {_local(user, entry.start)} "
        f"({elapsed}). Stop it first with `{escape(command)} stop`."
    )


def _some_projects(user) -> str:
    projects = selectors.projects_sample(user=user)
    if not projects:
        return "There is no project you may track on yet; ask a manager to open one to you."
    return "Your projects include: " + ", ".join(
        f"{escape(p)} ({escape(p.code)})" if p.code else f"{escape(p)} (#{p.pk})" for p in projects
    )


def _stop(user, rest: str, command: str) -> str:
    try:
        entry = tracking.timer_stop(actor=user, source=Source.SLACK)
    except NoRunningTimer:
        return f"No timer is running. Start one with `{escape(command)} start <project>`."
    return (
        f":white_check_mark: Stopped your timer on {_project_label(entry.project)} after "
        f"*{format_duration(entry.duration_seconds)}* ({_local(user, entry.start)}–{_local(user, entry.end)})."
    )


def _status(user, rest: str, command: str) -> str:
    entry = tracking.timer_status(user=user)
    if entry is None:
        return f"No timer is running. Start one with `{escape(command)} start <project>`."
    elapsed = format_duration(int((timezone.now() - entry.start).total_seconds()))
    notes = f" — {escape(entry.notes)}" if entry.notes else ""
    return (
        f":stopwatch: Running on {_project_label(entry.project)} since {_local(user, entry.start)} ({elapsed}){notes}."
    )


def totals_text(title: str, totals: selectors.Totals, *, empty: str) -> str:
    if not totals.rows:
        return f"*{title}*\n{empty}"
    lines = [f"*{title}*"]
    for name, seconds in totals.rows:
        running = " (running)" if name == totals.running_project else ""
        lines.append(f"• {escape(name)} — {format_duration(seconds)}{running}")
    lines.append(f"*Total: {format_duration(totals.total_seconds)}*")
    return "\n".join(lines)


def _today(user, rest: str, command: str) -> str:
    day = local_today(user)
    totals = selectors.day_totals(user=user, day=day)
    return totals_text(f"Today, {format_date(day, 'short')}", totals, empty="Nothing tracked today yet.")


def _week(user, rest: str, command: str) -> str:
    totals = selectors.week_totals(user=user)
    first = timezone.localtime(totals.start, user.tzinfo).date()
    last = first + timedelta(days=6)
    title = f"This week, {format_date(first, 'short')} – {format_date(last, 'short')}"
    return totals_text(title, totals, empty="Nothing tracked this week yet.")


def _help(user, rest: str, command: str) -> str:
    return help_text(command)


@dataclass(frozen=True)
class Command:
    """One `/tt` verb: what it does (`handler(user, rest, command) -> text`) and its line in the help."""

    handler: Callable[..., str]
    usage: str
    summary: str


# The whole grammar: a verb is in this table or it is not a command (the help is shown instead).
COMMANDS: dict[str, Command] = {
    "start": Command(
        _start,
        "start <project>[: notes]",
        "start your timer; the project is its id, its code or part of its name",
    ),
    "stop": Command(_stop, "stop", "stop your timer and see how long it ran"),
    "status": Command(_status, "status", "what is running, since when"),
    "today": Command(_today, "today", "your time today, per project"),
    "week": Command(_week, "week", "your time this week (Monday to Sunday), per project"),
    "help": Command(_help, "help", "this list"),
}
