"""The first-week checklist of a new member: shown on the dashboard until done or dismissed.

Steps: set (or confirm) the time zone, track a first entry, link Slack or GitHub when the installation has them,
open the team's reports. What the person's own data tells (an entry, a linked account, a time zone other than the
installation's) counts as done without a click; the rest is recorded in `OnboardingProgress`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Role, Team, User
from integrations.models import Integration
from tracking.models import TimeEntry

from .models import OnboardingProgress

# People who joined longer ago than this are not new: they never see the checklist.
NEW_FOR = timedelta(days=30)
STEP_TIMEZONE = "timezone"
STEP_FIRST_ENTRY = "first_entry"
STEP_LINK = "link_account"
STEP_REPORTS = "reports"
LINKABLE = ("slack", "github")


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    steps: list[Step]
    template: str = "monitoring/_onboarding.html"

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)


def linkable_providers() -> list[str]:
    """Slack and GitHub, when set up organisation-wide and active (only then can a person link their account)."""
    return sorted(
        Integration.objects.filter(provider__in=LINKABLE, owner__isnull=True, is_active=True).values_list(
            "provider", flat=True
        )
    )


def _timezone_done(user, progress) -> bool:
    return bool(progress and progress.timezone_confirmed_at) or user.timezone != settings.TIME_ZONE


def _linked(user, providers: list[str]) -> bool:
    return ("slack" in providers and bool(user.slack_user_id)) or ("github" in providers and bool(user.github_username))


def checklist_for(user) -> Checklist | None:
    """The checklist to show `user` now, or None (not new, not someone who tracks, done or dismissed)."""
    if not user.is_authenticated or user.role not in (Role.MEMBER, Role.MANAGER):
        return None
    if user.date_joined < timezone.now() - NEW_FOR:
        return None
    progress = OnboardingProgress.objects.filter(user=user).first()
    if progress and (progress.dismissed_at or progress.completed_at):
        return None
    providers = linkable_providers()
    steps = [
        Step(STEP_TIMEZONE, f"Check your time zone (now {user.timezone})", _timezone_done(user, progress)),
        Step(STEP_FIRST_ENTRY, "Track your first time entry", TimeEntry.objects.filter(user=user).exists()),
    ]
    if providers:
        names = " or ".join(p.title() if p != "github" else "GitHub" for p in providers)
        steps.append(Step(STEP_LINK, f"Link your {names} account", _linked(user, providers)))
    steps.append(Step(STEP_REPORTS, "Find your team's reports", bool(progress and progress.reports_opened_at)))
    if all(step.done for step in steps):
        OnboardingProgress.objects.update_or_create(user=user, defaults={"completed_at": timezone.now()})
        return None
    return Checklist(steps)


@transaction.atomic
def onboarding_step_done(*, actor, step: str) -> None:
    """Record a step only a click can tell (the time zone is right, the reports were opened)."""
    field = {STEP_TIMEZONE: "timezone_confirmed_at", STEP_REPORTS: "reports_opened_at"}.get(step)
    if field is None:
        raise ValueError(f"unknown step {step!r}")
    OnboardingProgress.objects.update_or_create(user=actor, defaults={field: timezone.now()})


@transaction.atomic
def onboarding_dismiss(*, actor) -> None:
    OnboardingProgress.objects.update_or_create(user=actor, defaults={"dismissed_at": timezone.now()})


def team_progress(teams: list[Team]) -> list[dict]:
    """Per team: new members (joined within NEW_FOR) and how many finished their checklist — in two queries."""
    since = timezone.now() - NEW_FOR
    providers = linkable_providers()
    linked = Q()
    if "slack" in providers:
        linked |= ~Q(slack_user_id="")
    if "github" in providers:
        linked |= ~Q(github_username="")
    progress = OnboardingProgress.objects.filter(user=OuterRef("pk"))
    people = User.objects.filter(
        teams__in=teams, date_joined__gte=since, is_active=True, role__in=(Role.MEMBER, Role.MANAGER)
    ).annotate(
        tracked=Exists(TimeEntry.objects.filter(user=OuterRef("pk"))),
        completed=Exists(progress.filter(completed_at__isnull=False)),
        confirmed_tz=Exists(progress.filter(timezone_confirmed_at__isnull=False)),
        opened_reports=Exists(progress.filter(reports_opened_at__isnull=False)),
    )
    if providers:
        people = people.annotate(is_linked=Exists(User.objects.filter(linked, pk=OuterRef("pk"))))
    fields = ["teams", "tracked", "completed", "confirmed_tz", "opened_reports", "timezone"]
    people = people.values(*fields, *(["is_linked"] if providers else []))
    rows = {team.pk: {"team": team.name, "new": 0, "done": 0, "tracked": 0} for team in teams}
    for person in people:
        row = rows.get(person["teams"])
        if row is None:
            continue
        row["new"] += 1
        row["tracked"] += person["tracked"]
        tz_done = person["confirmed_tz"] or person["timezone"] != settings.TIME_ZONE
        all_done = tz_done and person["tracked"] and person["opened_reports"] and (not providers or person["is_linked"])
        row["done"] += bool(person["completed"] or all_done)
    return list(rows.values())
