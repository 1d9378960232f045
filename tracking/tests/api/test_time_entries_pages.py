"""The time-entry list's pages: cursor links through the (start, id) order, jumps by page, a bounded count."""

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from timetracker.api import pagination
from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/time-entries/"


@pytest.fixture
def entries(member, project):
    """11 entries, three of them starting at the same moment (the id breaks the tie)."""
    base = datetime(2026, 3, 2, 9, tzinfo=UTC)
    starts = [base + timedelta(hours=h) for h in range(8)] + [base + timedelta(hours=3)] * 3
    made = [
        TimeEntryFactory(user=member, project=project, start=s, end=s + timedelta(minutes=30), duration_seconds=1800)
        for s in starts
    ]
    return sorted(made, key=lambda e: (e.start, e.pk))


def _path(url: str) -> str:
    return url[url.index("/api/") :]


def _walk(client, url, link):
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += [r["id"] for r in body["results"]]
        url = body[link] and _path(body[link])
        pages += 1
        assert pages < 20
    return seen, body


@pytest.mark.parametrize(("ordering", "newest_first"), [("", True), ("&ordering=start", False)])
def test_next_links_walk_every_entry_once_in_order_and_previous_links_walk_back(
    api_as, member, entries, ordering, newest_first
):
    client = api_as(member)
    expected = [e.pk for e in (reversed(entries) if newest_first else entries)]
    seen, last = _walk(client, f"{URL}?page_size=3{ordering}", "next")
    assert seen == expected
    assert last["next"] is None and "cursor=" in last["previous"]
    back, first = _walk(client, _path(last["previous"]), "previous")
    assert back == [pk for chunk in _chunks(expected[: len(expected) - len(last["results"])]) for pk in chunk]
    assert first["previous"] is None


def _chunks(ids):
    """The pages walked backwards from the last page: each page of 3 in order, the pages last to first."""
    pages = [ids[i : i + 3] for i in range(0, len(ids), 3)]
    return list(reversed(pages))


def test_a_cursor_keeps_the_filters(api_as, member, entries, other_member, project):
    TimeEntryFactory(user=other_member, project=project)
    client = api_as(member)
    body = client.get(f"{URL}?page_size=2&user={member.pk}").json()
    assert f"user={member.pk}" in body["next"]
    assert all(r["user"] == member.pk for r in client.get(_path(body["next"])).json()["results"])


def test_page_numbers_still_jump(api_as, member, entries):
    body = api_as(member).get(f"{URL}?page_size=3&page=2").json()
    assert [r["id"] for r in body["results"]] == [e.pk for e in reversed(entries)][3:6]
    assert body["previous"].endswith("page_size=3") and "cursor=" in body["next"]
    assert api_as(member).get(f"{URL}?page=9").status_code == 404


def test_page_jumps_skip_rows_on_ids_alone_and_join_only_the_page(api_as, member, entries):
    """?page=N counts its OFFSET in a subquery of ids (the index alone, no join per skipped row); every page still
    holds the list's rows in order."""
    client = api_as(member)
    newest_first = [e.pk for e in reversed(entries)]
    for page in range(1, 5):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"{URL}?page_size=3&page={page}").json()
        assert [r["id"] for r in body["results"]] == newest_first[(page - 1) * 3 : page * 3]
        listed = [q["sql"] for q in queries if 'FROM "tracking_timeentry"' in q["sql"] and "LIMIT" in q["sql"]]
        with_offset = [sql for sql in listed if "OFFSET" in sql]
        if page == 1:
            assert not with_offset
        else:
            assert len(with_offset) == 1 and "IN (SELECT" in with_offset[0]
            offset_at = with_offset[0].index("OFFSET")
            assert with_offset[0].count("JOIN", offset_at) == 0  # the joins are outside the subquery


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        _cursor('{"v":["2026-03-02T09:00:00+00:00"],"b":false}'),  # one value short
        _cursor('{"v":["yesterday",1],"b":false}'),
        _cursor('{"v":["2026-03-02T09:00:00+00:00",100000000000000000000000],"b":false}'),
        _cursor('{"v":["2026-03-02T09:00:00+00:00",1],"b":"no"}'),
        _cursor('{"v":["2026-03-02T09:00:00+00:00\\u0000",1],"b":false}'),
        "x" * 600,
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(api_as, member, entries, cursor):
    response = api_as(member).get(f"{URL}?cursor={cursor}")
    assert response.status_code == 400, response.content
    assert "cursor" in response.json()["errors"]


def test_cursor_and_page_together_are_refused(api_as, member, entries):
    body = api_as(member).get(f"{URL}?page_size=2").json()
    response = api_as(member).get(_path(body["next"]) + "&page=2")
    assert response.status_code == 400 and "cursor" in response.json()["errors"]


def test_deep_pages_start_from_the_cursor_not_an_offset(api_as, member, entries, django_assert_max_num_queries):
    client = api_as(member)
    body = client.get(f"{URL}?page_size=2").json()
    for _ in range(3):
        body = client.get(_path(body["next"])).json()
    with CaptureQueriesContext(connection) as queries:
        page = client.get(_path(body["next"])).json()
    entry_queries = [q["sql"] for q in queries if 'FROM "tracking_timeentry"' in q["sql"] and "LIMIT" in q["sql"]]
    assert entry_queries and not any("OFFSET" in sql for sql in entry_queries)
    assert len(page["results"]) == 2
    with django_assert_max_num_queries(len(queries)):  # a deep page costs what the first costs
        client.get(f"{URL}?page_size=2")


def test_count_is_exact_below_the_limit(api_as, member, entries):
    body = api_as(member).get(URL).json()
    assert body["count"] == 11 and body["count_exact"] is True


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="estimates come from PostgreSQL's planner")
def test_above_the_limit_the_count_is_an_estimate(api_as, member, entries, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 5)
    body = api_as(member).get(URL).json()
    assert body["count_exact"] is False and body["count"] >= 6
