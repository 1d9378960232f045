"""Load data for measuring speed: many people, years of time, written in bulk (`manage.py generate_load_data`).

Realistic in shape, not in content: teams with a manager each, clients with projects (a tenth of them restricted
to one team), tasks, tags on a third of the entries, 1–5 entries per working day per person in their own time zone
and never overlapping, a few timers left running. The same arguments (seed and `until` included) give the same
rows. Rows are written with PostgreSQL's COPY (bulk inserts elsewhere), bypassing the services: this is data for a
benchmark, not a record of anyone's work.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import Role, Team

from .models import Client, Project, Source, Tag, Task, TimeEntry

LOAD_PREFIX = "load"
LOAD_PASSWORD = "load-data-1234"  # noqa: S105 - printed on purpose: logins of generated benchmark data
TIME_ZONES = ["Europe/Berlin", "Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata", "Europe/London"]
NOTES = ["", "", "Pairing", "Review", "Fixing bugs", "Planning", "Customer call", "Deploy", "Research", "Support"]
SOURCES = [Source.WEB] * 6 + [Source.API] * 2 + [Source.SLACK, Source.GITHUB]
TEAM_SIZE = 10
BATCH = 20_000


@dataclass(frozen=True)
class LoadSummary:
    users: int
    teams: int
    clients: int
    projects: int
    tasks: int
    tags: int
    entries: int
    running: int
    admin_username: str
    member_username: str
    password: str


class LoadDataExists(Exception):
    """Generated data is already in the database."""


def _working_days(until: date, years: int) -> list[date]:
    first = until - timedelta(days=round(365.25 * years))
    days, day = [], first
    while day < until:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _entries_per_day(rng: random.Random, days: int, total: int) -> list[int]:
    """How many entries on each of `days` working days (0–5 each, spread at random), adding up to `total` (at most
    5 a day)."""
    counts = [0] * days
    open_days = list(range(days))
    for _ in range(min(total, 5 * days)):
        slot = rng.randrange(len(open_days))
        index = open_days[slot]
        counts[index] += 1
        if counts[index] == 5:
            open_days[slot] = open_days[-1]
            open_days.pop()
    return counts


def _copy(model, columns: list[str], rows) -> None:
    """Write rows (tuples in `columns` order) into the model's table: COPY on PostgreSQL, bulk inserts elsewhere."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            names = ", ".join(connection.ops.quote_name(c) for c in columns)
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
        return
    attnames = {f.column: f.attname for f in model._meta.concrete_fields}
    batch = []
    for row in rows:
        batch.append(model(**{attnames[c]: v for c, v in zip(columns, row, strict=True)}))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)


def _reset_sequences(*models) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            query = f"SELECT COALESCE(MAX(id), 0) + 1 FROM {connection.ops.quote_name(table)}"  # noqa: S608
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({query}), false)", [table])


