"""Time entries through the web UI: list, week, manual add, inline edit, delete with undo, bulk actions."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests import api_fixtures
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

api_as, _api_test_settings = api_fixtures.api_as, api_fixtures._api_test_settings

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def berliner(member):
    member.timezone = "Europe/Berlin"
    member.save()
    return member


def at(day, hh, mm=0, tz=BERLIN):
    return datetime.fromisoformat(f"{day}T{hh:02d}:{mm:02d}").replace(tzinfo=tz)


def test_manual_entry_with_date_start_and_duration_is_stored_in_the_users_timezone(client_for, berliner, project):
    response = client_for(berliner).post(
        reverse("entry_add"),
        {"project": project.pk, "date": "2026-03-10", "start_time": "09:00", "duration": "1h30", "billable": "on"},
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get(user=berliner)
    assert entry.start == at("2026-03-10", 9)
    assert entry.end == at("2026-03-10", 10, 30)
    assert entry.duration_seconds == 5400 and entry.billable


def test_manual_entry_with_start_and_end(client_for, berliner, project):
    client_for(berliner).post(
        reverse("entry_add"),
        {"project": project.pk, "date": "2026-03-10", "start_time": "13:15", "end_time": "14:00", "notes": "call"},
    )
    entry = TimeEntry.objects.get(user=berliner)
    assert entry.duration_seconds == 45 * 60 and not entry.billable and entry.notes == "call"


def test_duration_only_entry_goes_after_the_last_entry_of_that_day(client_for, berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at("2026-03-10", 9), end=at("2026-03-10", 11))
    client_for(berliner).post(reverse("entry_add"), {"project": project.pk, "date": "2026-03-10", "duration": "90m"})
    added = TimeEntry.objects.filter(user=berliner).order_by("-start").first()
    assert added.start == at("2026-03-10", 11) and added.end == at("2026-03-10", 12, 30)


def test_overlapping_entry_is_refused_with_the_error_next_to_the_start(client_for, berliner, project):
    existing = TimeEntryFactory(user=berliner, project=project, start=at("2026-03-10", 9), end=at("2026-03-10", 11))
    response = client_for(berliner).post(
        reverse("entry_add"),
        {"project": project.pk, "date": "2026-03-10", "start_time": "10:00", "end_time": "12:00"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["start_time"] == [f"This overlaps your entry on {existing.project}, Tue 10 Mar 09:00–11:00."]
    assert TimeEntry.objects.filter(user=berliner).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_time": "10:00", "end_time": "09:00"}, "end_time", "after the start"),
        ({"start_time": "10:00"}, "end_time", "end time or a duration"),
        ({"start_time": "10:00", "duration": "soon"}, "duration", "not a duration"),
        ({"start_time": "10:00", "end_time": "11:00", "duration": "1h"}, "duration", "not both"),
        ({"duration": "1h", "date": ""}, "date", "required"),
    ],
)
def test_invalid_manual_entries_get_a_message_on_the_field(client_for, member, project, data, field, message):
    payload = {"project": project.pk, "date": "2026-03-10", **data}
    response = client_for(member).post(reverse("entry_add"), payload)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not TimeEntry.objects.exists()


def test_member_sees_only_their_own_entries(client_for, member, other_member, project):
    mine = TimeEntryFactory(user=member, project=project, notes="mine")
    TimeEntryFactory(user=other_member, project=project, notes="theirs")
    response = client_for(member).get(reverse("entry_list"))
    assert list(response.context["entries"]) == [mine]
    assert "user" not in response.context["filters"].fields


def test_manager_filters_the_list_by_a_team_member(client_for, manager, member, other_member, team, project):
    theirs = TimeEntryFactory(user=member, project=project)
    TimeEntryFactory(user=other_member, project=project)
    response = client_for(manager).get(reverse("entry_list"), {"user": member.pk})
    assert list(response.context["entries"]) == [theirs]
    everyone = client_for(manager).get(reverse("entry_list"))
    assert list(everyone.context["entries"]) == [theirs]  # other_member is outside the manager's team


def test_a_person_the_manager_may_not_see_is_named_as_not_found_and_nothing_is_listed(
    client_for, manager, member, other_member, team, project
):
    TimeEntryFactory(user=member, project=project)
    response = client_for(manager).get(reverse("entry_list"), {"user": other_member.pk})
    assert response.status_code == 400
    assert response.context["filters"].errors["user"] == ["User: Not found, or not visible to you."]
    assert list(response.context["entries"]) == []


def test_an_entry_for_a_person_you_may_not_see_uses_the_apis_404_words(api_as, manager, other_member, team, project):
    body = {
        "project": project.pk,
        "user": other_member.pk,
        "start": "2026-03-02T09:00:00Z",
        "end": "2026-03-02T10:00:00Z",
    }
    response = api_as(manager).post("/api/v1/time-entries/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["user"] == ["Not found, or not visible to you."]


def test_list_filters_by_date_range_project_and_billable(client_for, member, project):
    other_project = ProjectFactory()
    keep = TimeEntryFactory(user=member, project=project, start=at("2026-03-10", 9), end=at("2026-03-10", 10))
    TimeEntryFactory(user=member, project=project, start=at("2026-03-12", 9), end=at("2026-03-12", 10))
    TimeEntryFactory(user=member, project=other_project, start=at("2026-03-10", 11), end=at("2026-03-10", 12))
    TimeEntryFactory(user=member, project=project, start=at("2026-03-10", 13), end=at("2026-03-10", 14), billable=False)
    response = client_for(member).get(
        reverse("entry_list"), {"start": "2026-03-10", "end": "2026-03-11", "project": project.pk, "billable": "1"}
    )
    assert list(response.context["entries"]) == [keep]


def test_list_with_end_before_start_says_so(client_for, member):
    response = client_for(member).get(reverse("entry_list"), {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "must not be before" in response.content.decode()


def test_inline_edit_returns_the_form_then_the_updated_row(client_for, member, project):
    entry = TimeEntryFactory(user=member, project=project, start=at("2026-03-10", 9, tz=ZoneInfo("UTC")))
    client = client_for(member)
    form = client.get(reverse("entry_edit", args=[entry.pk]), HTTP_HX_REQUEST="true")
    assert form.templates[0].name == "tracking/_entry_row_form.html"
    response = client.post(
        reverse("entry_edit", args=[entry.pk]),
        {"project": project.pk, "date": "2026-03-10", "start_time": "09:00", "end_time": "11:30", "notes": "fixed"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "tracking/_entry_row.html"
    assert "2h 30m" in response.content.decode()
    entry.refresh_from_db()
    assert entry.duration_seconds == 9000 and entry.notes == "fixed"


def test_inline_edit_into_an_overlap_keeps_the_form_with_the_error(client_for, member, project):
    utc = ZoneInfo("UTC")
    TimeEntryFactory(user=member, project=project, start=at("2026-03-10", 12, tz=utc), end=at("2026-03-10", 13, tz=utc))
    entry = TimeEntryFactory(user=member, project=project, start=at("2026-03-10", 9, tz=utc))
    response = client_for(member).post(
        reverse("entry_edit", args=[entry.pk]),
        {"project": project.pk, "date": "2026-03-10", "start_time": "09:00", "end_time": "12:30"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "overlaps" in response.content.decode()
    entry.refresh_from_db()
    assert entry.end == at("2026-03-10", 10, tz=utc)


def test_nobody_edits_an_entry_they_cannot_see(client_for, member, other_member, project):
    theirs = TimeEntryFactory(user=other_member, project=project)
    response = client_for(member).get(reverse("entry_edit", args=[theirs.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_viewer_sees_team_time_but_may_not_edit_it(client_for, viewer, member, team, project):
    entry = TimeEntryFactory(user=member, project=project)
    client = client_for(viewer)
    assert list(client.get(reverse("entry_list")).context["entries"]) == [entry]
    response = client.get(reverse("entry_edit", args=[entry.pk]))
    assert response.status_code == 403
    assert "You can’t do that" in response.content.decode()
    assert client.post(reverse("entry_delete", args=[entry.pk])).status_code == 403
    assert TimeEntry.objects.filter(pk=entry.pk).exists()


def test_delete_can_be_undone(client_for, member, project):
    entry = TimeEntryFactory(user=member, project=project, notes="oops")
    entry.tags.create(name="kept")
    client = client_for(member)
    response = client.post(reverse("entry_delete", args=[entry.pk]), follow=True)
    assert not TimeEntry.objects.filter(user=member).exists()
    assert "Undo" in response.content.decode()
    client.post(reverse("entry_undo"))
    restored = TimeEntry.objects.get(user=member)
    assert (restored.start, restored.end, restored.notes) == (entry.start, entry.end, "oops")
    assert list(restored.tags.values_list("name", flat=True)) == ["kept"]
    client.post(reverse("entry_undo"))
    assert TimeEntry.objects.filter(user=member).count() == 1  # nothing left to undo


def test_bulk_actions_touch_only_entries_the_user_may_change(client_for, member, other_member, project):
    mine = [TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(days=d)) for d in (1, 2)]
    theirs = TimeEntryFactory(user=other_member, project=project)
    target = ProjectFactory()
    client = client_for(member)
    ids = [e.pk for e in mine] + [theirs.pk]
    client.post(reverse("entry_bulk"), {"action": "nonbillable", "ids": ids})
    assert not TimeEntry.objects.filter(user=member, billable=True).exists()
    client.post(reverse("entry_bulk"), {"action": "set_project", "ids": ids, "project": target.pk})
    assert set(TimeEntry.objects.filter(user=member).values_list("project", flat=True)) == {target.pk}
    theirs.refresh_from_db()
    assert theirs.project == project and theirs.billable
    client.post(reverse("entry_bulk"), {"action": "delete", "ids": ids})
    assert not TimeEntry.objects.filter(user=member).exists()
    assert TimeEntry.objects.filter(pk=theirs.pk).exists()
    client.post(reverse("entry_undo"))
    assert TimeEntry.objects.filter(user=member).count() == 2


def test_bulk_move_without_a_project_explains_what_is_missing(client_for, member, project):
    entry = TimeEntryFactory(user=member, project=project)
    response = client_for(member).post(reverse("entry_bulk"), {"action": "set_project", "ids": [entry.pk]}, follow=True)
    assert "Choose the project" in response.content.decode()


def test_week_view_sums_each_project_per_day(client_for, berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at("2026-03-10", 9), end=at("2026-03-10", 10))
    TimeEntryFactory(user=berliner, project=project, start=at("2026-03-10", 23, 30), end=at("2026-03-11", 0, 30))
    response = client_for(berliner).get(reverse("entry_week"), {"week": "2026-03-11"})
    grid = response.context["grid"]
    assert grid["days"][0].isoformat() == "2026-03-09"
    assert grid["rows"][0]["days"][1] == 7200  # both start on Tuesday in Berlin
    assert grid["total"] == 7200


def test_entry_list_query_count_does_not_grow_with_entries(
    client_for, manager, member, team, project, django_assert_max_num_queries
):
    for day in range(40):
        entry = TimeEntryFactory(user=member, project=project, start=timezone.now() - timedelta(days=day + 1))
        entry.tags.create(name=f"t{day}")
    client = client_for(manager)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("entry_list"))
    assert len(response.context["entries"]) == 40


def test_the_list_and_the_dashboard_escape_what_people_typed(client_for, member):
    """Rows are written in Python (tracking.rows), not by an autoescaping template: every typed value is escaped."""
    from tracking.tests.factories import ClientFactory, TagFactory, TaskFactory

    project = ProjectFactory(name='<b>R&D</b> "x"', client=ClientFactory(name="A&B <i>"), code='<c">')
    task = TaskFactory(project=project, name="<u>task</u>")
    start = timezone.now() - timedelta(hours=3)
    entry = TimeEntryFactory(
        user=member, project=project, task=task, notes='<script>alert(1)</script> "q"', start=start
    )
    entry.tags.add(TagFactory(name="<tag>"))
    TimeEntryFactory(user=member, project=project, start=start + timedelta(hours=2), end=None, notes="<running>")
    for url in (reverse("entry_list"), reverse("dashboard")):
        page = client_for(member).get(url).content.decode()
        for raw in ("<script>alert", "<b>R&D", "A&B <i>", "<u>task", "<tag>", "<running>", '<c">'):
            assert raw not in page, (url, raw)
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot;" in page
        assert "A&amp;B &lt;i&gt; / &lt;b&gt;R&amp;D&lt;/b&gt; &quot;x&quot;" in page
