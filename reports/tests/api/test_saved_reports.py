"""Saved reports over the API: the contract, visibility, permissions and bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from reports.models import Comment, Favourite, ReportView, SavedReport
from reports.tests.factories import AnnotationFactory, SavedReportFactory
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/saved-reports/"


def _definition(**overrides):
    return {"preset": "last_month", "group_by": "client", "filters": {"billable": True}, **overrides}


def test_create_returns_201_with_the_contracts_fields_and_a_suggested_name(api_as, manager):
    client = ClientFactory(name="Acme")
    response = api_as(manager).post(
        URL,
        {
            "description": "What we bill, per client",
            "tags": ["Billing", "monthly"],
            "visibility": "everyone",
            "definition": _definition(filters={"client": [client.pk], "billable": True}),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Billable hours by client · last month · Acme"
    assert body["tags"] == ["billing", "monthly"]
    assert body["owner"] == manager.pk and body["verified"] is False and body["favourite"] is False
    assert body["views_30d"] == 0 and body["visibility"] == "everyone"
    assert body["definition"]["preset"] == "last_month" and body["definition"]["filters"]["client"] == [client.pk]
    assert set(body) >= {"id", "name", "description", "tags", "visibility", "definition", "created_at", "updated_at"}


def test_results_are_computed_with_the_viewers_own_visibility(api_as, manager, member, other_member, team):
    project = ProjectFactory(is_public=True)
    now = timezone.now()
    for user in (member, other_member, manager):
        TimeEntryFactory(user=user, project=project, start=now - timedelta(hours=3), end=now - timedelta(hours=2))
    report = SavedReportFactory(
        owner=manager, definition={"preset": "last_30_days", "group_by": "user", "filters": {}}, visibility="everyone"
    )
    AnnotationFactory(start=now.date(), end=now.date(), text="Offsite <b>week</b>", scope="everyone")

    mine = api_as(member).get(f"{URL}{report.pk}/results/").json()
    assert [g["key"] for g in mine["groups"]] == [member.pk]
    assert mine["total"]["seconds"] == 3600
    assert mine["visible_people"] == 1 and mine["total_people"] == 3
    assert mine["annotations"][0]["text"] == "Offsite <b>week</b>" and mine["annotations"][0]["scope"] == "everyone"
    assert set(mine) >= {"start", "end", "group_by", "then_by", "groups", "total"}

    everything = api_as(UserFactory(role=Role.ADMIN)).get(f"{URL}{report.pk}/results/").json()
    assert everything["total"]["seconds"] == 3 * 3600 and "visible_people" not in everything
    assert ReportView.objects.filter(report=report).count() == 2


def test_a_view_counts_once_per_person_per_day(api_as, member):
    report = SavedReportFactory()
    api = api_as(member)
    for _ in range(3):
        assert api.get(f"{URL}{report.pk}/results/").status_code == 200
    assert api.get(f"{URL}{report.pk}/").json()["views_30d"] == 1


def test_others_may_not_edit_or_delete_but_may_duplicate_favourite_and_comment(api_as, manager, member):
    report = SavedReportFactory(owner=manager, name="Billable hours by client")
    api = api_as(member)
    refused = api.patch(f"{URL}{report.pk}/", {"name": "Mine now"}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    assert api.delete(f"{URL}{report.pk}/").status_code == 403
    assert SavedReport.objects.get(pk=report.pk).name == "Billable hours by client"

    copy = api.post(f"{URL}{report.pk}/duplicate/")
    assert copy.status_code == 201
    assert copy.json()["owner"] == member.pk and copy.json()["visibility"] == "private"
    assert api.patch(f"{URL}{copy.json()['id']}/", {"name": "My copy"}, format="json").json()["name"] == "My copy"

    assert api.post(f"{URL}{report.pk}/favourite/").json() == {"favourite": True}
    assert api.get(f"{URL}{report.pk}/").json()["favourite"] is True
    assert api.delete(f"{URL}{report.pk}/favourite/").json() == {"favourite": False}
    comment = api.post(f"{URL}{report.pk}/comments/", {"text": "March is low: offsite"}, format="json")
    assert comment.status_code == 201 and comment.json()["author"] == member.pk
    assert [c["text"] for c in api.get(f"{URL}{report.pk}/comments/").json()] == ["March is low: offsite"]


def test_a_report_you_cannot_see_is_404_everywhere(api_as, member, other_member):
    private = SavedReportFactory(owner=other_member, visibility="private")
    api = api_as(member)
    for method, suffix in [("get", ""), ("patch", ""), ("delete", ""), ("get", "results/"), ("post", "duplicate/")]:
        response = getattr(api, method)(f"{URL}{private.pk}/{suffix}", {}, format="json")
        assert response.status_code == 404, (method, suffix)
    assert api.get(f"{URL}not-a-number/").status_code == 404


def test_teams_visibility_reaches_only_the_owners_team_mates(api_as, manager, member, other_member, team):
    report = SavedReportFactory(owner=manager, visibility="teams")
    assert api_as(member).get(f"{URL}{report.pk}/").status_code == 200
    assert api_as(other_member).get(f"{URL}{report.pk}/").status_code == 404


def test_only_managers_and_admins_verify(api_as, manager, member):
    report = SavedReportFactory(owner=member)
    refused = api_as(member).patch(f"{URL}{report.pk}/", {"verified": True}, format="json")
    assert refused.status_code == 403
    done = api_as(manager).patch(f"{URL}{report.pk}/", {"verified": True}, format="json")
    assert done.status_code == 200 and done.json()["verified"] is True
    assert SavedReport.objects.get(pk=report.pk).verified_by == manager


def test_viewers_save_private_reports_only(api_as, viewer):
    api = api_as(viewer)
    refused = api.post(URL, {"visibility": "everyone", "definition": _definition()}, format="json")
    assert refused.status_code == 400 and "private" in refused.json()["detail"]
    assert api.post(URL, {"definition": _definition()}, format="json").status_code == 201


def test_list_searches_filters_and_ranks_verified_then_popular(api_as, member):
    owner = UserFactory()
    quiet = SavedReportFactory(owner=owner, name="Billable hours, quiet")
    busy = SavedReportFactory(owner=owner, name="Billable hours, busy")
    canonical = SavedReportFactory(owner=owner, name="Billable canonical", verified=True)
    SavedReportFactory(owner=owner, name="Something else", description="not it")
    today = timezone.now().date()
    for user in UserFactory.create_batch(3):
        ReportView.objects.create(report=busy, user=user, day=today, last_viewed_at=timezone.now())
    ReportView.objects.create(report=quiet, user=owner, day=today, last_viewed_at=timezone.now())
    busy.tags.create(name="finance")

    body = api_as(member).get(URL, {"search": "billable", "ordering": "popular"}).json()
    assert body["count"] == 3 and set(body) == {"count", "next", "previous", "results"}
    assert [r["id"] for r in body["results"]] == [canonical.pk, busy.pk, quiet.pk]
    assert [r["views_30d"] for r in body["results"]] == [0, 3, 1]
    assert [r["id"] for r in api_as(member).get(URL, {"tag": "finance"}).json()["results"]] == [busy.pk]
    assert [r["id"] for r in api_as(member).get(URL, {"search": "FINANCE"}).json()["results"]] == [busy.pk]
    assert api_as(member).get(URL, {"verified": "true"}).json()["count"] == 1
    assert api_as(member).get(URL, {"owner": owner.pk}).json()["count"] == 4
    bad = api_as(member).get(URL, {"ordering": "views"})
    assert bad.status_code == 400 and "ordering" in bad.json()["errors"]
    assert api_as(member).get(URL, {"sort": "name"}).status_code == 400


def test_list_queries_stay_bounded(api_as, member, django_assert_max_num_queries):
    for _ in range(15):
        report = SavedReportFactory()
        report.tags.create(name="x")
        Favourite.objects.create(report=report, user=member)
    api = api_as(member)
    with django_assert_max_num_queries(12):
        assert api.get(URL).json()["count"] == 15


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "x" * 10_000, "definition": _definition()}, "name"),
        ({"definition": _definition(group_by="colour")}, "definition"),
        ({"definition": _definition(filters={"colour": [1]})}, "definition"),
        ({"definition": _definition(filters={"project": ["one"]})}, "definition"),
        ({"definition": _definition(preset=None, start="2026-03-10", end="2026-03-01")}, "definition.end"),
        ({"definition": _definition(preset="last_month", start="2026-03-10", end="2026-03-11")}, "definition.preset"),
        ({"definition": _definition(then_by="client")}, "definition.then_by"),
        ({"definition": _definition(), "tags": "not a list"}, "tags"),
        ({"definition": _definition(), "visibility": "world"}, "visibility"),
        ({"definition": "everything"}, "definition"),
        ({}, "definition"),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_saved(api_as, member, payload, field):
    response = api_as(member).post(URL, payload, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["detail"] and body["code"]
    assert any(k == field or k.startswith(field) for k in body.get("errors", {})) or body.get("code") in (
        "invalid_definition",
    ), body
    assert not SavedReport.objects.exists()


def test_a_nul_character_is_refused_before_anything_is_read(api_as, member):
    response = api_as(member).post(URL, {"name": "a\x00b", "definition": _definition()}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error" and "NUL" in response.json()["detail"]
    assert not SavedReport.objects.exists()


def test_a_project_the_owner_may_not_see_is_refused(api_as, member):
    hidden = ProjectFactory(is_public=False)
    response = api_as(member).post(URL, {"definition": _definition(filters={"project": [hidden.pk]})}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_definition" and "definition.filters.project" in response.json()["errors"]
    assert not SavedReport.objects.exists()


def test_html_in_names_is_stored_as_text(api_as, member):
    response = api_as(member).post(
        URL, {"name": "<script>alert(1)</script>", "tags": ["<b>x</b>"], "definition": _definition()}, format="json"
    )
    assert response.json()["name"] == "<script>alert(1)</script>"


def test_scopes_read_and_write_reports(api_as, member):
    report = SavedReportFactory(owner=member)
    reader = api_as(member, ["read:reports"])
    assert reader.get(f"{URL}{report.pk}/results/").status_code == 200
    refused = reader.post(URL, {"definition": _definition()}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    assert reader.post(f"{URL}{report.pk}/comments/", {"text": "hi"}, format="json").status_code == 403
    assert api_as(member, ["write:reports"]).post(URL, {"definition": _definition()}, format="json").status_code == 201


def test_a_relative_preset_stays_relative(api_as, member):
    created = api_as(member).post(URL, {"definition": _definition(preset="this_month")}, format="json").json()
    stored = SavedReport.objects.get(pk=created["id"]).definition
    assert stored["preset"] == "this_month" and stored["start"] is None and stored["end"] is None


def test_comment_bad_input(api_as, member):
    report = SavedReportFactory()
    api = api_as(member)
    assert api.post(f"{URL}{report.pk}/comments/", {"text": ""}, format="json").status_code == 400
    assert api.post(f"{URL}{report.pk}/comments/", {"text": "x" * 5000}, format="json").status_code == 400
    assert not Comment.objects.exists()


def test_team_filter_counts_the_teams_people(api_as, manager, member, other_member):
    team = TeamFactory(managers=[manager], members=[member])
    project = ProjectFactory(is_public=True)
    TimeEntryFactory(user=member, project=project)
    TimeEntryFactory(user=other_member, project=project)
    created = api_as(manager).post(
        URL,
        {"definition": {"preset": "last_30_days", "group_by": "user", "filters": {"team": [team.pk]}}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    results = api_as(UserFactory(role=Role.ADMIN)).get(f"{URL}{created.json()['id']}/results/").json()
    assert [g["key"] for g in results["groups"]] == [member.pk]


def test_a_refused_change_writes_nothing(api_as, member):
    report = SavedReportFactory(owner=member, name="Mine")
    response = api_as(member).patch(
        f"{URL}{report.pk}/", {"name": "Renamed", "tags": ["a"], "verified": True}, format="json"
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.name == "Mine" and not report.tags.exists() and not report.verified


def test_authors_change_and_delete_their_own_comments_only(api_as, manager, member):
    report = SavedReportFactory(owner=manager)
    comment = api_as(member).post(f"{URL}{report.pk}/comments/", {"text": "first"}, format="json").json()
    url = f"{URL}{report.pk}/comments/{comment['id']}/"
    assert api_as(manager).patch(url, {"text": "hijacked"}, format="json").status_code == 403
    assert api_as(manager).delete(url).status_code == 403
    changed = api_as(member).patch(url, {"text": "second"}, format="json")
    assert changed.status_code == 200 and changed.json()["text"] == "second" and changed.json()["edited_at"]
    assert api_as(member).delete(url).status_code == 204
    assert api_as(member).delete(url).status_code == 404
    assert api_as(member).patch(f"{URL}{report.pk}/comments/x/", {"text": "a"}, format="json").status_code == 404
