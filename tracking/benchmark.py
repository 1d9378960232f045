"""The benchmark behind `manage.py benchmark`: figures for a running server, never a pass/fail test.

It signs in as generated people (`manage.py generate_load_data`) of the database this process is configured for,
so every server measured must use that same database (and the same SECRET_KEY, for the web pages' sessions):

1. Latency: each request `--requests` times (after one warm-up), p50 and p95 in milliseconds.
2. Throughput: `--clients` threads for `--seconds` each doing timer start+stop cycles (one person each), then
   the same for the admin's entry list: operations per second.

With two servers, each request is timed on one then the other before the next, and the concurrent runs alternate
in halves, so a machine whose load changes during the run slows both alike.
3. Queries: the same requests once more in this process through Django's test client, counting queries
   (CaptureQueriesContext); not timed.
4. Memory: the resident size of the gunicorn workers of `--gunicorn-pid` before and after.

With `--compare URL` the first two run against both servers and a ratio column says how many times faster the
first (`--base`) is. Servers need API_THROTTLE_RATE set empty (no rate limit) for the load to mean anything.
"""

from __future__ import annotations

import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import requests
from celery import current_app
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import SCOPES, Role
from accounts.services import api_token_create

from .load_data import LOAD_PREFIX
from .models import TimeEntry

TIMEOUT = 120


@dataclass
class Request:
    name: str
    as_: str  # "admin" or "member": whose token (API) or session (web)
    path: str
    method: str = "GET"


def _months() -> tuple[date, date, date, date]:
    """The last full month and the last twelve full months."""
    first = timezone.now().date().replace(day=1)
    last_month_end = first - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    year_start = date(last_month_start.year - 1, last_month_start.month, 1) + timedelta(days=31)
    return last_month_start, last_month_end, year_start.replace(day=1), last_month_end


def requests_to_measure() -> list[Request]:
    start, end, year_start, year_end = _months()
    month = f"start={start}&end={end}"
    year = f"start={year_start}&end={year_end}"
    summary = "/api/v1/reports/summary/"
    return [
        Request("API entries, admin, page 1", "admin", "/api/v1/time-entries/"),
        Request("API entries, admin, page 200", "admin", "/api/v1/time-entries/?page=200"),
        Request("API entries, admin, page 200 by cursor", "admin", "cursor:200"),
        Request("API entries, member, page 1", "member", "/api/v1/time-entries/"),
        Request("API month summary, admin, by project", "admin", f"{summary}?{month}&group_by=project"),
        Request("API month summary, admin, person then day", "admin", f"{summary}?{month}&group_by=user&then_by=day"),
        Request("API year summary, admin, by client", "admin", f"{summary}?{year}&group_by=client"),
        Request("API month summary, member", "member", f"{summary}?{month}&group_by=project"),
        Request("web /reports/ last month, admin", "admin", "/reports/?preset=last_month&group_by=project"),
        Request("web dashboard, member", "member", "/"),
        Request("web entries, member", "member", "/entries/"),
        Request("web entries, admin", "admin", "/entries/"),
        Request("web week, member", "member", "/entries/week/"),
        Request("API timer start", "member", "/api/v1/timer/start/", "POST"),
        Request("API timer stop", "member", "/api/v1/timer/stop/", "POST"),
    ]  # fmt: skip


class People:
    """Tokens and web sessions of the generated admin and members (created here, in the shared database)."""

    def __init__(self, members_needed: int):
        users = get_user_model().objects.filter(username__startswith=f"{LOAD_PREFIX}-", is_active=True)
        self.admin = users.filter(role=Role.ADMIN).order_by("pk").first()
        members = list(users.filter(role=Role.MEMBER).order_by("pk")[: members_needed + 1])
        if self.admin is None or len(members) < members_needed + 1:
            raise LookupError("No generated data here: run manage.py generate_load_data first.")
        self.member, self.cyclers = members[0], members[1:]
        self.project = {}
        for user in [self.member, *self.cyclers]:
            last = TimeEntry.objects.filter(user=user).order_by("-start").values_list("project_id", flat=True)
            self.project[user.pk] = last.first()
        self.tokens = {}
        for user in [self.admin, self.member, *self.cyclers]:
            _, raw = api_token_create(actor=user, name="benchmark", scopes=[s for s in SCOPES if s != "admin"])
            self.tokens[user.pk] = raw
        self.sessions = {user.pk: self._session(user) for user in (self.admin, self.member)}

    @staticmethod
    def _session(user) -> str:
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    def user(self, who: str):
        return self.admin if who == "admin" else self.member

    def http(self, base: str, user, *, web: bool = False) -> requests.Session:
        """A client as people use them: the API with a token alone, the web pages with a session cookie alone."""
        session = requests.Session()
        if not web:
            session.headers["Authorization"] = f"Bearer {self.tokens[user.pk]}"
        else:
            host = base.split("://", 1)[1].split("/", 1)[0].split(":")[0]
            session.cookies.set(settings.SESSION_COOKIE_NAME, self.sessions[user.pk], domain=host)
        return session


