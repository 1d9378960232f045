"""The entry list's bulk select and rows' picker take the project filter's rows (EntryFilterForm.
trackable_project_rows): for everyone who writes, the projects they may track on are the open projects they see."""

import pytest

from accounts.tests.factories import TeamFactory
from tracking import selectors
from tracking.forms import EntryFilterForm
from tracking.rows import project_option_rows
from tracking.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(member, team):
    own_team = ProjectFactory(is_public=False)
    own_team.teams.add(team)
    named = ProjectFactory(is_public=False, client=None)
    named.members.add(member)
    other_team = ProjectFactory(is_public=False)
    other_team.teams.add(TeamFactory())
    closed = ProjectFactory(is_public=False, archived=True)
    closed.members.add(member)
    return [ProjectFactory(is_public=True), ProjectFactory(is_public=True, archived=True), own_team, named, other_team]


@pytest.mark.parametrize("role", ["member", "other_member", "manager", "admin_user"])
def test_the_filters_projects_are_the_trackable_ones_for_those_who_write(request, projects, role):
    person = request.getfixturevalue(role)
    rows = EntryFilterForm(None, viewer=person).trackable_project_rows()
    assert rows == project_option_rows(selectors.trackable_projects(user=person))
    assert len(rows) == {"member": 3, "other_member": 1}.get(role, 4)  # four open projects, two archived
