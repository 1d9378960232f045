"""Demo data for `manage.py quickstart`: a small team, clients, projects, tasks, two weeks of time and their
approval states (approvals turned on for the demo).

Idempotent: users, clients, projects and tasks are looked up by name before they are created, and entries are
only generated for demo users who have none yet. Everything is written through the services.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, Team

from . import services
from .models import Client, Project, Source, Task, TimeEntry, Timesheet
from .periods import local_today, week_start

DEMO_PASSWORD = "demo1234"  # noqa: S105 - printed on purpose: demo logins for a local install


@dataclass(frozen=True)
class DemoLogin:
    username: str
    email: str
    role: str
    password: str


DEMO_USERS = [
    ("admin", "admin@example.com", "Ada Admin", Role.ADMIN, "UTC"),
    ("maria", "maria@example.com", "Maria Manager", Role.MANAGER, "Europe/Berlin"),
    ("sam", "sam@example.com", "Sam Member", Role.MEMBER, "Europe/Berlin"),
    ("alex", "alex@example.com", "Alex Member", Role.MEMBER, "America/New_York"),
    ("vera", "vera@example.com", "Vera Viewer", Role.VIEWER, "Europe/London"),
]

DEMO_CLIENTS = [("Acme Corp", Decimal("95.00")), ("Globex", Decimal("120.00"))]

# name, code, client, billable, color, budget hours, tasks
DEMO_PROJECTS = [
    ("Website redesign", "WEB", "Acme Corp", True, "#2563eb", Decimal("120"), ["Navigation", "Landing page", "QA"]),
    ("Mobile app", "APP", "Acme Corp", True, "#16a34a", Decimal("200"), ["Login screen", "Push notifications"]),
    ("Support", "SUP", "Globex", True, "#db2777", None, ["Tickets", "On-call"]),
    ("Internal", "INT", None, False, "#64748b", None, ["Meetings", "Learning"]),
]

NOTES = ["", "Pairing", "Review", "Fixing bugs", "Planning", "Customer call", "Deploy", "Research"]


@transaction.atomic
def seed_demo(*, days: int = 14, seed: int = 42) -> list[DemoLogin]:
    user_model = get_user_model()
    users = {}
    logins = []
    for username, email, name, role, tz in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, email=email, full_name=name, role=role, timezone=tz)
            user.set_password(DEMO_PASSWORD)
            user.save()
        users[username] = user
        logins.append(DemoLogin(username, user.email, user.role, DEMO_PASSWORD))

    admin = users["admin"]
    team, _ = Team.objects.get_or_create(name="Product team")
    team.managers.add(users["maria"])
    team.members.add(users["sam"], users["alex"], users["vera"])

    clients = {}
    for name, rate in DEMO_CLIENTS:
        client = Client.objects.filter(name=name).first() or services.client_create(
            actor=admin, name=name, default_hourly_rate=rate
        )
        clients[name] = client

    projects = {}
    for name, code, client_name, billable, color, budget, task_names in DEMO_PROJECTS:
        client = clients.get(client_name)
        project = Project.objects.filter(name=name, client=client).first()
        if project is None:
            project = services.project_create(
                actor=admin, name=name, code=code, client=client, billable=billable, color=color, budget_hours=budget
            )
        projects[name] = (project, [])
        for task_name in task_names:
            task = Task.objects.filter(project=project, name=task_name).first() or services.task_create(
                actor=admin, project=project, name=task_name
            )
            projects[name][1].append(task)

    rng = random.Random(seed)
    today = timezone.now().astimezone(timezone.get_default_timezone()).date()
    for username in ("maria", "sam", "alex"):
        user = users[username]
        if TimeEntry.objects.filter(user=user).exists():
            continue
        tz = user.tzinfo
        for offset in range(days, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            cursor = datetime.combine(day, time(9, rng.choice([0, 15, 30])), tzinfo=tz)
            for _ in range(rng.randint(2, 4)):
                project, tasks = projects[rng.choice(list(projects))]
                minutes = rng.choice([30, 45, 60, 90, 120, 150])
                end = cursor + timedelta(minutes=minutes)
                services.time_entry_create(
                    actor=user,
                    project=project,
                    task=rng.choice(tasks) if tasks else None,
                    start=cursor,
                    end=end,
                    notes=rng.choice(NOTES),
                    source=Source.IMPORT,
                )
                cursor = end + timedelta(minutes=rng.choice([0, 15, 30, 60]))
    seed_approvals(admin=admin, manager=users["maria"], members=[users["alex"], users["sam"]], team=team)
    return logins


def seed_approvals(*, admin, manager, members, team) -> None:
    """Approvals on for the demo, required for the Product team: Alex's week before last approved by Maria and last
    week waiting for her; Sam's last week left open, for a visitor to submit. Only once (when no week has a state)."""
    if Timesheet.objects.filter(user__in=members).exists():
        return
    services.approval_settings_update(actor=admin, enabled=True, required_teams=[team])
    alex = members[0]
    last_monday = week_start(local_today(alex)) - timedelta(days=7)
    services.timesheet_submit(actor=alex, week=last_monday - timedelta(days=7))
    services.timesheet_approve(actor=manager, user=alex, week=last_monday - timedelta(days=7), comment="Thanks!")
    services.timesheet_submit(actor=alex, week=last_monday)