def _created(model, objects) -> list:
    """bulk_create, with the ids PostgreSQL and SQLite return."""
    created = model.objects.bulk_create(list(objects))
    if created and created[0].pk is None:
        raise NotImplementedError("generate_load_data needs a database that returns ids from bulk inserts.")
    return created


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def vacuum_load_data() -> None:
    """VACUUM (ANALYZE) the entry tables on PostgreSQL, outside any transaction: rows just written by COPY have no
    hint bits and no visibility map yet, so the first reads would write them and index-only scans would not pay,
    unlike a database that autovacuum has settled. Measure only after this."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in (TimeEntry, TimeEntry.tags.through))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")  # noqa: S608 -- table names from the models


@transaction.atomic
def generate_load_data(
    *, entries: int, users: int, years: int = 2, seed: int = 1, until: date | None = None, progress=None
) -> LoadSummary:
    """Generate `users` people and about `entries` time entries over `years` years ending the day before `until`
    (default today, UTC). Raises LoadDataExists when generated users are already there."""
    user_model = get_user_model()
    if user_model.objects.filter(username__startswith=f"{LOAD_PREFIX}-").exists():
        raise LoadDataExists("Generated data is already in this database; use an empty database.")
    progress = progress or (lambda message: None)
    rng = random.Random(seed)
    until = until or datetime.now(UTC).date()
    stamp = datetime.combine(until, datetime.min.time(), tzinfo=UTC)
    password = make_password(LOAD_PASSWORD, salt="loaddata")
    # Everyone joined when their history starts: people with years of time are not new (no first-week checklist).
    joined = stamp - timedelta(days=round(365.25 * years))

    # People: one admin, a manager per team of TEAM_SIZE, the rest members (every 25th a viewer).
    people = []
    for number in range(users):
        role = Role.ADMIN if number == 0 else Role.MANAGER if number % TEAM_SIZE == 1 else Role.MEMBER
        if role == Role.MEMBER and number % 25 == 0:
            role = Role.VIEWER
        username = f"{LOAD_PREFIX}-{number:05d}"
        people.append(
            user_model(
                username=username,
                email=f"{username}@load.example.com",
                full_name=f"Person {number:05d}",
                role=role,
                timezone=TIME_ZONES[number % len(TIME_ZONES)],
                password=password,
                date_joined=joined,
            )
        )
    people = _created(user_model, people)
    teams = []
    team_count = max(1, (users - 1) // TEAM_SIZE)
    for number in range(team_count):
        teams.append(Team(name=f"{LOAD_PREFIX} team {number:04d}"))
    teams = _created(Team, teams)
    team_of = {}
    managers, members = [], []
    for number, person in enumerate(people[1:], start=1):
        team = teams[min((number - 1) // TEAM_SIZE, team_count - 1)]
        team_of[person.pk] = team
        link = Team.managers.through if person.role == Role.MANAGER else Team.members.through
        (managers if person.role == Role.MANAGER else members).append(link(team_id=team.pk, user_id=person.pk))
    Team.managers.through.objects.bulk_create(managers)
    Team.members.through.objects.bulk_create(members)
    progress(f"{len(people)} people in {len(teams)} teams")

    # Clients, projects (a tenth restricted to one team), tasks, tags.
    clients = _created(
        Client,
        [
            Client(name=f"{LOAD_PREFIX} client {n:04d}", default_hourly_rate=Decimal(60 + (n % 8) * 10))
            for n in range(max(2, users // 10))
        ],
    )
    projects = []
    for n in range(max(4, (users * 2) // 5)):
        client = clients[n % len(clients)] if n % 7 else None
        projects.append(
            Project(
                name=f"{LOAD_PREFIX} project {n:04d}",
                client=client,
                code=f"LD{n:04d}",
                billable=n % 5 != 0,
                hourly_rate=Decimal(100 + n % 5 * 5) if n % 3 == 0 else None,
                is_public=n % 10 != 9,
            )
        )
    projects = _created(Project, projects)
    restricted = []
    team_projects: dict[int, list[Project]] = {}
    for index, project in enumerate(p for p in projects if not p.is_public):
        team = teams[index % len(teams)]
        restricted.append(Project.teams.through(project_id=project.pk, team_id=team.pk))
        team_projects.setdefault(team.pk, []).append(project)
    Project.teams.through.objects.bulk_create(restricted)
    public = [p for p in projects if p.is_public]
    tasks = _created(
        Task,
        [Task(project=p, name=f"Task {k}", status=Task.Status.IN_PROGRESS) for p in projects for k in range(5)],
    )
    tasks_of: dict[int, list[int]] = {}
    for task in tasks:
        tasks_of.setdefault(task.project_id, []).append(task.pk)
    tags = _created(Tag, [Tag(name=f"{LOAD_PREFIX}-tag-{n:02d}") for n in range(20)])
    tag_ids = [t.pk for t in tags]
    progress(f"{len(clients)} clients, {len(projects)} projects, {len(tasks)} tasks, {len(tags)} tags")

    # Entries: per person, per working day in their time zone, back to back from the morning.
    days = _working_days(until, years)
    trackers = [p for p in people if p.role != Role.VIEWER]
    per_person = entries // max(1, len(trackers))
    extra = entries - per_person * len(trackers)
    entry_id = _next_id(TimeEntry)
    first_entry_id = entry_id
    tag_rows: list[tuple[int, int]] = []
    running = 0
    columns = [
        "id", "user_id", "project_id", "task_id", "start", "end", "duration_seconds", "notes", "billable",
        "source", "external_ref", "created_at", "updated_at",
    ]  # fmt: skip

    def rows():
        nonlocal entry_id, running
        for number, person in enumerate(trackers):
            tz = ZoneInfo(person.timezone)
            mine = public + team_projects.get(team_of.get(person.pk, teams[0]).pk, [])
            own = rng.sample(mine, k=min(len(mine), rng.randint(3, 6)))
            counts = _entries_per_day(rng, len(days), per_person + (1 if number < extra else 0))
            for day, count in zip(days, counts, strict=True):
                if not count:
                    continue
                offset = datetime(day.year, day.month, day.day, 12, tzinfo=tz).utcoffset()
                local = datetime(day.year, day.month, day.day, 8) + timedelta(minutes=rng.choice((0, 15, 30, 45, 60)))
                for _ in range(count):
                    minutes = rng.choice((15, 30, 45, 60, 60, 90, 120, 150, 180))
                    begin = (local - offset).replace(tzinfo=UTC)
                    end = begin + timedelta(minutes=minutes)
                    project = own[rng.randrange(len(own))]
                    project_tasks = tasks_of[project.pk]
                    task = project_tasks[rng.randrange(len(project_tasks))] if rng.random() < 0.7 else None
                    yield (
                        entry_id, person.pk, project.pk, task, begin, end, minutes * 60, rng.choice(NOTES),
                        project.billable, rng.choice(SOURCES), "", end, end,
                    )  # fmt: skip
                    if rng.random() < 0.33:
                        for tag in rng.sample(tag_ids, k=rng.choice((1, 1, 2))):
                            tag_rows.append((entry_id, tag))
                    entry_id += 1
                    local += timedelta(minutes=minutes + rng.choice((0, 0, 15, 30, 60)))
            # A few people left their timer running since the night before `until` (after their last entry).
            if number % 50 == 0 and per_person and (local - offset).replace(tzinfo=UTC) < stamp:
                begin = stamp - timedelta(minutes=rng.choice((1, 5, 30)))
                project = own[0]
                yield (entry_id, person.pk, project.pk, None, begin, None, 0, "", project.billable, Source.WEB, "",
                       begin, begin)  # fmt: skip
                entry_id += 1
                running += 1
            if number % 100 == 99:
                progress(f"entries of {number + 1} people written ({entry_id - first_entry_id})")

    _copy(TimeEntry, columns, rows())
    _copy(TimeEntry.tags.through, ["timeentry_id", "tag_id"], tag_rows)
    _reset_sequences(user_model, Team, Client, Project, Task, Tag, TimeEntry, TimeEntry.tags.through)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    member = next((p for p in people if p.role == Role.MEMBER), people[0])
    return LoadSummary(
        users=len(people),
        teams=len(teams),
        clients=len(clients),
        projects=len(projects),
        tasks=len(tasks),
        tags=len(tags),
        entries=entry_id - first_entry_id,
        running=running,
        admin_username=people[0].username,
        member_username=member.username,
        password=LOAD_PASSWORD,
    )
