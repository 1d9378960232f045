"""Pagination of API lists.

`ApiPagination` (every list): ?page=N&page_size=M (M up to 500), answering {count, next, previous, results}.

`KeysetPagination` (long lists, e.g. time entries): the same answer, plus `count_exact`, and `next` / `previous`
are cursor links (?cursor=…): the next page starts after the last row shown, found through the index on the
list's order, so page 20,000 costs what page 1 costs. ?page=N still jumps to a page (an OFFSET over the
list's ids alone, then only that page's rows are read whole). `count` is exact up to COUNT_EXACT_UP_TO rows;
beyond that it is PostgreSQL's estimate and `count_exact` is false — counting a million visible rows on every
page would cost more than the page.
The view names its order with `keyset = ("start", "id")`; its queryset is ordered on those fields, all
ascending or all descending.
"""

import base64
import binascii
import json
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from timetracker.counting import COUNT_EXACT_UP_TO, bounded_count

from .exceptions import InvalidParameters

MAX_PAGE_SIZE = 500


class ApiPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        """The bounds `base.ApiViewMixin` enforces (a page of 0, or a page size over the maximum, is a 400)."""
        parameters = super().get_schema_operation_parameters(view)
        bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE}}
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


def _encode(values: list, backwards: bool) -> str:
    text = json.dumps({"v": values, "b": backwards}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str, size: int) -> tuple[list, bool]:
    invalid = InvalidParameters({"cursor": ["Not a cursor from this list; follow the next or previous link."]})
    if len(token) > 500:
        raise invalid
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        values, backwards = data["v"], data["b"]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if not isinstance(values, list) or len(values) != size or not isinstance(backwards, bool):
        raise invalid
    for value in values:
        plain = isinstance(value, str) and len(value) <= 64 and "\x00" not in value
        whole = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
        if not (plain or whole):
            raise invalid
    return values, backwards


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


class KeysetPagination(ApiPagination):
    cursor_query_param = "cursor"
    display_page_controls = False

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.fields = tuple(view.keyset)
        ordering = [str(f) for f in queryset.query.order_by]
        self.descending = bool(ordering) and ordering[0].startswith("-")
        size = self.get_page_size(request)
        self.size = size
        token = request.query_params.get(self.cursor_query_param)
        if token is not None and "page" in request.query_params:
            raise InvalidParameters({"cursor": ["Give either cursor or page, not both."]})
        self.count, self.count_exact = bounded_count(queryset, COUNT_EXACT_UP_TO)
        if token is None:
            self.page_number = int(request.query_params.get("page", 1))
            offset = (self.page_number - 1) * size
            if offset:
                # A late row lookup: the rows skipped are counted on the list's own table and index alone (no join
                # per skipped row for the related names), and only the page's rows are read whole. Page 200 of a
                # million entries: ~50 ms of joins skipped.
                queryset = queryset.filter(pk__in=queryset.values("pk")[offset : offset + size + 1])
                offset = 0
            rows = list(queryset[offset : offset + size + 1])
            if not rows and self.page_number > 1:
                raise NotFound("Invalid page.")
            self.has_previous = self.page_number > 1
            self.has_next = len(rows) > size
            self.rows = rows[:size]
            return self.rows
        values, backwards = _decode(token, len(self.fields))
        self.page_number = None
        forward_down = self.descending != backwards  # walking towards smaller keys
        try:
            qs = queryset.filter(self._after(values, forward_down))
        except (ValidationError, ValueError, TypeError):
            raise InvalidParameters(
                {"cursor": ["Not a cursor from this list; follow the next or previous link."]}
            ) from None
        if backwards:
            qs = qs.reverse()
        rows = list(qs[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.has_next = more if not backwards else True
        self.has_previous = True if not backwards else more
        self.rows = rows
        return rows

    def _after(self, values: list, down: bool) -> Q:
        """Rows strictly after `values` in the walking direction; the first field bounds the index scan."""
        first, rest = self.fields[0], self.fields[1:]
        op, op_eq = ("lt", "lte") if down else ("gt", "gte")
        tie = Q(**{f"{first}": values[0]})
        for field, value in zip(rest, values[1:], strict=True):
            tie &= Q(**{f"{field}__{op}": value})
        return Q(**{f"{first}__{op_eq}": values[0]}) & (Q(**{f"{first}__{op}": values[0]}) | tie)

    def _key(self, row) -> list:
        return [_plain(getattr(row, field)) for field in self.fields]

    def get_next_link(self):
        if not self.has_next or not self.rows:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.cursor_query_param, _encode(self._key(self.rows[-1]), False))

    def get_previous_link(self):
        if not self.has_previous:
            return None
        url = self.request.build_absolute_uri()
        if self.page_number is not None:  # page mode: the page before, by number
            url = remove_query_param(url, "page")
            return url if self.page_number == 2 else replace_query_param(url, "page", self.page_number - 1)
        if not self.rows:
            return None
        return replace_query_param(url, self.cursor_query_param, _encode(self._key(self.rows[0]), True))

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_exact"] = {
            "type": "boolean",
            "description": f"False when count is an estimate (more than {COUNT_EXACT_UP_TO} rows).",
        }
        schema["properties"]["next"]["description"] = "The next page (a cursor link), or null."
        return schema

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "A position from a next or previous link (instead of page).",
                "schema": {"type": "string"},
            },
        ]
