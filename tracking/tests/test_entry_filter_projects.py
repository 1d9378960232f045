"""The entry list's bulk select and rows' picker take the project filter's rows (EntryFilterForm.
trackable_project_rows): for everyone who writes, the projects they may track on are the open projects they see."""

import pytest
from django.utils.html import escape

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


@pytest.mark.parametrize("role", ["member", "other_member", "manager", "viewer", "admin_user"])
def test_the_unbound_filters_options_compiled_once_are_those_of_the_querysets(request, projects, role):
    """The list's default page (an unbound filter form) reads its options through the reads compiled once per
    field and role (tracking.forms._filter_options_read): the same options, in the same order, as the querysets a
    bound form validates with — each viewer their own, though the reads are kept per role."""
    from tracking.forms import filter_option_querysets
    from tracking.tests.factories import TagFactory, TaskFactory

    for project in projects:
        TaskFactory(project=project, name=f"Task of {project.name} & co")
    TagFactory(name="<urgent>")

    class Built(EntryFilterForm):
        options_compiled_once = False

    for person in (request.getfixturevalue(role), request.getfixturevalue("other_member")):
        ours, built = EntryFilterForm(None, viewer=person), Built(None, viewer=person)
        assert ours.fields["task"].queryset.query.is_empty()  # nothing built for the options: never read
        names = [name for name in ("project", "client", "task", "tag", "user") if name in built.fields]
        assert names == [name for name in ("project", "client", "task", "tag", "user") if name in ours.fields]
        for name in names:
            assert str(ours[name]) == str(built[name]), (role, name)
        querysets = filter_option_querysets(person)
        task_names = {name for _pk, name in querysets["task"].values_list("pk", "name")}
        assert task_names and all(f">{escape(name)}</option>" in str(ours["task"]) for name in task_names)
        assert ours.trackable_project_rows() == built.trackable_project_rows()