def _stop(session: requests.Session, base: str) -> None:
    session.post(f"{base}/api/v1/timer/stop/", timeout=TIMEOUT)


def _prepare(session: requests.Session, base: str, request: Request) -> str | None:
    """The URL to time (None when this server has no such request)."""
    if request.path.startswith("cursor:"):
        page = int(request.path.split(":")[1])
        body = session.get(f"{base}/api/v1/time-entries/?page={page - 1}", timeout=TIMEOUT).json()
        link = body.get("next") or ""
        return link if "cursor=" in link else None
    return f"{base}{request.path}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure_latency(base: str, people: People, runs: int, names: set[str]) -> dict[str, tuple[float, float] | None]:
    """{request name: (p50 ms, p95 ms)} of the requests named — None when the server has no such request or it
    failed."""
    figures: dict[str, tuple[float, float] | None] = {}
    sessions = {
        (who, web): people.http(base, people.user(who), web=web) for who in ("admin", "member") for web in (False, True)
    }
    _stop(sessions["member", False], base)
    for request in requests_to_measure():
        session = sessions[request.as_, not request.path.startswith(("/api/", "cursor:"))]
        if request.method == "POST" or request.name not in names:
            continue
        url = _prepare(session, base, request)
        if url is None:
            figures[request.name] = None
            continue
        times = []
        for number in range(runs + 1):
            began = time.perf_counter()
            response = session.get(url, timeout=TIMEOUT)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                times = []
                break
            if number:  # the first is a warm-up
                times.append(elapsed)
        figures[request.name] = (statistics.median(times), _percentile(times, 0.95)) if times else None
    if "API timer start" not in names:
        return figures
    # The timer: start and stop alternately, each timed.
    project = people.project[people.member.pk]
    starts, stops = [], []
    session = sessions["member", False]
    for number in range(runs + 1):
        began = time.perf_counter()
        started = session.post(f"{base}/api/v1/timer/start/", json={"project": project}, timeout=TIMEOUT)
        middle = time.perf_counter()
        stopped = session.post(f"{base}/api/v1/timer/stop/", timeout=TIMEOUT)
        finished = time.perf_counter()
        if started.status_code != 201 or stopped.status_code != 200:
            starts = stops = []
            break
        if number:
            starts.append((middle - began) * 1000)
            stops.append((finished - middle) * 1000)
    for name, times in (("API timer start", starts), ("API timer stop", stops)):
        figures[name] = (statistics.median(times), _percentile(times, 0.95)) if times else None
    return figures


