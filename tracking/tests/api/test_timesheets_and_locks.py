"""/api/v1/timesheets/ and /api/v1/locks/: the contract of issue 18, and 409 period_locked on every entry write."""

from datetime import UTC, datetime, timedelta

import pytest

from tracking import services
from tracking.models import PeriodLock, TimeEntry
from tracking.periods import local_today
from tracking.tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approvals_on")]


@pytest.fixture
def entry(last_week_entry):
    return last_week_entry


def test_member_submits_and_manager_rejects_then_approves(api_as, member, manager, team, entry, last_monday):
    me, boss = api_as(member), api_as(manager)
    response = me.post("/api/v1/timesheets/submit/", {"week": str(last_monday + timedelta(days=2))}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted" and response.json()["week"] == str(last_monday)
    listed = boss.get("/api/v1/timesheets/", {"week": str(last_monday)}).json()
    mine = next(r for r in listed if r["user"] == member.pk)
    assert mine["state"] == "submitted" and mine["seconds"] == 3600
    assert set(mine) >= {"user", "week", "state", "seconds", "comment", "decided_by", "decided_at"}
    # the manager's own open week is listed too
    assert next(r for r in listed if r["user"] == manager.pk)["state"] == "open"

    body = {"user": member.pk, "week": str(last_monday), "comment": "Add the ticket numbers"}
    rejected = boss.post("/api/v1/timesheets/reject/", body, format="json").json()
    assert rejected["state"] == "rejected" and rejected["comment"] == "Add the ticket numbers"
    assert rejected["decided_by"] == manager.pk
    assert me.patch(f"/api/v1/time-entries/{entry.pk}/", {"notes": "TT-12"}, format="json").status_code == 200
    me.post("/api/v1/timesheets/submit/", {"week": str(last_monday)}, format="json")
    approved = boss.post("/api/v1/timesheets/approve/", {"user": member.pk, "week": str(last_monday)}, format="json")
    assert approved.json()["state"] == "approved"

    refused = me.patch(f"/api/v1/time-entries/{entry.pk}/", {"notes": "later"}, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "period_locked" and "approved by" in refused.json()["detail"]
    assert me.delete(f"/api/v1/time-entries/{entry.pk}/").status_code == 409
    start = entry.start + timedelta(hours=3)
    created = me.post(
        "/api/v1/time-entries/",
        {"project": entry.project_id, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert created.status_code == 409 and created.json()["code"] == "period_locked"
    assert TimeEntry.objects.filter(user=member).count() == 1


def test_deciding_for_someone_you_cannot_see_is_404_and_for_a_visible_person_403(
    api_as, member, other_member, viewer, manager, team, last_monday
):
    services.timesheet_submit(actor=other_member, week=last_monday)
    services.timesheet_submit(actor=member, week=last_monday)
    body = {"user": other_member.pk, "week": str(last_monday), "comment": ""}
    assert api_as(manager).post("/api/v1/timesheets/approve/", body, format="json").status_code == 404
    # a member sees themselves but may not decide; viewers see nothing of approvals
    body = {"user": member.pk, "week": str(last_monday), "comment": ""}
    assert api_as(member).post("/api/v1/timesheets/approve/", body, format="json").status_code == 403
    assert api_as(viewer).post("/api/v1/timesheets/approve/", body, format="json").status_code == 404
    assert api_as(viewer).get("/api/v1/timesheets/").json() == []


def test_reject_without_comment_is_400_and_bad_input_is_400(api_as, member, manager, team, last_monday):
    services.timesheet_submit(actor=member, week=last_monday)
    boss = api_as(manager)
    response = boss.post("/api/v1/timesheets/reject/", {"user": member.pk, "week": str(last_monday)}, format="json")
    assert response.status_code == 400 and "comment" in response.json()["detail"]
    assert boss.post("/api/v1/timesheets/approve/", {"user": "x", "week": "soon"}, format="json").status_code == 400
    assert boss.get("/api/v1/timesheets/", {"week": "2026-13-01"}).status_code == 400
    assert boss.get("/api/v1/timesheets/", {"weeks": "2026-01-01"}).status_code == 400
    nul = {"user": member.pk, "week": str(last_monday), "comment": "a\x00b"}
    assert boss.post("/api/v1/timesheets/reject/", nul, format="json").status_code == 400


def test_scopes(api_as, member, last_monday):
    read_only = api_as(member, scopes=["read:timesheets"])
    assert read_only.get("/api/v1/timesheets/").status_code == 200
    refused = read_only.post("/api/v1/timesheets/submit/", {"week": str(last_monday)}, format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    assert api_as(member, scopes=["read:time_entries"]).get("/api/v1/timesheets/").status_code == 403


def test_admin_locks_a_month_and_reopens_it_with_a_reason(api_as, admin_user, member, project):
    admin = api_as(admin_user, scopes=["admin"])
    until = local_today(admin_user) - timedelta(days=1)
    response = admin.post(
        "/api/v1/locks/", {"until": str(until), "team": None, "locked_by_label": "Finance"}, format="json"
    )
    assert response.status_code == 201, response.json()
    lock_id = response.json()["id"]
    assert [lock["id"] for lock in admin.get("/api/v1/locks/").json()] == [lock_id]

    start = datetime(until.year, until.month, until.day, 9, tzinfo=UTC)
    created = api_as(member).post(
        "/api/v1/time-entries/",
        {"project": project.pk, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat()},
        format="json",
    )
    assert created.status_code == 409
    assert created.json() == {
        "code": "period_locked",
        "detail": f"Time up to {until.day} {until:%b} is locked by Finance; ask an admin to reopen.",
    }

    assert admin.delete(f"/api/v1/locks/{lock_id}/", {}, format="json").status_code == 400
    assert admin.delete(f"/api/v1/locks/{lock_id}/", {"reason": "Late invoice"}, format="json").status_code == 204
    assert not PeriodLock.objects.active().exists()


def test_locks_need_an_admin_token(api_as, admin_user, manager, member):
    until = str(local_today(admin_user) - timedelta(days=1))
    assert (
        api_as(admin_user).post("/api/v1/locks/", {"until": until}, format="json").status_code == 403
    )  # no admin scope
    assert api_as(member).get("/api/v1/locks/").status_code == 403
    assert api_as(manager).post("/api/v1/locks/", {"until": until}, format="json").status_code == 403
    assert not PeriodLock.objects.exists()
    assert api_as(admin_user, scopes=["admin"]).get("/api/v1/locks/abc/").status_code == 404


def test_timer_start_on_a_locked_day_is_409(api_as, admin_user, member):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user))
    project = ProjectFactory()
    response = api_as(member).post("/api/v1/timer/start/", {"project": project.pk}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "period_locked"


def test_an_admin_edits_locked_time_anyway_with_a_reason(api_as, admin_user, member, last_week_entry):
    services.period_lock_create(actor=admin_user, until=local_today(admin_user) - timedelta(days=1))
    admin = api_as(admin_user)
    url = f"/api/v1/time-entries/{last_week_entry.pk}/"
    assert admin.patch(url, {"notes": "fix"}, format="json").status_code == 409
    response = admin.patch(url, {"notes": "fix", "override_reason": "Wrong client"}, format="json")
    assert response.status_code == 200 and response.json()["notes"] == "fix"
    assert "override_reason" not in response.json()
    refused = api_as(member).patch(url, {"notes": "mine", "override_reason": "please"}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "period_locked"
