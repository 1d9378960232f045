"""Every page and list answers in a bounded number of queries, and the number does not grow with the data.

The data comes from generate_load_data (the benchmark's data, small): teams, restricted projects, tags, running
timers. Each request is counted, then more people, projects, tags and entries are added and it is counted again.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import SCOPES, Role, User
from accounts.services import api_token_create
from accounts.tests.factories import UserFactory
from tests.brokers import broker
from timetracker import counting
from tracking.load_data import generate_load_data
from tracking.models import EntryMonthRollup, TimeEntry
from tracking.tests.factories import ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

ROLLUP = EntryMonthRollup._meta.db_table

UNTIL = datetime.now(UTC).date()
LAST_MONTH = (UNTIL.replace(day=1) - timedelta(days=1)).replace(day=1)
MONTH = f"start={LAST_MONTH}&end={UNTIL.replace(day=1) - timedelta(days=1)}"
YEAR = f"start={UNTIL - timedelta(days=365)}&end={UNTIL}"

# (name, whose, path, most queries allowed). What features added to a page's count, where it is inherent to them:
# saved reports' panels (dashboard +2: popular in your teams, comment notices; reports +2: matching/popular/recent
# saved reports, annotations), the first-week checklist (dashboard +3 in a newcomer's first week: progress, linkable
# integrations, first entry), approvals (entries +1: locked periods and approved weeks, one read; week +2: locked
# periods, approved weeks or whether approvals are on), day groups (entries +1: the days' totals), the editable week
# (+1: the projects to add a row for), recent entries edited in place (dashboard +1: locked periods and approved
# weeks, one read, so that locked rows are shown read-only).
# The web report's chart costs nothing when the table reads the entries (its days or weeks are summed from the
# table's own aggregate) and +1 on PostgreSQL when the table reads the monthly rollup (the days from the entries).
# The entry list's filter choices read no project teams or members (-2); the dashboard's day and week totals are one
# aggregate (-1); a member's list with no timer running does not look for one among their entries (-1); the entry
# list's bulk select and rows' picker take the project filter's rows (-1).
PAGES = [
    ("dashboard", "member", "/", 15),
    ("entries", "member", "/entries/", 13),
    ("entries", "admin", "/entries/", 15),
    ("entries page 2", "manager", "/entries/?page=2", 16),
    ("week", "member", "/entries/week/", 7),
    ("week of a team member", "manager", "/entries/week/?user={member}", 9),
    ("reports", "admin", "/reports/?preset=last_month&group_by=project", 15),
    ("reports two levels", "manager", "/reports/?preset=last_month&group_by=user&then_by=day", 13),
    ("reports by tag", "admin", "/reports/?preset=last_month&group_by=tag&then_by=project", 15),
    ("API entries", "admin", "/api/v1/time-entries/", 4),
    ("API entries", "member", "/api/v1/time-entries/", 4),
    ("API entries by tag", "manager", "/api/v1/time-entries/?tag=load-tag-01", 4),
    ("API month summary", "admin", f"/api/v1/reports/summary/?{MONTH}&group_by=project", 4),
    ("API person then day", "admin", f"/api/v1/reports/summary/?{MONTH}&group_by=user&then_by=day", 4),
    ("API year by client", "admin", f"/api/v1/reports/summary/?{YEAR}&group_by=client", 4),
    ("API member summary", "member", f"/api/v1/reports/summary/?{MONTH}&group_by=task&then_by=tag", 7),
    ("API projects", "admin", "/api/v1/projects/", 5),
    ("API tasks", "member", "/api/v1/tasks/", 3),
    ("API timer", "member", "/api/v1/timer/", 2),
]


@pytest.fixture
def people(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.API_THROTTLE_RATE = None
    generate_load_data(entries=600, users=24, years=1, seed=5, until=UNTIL)
    member = User.objects.filter(role=Role.MEMBER, username__startswith="load-").order_by("pk").first()
    manager = User.objects.get(managed_teams__members=member)
    return {"admin": User.objects.get(username="load-00000"), "manager": manager, "member": member}


def _client(user, api: bool) -> Client:
    """A client with a token (API) or signed in (web pages), as people use them."""
    if not api:
        client = Client()
        client.force_login(user)
        return client
    _, raw = api_token_create(actor=user, name="count", scopes=[s for s in SCOPES if s != "admin"])
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def _more_data(people):
    """Another person in the member's team, new projects, tasks and tags, and entries on all of them."""
    team = people["member"].teams.first()
    newcomer = UserFactory(role=Role.MEMBER)
    team.members.add(newcomer)
    start = datetime.combine(LAST_MONTH, datetime.min.time(), tzinfo=UTC) + timedelta(days=3, hours=8)
    for number in range(6):
        project = ProjectFactory()
        task = TaskFactory(project=project)
        for user in (people["member"], newcomer, people["admin"]):
            begin = start + timedelta(days=number, hours=len(str(user.pk)) % 3)
            entry = TimeEntryFactory(user=user, project=project, task=task, start=begin, end=begin + timedelta(hours=1))
            entry.tags.add(TagFactory(), TagFactory())


