"""The entry list's totals count a running timer up to now; a member with none running is not looked up for one
among their entries (the timer bar's read answers it: one query less)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


def _summary(page: str) -> str:
    return page.split('id="entries-summary"', 1)[1].split("</p>", 1)[0]


def _list(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("entry_list"))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("role", ["member", "manager"])
def test_the_totals_count_a_running_timer_and_skip_the_search_without_one(client_for, request, project, role):
    person = request.getfixturevalue(role)
    now = datetime.now(UTC).replace(microsecond=0)
    TimeEntryFactory(user=person, project=project, start=now - timedelta(days=1), end=now - timedelta(hours=23))
    client = client_for(person)
    _list(client)  # the session's first use writes
    idle_page, idle_queries = _list(client)
    assert "<strong>1h</strong>" in _summary(idle_page)

    TimeEntryFactory(user=person, project=project, start=now - timedelta(hours=2), end=None)
    running_page, running_queries = _list(client)
    summary = _summary(running_page)
    assert "<strong>3h</strong>" in summary or "<strong>3h 01m</strong>" in summary, summary
    # A member's list looks for running timers among their entries only when the timer bar found theirs running.
    assert running_queries == idle_queries + (1 if role == "member" else 0)
