"""On databases other than PostgreSQL the monthly rollup is not kept: reports read the entries, and
rebuild_rollup says why it does nothing."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tracking.models import EntryMonthRollup
from tracking.reports import report_summary
from tracking.tests.factories import TimeEntryFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL keeps the rollup"),
]


def test_rebuild_rollup_refuses_and_names_the_database():
    with pytest.raises(CommandError, match="PostgreSQL only; this database is sqlite"):
        call_command("rebuild_rollup", stdout=io.StringIO())
    assert not EntryMonthRollup.objects.exists()


def test_a_year_report_reads_the_entries():
    admin = UserFactory(role=Role.ADMIN)
    start = datetime(2026, 3, 10, 9, tzinfo=UTC)
    TimeEntryFactory(user=admin, start=start, end=start + timedelta(hours=2))
    with CaptureQueriesContext(connection) as queries:
        answer = report_summary(viewer=admin, start=date(2026, 1, 1), end=date(2026, 12, 31), group_by="client")
    assert answer["total"]["seconds"] == 7200
    assert not any(EntryMonthRollup._meta.db_table in q["sql"] for q in queries.captured_queries)