def test_query_counts_are_bounded_and_do_not_grow_with_the_data(people):
    clients = {(who, api): _client(user, api) for who, user in people.items() for api in (True, False)}
    paths = [(name, who, path.format(member=people["member"].pk), bound) for name, who, path, bound in PAGES]

    def counts():
        return {(n, who): _count(clients[who, path.startswith("/api/")], path) for n, who, path, _ in paths}

    counts()  # first uses write once (a token's last use, a session)
    before = counts()
    _more_data(people)
    after = counts()
    over = {key: count for (key, count), (*_, bound) in zip(after.items(), paths, strict=True) if count > bound}
    assert not over, f"more queries than allowed: {over}"
    assert after == before, "the number of queries grew with the data"
    assert TimeEntry.objects.count() > 600


def _timer_client(people):
    member = people["member"]
    client = _client(member, api=True)  # the token alone, as an API client sends it
    client.post("/api/v1/timer/stop/")
    project = TimeEntry.objects.filter(user=member).values_list("project_id", flat=True).first()
    return client, project


def _timer_request(client, action, project, expect_running):
    if action == "stop" and not expect_running:
        client.post("/api/v1/timer/start/", {"project": project}, content_type="application/json")
    return client.post(f"/api/v1/timer/{action}/", {"project": project}, content_type="application/json")


# Outside a test transaction (as a server runs: no savepoints), with the token alone, up to the response; Django
# counts BEGIN and COMMIT. The start: the token, the project, the person's lock, one read for locked time and
# approved weeks, one for another running timer and overlaps, the insert. The stop: the token, the lock, the running
# entry read with its locked span, the next entry and (PostgreSQL) its tags, the update. SQLite takes no lock, and
# reads the stopped entry's tags apart.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("action", "bound"), [("start", 8), ("stop", 6)])
def test_the_timer_answers_in_a_bounded_number_of_queries_with_a_broker(
    people, action, bound, django_assert_max_num_queries
):
    """With a broker, the activity log line and the Slack notice are tasks, queued (Celery's in-memory transport
    here), not run in the request."""
    client, project = _timer_client(people)
    if action == "stop":
        _timer_request(client, "start", project, expect_running=False)
    with broker("memory://"), django_assert_max_num_queries(bound):
        response = _timer_request(client, action, project, expect_running=True)
    assert response.status_code in (200, 201), response.content


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("action", "bound"), [("start", 10), ("stop", 8)])
def test_without_a_broker_the_work_after_the_response_adds_two_queries(
    people, action, bound, django_assert_max_num_queries
):
    """Without a broker the tasks run in-process after the response (Django's test client runs that work before
    returning): the activity log line is written, and the Slack notice reads whether Slack is set up, once."""
    client, project = _timer_client(people)
    if action == "stop":
        _timer_request(client, "start", project, expect_running=False)
    with django_assert_max_num_queries(bound):
        response = _timer_request(client, action, project, expect_running=True)
    assert response.status_code in (200, 201), response.content


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL's planner")
def test_a_very_long_entry_list_shows_an_estimate_and_no_totals(people, monkeypatch):
    monkeypatch.setattr(counting, "COUNT_EXACT_UP_TO", 50)
    page = _client(people["admin"], api=False).get("/entries/").content.decode()
    assert "About " in page and "narrow the dates or filters to see their totals" in page
    few = _client(people["member"], api=False).get(f"/entries/?start={LAST_MONTH}").content.decode()
    assert "About " not in few and "billable" in few


def _entry_reads(queries) -> list[str]:
    """The queries that read the entries of a period (aggregates, the period's running timers): a range of starts."""
    return [q["sql"] for q in queries if '"tracking_timeentry"."start" >=' in q["sql"]]


@pytest.mark.parametrize(
    ("question", "bound"),
    [("preset=last_month&group_by=project", 14), ("preset=last_month&group_by=user&then_by=day", 14),
     ("preset=last_month&group_by=tag", 15), ("preset=this_year&group_by=client", 14)],
)  # fmt: skip
def test_the_report_page_reads_the_entries_once_for_its_table_and_its_chart(
    people, question, bound, django_assert_max_num_queries
):
    """One aggregate for the table and the time chart (days, or weeks beyond two months), one for the running
    timers; a tag level adds the pass that counts an entry once. On PostgreSQL a table the monthly rollup answers
    (by project, client or person alone) reads it, and the chart's days or weeks in a pass of their own."""
    rollup = connection.vendor == "postgresql" and "then_by" not in question and "tag" not in question
    client = _client(people["admin"], api=False)
    client.get(f"/reports/?{question}")
    with django_assert_max_num_queries(bound + rollup) as queries:
        response = client.get(f"/reports/?{question}")
    assert response.status_code == 200
    assert response.context["chart"]["time"]["labels"]
    assert len(_entry_reads(queries.captured_queries)) == (3 if "tag" in question else 2) + rollup
    assert any(ROLLUP in q["sql"] for q in queries.captured_queries) is rollup


def test_the_api_person_then_day_summary_answers_in_four_queries(people, django_assert_max_num_queries):
    """The token, the running timers, the aggregate (the rate joined), the people's names."""
    client = _client(people["admin"], api=True)
    client.get(f"/api/v1/reports/summary/?{MONTH}&group_by=user&then_by=day")
    with django_assert_max_num_queries(4) as queries:
        response = client.get(f"/api/v1/reports/summary/?{MONTH}&group_by=user&then_by=day")
    assert response.status_code == 200 and len(response.json()["groups"]) > 10
    assert len(_entry_reads(queries.captured_queries)) == 2
