"""The API's JSON renderer (orjson) writes exactly what DRF's renderer writes, and falls back to it for the rest."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from django.utils.functional import lazy
from rest_framework.renderers import JSONRenderer as DrfJSONRenderer

from accounts.models import Role
from accounts.tests.factories import UserFactory
from timetracker.api.renderers import JSONRenderer, dumps
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC)


def _drf(data, media_type=None):
    return DrfJSONRenderer().render(data, media_type)


@pytest.fixture
def admin_with_data():
    admin = UserFactory(role=Role.ADMIN, full_name="Zoë “Quotes” O'Brien\u2028line")
    acme = ClientFactory(name="Acme <Ltd> & Sons", default_hourly_rate=Decimal("99.99"))
    project = ProjectFactory(client=acme, name="Wébsite\u2029", hourly_rate=Decimal("12.34"))
    tag = TagFactory(name="ünïcode 🎉")
    for day in range(3):
        start = MONDAY + timedelta(days=day, minutes=7 * day)
        entry = TimeEntryFactory(
            user=admin, project=project, start=start, end=start + timedelta(hours=day + 1, seconds=7),
            notes='say "hi"\\ \t tab\nnewline \x7f =SUM(A1)',
        )  # fmt: skip
        entry.tags.add(tag)
    TimeEntryFactory(user=admin, project=project, start=MONDAY + timedelta(days=4), end=None)
    return admin


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/time-entries/",
        "/api/v1/time-entries/?page_size=2",
        "/api/v1/reports/summary/?start=2026-03-01&end=2026-03-31&group_by=user&then_by=day",
        "/api/v1/reports/summary/?start=2026-03-01&end=2026-03-31&group_by=client&then_by=tag",
        "/api/v1/projects/",
        "/api/v1/clients/",
        "/api/v1/timer/",
        "/api/v1/",
        "/api/v1/reports/summary/?start=2026-02-30",  # an error answer
    ],
)
def test_api_answers_are_drfs_bytes(api_as, admin_with_data, path):
    response = api_as(admin_with_data).get(path)
    assert response["Content-Type"] == "application/json"
    assert dumps(response.data) is not None  # written by orjson, not DRF's fallback
    assert response.content == _drf(response.data)
    if "group_by=user" in path:  # the person's name holds a U+2028: escaped, as DRF does
        assert b"\\u2028" in response.content


def test_values_drf_formats_itself_are_handed_to_drf():
    data = {
        "at": datetime(2026, 3, 2, 9, 0, 0, 123456, tzinfo=UTC),
        "naive": datetime(2026, 3, 2, 9, 0),
        "day": date(2026, 3, 2),
        "clock": time(9, 30, 15, 250000),
        "span": timedelta(hours=1, seconds=3),
        "amount": Decimal("12.30"),
        "id": UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": lazy(lambda: "later", str)(),
        "set": {1},
        "bytes": b"raw",
        "text": "line\u2028separator\u2029paragraph <b>&</b> é 🎉",
        "float": 1.1,
        "nested": [{"a": [1, 2.5, None, True, False]}],
    }
    assert dumps(data) is not None
    assert JSONRenderer().render(data) == _drf(data)
    assert b"\\u2028" in JSONRenderer().render(data) and "\u2028".encode() not in JSONRenderer().render(data)


@pytest.mark.parametrize(
    "data",
    [
        {"big": 2**70},  # beyond 64 bits: orjson refuses it
        {1: "an integer key"},  # orjson wants string keys
        None,
    ],
)
def test_what_orjson_refuses_goes_through_drf(data):
    assert data is None or dumps(data) is None
    assert JSONRenderer().render(data) == _drf(data)


def test_indented_output_is_drfs():
    data = {"a": [1, {"b": "c"}]}
    media_type = "application/json; indent=4"
    assert JSONRenderer().render(data, media_type) == _drf(data, media_type)
    assert b"\n    " in JSONRenderer().render(data, media_type)
