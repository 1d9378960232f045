"""The access policy as a matrix: every role × every action × own / team / other object.

The expectations below are written from the role rules of the product (docs/admin/security/roles-and-permissions.md),
not computed from the policy: a change to a rule must change this table on purpose.

World: team T is managed by `manager` and has `member`, `teammate` and `viewer` in it; `outsider` belongs to no team.
"Own" is the acting user's own object, "team" a teammate's (for the manager and viewer: T's member), "other" an
outsider's. Projects: "public" is open to everyone, "listed" lists the acting user, "team" is restricted to T,
"other" is restricted to a team the acting user is not in.
"""

import pytest

from accounts import policy
from accounts.models import Role, Team, User
from accounts.tests.factories import TeamFactory, UserFactory
from tracking.models import Client, Project, Tag, Task, TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory

V, C, CH, D, A, T, M = (
    policy.VIEW,
    policy.CREATE,
    policy.CHANGE,
    policy.DELETE,
    policy.ARCHIVE,
    policy.TRACK,
    policy.MANAGE_USERS,
)
EVERYTHING = set(policy.ACTIONS)
NOTHING: set[str] = set()
ROLES = ("admin", "manager", "member", "viewer")

# (object key) -> {role: allowed actions}
EXPECTED: dict[str, dict[str, set[str]]] = {
    # Time entries
    "entry:own": {"admin": EVERYTHING, "manager": {V, C, CH, D}, "member": {V, C, CH, D}, "viewer": {V}},
    "entry:team": {"admin": EVERYTHING, "manager": {V, C, CH, D}, "member": NOTHING, "viewer": {V}},
    "entry:other": {"admin": EVERYTHING, "manager": NOTHING, "member": NOTHING, "viewer": NOTHING},
    "entry:class": {"admin": EVERYTHING, "manager": {V, C}, "member": {V, C}, "viewer": {V}},
    # Projects
    "project:public": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": {V, T}, "viewer": {V}},
    "project:listed": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": {V, T}, "viewer": {V}},
    "project:team": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": {V, T}, "viewer": {V}},
    "project:other": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": NOTHING, "viewer": {V}},
    "project:class": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V}, "viewer": {V}},
    # Tasks (follow their project for seeing and tracking)
    "task:public": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": {V, T}, "viewer": {V}},
    "task:team": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": {V, T}, "viewer": {V}},
    "task:other": {"admin": EVERYTHING, "manager": {V, C, CH, D, A, T}, "member": NOTHING, "viewer": {V}},
    "task:class": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V}, "viewer": {V}},
    # Clients and tags
    "client": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V}, "viewer": {V}},
    "client:class": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V}, "viewer": {V}},
    "tag": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V, C}, "viewer": {V}},
    "tag:class": {"admin": EVERYTHING, "manager": {V, C, CH, D, A}, "member": {V, C}, "viewer": {V}},
    # Users: one's own profile, a teammate, an outsider
    "user:own": {"admin": EVERYTHING, "manager": {V, CH}, "member": {V, CH}, "viewer": {V, CH}},
    "user:team": {"admin": EVERYTHING, "manager": {V}, "member": NOTHING, "viewer": {V}},
    "user:other": {"admin": EVERYTHING, "manager": NOTHING, "member": NOTHING, "viewer": NOTHING},
    "user:class": {"admin": EVERYTHING, "manager": {V}, "member": {V}, "viewer": {V}},
    # Teams
    "team:own": {"admin": EVERYTHING, "manager": {V}, "member": {V}, "viewer": {V}},
    "team:other": {"admin": EVERYTHING, "manager": {V}, "member": NOTHING, "viewer": NOTHING},
    "team:class": {"admin": EVERYTHING, "manager": {V}, "member": {V}, "viewer": {V}},
}