def _run(clients: int, seconds: float, work) -> tuple[float, int]:
    """`clients` threads repeating `work(index)`'s step for `seconds`: (steps per second, failed steps)."""
    done = [0] * clients
    errors = [0] * clients
    deadline = time.perf_counter() + seconds

    def worker(index):
        session, step = work(index)
        while time.perf_counter() < deadline:
            if step(session):
                done[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return sum(done) / elapsed, sum(errors)


def _cycle(base: str, people: People):
    """A client starting and stopping one person's timer (its own person: `index`)."""

    def work(index):
        user = people.cyclers[index]
        session = people.http(base, user)
        _stop(session, base)
        project = people.project[user.pk]

        def step(session):
            one = session.post(f"{base}/api/v1/timer/start/", json={"project": project}, timeout=TIMEOUT)
            two = session.post(f"{base}/api/v1/timer/stop/", timeout=TIMEOUT)
            return one.status_code == 201 and two.status_code == 200

        return session, step

    return work


def _listing(base: str, people: People):
    """A client reading the admin's first page of entries."""

    def work(index):
        session = people.http(base, people.admin)

        def step(session):
            return session.get(f"{base}/api/v1/time-entries/", timeout=TIMEOUT).status_code == 200

        return session, step

    return work


def measure_throughput(base: str, people: People, clients: int, seconds: float) -> dict[str, float]:
    """Operations per second with `clients` threads: timer cycles (one person each), then admin list pages."""
    results = {}
    results["timer cycles/s"], results["timer errors"] = _run(clients, seconds, _cycle(base, people))
    results["entry list pages/s"], results["list errors"] = _run(clients, seconds, _listing(base, people))
    return results


def soak(base: str, people: People, clients: int, seconds: float, gunicorn_pid: int | None, every: float = 60):
    """A long load (half the clients cycling timers, half listing entries, in turns of `every` seconds) with the
    workers' resident memory read before and after each turn: [(seconds elapsed, {pid: KiB}, operations/s)]."""
    samples = [(0.0, worker_rss(gunicorn_pid) if gunicorn_pid else {}, 0.0)]
    cyclers, listers = max(1, clients // 2), max(1, clients - clients // 2)
    cycle, listing = _cycle(base, people), _listing(base, people)
    began = time.perf_counter()
    while (left := seconds - (time.perf_counter() - began)) > 0:
        turn = min(every, left)
        rates = {}

        def part(name, count, work, turn=turn, rates=rates):
            rates[name] = _run(count, turn, work)[0]

        threads = [
            threading.Thread(target=part, args=("cycles", cyclers, cycle)),
            threading.Thread(target=part, args=("lists", listers, listing)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        rss = worker_rss(gunicorn_pid) if gunicorn_pid else {}
        samples.append((time.perf_counter() - began, rss, rates.get("cycles", 0) * 2 + rates.get("lists", 0)))
    return samples


@contextmanager
def _tasks_queued():
    """Tasks sent to a broker, not run: without REDIS_URL, Celery's in-memory transport takes them, so a request is
    counted up to its response (the in-process run of a notice after the response is not the request's)."""
    app = current_app
    if not app.conf.task_always_eager:
        yield
        return
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    app._pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None


def count_queries(people: People) -> dict[str, int]:
    """Queries per request, through Django's test client in this process (the code of this checkout): API requests
    with the token alone, web pages with the session alone, as people send them; tasks queued, not run."""
    counts = {}
    clients = {}
    for who in ("admin", "member"):
        clients[who, False] = Client(HTTP_AUTHORIZATION=f"Bearer {people.tokens[people.user(who).pk]}")
        web = clients[who, True] = Client()
        web.force_login(people.user(who))
    clients["member", False].post("/api/v1/timer/stop/")
    # The admin token's once-a-minute last_used_at write happens here, not in the first request counted.
    clients["admin", False].get("/api/v1/time-entries/?page_size=1")
    for request in requests_to_measure():
        path = request.path
        client = clients[request.as_, not path.startswith(("/api/", "cursor:"))]
        if path.startswith("cursor:"):
            body = client.get(f"/api/v1/time-entries/?page={int(path.split(':')[1]) - 1}").json()
            if "cursor=" not in (body.get("next") or ""):
                continue
            path = body["next"][body["next"].index("/api/") :]
        data = {"project": people.project[people.member.pk]} if path.endswith("/start/") else None
        with _tasks_queued(), CaptureQueriesContext(connection) as queries:
            if request.method == "POST":
                response = client.post(path, data=data, content_type="application/json")
            else:
                response = client.get(path)
        counts[request.name] = len(queries) if response.status_code < 400 else -response.status_code
    return counts


def machine_speed() -> tuple[float, float]:
    """(ms for a fixed pure-Python loop, ms for PostgreSQL or SQLite to count the entries), the best of three: a
    yardstick printed with the figures, so that absolute times from different machines (or the same machine
    under different load) can be read side by side."""
    loops, counts = [], []
    for _ in range(3):
        began = time.perf_counter()
        total = 0
        for number in range(2_000_000):
            total += number
        loops.append(time.perf_counter() - began)
        began = time.perf_counter()
        TimeEntry.objects.order_by().count()
        counts.append(time.perf_counter() - began)
    return min(loops) * 1000, min(counts) * 1000


def worker_rss(master_pid: int) -> dict[int, int]:
    """{worker pid: resident KiB} of a gunicorn master's children."""
    children = []
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children += [int(pid) for pid in (task / "children").read_text().split()]
    rss = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1])
    return rss


def cleanup(people: People) -> None:
    """Revoke the benchmark's tokens and sessions; stop timers it left running."""
    from django.contrib.sessions.models import Session

    from accounts.models import ApiToken

    ApiToken.objects.filter(name="benchmark", owner__username__startswith=f"{LOAD_PREFIX}-").delete()
    Session.objects.filter(session_key__in=people.sessions.values()).delete()
