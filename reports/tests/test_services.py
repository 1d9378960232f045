"""The saved-reports services and rules, role by role."""

import pytest
from django.urls import reverse

from accounts import policy
from reports import services
from reports.models import Annotation, SavedReport
from reports.selectors import annotation_list, saved_report_list
from tracking.tests.factories import ClientFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DEFINITION = {"preset": "last_month", "group_by": "client"}


def test_viewers_favourite_comment_and_note_their_own_time_but_never_share(viewer, manager, team):
    shared = services.saved_report_create(actor=manager, definition=DEFINITION, visibility="teams")
    assert services.favourite_set(actor=viewer, report=shared, on=True)
    services.comment_create(actor=viewer, report=shared, text="Thanks")
    services.annotation_create(actor=viewer, start=shared.created_at.date(), text="Away", scope="user")
    with pytest.raises(policy.PolicyDenied):
        services.saved_report_update(actor=viewer, report=shared, name="Mine")
    with pytest.raises(policy.PolicyDenied):
        services.annotation_create(actor=viewer, start=shared.created_at.date(), text="x", scope="everyone")
    mine = services.saved_report_duplicate(actor=viewer, report=shared)
    with pytest.raises(Exception, match="private"):
        services.saved_report_update(actor=viewer, report=mine, visibility="teams")
    assert SavedReport.objects.get(pk=mine.pk).visibility == "private"


def test_an_admin_may_change_anyones_report_but_only_with_what_its_owner_may_see(admin_user, member):
    report = services.saved_report_create(actor=member, definition=DEFINITION)
    hidden = ProjectFactory(is_public=False)
    with pytest.raises(Exception, match="No project with id"):
        services.saved_report_update(
            actor=admin_user, report=report, definition={**DEFINITION, "filters": {"project": [hidden.pk]}}
        )
    services.saved_report_update(actor=admin_user, report=report, name="Renamed by an admin")
    report.refresh_from_db()
    assert report.name == "Renamed by an admin" and report.updated_by == admin_user and report.owner == member


def test_manager_notes_about_a_team_are_seen_by_its_people_only(manager, member, other_member, team):
    services.annotation_create(
        actor=manager, start=team.created_at.date(), text="Sprint review", scope="team", scope_id=team.pk
    )
    assert [a.text for a in annotation_list(viewer=member)] == ["Sprint review"]
    assert list(annotation_list(viewer=other_member)) == []
    assert Annotation.objects.get().team == team


def test_private_reports_stay_private_and_teams_reports_stay_in_the_team(manager, member, other_member, team):
    private = services.saved_report_create(actor=manager, definition=DEFINITION, name="Private")
    services.saved_report_create(actor=manager, definition=DEFINITION, name="Team", visibility="teams")
    services.saved_report_create(actor=manager, definition=DEFINITION, name="All", visibility="everyone")
    assert sorted(r.name for r in saved_report_list(viewer=member)) == ["All", "Team"]
    assert sorted(r.name for r in saved_report_list(viewer=other_member)) == ["All"]
    assert not policy.can(member, policy.VIEW, private)


def test_the_web_edit_keeps_filters_with_several_values_set_through_the_api(client_for, member):
    acme, globex = ClientFactory(), ClientFactory()
    report = services.saved_report_create(
        actor=member, definition={**DEFINITION, "filters": {"client": [acme.pk, globex.pk]}}
    )
    client_for(member).post(
        reverse("saved_report_edit", args=[report.pk]),
        {"name": "Both clients", "preset": "last_week", "group_by": "client", "visibility": "private", "chart": "bar"},
    )
    report.refresh_from_db()
    assert report.name == "Both clients" and report.definition["filters"]["client"] == sorted([acme.pk, globex.pk])
