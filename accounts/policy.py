"""The access policy: the one place that answers "may this user see or change this object".

Every interface (web UI, API, admin, Slack, reports) asks here. Rules by role:

- admin: everything.
- manager: manages clients, projects, tasks and tags; sees and corrects the time of members of the teams they
  manage; tracks on projects open to them.
- member: tracks their own time on projects open to them; sees and changes only their own entries.
- viewer: read-only; sees the entries of the teams they belong to. Never writes anything (only their own
  profile: name, time zone, password, two-factor).

Users and teams: admins manage them (MANAGE_USERS, also for roles, deactivation and erasure); a manager sees the
members of the teams they manage and every team's name (to restrict projects to teams); members see themselves,
viewers the members of their teams; both see only their own teams. CHANGE on one's own User covers profile
fields only, never the role.

A project is open to a user when it is public, or when the user (or one of the user's teams) is listed on it.
The activity log: admins see all of it, managers what concerns the people of the teams they manage.

Integrations: an organisation-wide connector (no owner) is managed by admins, its status visible to everyone;
a personal connector is its owner's alone; webhook deliveries are for admins.

The rules for other apps' objects live in those apps (tracking/rules.py, integrations/rules.py, analytics/rules.py)
and are registered here from their AppConfig.ready(), as django-rules does: `register(Model, can=..., visible=...)`.
This module knows only accounts' own models; `can`, `require` and `visible` stay the one door every interface uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from timetracker.errors import DomainError

from .models import ApiToken, Role, Team, User

VIEW = "view"
CREATE = "create"
CHANGE = "change"
DELETE = "delete"
ARCHIVE = "archive"
TRACK = "track"
MANAGE_USERS = "manage_users"

ACTIONS = (VIEW, CREATE, CHANGE, DELETE, ARCHIVE, TRACK, MANAGE_USERS)


class PolicyDenied(DomainError, PermissionDenied):
    """Raised by require(); the message says what was refused in words a person understands."""

    code = "permission_denied"
    status = 403


def rule_viewer(viewer_id: int, role: str) -> User:
    """A viewer made of an id and a role alone, for building the rules below once per role (reads compiled once per
    process, timetracker.prepared): every rule here reads only these two of an active viewer. A rule that reads
    another attribute of the viewer must say so here, and those reads' tests compare them with the ORM's."""
    return User(pk=viewer_id, role=role, is_active=True)


def is_active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user: User) -> bool:
    return is_active(user) and user.role == Role.ADMIN


def is_manager_or_admin(user: User) -> bool:
    return is_active(user) and user.role in (Role.ADMIN, Role.MANAGER)


def writes(user: User) -> bool:
    return is_active(user) and user.role != Role.VIEWER


def team_scope_user_ids(user: User) -> QuerySet:
    """Ids of the users whose time `user` may see besides their own (as a subquery)."""
    if user.role == Role.MANAGER:
        teams = Team.objects.filter(managers=user)
    elif user.role == Role.VIEWER:
        teams = Team.objects.filter(Q(members=user) | Q(managers=user))
    else:
        return User.objects.none().values("pk")
    return User.objects.filter(teams__in=teams).values("pk")


def visible_user_ids(user: User) -> set[int] | None:
    """The ids of users whose entries `user` may see; None means everyone (admins)."""
    if not is_active(user):
        return set()
    if is_admin(user):
        return None
    return {user.pk, *team_scope_user_ids(user).values_list("pk", flat=True)}


def correctable_user_ids(user: User) -> set[int] | None:
    """The ids of users whose entries `user` may change or delete; None means everyone (admins).

    The set form of CHANGE on time entries, for pages that show many entries at once (one query, not one per row).
    """
    if not writes(user):
        return set()
    if is_admin(user):
        return None
    if user.role == Role.MANAGER:
        return {user.pk, *team_scope_user_ids(user).values_list("pk", flat=True)}
    return {user.pk}


def may_see_user_time(user: User, owner_id: int) -> bool:
    if is_admin(user):
        return True
    if owner_id == user.pk:
        return True
    return team_scope_user_ids(user).filter(pk=owner_id).exists()


def may_correct_user_time(user: User, owner_id: int) -> bool:
    if not writes(user):
        return False
    if is_admin(user) or owner_id == user.pk:
        return True
    return user.role == Role.MANAGER and team_scope_user_ids(user).filter(pk=owner_id).exists()


# --- Registered rules ---------------------------------------------------------------------------------------------
CanRule = Callable[[User, str, Any], bool]
VisibleRule = Callable[[User, QuerySet, str], QuerySet]


@dataclass(frozen=True)
class Rules:
    """The rules of one model, for an active user who is not an admin (admins may do everything).

    can(user, action, obj): obj is an instance, or the model class (e.g. for CREATE).
    visible(user, queryset, action): the rows of `queryset` `user` may `action` (VIEW, or TRACK for projects).
    """

    can: CanRule
    visible: VisibleRule


_RULES: dict[type[Model], Rules] = {}
_TRACKABLE: list[type[Model]] = []


def register(model: type[Model], *, can: CanRule, visible: VisibleRule, trackable: bool = False) -> None:
    """Register the rules for `model`. An app calls it in its AppConfig.ready(); a model without rules is admins' only.

    trackable=True marks the model `trackable_projects` lists (tracking's Project).
    """
    _RULES[model] = Rules(can=can, visible=visible)
    if trackable:
        _TRACKABLE[:] = [model]


def _rules_for(obj: Any) -> Rules | None:
    model = obj if isinstance(obj, type) else obj.__class__  # __class__: request.user is a lazy proxy
    if not (isinstance(model, type) and issubclass(model, Model)):
        return None
    return _RULES.get(model) or _RULES.get(model._meta.concrete_model)


def can(user: User, action: str, obj: Any = None) -> bool:
    """May `user` do `action` on `obj` (an instance, or a model class for create)?"""
    if action not in ACTIONS:
        raise ValueError(f"unknown policy action {action!r}")
    if not is_active(user):
        return False
    if is_admin(user):
        return True
    if action == MANAGE_USERS:
        return False
    rules = _rules_for(obj)
    # Unregistered models (e.g. webhook deliveries, payloads from outside) and anything unknown: admins only.
    return rules is not None and rules.can(user, action, obj)


_DENIED_MESSAGES = {
    VIEW: "You do not have access to this {what}.",
    CREATE: "You may not create this {what}.",
    CHANGE: "You may not change this {what}.",
    DELETE: "You may not delete this {what}.",
    ARCHIVE: "You may not archive this {what}.",
    TRACK: "You may not track time on this {what}.",
    MANAGE_USERS: "Only administrators may manage users.",
}


def require(user: User, action: str, obj: Any = None) -> None:
    """Raise PolicyDenied unless can(user, action, obj)."""
    if not can(user, action, obj):
        what = obj._meta.verbose_name if obj is not None and hasattr(obj, "_meta") else "object"
        if is_active(user) and user.role == Role.VIEWER and action != VIEW:
            raise PolicyDenied("Viewers have read-only access and cannot change anything.")
        raise PolicyDenied(_DENIED_MESSAGES[action].format(what=what))


def may_list_users(user: User) -> bool:
    """Managers (their teams) and admins (everyone) may list people; members and viewers only see themselves."""
    return is_manager_or_admin(user)


def visible(user: User, queryset: QuerySet, action: str = VIEW) -> QuerySet:
    """Scope `queryset` to the rows `user` may see (or `action`: TRACK lists the projects one may track on)."""
    if not is_active(user):
        return queryset.none()
    rules = _rules_for(queryset.model)
    if is_admin(user) and action == VIEW:
        return queryset
    if rules is None:
        return queryset if is_admin(user) else queryset.none()
    return rules.visible(user, queryset, action)


def trackable_projects(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """Projects `user` may track time on (not archived, open to them): visible(user, projects, TRACK)."""
    if queryset is None:
        if not _TRACKABLE:
            raise LookupError("no model was registered with trackable=True")
        queryset = _TRACKABLE[0]._default_manager.all()
    return visible(user, queryset, TRACK)


def own_teams(user: User) -> QuerySet:
    """The teams `user` belongs to or manages."""
    return Team.objects.filter(Q(members=user) | Q(managers=user))


# --- accounts' own rules ------------------------------------------------------------------------------------------


def _can_user(user: User, action: str, obj: Any) -> bool:
    if isinstance(obj, type):
        return action == VIEW
    if action == VIEW:
        return obj.pk == user.pk or may_see_user_time(user, obj.pk)
    return action == CHANGE and obj.pk == user.pk  # own profile; roles and other people are for admins


def _visible_users(user: User, queryset: QuerySet, action: str) -> QuerySet:
    if action != VIEW:
        return queryset.none()
    return queryset.filter(Q(pk=user.pk) | Q(pk__in=team_scope_user_ids(user)))


def _can_team(user: User, action: str, obj: Any) -> bool:
    if action != VIEW:
        return False
    if isinstance(obj, type) or user.role == Role.MANAGER:
        return True  # managers pick teams when they restrict a project
    return obj.pk is not None and own_teams(user).filter(pk=obj.pk).exists()


def _visible_teams(user: User, queryset: QuerySet, action: str) -> QuerySet:
    if action != VIEW:
        return queryset.none()
    return queryset if user.role == Role.MANAGER else queryset.filter(pk__in=own_teams(user).values("pk"))


def _can_token(user: User, action: str, obj: Any) -> bool:
    # Everyone may hold personal tokens (their scopes never widen the role); only the owner sees or revokes one.
    if isinstance(obj, type):
        return action in (VIEW, CREATE)
    return action in (VIEW, CREATE, CHANGE, DELETE) and obj.owner_id == user.pk


def _visible_tokens(user: User, queryset: QuerySet, action: str) -> QuerySet:
    return queryset.filter(owner=user) if action == VIEW else queryset.none()


def _register_own_rules() -> None:
    register(User, can=_can_user, visible=_visible_users)
    register(Team, can=_can_team, visible=_visible_teams)
    register(ApiToken, can=_can_token, visible=_visible_tokens)


_register_own_rules()
