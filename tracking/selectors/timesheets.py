"""Person-weeks for approvals and the manager's team overview: hours and approval state per person and ISO week.

A person-week is the person's own ISO week (Monday to Sunday in their time zone); its hours are those of the entries
that start in it, a running timer counted up to now (the one rule, `running_seconds`). A week without a Timesheet row
is "open". Everything is scoped by the access policy: one sees the weeks of the people whose time one may see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Q, QuerySet, Value
from django.utils import timezone

from accounts import policy
from accounts.models import Role, Team

from .. import periods
from ..models import ApprovalSettings, PeriodLock, TimeEntry, Timesheet, TimesheetState
from .entries import running_seconds

FORGOTTEN_TIMER_HOURS = 10


@dataclass
class PersonWeek:
    user: object
    week: date
    state: str = TimesheetState.OPEN
    seconds: int = 0
    running: bool = False
    comment: str = ""
    decided_by: object = None
    decided_at: datetime | None = None
    submitted_at: datetime | None = None
    can_decide: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def state_label(self) -> str:
        return TimesheetState(self.state).label


def timesheet_people(*, viewer, filters: dict | None = None) -> QuerySet:
    """The active people whose weeks `viewer` may see; filters: "user" (id), "team" (id). Viewers see none: approvals
    are between people and their managers."""
    filters = filters or {}
    if not policy.writes(viewer):
        return get_user_model().objects.none()
    people = policy.visible(viewer, get_user_model().objects.filter(is_active=True, erased_at__isnull=True))
    people = people.exclude(role=Role.VIEWER)  # viewers track nothing
    if filters.get("user"):
        people = people.filter(pk=filters["user"])
    if filters.get("team"):
        people = people.filter(teams=filters["team"])
    return people.order_by("full_name", "username")


def _seconds_by_week(people: list, weeks: list[date], now: datetime) -> dict[tuple[int, date], tuple[int, bool]]:
    """{(user id, Monday): (seconds, running)} in each person's own time zone; one query."""
    if not people or not weeks:
        return {}
    first, last = min(weeks), max(weeks) + timedelta(days=7)
    span = Q()
    for person in people:
        begin, end = periods.Period(first, last - timedelta(days=1)).bounds(person.tzinfo)
        span |= Q(user_id=person.pk, start__gte=begin, start__lt=end)
    tz_of = {p.pk: p.tzinfo for p in people}
    wanted = set(weeks)
    sums: dict = {}
    for user_id, start, end, duration in (
        TimeEntry.objects.filter(span).order_by().values_list("user_id", "start", "end", "duration_seconds")
    ):
        monday = periods.week_start(timezone.localtime(start, tz_of[user_id]).date())
        if monday not in wanted:
            continue
        seconds, running = sums.get((user_id, monday), (0, False))
        if end is None:
            seconds, running = seconds + running_seconds(start, now), True
        else:
            seconds += duration
        sums[(user_id, monday)] = (seconds, running)
    return sums


def person_weeks(*, viewer, people, weeks: list[date], now: datetime | None = None) -> list[PersonWeek]:
    """One PersonWeek per person and Monday (people in the given order, weeks newest first). Three queries."""
    people = list(people)
    weeks = sorted({periods.week_start(w) for w in weeks}, reverse=True)
    now = now or timezone.now()
    sheets = {
        (s.user_id, s.week): s
        for s in Timesheet.objects.filter(user__in=[p.pk for p in people], week__in=weeks).select_related("decided_by")
    }
    sums = _seconds_by_week(people, weeks, now)
    decidable = policy.correctable_user_ids(viewer) if policy.is_manager_or_admin(viewer) else set()
    rows = []
    for person in people:
        for monday in weeks:
            sheet = sheets.get((person.pk, monday))
            seconds, running = sums.get((person.pk, monday), (0, False))
            row = PersonWeek(user=person, week=monday, seconds=seconds, running=running)
            if sheet is not None:
                row.state, row.comment = sheet.state, sheet.comment
                row.decided_by, row.decided_at, row.submitted_at = (
                    sheet.decided_by,
                    sheet.decided_at,
                    sheet.submitted_at,
                )
            row.can_decide = person.pk != viewer.pk and (decidable is None or person.pk in decidable)
            if policy.is_admin(viewer):
                row.can_decide = True
            rows.append(row)
    return rows


def timesheet_list(*, viewer, filters: dict | None = None, now: datetime | None = None) -> list[PersonWeek]:
    """Person-weeks (open ones included) of one week for the people `viewer` may see.

    filters: "week" (any day of it; default: the viewer's current week), "user" (id), "team" (id).
    """
    filters = filters or {}
    week = filters.get("week") or periods.local_today(viewer, now)
    people = timesheet_people(viewer=viewer, filters=filters)
    return person_weeks(viewer=viewer, people=people, weeks=[week], now=now)


def timesheet_get(*, viewer, user, week: date) -> PersonWeek:
    return person_weeks(viewer=viewer, people=[user], weeks=[week])[0]


