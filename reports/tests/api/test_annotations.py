"""Annotations over the API: who may annotate what, who sees them, bad input."""

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from reports.models import Annotation
from tracking.tests.factories import ClientFactory, ProjectFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/annotations/"


def test_manager_annotates_everyone_and_a_client(api_as, manager):
    api = api_as(manager)
    created = api.post(URL, {"start": "2026-03-02", "end": "2026-03-06", "text": "Offsite"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json() | {"id": 0} == {
        "id": 0,
        "start": "2026-03-02",
        "end": "2026-03-06",
        "text": "Offsite",
        "scope": "everyone",
        "scope_id": None,
    }
    client = ClientFactory()
    about = api.post(
        URL, {"start": "2026-03-02", "text": "Audit", "scope": "client", "scope_id": client.pk}, format="json"
    )
    assert about.status_code == 201 and about.json()["end"] == "2026-03-02" and about.json()["scope_id"] == client.pk


def test_members_annotate_only_their_own_time(api_as, member, other_member):
    api = api_as(member)
    refused = api.post(URL, {"start": "2026-03-02", "text": "Offsite"}, format="json")
    assert refused.status_code == 403
    about_other = api.post(
        URL, {"start": "2026-03-02", "text": "Ill", "scope": "user", "scope_id": other_member.pk}, format="json"
    )
    assert about_other.status_code in (400, 403)
    own = api.post(URL, {"start": "2026-03-02", "text": "Dentist", "scope": "user"}, format="json")
    assert own.status_code == 201 and own.json()["scope_id"] == member.pk
    assert Annotation.objects.count() == 1


def test_managers_annotate_their_teams_not_others(api_as, manager, member):
    mine = TeamFactory(managers=[manager], members=[member])
    theirs = TeamFactory()
    api = api_as(manager)
    assert (
        api.post(
            URL, {"start": "2026-03-02", "text": "x", "scope": "team", "scope_id": mine.pk}, format="json"
        ).status_code
        == 201
    )
    refused = api.post(URL, {"start": "2026-03-02", "text": "x", "scope": "team", "scope_id": theirs.pk}, format="json")
    assert refused.status_code == 403
    assert (
        api.post(
            URL, {"start": "2026-03-02", "text": "x", "scope": "user", "scope_id": member.pk}, format="json"
        ).status_code
        == 201
    )


def test_annotations_respect_visibility(api_as, manager, member, other_member):
    hidden = ProjectFactory(is_public=False)
    admin = api_as(UserFactory(role=Role.ADMIN))
    admin.post(
        URL, {"start": "2026-03-02", "text": "secret project", "scope": "project", "scope_id": hidden.pk}, format="json"
    )
    admin.post(
        URL, {"start": "2026-03-03", "text": "about other", "scope": "user", "scope_id": other_member.pk}, format="json"
    )
    admin.post(URL, {"start": "2026-03-04", "text": "for all"}, format="json")
    seen = api_as(member).get(URL, {"start": "2026-03-01", "end": "2026-03-31"}).json()
    assert [a["text"] for a in seen["results"]] == ["for all"]
    assert api_as(member).get(URL, {"start": "2026-03-05"}).json()["count"] == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"start": "2026-03-10", "end": "2026-03-01", "text": "reversed"},
        {"start": "2026-03-10", "text": ""},
        {"start": "2026-03-10", "text": "x" * 501},
        {"start": "yesterday", "text": "x"},
        {"start": "2026-03-10", "text": "x", "scope": "planet"},
        {"start": "2026-03-10", "text": "x", "scope": "client"},
        {"start": "2026-03-10", "text": "x", "scope": "client", "scope_id": 999999},
        {"start": "2026-03-10", "text": "x", "scope_id": 3},
        {"start": "2026-03-10", "text": "a\x00b"},
    ],
)
def test_bad_annotations_are_400_and_nothing_is_saved(api_as, admin_user, payload):
    response = api_as(admin_user).post(URL, payload, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["detail"]
    assert not Annotation.objects.exists()


def test_reversed_query_range_is_400(api_as, member):
    assert api_as(member).get(URL, {"start": "2026-03-10", "end": "2026-03-01"}).status_code == 400
