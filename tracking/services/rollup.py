"""The monthly rollup of finished time entries (EntryMonthRollup): rebuilding it from the entries.

PostgreSQL triggers keep the rollup exact on every write (migration 0006); a rebuild is for after a restore that
skipped triggers, or to check it (`manage.py rebuild_rollup`). Other databases do not maintain it.
"""

from __future__ import annotations

from django.db import connection, transaction

from ..models import EntryMonthRollup, TimeEntry


class RollupUnavailable(Exception):
    """The database is not PostgreSQL: the rollup is neither maintained nor read there."""


def rollup_available() -> bool:
    """Whether this database maintains the monthly rollup (PostgreSQL, with its triggers)."""
    return connection.vendor == "postgresql"


@transaction.atomic
def rollup_rebuild() -> int:
    """Recompute the rollup from the entries in one transaction; return how many rows it holds.

    Writes to the entries wait until it commits (SHARE lock), so none is counted twice or missed; reads go on.
    """
    if not rollup_available():
        raise RollupUnavailable(
            f"The monthly rollup is kept on PostgreSQL only; this database is {connection.vendor} and its reports "
            "read the entries."
        )
    rollup = connection.ops.quote_name(EntryMonthRollup._meta.db_table)
    entries = connection.ops.quote_name(TimeEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {entries} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {rollup}")  # noqa: S608 - table names from the models
        cursor.execute(
            f"""INSERT INTO {rollup} (month, user_id, project_id, billable, seconds, entry_count)
                SELECT (date_trunc('month', start AT TIME ZONE 'UTC'))::date, user_id, project_id, billable,
                       sum(duration_seconds), count(*)
                FROM {entries} WHERE "end" IS NOT NULL
                GROUP BY 1, 2, 3, 4"""  # noqa: S608 - table names from the models
        )
        return cursor.rowcount
