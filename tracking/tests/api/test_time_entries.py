from datetime import UTC, datetime, timedelta

import pytest

from accounts.tests.factories import UserFactory
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/time-entries/"
FIELDS = {
    "id", "user", "project", "task", "start", "end", "duration_seconds", "billable", "notes", "tags", "source",
    "external_ref", "created_at", "updated_at",
}  # fmt: skip


def at(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def entry(user, project, start, hours=1, **kwargs):
    return TimeEntryFactory(
        user=user, project=project, start=start, end=start + timedelta(hours=hours), duration_seconds=hours * 3600,
        **kwargs,
    )  # fmt: skip


class TestCreate:
    def test_member_logs_an_entry_with_tags_and_gets_it_back_in_utc(self, api_as, member, project):
        task = TaskFactory(project=project)
        response = api_as(member).post(
            URL,
            {
                "project": project.pk,
                "task": task.pk,
                "start": "2026-03-02T10:00:00+01:00",
                "end": "2026-03-02T11:30:00+01:00",
                "notes": "Review",
                "tags": ["review", "urgent"],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert set(body) == FIELDS
        assert body["start"] == "2026-03-02T09:00:00Z" and body["end"] == "2026-03-02T10:30:00Z"
        assert body["duration_seconds"] == 5400 and body["source"] == "api" and body["user"] == member.pk
        assert sorted(body["tags"]) == ["review", "urgent"]

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T09:00:00Z"}, "end"),
            ({"start": "yesterday"}, "start"),
            ({"start": "2026-03-02T10:00:00Z", "billable": "perhaps"}, "billable"),
            ({"start": "2026-03-02T10:00:00Z", "tags": "not-a-list"}, "tags"),
            ({"start": "2026-03-02T10:00:00Z", "project": "one"}, "project"),
            ({"start": "2026-03-02T10:00:00Z", "project": None}, "project"),
        ],
    )
    def test_bad_input_is_400_naming_the_field(self, api_as, member, project, payload, field):
        response = api_as(member).post(URL, {"project": project.pk, **payload}, format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert not TimeEntry.objects.exists()

    def test_a_task_from_another_project_is_400(self, api_as, member, project):
        other_task = TaskFactory()
        response = api_as(member).post(
            URL,
            {
                "project": project.pk,
                "task": other_task.pk,
                "start": "2026-03-02T09:00:00Z",
                "end": "2026-03-02T10:00:00Z",
            },
            format="json",
        )
        assert response.status_code == 400
        assert "belongs to another project" in response.json()["errors"]["task"][0]

    def test_malformed_json_is_400(self, api_as, member):
        response = api_as(member).post(URL, data='{"project": 1,', content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "parse_error"

    def test_an_overlapping_entry_is_409_naming_the_other_entry(self, api_as, member, project):
        existing = entry(member, project, at(2, 9))
        response = api_as(member).post(
            URL, {"project": project.pk, "start": "2026-03-02T09:30:00Z", "end": "2026-03-02T11:00:00Z"}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["code"] == "overlapping_entry"
        assert f"overlaps your entry on {existing.project}" in response.json()["detail"]

    def test_viewer_cannot_log_time(self, api_as, viewer, project):
        response = api_as(viewer).post(
            URL, {"project": project.pk, "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"}, format="json"
        )
        assert response.status_code == 403

    def test_manager_logs_for_a_team_member_but_not_for_an_outsider(self, api_as, team, manager, member, project):
        outsider = UserFactory()
        api = api_as(manager)
        payload = {"project": project.pk, "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"}
        assert api.post(URL, {**payload, "user": member.pk}, format="json").json()["user"] == member.pk
        refused = api.post(URL, {**payload, "user": outsider.pk}, format="json")
        assert refused.status_code == 400 and "user" in refused.json()["errors"]

    def test_a_token_without_write_scope_cannot_log_time(self, api_as, member, project):
        response = api_as(member, ["read:time_entries"]).post(
            URL, {"project": project.pk, "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"}, format="json"
        )
        assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"


class TestReadUpdateDelete:
    def test_another_members_entry_is_404_for_every_method(self, api_as, member, other_member, project):
        theirs = entry(other_member, project, at(2, 9))
        api = api_as(member)
        url = f"{URL}{theirs.pk}/"
        assert api.get(url).status_code == 404
        assert api.patch(url, {"notes": "mine now"}, format="json").status_code == 404
        assert api.delete(url).status_code == 404
        theirs.refresh_from_db()
        assert theirs.notes == ""

    def test_manager_sees_and_corrects_team_entries_viewer_only_reads(
        self, api_as, team, manager, viewer, member, project
    ):
        mine = entry(member, project, at(2, 9))
        url = f"{URL}{mine.pk}/"
        assert api_as(manager).patch(url, {"notes": "fixed"}, format="json").json()["notes"] == "fixed"
        assert api_as(viewer).get(url).status_code == 200
        assert api_as(viewer).patch(url, {"notes": "no"}, format="json").status_code == 403

    def test_patch_changes_only_the_given_fields_and_put_replaces(self, api_as, member, project):
        tag = TagFactory(name="keep")
        mine = entry(member, project, at(2, 9), notes="old")
        mine.tags.set([tag])
        api = api_as(member)
        patched = api.patch(f"{URL}{mine.pk}/", {"end": "2026-03-02T11:00:00Z"}, format="json").json()
        assert patched["duration_seconds"] == 7200 and patched["notes"] == "old" and patched["tags"] == ["keep"]
        put = api.put(
            f"{URL}{mine.pk}/", {"project": project.pk, "start": "2026-03-02T08:00:00Z", "end": "2026-03-02T09:00:00Z"},
            format="json",
        ).json()  # fmt: skip
        assert put["notes"] == "" and put["tags"] == [] and put["start"] == "2026-03-02T08:00:00Z"

    def test_patch_end_before_start_is_400(self, api_as, member, project):
        mine = entry(member, project, at(2, 9))
        response = api_as(member).patch(f"{URL}{mine.pk}/", {"end": "2026-03-02T08:00:00Z"}, format="json")
        assert response.status_code == 400 and "end" in response.json()["errors"]

    def test_the_owner_cannot_be_changed(self, api_as, admin_user, member, project):
        mine = entry(member, project, at(2, 9))
        response = api_as(admin_user).patch(f"{URL}{mine.pk}/", {"user": admin_user.pk}, format="json")
        assert response.status_code == 400 and "user" in response.json()["errors"]

    def test_delete_removes_the_entry(self, api_as, member, project):
        mine = entry(member, project, at(2, 9))
        assert api_as(member).delete(f"{URL}{mine.pk}/").status_code == 204
        assert not TimeEntry.objects.exists()


class TestList:
    def test_lists_only_visible_entries_newest_first_with_pagination(self, api_as, member, other_member, project):
        for day in range(1, 6):
            entry(member, project, at(day, 9))
        entry(other_member, project, at(3, 9))
        body = api_as(member).get(f"{URL}?page_size=2").json()
        assert body["count"] == 5
        assert [r["start"][:10] for r in body["results"]] == ["2026-03-05", "2026-03-04"]
        assert "cursor=" in body["next"] and body["previous"] is None and body["count_exact"] is True
        oldest = api_as(member).get(f"{URL}?ordering=start&page_size=1").json()["results"][0]
        assert oldest["start"] == "2026-03-01T09:00:00Z"

    def test_filters_by_date_range_project_tag_billable_running_and_source(self, api_as, member):
        project, other = ProjectFactory(), ProjectFactory()
        hit = entry(member, project, at(3, 9), billable=False)
        hit.tags.set([TagFactory(name="deep")])
        entry(member, project, at(1, 9))
        entry(member, other, at(3, 12))
        TimeEntryFactory(user=member, project=project, start=at(4, 9), end=None)
        api = api_as(member)
        query = f"start_after=2026-03-02T00:00:00Z&start_before=2026-03-04T00:00:00Z&project={project.pk}"
        assert [r["id"] for r in api.get(f"{URL}?{query}").json()["results"]] == [hit.pk]
        assert [r["id"] for r in api.get(f"{URL}?tag=deep").json()["results"]] == [hit.pk]
        assert [r["id"] for r in api.get(f"{URL}?billable=false").json()["results"]] == [hit.pk]
        assert api.get(f"{URL}?running=true").json()["count"] == 1
        assert api.get(f"{URL}?source=import").json()["count"] == 0
        assert api.get(f"{URL}?client={project.client_id}").json()["count"] == 3

    @pytest.mark.parametrize(
        "query",
        ["colour=red", "start_after=last-week", "project=abc", "billable=maybe", "source=fax", "ordering=end",
         "page_size=0", "page_size=501", "page=zero"],
    )  # fmt: skip
    def test_unknown_or_malformed_query_parameters_are_400(self, api_as, member, query):
        response = api_as(member).get(f"{URL}?{query}")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_filter"
        assert query.split("=")[0] in response.json()["errors"]

    def test_a_page_past_the_end_is_404(self, api_as, member):
        assert api_as(member).get(f"{URL}?page=5").status_code == 404

    def test_listing_takes_a_fixed_number_of_queries(self, api_as, admin_user, django_assert_max_num_queries):
        tags = [TagFactory(), TagFactory()]
        for i in range(40):
            e = entry(UserFactory(), ProjectFactory(), at(1, 0) + timedelta(hours=2 * i), task=None)
            e.tags.set(tags)
        api = api_as(admin_user)
        with django_assert_max_num_queries(6):
            response = api.get(f"{URL}?page_size=500")
        assert len(response.json()["results"]) == 40


def test_browsable_api_lists_entries_and_offers_a_form_to_log_one(client, member, project):
    entry(member, project, at(2, 9))
    client.force_login(member)
    response = client.get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026-03-02T09:00:00Z" in html
    assert 'name="start"' in html and 'name="project"' in html
