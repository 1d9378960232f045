"""Reads on the hot path built by the ORM once per process, then run again with other values: `PreparedRead`.

Building and compiling a queryset costs more CPU than PostgreSQL spends answering it when the query has subqueries
and joins (the timer stop's read: ~6 ms of Python on a slow core, the answer ~0.3 ms). A `PreparedRead` wraps a
function that builds a `.values(...)` queryset from keyword values (and, positionally, what shapes the SQL itself).
The first time a shape runs, it is built twice with marker values standing in for the real ones and compiled; the SQL
is kept with, for each parameter, the constant the ORM put there or the name of the value that goes there. Later runs
execute that SQL with the values in their places and convert the rows with the compiler's converters, so each row is
the dict `.values()` would have given.

Only on PostgreSQL, where the ORM hands ints, texts, dates and aware datetimes to the driver unchanged (so a value can
take its marker's place as it is); other databases run the built queryset itself. Texts are compared exactly: a
lookup that rewrites its text (`contains`) leaves no marker behind and is refused. Whatever changes the SQL's text (a
time zone, whether a filter is there at all) belongs in the `shape`: the build function's positional arguments, one
compiled query kept per shape. A shape whose markers do not each land in the parameters as themselves, or whose two
builds differ otherwise, is refused with an error, never run. Tests compare the kept SQL and parameters with a fresh
build's (tracking/tests/test_prepared_reads.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet


class _Slot:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple  # constants, and _Slot where a value goes
    names: tuple[str, ...]
    converters: tuple  # (position, (converter functions, expression)) as the compiler lists them


def _markers(values: dict, offset: int) -> dict:
    """A stand-in for each value, of its type, unlike any constant a query holds and unlike each other."""
    markers = {}
    for i, (name, value) in enumerate(sorted(values.items())):
        n = offset + i
        if isinstance(value, bool) or value is None:
            raise TypeError(
                f"{name}: a prepared read takes ints, texts, dates and datetimes; {value!r} goes in the shape"
            )
        if isinstance(value, int):
            markers[name] = 1_900_000_017 + 7919 * n  # within a 32-bit column's range (no overflow shortcut)
        elif isinstance(value, datetime):
            markers[name] = datetime(1903, 3, 5, 7, 11, 13, tzinfo=UTC) + timedelta(seconds=97 * n)
        elif isinstance(value, date):
            markers[name] = date(1904, 2, 29) + timedelta(days=n)
        elif isinstance(value, str):
            markers[name] = f"\x1bprepared-marker-{n}"  # only an exact match passes a text as it is
        else:
            raise TypeError(
                f"{name}: a prepared read takes ints, texts, dates and datetimes, not {type(value).__name__}"
            )
    return markers


def _slot(by_marker: dict, param):
    try:
        name = by_marker.get((type(param), param))
    except TypeError:  # unhashable (a list): a constant
        name = None
    return param if name is None else _Slot(name)


def _compile(queryset: QuerySet):
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


class PreparedRead:
    def __init__(self, build: Callable[..., QuerySet], *, unused_values: bool = False):
        """`unused_values`: a shape may leave a value out of its SQL (an access rule that reads the viewer's id for
        some roles only), as long as its two builds, with different markers, send the very same SQL and parameters."""
        self.build = build
        self.unused_values = unused_values
        self._compiled: dict[tuple, _Compiled] = {}

    def _prepare(self, shape: tuple, values: dict) -> _Compiled:
        first, second = _markers(values, 0), _markers(values, len(values))
        compiler, sql, params = _compile(self.build(*shape, **first))
        _, sql_again, params_again = _compile(self.build(*shape, **second))
        by_marker = {(type(marker), marker): name for name, marker in first.items()}
        slots = tuple(_slot(by_marker, p) for p in params)
        placed = {slot.name for slot in slots if isinstance(slot, _Slot)}
        expected = tuple(second[s.name] if isinstance(s, _Slot) else s for s in slots)
        complete = placed <= set(values) if self.unused_values else placed == set(values)
        if sql_again != sql or expected != params_again or not complete:
            raise ValueError(f"{self.build.__qualname__} {shape!r}: its values do not each become a parameter")
        query = compiler.query
        # As ValuesIterable names the columns: in the order `.values()` gave them (an annotation may come before a
        # field), else fields then annotations.
        names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        if len(names) != len(fields):
            raise ValueError(f"{self.build.__qualname__} must build a .values() queryset")
        converters = tuple(compiler.get_converters(fields).items())
        return _Compiled(sql, slots, names, converters)

    def rows(self, shape: tuple = (), **values) -> list[dict]:
        """The rows `build(*shape, **values)` answers, as `.values()` dicts."""
        if connection.vendor != "postgresql":
            return list(self.build(*shape, **values))
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compiled[shape] = self._prepare(shape, values)
        params = [values[p.name] if isinstance(p, _Slot) else p for p in compiled.params]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        names, converters = compiled.names, compiled.converters
        out = []
        for row in found:
            if converters:
                row = list(row)
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            out.append(dict(zip(names, row, strict=True)))
        return out

    def sql_with_params(self, shape: tuple = (), **values) -> tuple[str, list]:
        """What `rows` would send (for tests: compared with the built queryset's own)."""
        compiled = self._compiled.get(shape) or self._prepare(shape, values)
        return compiled.sql, [values[p.name] if isinstance(p, _Slot) else p for p in compiled.params]