@pytest.fixture
def world(db):
    admin = UserFactory(role=Role.ADMIN)
    manager = UserFactory(role=Role.MANAGER)
    member = UserFactory(role=Role.MEMBER)
    teammate = UserFactory(role=Role.MEMBER)
    viewer = UserFactory(role=Role.VIEWER)
    outsider = UserFactory(role=Role.MEMBER)
    team = TeamFactory(managers=[manager], members=[member, teammate, viewer])
    other_team = TeamFactory(members=[outsider])
    public = ProjectFactory(is_public=True)
    team_project = ProjectFactory(is_public=False)
    team_project.teams.add(team)
    other_project = ProjectFactory(is_public=False)
    other_project.teams.add(other_team)
    users = {"admin": admin, "manager": manager, "member": member, "viewer": viewer}
    listed = {}
    for role, user in users.items():
        project = ProjectFactory(is_public=False)
        project.members.add(user)
        listed[role] = project
    entries = {role: TimeEntryFactory(user=user, project=public) for role, user in users.items()}
    return {
        "users": users,
        "teammate": teammate,
        "outsider": outsider,
        "team": team,
        "other_team": other_team,
        "public": public,
        "team_project": team_project,
        "other_project": other_project,
        "listed": listed,
        "entries": entries,
        "teammate_entry": TimeEntryFactory(user=teammate, project=public),
        "member_entry": entries["member"],
        "outsider_entry": TimeEntryFactory(user=outsider, project=public),
        "tasks": {
            "public": TaskFactory(project=public),
            "team": TaskFactory(project=team_project),
            "other": TaskFactory(project=other_project),
        },
        "client": ClientFactory(),
        "tag": TagFactory(),
    }


def _object(world, role: str, key: str):
    """The object that `key` means from the point of view of `role`."""
    me = world["users"][role]
    team_mate = world["teammate"] if role == "member" else world["users"]["member"]
    return {
        "entry:own": lambda: world["entries"][role],
        "entry:team": lambda: world["teammate_entry"] if role == "member" else world["member_entry"],
        "entry:other": lambda: world["outsider_entry"],
        "entry:class": lambda: TimeEntry,
        "project:public": lambda: world["public"],
        "project:listed": lambda: world["listed"][role],
        "project:team": lambda: world["team_project"],
        "project:other": lambda: world["other_project"],
        "project:class": lambda: Project,
        "task:public": lambda: world["tasks"]["public"],
        "task:team": lambda: world["tasks"]["team"],
        "task:other": lambda: world["tasks"]["other"],
        "task:class": lambda: Task,
        "client": lambda: world["client"],
        "client:class": lambda: Client,
        "tag": lambda: world["tag"],
        "tag:class": lambda: Tag,
        "user:own": lambda: me,
        "user:team": lambda: team_mate,
        "user:other": lambda: world["outsider"],
        "user:class": lambda: User,
        "team:own": lambda: world["team"],
        "team:other": lambda: world["other_team"],
        "team:class": lambda: Team,
    }[key]()


CASES = [(role, key) for key in EXPECTED for role in ROLES]


@pytest.mark.parametrize(("role", "key"), CASES, ids=[f"{role}-{key}" for role, key in CASES])
def test_policy_allows_exactly_the_actions_of_the_role(world, role, key):
    user = world["users"][role]
    obj = _object(world, role, key)

    allowed = {action for action in policy.ACTIONS if policy.can(user, action, obj)}

    assert allowed == EXPECTED[key][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", [k for k in EXPECTED if not k.endswith(":class")])
def test_an_inactive_user_may_do_nothing(world, role, key):
    user = world["users"][role]
    obj = _object(world, role, key)
    user.is_active = False

    assert {action for action in policy.ACTIONS if policy.can(user, action, obj)} == NOTHING


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", [TimeEntry, Project, Task, Client, Tag, User, Team])
def test_visible_lists_exactly_what_the_role_may_view(world, role, model):
    user = world["users"][role]

    visible = set(policy.visible(user, model.objects.all()))

    assert visible == {obj for obj in model.objects.all() if policy.can(user, policy.VIEW, obj)}


@pytest.mark.parametrize("role", ROLES)
def test_trackable_projects_are_the_open_active_projects_the_role_may_track_on(world, role):
    user = world["users"][role]
    world["public"].archived = True
    world["public"].save()

    trackable = set(policy.trackable_projects(user))

    expected = {p for p in Project.objects.filter(archived=False) if policy.can(user, policy.TRACK, p)}
    assert trackable == expected
    assert world["public"] not in trackable
    if role == "viewer":
        assert trackable == set()


def test_a_viewer_is_told_they_have_read_only_access(world):
    with pytest.raises(policy.PolicyDenied, match="read-only"):
        policy.require(world["users"]["viewer"], policy.CHANGE, world["entries"]["viewer"])


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown policy action"):
        policy.can(world["users"]["admin"], "explode", TimeEntry)
