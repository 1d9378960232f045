from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.tests.factories import UserFactory
from tracking.models import TimeEntry
from tracking.signals import report_viewed
from tracking.tests.factories import ClientFactory, ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db


class TestTimer:
    def test_start_stop_and_status(self, api_as, member, project):
        api = api_as(member)
        assert api.get("/api/v1/timer/").json() == {"running": False, "entry": None}
        task = TaskFactory(project=project)
        started = api.post(
            "/api/v1/timer/start/", {"project": project.pk, "task": task.pk, "notes": "Go"}, format="json"
        )
        assert started.status_code == 201
        assert started.json()["end"] is None and started.json()["source"] == "api"
        status = api.get("/api/v1/timer/").json()
        assert status["running"] is True and status["entry"]["id"] == started.json()["id"]
        stopped = api.post("/api/v1/timer/stop/")
        assert stopped.status_code == 200 and stopped.json()["end"] is not None

    def test_a_second_start_is_409_timer_already_running(self, api_as, member, project):
        api = api_as(member)
        api.post("/api/v1/timer/start/", {"project": project.pk}, format="json")
        second = api.post("/api/v1/timer/start/", {"project": project.pk}, format="json")
        assert second.status_code == 409
        assert second.json()["code"] == "timer_already_running" and second.json()["detail"]
        assert TimeEntry.objects.filter(user=member).count() == 1

    def test_stop_without_a_timer_is_409_no_running_timer(self, api_as, member):
        response = api_as(member).post("/api/v1/timer/stop/")
        assert response.status_code == 409 and response.json()["code"] == "no_running_timer"

    def test_start_on_an_archived_project_or_with_a_foreign_task_is_400(self, api_as, member):
        archived = ProjectFactory(archived=True)
        response = api_as(member).post("/api/v1/timer/start/", {"project": archived.pk}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "archived_project"
        project, foreign = ProjectFactory(), TaskFactory()
        response = api_as(member).post(
            "/api/v1/timer/start/", {"project": project.pk, "task": foreign.pk}, format="json"
        )
        assert response.status_code == 400 and "task" in response.json()["errors"]

    def test_start_without_a_project_is_400(self, api_as, member):
        response = api_as(member).post("/api/v1/timer/start/", {}, format="json")
        assert response.status_code == 400 and "project" in response.json()["errors"]

    def test_viewer_cannot_start_a_timer(self, api_as, viewer, project):
        response = api_as(viewer).post("/api/v1/timer/start/", {"project": project.pk}, format="json")
        assert response.status_code == 403

    def test_member_cannot_start_on_a_project_not_open_to_them(self, api_as, member):
        closed = ProjectFactory(is_public=False)
        response = api_as(member).post("/api/v1/timer/start/", {"project": closed.pk}, format="json")
        assert response.status_code == 400 and "project" in response.json()["errors"]

    def test_timer_needs_the_time_entry_scopes(self, api_as, member, project):
        assert api_as(member, ["read:clients"]).get("/api/v1/timer/").status_code == 403
        read_only = api_as(member, ["read:time_entries"])
        assert read_only.get("/api/v1/timer/").status_code == 200
        assert read_only.post("/api/v1/timer/start/", {"project": project.pk}, format="json").status_code == 403


def _entry(user, project, start, hours=1):
    return TimeEntryFactory(
        user=user, project=project, start=start, end=start + timedelta(hours=hours), duration_seconds=int(hours * 3600)
    )


class TestReportSummary:
    URL = "/api/v1/reports/summary/"

    def test_weekly_summary_by_project_then_day(self, api_as, member):
        acme = ClientFactory(name="Acme", default_hourly_rate="90.00")
        web = ProjectFactory(client=acme, name="Web")
        _entry(member, web, datetime(2026, 3, 2, 9, tzinfo=UTC), hours=2)
        _entry(member, web, datetime(2026, 3, 3, 9, tzinfo=UTC), hours=1)
        response = api_as(member).get(f"{self.URL}?start=2026-03-02&end=2026-03-08&group_by=project&then_by=day")
        assert response.status_code == 200
        body = response.json()
        assert body["total"] == {"seconds": 10800, "billable_seconds": 10800, "amount": "270.00"}
        group = body["groups"][0]
        assert (group["key"], group["label"], group["amount"]) == (web.pk, "Acme / Web", "270.00")
        assert [(c["key"], c["seconds"]) for c in group["children"]] == [("2026-03-02", 7200), ("2026-03-03", 3600)]

    def test_serving_a_report_sends_report_viewed(self, api_as, member):
        received = []

        def receiver(sender, **kwargs):
            received.append(kwargs)

        report_viewed.connect(receiver, dispatch_uid="test-report-viewed")
        try:
            api_as(member).get(f"{self.URL}?start=2026-03-02&end=2026-03-08&group_by=week")
        finally:
            report_viewed.disconnect(dispatch_uid="test-report-viewed")
        assert received == [
            {"signal": report_viewed, "user_id": member.pk, "group_by": "week", "then_by": None, "interface": "api"}
        ]

    def test_reports_only_what_you_may_see(self, api_as, team, manager, member, other_member, project):
        _entry(member, project, datetime(2026, 3, 2, 9, tzinfo=UTC))
        _entry(other_member, project, datetime(2026, 3, 2, 9, tzinfo=UTC))
        body = api_as(manager).get(f"{self.URL}?start=2026-03-02&end=2026-03-02&group_by=user").json()
        assert [g["key"] for g in body["groups"]] == [member.pk]

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ("end=2026-03-08&group_by=project", "start"),
            ("start=2026-03-08&end=2026-03-01&group_by=project", "end"),
            ("start=2026-03-01&end=2026-03-08&group_by=colour", "group_by"),
            ("start=2026-03-01&end=2026-03-08&group_by=day&then_by=day", "then_by"),
            ("start=03/01/2026&end=2026-03-08&group_by=day", "start"),
            ("start=2026-03-01&end=2026-03-08&group_by=day&project=x", "project"),
            ("start=2026-03-01&end=2026-03-08&group_by=day&colour=red", "colour"),
        ],
    )
    def test_bad_parameters_are_400_naming_them(self, api_as, member, query, field):
        response = api_as(member).get(f"{self.URL}?{query}")
        assert response.status_code == 400
        assert field in response.json()["errors"]

    def test_reports_need_the_read_reports_scope(self, api_as, member):
        response = api_as(member, ["read:time_entries"]).get(f"{self.URL}?start=2026-03-01&end=2026-03-08&group_by=day")
        assert response.status_code == 403 and response.json()["code"] == "insufficient_scope"

    def test_a_nested_report_takes_a_fixed_number_of_queries(self, api_as, admin_user, django_assert_max_num_queries):
        for i in range(20):
            _entry(UserFactory(), ProjectFactory(), datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=3 * i))
        api = api_as(admin_user)
        with django_assert_max_num_queries(6):
            body = api.get(f"{self.URL}?start=2026-03-01&end=2026-03-31&group_by=user&then_by=week").json()
        assert len(body["groups"]) == 20
        assert date.fromisoformat(body["groups"][0]["children"][0]["key"]).weekday() == 0
