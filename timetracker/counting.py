"""Counting rows without counting millions: exact up to a bound, PostgreSQL's estimate above it.

A list of a million visible time entries needs "about 1,000,000" and a next link, not an exact COUNT(*) that
reads every row on every page. Used by the API's keyset pagination and the web entry list.
"""

import json

from django.db import connection

COUNT_EXACT_UP_TO = 10_000


def bounded_count(queryset, exact_up_to: int | None = None) -> tuple[int, bool]:
    """(count, exact) of `queryset`: exact up to `exact_up_to` rows (COUNT_EXACT_UP_TO by default), else the
    planner's estimate (at least one more than the bound). Other databases always count exactly."""
    bound = COUNT_EXACT_UP_TO if exact_up_to is None else exact_up_to
    rows = queryset.order_by().values("pk")
    capped = rows[: bound + 1].count()
    if capped <= bound:
        return capped, True
    if connection.vendor != "postgresql":
        return queryset.count(), True
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return max(bound + 1, int(plan[0]["Plan"]["Plan Rows"])), False
