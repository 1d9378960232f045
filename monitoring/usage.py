"""How the organisation uses TimeTracker, computed in the database from the product's own tables.

Admins see every team; managers the teams they manage. A fixed number of queries, whatever the number of teams
or people: weekly active trackers per team (12 weeks, the viewer's calendar), time by source, adoption of each
integration, people without time for two weeks, forgotten timers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import Role, Team, User
from integrations.models import Integration
from timetracker import health
from tracking import periods
from tracking.models import Source, TimeEntry

from .onboarding import team_progress

WEEKS = 12
QUIET_DAYS = 14
FORGOTTEN_AFTER = timedelta(hours=12)


def may_see_usage(user) -> bool:
    return bool(user.is_active and user.role in (Role.ADMIN, Role.MANAGER))


@dataclass(frozen=True)
class TeamWeeks:
    team: str
    members: int
    weeks: list[int]  # active trackers per week, oldest first


def _scope(viewer) -> tuple[list[Team], object]:
    """(the teams, a queryset of the people) the viewer may see usage of."""
    if viewer.role == Role.ADMIN:
        teams = list(Team.objects.order_by("name"))
        people = User.objects.filter(is_active=True).exclude(role=Role.VIEWER)
    else:
        teams = list(Team.objects.filter(managers=viewer).order_by("name"))
        people = User.objects.filter(is_active=True, teams__in=teams).exclude(role=Role.VIEWER).distinct()
    return teams, people


def usage_overview(*, viewer) -> dict:
    teams, people = _scope(viewer)
    tz = viewer.tzinfo
    today = periods.local_today(viewer)
    first_week = periods.week_start(today) - timedelta(weeks=WEEKS - 1)
    week_starts = [first_week + timedelta(weeks=i) for i in range(WEEKS)]
    since = periods.start_of(first_week, tz)
    team_ids = [t.pk for t in teams]

    active = defaultdict(dict)
    rows = (
        TimeEntry.objects.filter(start__gte=since, user__teams__in=team_ids)
        .annotate(week=TruncWeek("start", tzinfo=tz))
        .values("user__teams", "week")
        .annotate(people=Count("user", distinct=True))
        .order_by()
    )
    for row in rows:
        active[row["user__teams"]][timezone.localtime(row["week"], tz).date()] = row["people"]
    sizes = dict(Team.objects.filter(pk__in=team_ids).annotate(n=Count("members")).values_list("pk", "n"))
    team_weeks = [
        TeamWeeks(team.name, sizes.get(team.pk, 0), [active[team.pk].get(week, 0) for week in week_starts])
        for team in teams
    ]

    entries = TimeEntry.objects.filter(start__gte=since, user__in=people.values("pk"))
    by_source = dict(
        entries.filter(end__isnull=False).values_list("source").annotate(s=Sum("duration_seconds")).order_by()
    )
    total = sum(by_source.values()) or 0
    labels = dict(Source.choices)
    sources = [
        {"source": labels.get(key, key), "hours": round(seconds / 3600, 1), "share": seconds / total if total else 0}
        for key, seconds in sorted(by_source.items(), key=lambda kv: -kv[1])
    ]

    adoption_rows = (
        Integration.objects.filter(is_active=True)
        .values("provider")
        .annotate(
            organisation=Count("pk", filter=Q(owner__isnull=True)),
            personal=Count("pk", filter=Q(owner__in=people.values("pk"))),
        )
        .order_by("provider")
    )
    linked = people.aggregate(
        slack=Count("pk", filter=~Q(slack_user_id="")), github=Count("pk", filter=~Q(github_username=""))
    )
    adoption = [
        {
            "provider": row["provider"],
            "organisation": bool(row["organisation"]),
            "personal": row["personal"],
            "linked": linked.get(row["provider"]),
        }
        for row in adoption_rows
    ]

    quiet_since = timezone.now() - timedelta(days=QUIET_DAYS)
    quiet = list(
        people.filter(role__in=(Role.MEMBER, Role.MANAGER))
        .annotate(last=Max("time_entries__start"))
        .filter(Q(last__isnull=True) | Q(last__lt=quiet_since))
        .order_by("last", "username")
        .values("pk", "username", "full_name", "last")[:200]
    )
    forgotten = list(
        TimeEntry.objects.filter(
            end__isnull=True, start__lt=timezone.now() - FORGOTTEN_AFTER, user__in=people.values("pk")
        )
        .select_related("user", "project")
        .order_by("start")[:200]
    )
    return {
        "teams": team_weeks,
        "week_starts": week_starts,
        "sources": sources,
        "adoption": adoption,
        "quiet": quiet,
        "quiet_days": QUIET_DAYS,
        "forgotten": forgotten,
        "forgotten_hours": int(FORGOTTEN_AFTER.total_seconds() // 3600),
        "people": people.count(),
        "onboarding": team_progress(teams),
        "features": [{"label": u.label, "count": u.count(people.values("pk"))} for u in health.usage()],
    }