def overview_teams(*, viewer) -> QuerySet:
    """The teams whose overview `viewer` may open: managers the teams they manage, admins every team."""
    if policy.is_admin(viewer):
        return Team.objects.all()
    if policy.is_active(viewer) and viewer.role == Role.MANAGER:
        return Team.objects.filter(managers=viewer)
    return Team.objects.none()


def team_overview(*, viewer, team: Team, weeks: int = 2, now: datetime | None = None) -> dict:
    """The manager's overview of `team`: its members × the current and previous week(s), each with hours and state,
    who has tracked nothing this week, who has a timer running for more than FORGOTTEN_TIMER_HOURS, whose last week
    is not submitted (when the team requires approvals), and how many weeks wait for a decision. `team` must come
    from `overview_teams(viewer=viewer)`."""
    now = now or timezone.now()
    this_monday = periods.week_start(periods.local_today(viewer, now))
    mondays = [this_monday - timedelta(days=7 * i) for i in range(weeks)]
    people = list(timesheet_people(viewer=viewer, filters={"team": team.pk}))
    cells = person_weeks(viewer=viewer, people=people, weeks=mondays, now=now)
    cutoff = now - timedelta(hours=FORGOTTEN_TIMER_HOURS)
    forgotten = {
        e.user_id: e
        for e in TimeEntry.objects.filter(user__in=[p.pk for p in people], end__isnull=True, start__lt=cutoff)
        .select_related("project")
        .order_by()
    }
    required = ApprovalSettings.objects.filter(pk=1, required_teams=team).exists()
    rows = []
    for index, person in enumerate(people):
        mine = cells[index * len(mondays) : (index + 1) * len(mondays)]
        rows.append(
            {
                "user": person,
                "cells": mine,
                "nothing_this_week": mine[0].seconds == 0,
                # Only where the team requires approvals: last week still open or returned.
                "last_week_missing": required
                and len(mine) > 1
                and mine[1].state in (TimesheetState.OPEN, TimesheetState.REJECTED),
                "forgotten_timer": forgotten.get(person.pk),
                "forgotten_hours": int((now - forgotten[person.pk].start).total_seconds() // 3600)
                if person.pk in forgotten
                else 0,
            }
        )
    waiting = [c for c in cells if c.state == TimesheetState.SUBMITTED]
    return {
        "team": team,
        "weeks": mondays,
        "rows": rows,
        "waiting": waiting,
        "approvals_required": required,
        "totals": [sum(c.seconds for c in cells[i :: len(mondays)]) for i in range(len(mondays))],
    }


def locked_entry_ids(entries) -> set[int]:
    """The ids among `entries` (with their users loaded) that lie in locked time — the display form of the rule in
    tracking.services.locks, for a page of rows at once (one query for the active locks and the approved weeks
    together, a second only when a lock is a team's; not one per row). The services decide."""
    entries = list(entries)
    if not entries:
        return set()
    user_ids = {e.user_id for e in entries}
    days = {entry.pk: timezone.localtime(entry.start, entry.user.tzinfo).date() for entry in entries}
    # Only the weeks on the page: people whose weeks are approved every week have a hundred a year each.
    weeks = {periods.week_start(day) for day in days.values()}
    kind = IntegerField()
    active_locks = PeriodLock.objects.active().order_by().annotate(_kind=Value(0, output_field=kind))
    approved_weeks = (
        Timesheet.objects.filter(user_id__in=user_ids, week__in=weeks, state=TimesheetState.APPROVED)
        .order_by()
        .annotate(_kind=Value(1, output_field=kind))
    )
    found = active_locks.values_list("until", "team_id", "_kind").union(
        approved_weeks.values_list("week", "user_id", "_kind"), all=True
    )
    locks, approved = [], set()
    for day, owner, row_kind in found:
        if row_kind == 0:
            locks.append((day, owner))  # (until, team or None)
        else:
            approved.add((owner, day))  # (user, week)
    team_ids = {team for _until, team in locks if team is not None}
    members = (
        set(
            Team.members.through.objects.filter(team_id__in=team_ids, user_id__in=user_ids).values_list(
                "team_id", "user_id"
            )
        )
        if team_ids
        else set()
    )
    if not approved and not locks:
        return set()
    locked = set()
    for entry in entries:
        day = days[entry.pk]
        if (entry.user_id, periods.week_start(day)) in approved or any(
            until >= day and (team is None or (team, entry.user_id) in members) for until, team in locks
        ):
            locked.add(entry.pk)
    return locked


def period_lock_covering(*, user) -> PeriodLock | None:
    """The lock reaching furthest that applies to `user` (shown on their week page), or None."""
    return PeriodLock.objects.applying_to(user).select_related("created_by").order_by("-until").first()


def period_lock_list(*, viewer, filters: dict | None = None) -> QuerySet:
    """Locks, newest first; filters: "active" (bool)."""
    filters = filters or {}
    locks = policy.visible(viewer, PeriodLock.objects.select_related("team", "created_by", "reopened_by"))
    if filters.get("active") is not None:
        locks = locks.filter(reopened_at__isnull=filters["active"])
    return locks.order_by("-until", "-pk")
